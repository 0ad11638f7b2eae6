// Activision's game traffic (Call of Duty on consoles and PC) on UDP 3074, the port Activision
// and Xbox Live reserve for game sessions. No public specification: a session opens with a
// 29-byte datagram whose first three bytes are 0x0D 0x02 0x00 (the peer echoes it with 0x0C
// 0x02 0x00). On port 3074 that first datagram decides (nDPI's Activision).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_ACTIVISION } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const ACTIVISION_PORT: u32 = 3074;
const OPEN_LEN: usize = 29;

export function dissectActivision(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP || (info.srcPort != ACTIVISION_PORT && info.dstPort != ACTIVISION_PORT)) return R_NO;
  const p = info.payloadPtr;
  if (<usize>info.payloadLen != OPEN_LEN) return R_NO;
  const kind = load<u8>(p);
  if ((kind != 0x0d && kind != 0x0c) || load<u8>(p + 1) != 0x02 || load<u8>(p + 2) != 0x00) return R_NO;
  setDetected(rec, PROTO_ACTIVISION, 0);
  return R_DONE;
}
