// S7comm, Siemens' S7 PLC protocol, over ISO transport on TCP port 102 (wire/cotp.ts). Its PDUs
// start with the protocol id 0x32 and the ROSCTR (1 job, 2 ack, 3 ack-data, 7 userdata); they
// ride in COTP Data TPDUs once the connection (CR/CC) is set up. A Data TPDU on port 102 whose
// user data starts so decides (nDPI's S7Comm); the connection's CR and CC TPDUs before it keep
// the flow waiting (isoConnectionSetup).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_S7COMM } from "../classify/generated/protocols";
import { COTP_CODE_CC, COTP_CODE_CR, cotpCode, cotpDataOffset } from "../wire/cotp";
import { payloadPacketIndex } from "./group";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_MAYBE, R_NO } from "./result";

export const ISO_TSAP_PORT: u32 = 102;
const PROTOCOL_ID: u8 = 0x32;
const ROSCTR: usize = 1;

export function dissectS7comm(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP || (info.srcPort != ISO_TSAP_PORT && info.dstPort != ISO_TSAP_PORT)) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const data = cotpDataOffset(p, len);
  if (data == 0 || data + ROSCTR >= len || load<u8>(p + data) != PROTOCOL_ID) return isoConnectionSetup(rec, p, len) ? R_MAYBE : R_NO;
  const rosctr = load<u8>(p + data + ROSCTR);
  if ((rosctr < 1 || rosctr > 3) && rosctr != 7) return R_NO;
  setDetected(rec, PROTO_S7COMM, 0);
  return R_DONE;
}

/** Packets a port-102 flow may spend on connection setup before its first Data TPDU. */
const MAX_SETUP_PACKETS: u32 = 8;

/**
 * A Connection Request or Confirm TPDU (X.224 §13.3, §13.4) early in the flow: the protocols of
 * port 102 show themselves only in the Data TPDUs that follow.
 */
export function isoConnectionSetup(rec: usize, p: usize, len: usize): bool {
  if (payloadPacketIndex(rec) > MAX_SETUP_PACKETS) return false;
  const code = cotpCode(p, len);
  return code == COTP_CODE_CR || code == COTP_CODE_CC;
}
