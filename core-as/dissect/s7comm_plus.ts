// S7comm-plus, the protocol of Siemens S7-1200/1500 PLCs, over ISO transport on TCP port 102
// (wire/cotp.ts). Its frames start with the protocol id 0x72 and a version byte (1, 2 or 3;
// 0xFE for keep-alives) and ride in COTP Data TPDUs. A Data TPDU on port 102 whose user data
// starts so decides (nDPI's S7CommPlus).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_S7COMM_PLUS } from "../classify/generated/protocols";
import { cotpDataOffset } from "../wire/cotp";
import { IPPROTO_TCP } from "../wire/transport";
import { ISO_TSAP_PORT, isoConnectionSetup } from "./s7comm";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const PROTOCOL_ID: u8 = 0x72;
const VERSION: usize = 1;
const VERSION_KEEPALIVE: u8 = 0xfe;

export function dissectS7commPlus(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP || (info.srcPort != ISO_TSAP_PORT && info.dstPort != ISO_TSAP_PORT)) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const data = cotpDataOffset(p, len);
  if (data == 0 || data + VERSION >= len || load<u8>(p + data) != PROTOCOL_ID) return isoConnectionSetup(rec, p, len) ? R_MAYBE : R_NO;
  const version = load<u8>(p + data + VERSION);
  if ((version < 1 || version > 3) && version != VERSION_KEEPALIVE) return R_NO;
  setDetected(rec, PROTO_S7COMM_PLUS, 0);
  return R_DONE;
}
