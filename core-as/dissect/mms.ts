// MMS, the Manufacturing Message Specification (ISO 9506-1; nDPI's ISO9506-1-MMS), over the OSI
// upper layers on ISO transport, TCP port 102 (wire/cotp.ts; also the carrier of IEC 61850 and
// ICCP). Its association opens with a session CONNECT SPDU (ISO 8327-1 §8.3.1, SI 13) answered
// by ACCEPT (SI 14); later data goes as GIVE TOKENS + DATA TRANSFER SPDUs (SI 1, empty: "01 00
// 01 00") followed by the presentation layer's fully encoded data (ISO 8823, tag 0x61). A Data
// TPDU on port 102 whose user data starts with one of those decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_ISO9506_1_MMS } from "../classify/generated/protocols";
import { cotpDataOffset } from "../wire/cotp";
import { IPPROTO_TCP } from "../wire/transport";
import { ISO_TSAP_PORT, isoConnectionSetup } from "./s7comm";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const SPDU_CONNECT: u32 = 13;
const SPDU_ACCEPT: u32 = 14;
const SPDU_GIVE_TOKENS: u32 = 1;
const PRESENTATION_USER_DATA: u32 = 0x61;

export function dissectMms(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP || (info.srcPort != ISO_TSAP_PORT && info.dstPort != ISO_TSAP_PORT)) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const data = cotpDataOffset(p, len);
  if (data == 0 || !isSessionStart(p + data, len - data)) return isoConnectionSetup(rec, p, len) ? R_MAYBE : R_NO;
  setDetected(rec, PROTO_ISO9506_1_MMS, 0);
  return R_DONE;
}

function isSessionStart(s: usize, n: usize): bool {
  if (n < 2) return false;
  const si = <u32>load<u8>(s);
  const li = <usize>load<u8>(s + 1);
  // CONNECT / ACCEPT with a one-byte length that fits (0xFF announces a 3-byte length).
  if (si == SPDU_CONNECT || si == SPDU_ACCEPT) return li != 0xff ? li > 0 && li + 2 <= n : n >= 4;
  return n >= 5 && si == SPDU_GIVE_TOKENS && li == 0 && <u32>load<u8>(s + 2) == SPDU_GIVE_TOKENS &&
    load<u8>(s + 3) == 0 && <u32>load<u8>(s + 4) == PRESENTATION_USER_DATA;
}
