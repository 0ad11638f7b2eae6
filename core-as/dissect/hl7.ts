// HL7 v2, the health-care messaging standard (HL7 v2.x §2.5: every message starts with the MSH
// segment, "MSH" then the field separator and the encoding characters, usually "MSH|^~\&"),
// over TCP with the Minimal Lower Layer Protocol (HL7 v2 Implementation Guide, MLLP: a message
// is framed by 0x0B ... 0x1C 0x0D). A first packet starting with a message header, framed or
// not, decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_HL7 } from "../classify/generated/protocols";
import { startsWith } from "../util/ascii";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const MLLP_START: u8 = 0x0b;
const HEADER = "MSH|^~\\&";

export function dissectHl7(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  let p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (p < end && load<u8>(p) == MLLP_START) p++;
  if (!startsWith(p, end, HEADER)) return R_NO;
  setDetected(rec, PROTO_HL7, 0);
  return R_DONE;
}
