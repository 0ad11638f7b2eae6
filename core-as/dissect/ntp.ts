// NTP on UDP 123 (RFC 5905 §7.3): the first byte holds the leap indicator (2 bits), the version
// (3 bits, 1 to 4) and the mode (3 bits). Modes 1-5 use the 48-byte time packet; mode 6 is the
// control protocol (RFC 9327 §2, 12-byte header) and mode 7 the implementation's private mode
// (at least 8 bytes). One message decides the flow.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { u8at } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_NTP } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

const PORT_NTP: u32 = 123;
const TIME_PACKET_LEN: u32 = 48;
const CONTROL_HEADER_LEN: u32 = 12;
const PRIVATE_HEADER_LEN: u32 = 8;
const MODE_CONTROL: u32 = 6;
const MODE_PRIVATE: u32 = 7;

export function dissectNtp(rec: usize, fromClient: bool): i32 {
  if (info.srcPort != PORT_NTP && info.dstPort != PORT_NTP) return R_NO;
  const len = info.payloadLen;
  if (len < PRIVATE_HEADER_LEN) return R_NO;
  const first = u8at(info.payloadPtr);
  const version = (first >> 3) & 7;
  const mode = first & 7;
  if (version < 1 || version > 4 || mode == 0) return R_NO;
  const minimum = mode == MODE_PRIVATE ? PRIVATE_HEADER_LEN : mode == MODE_CONTROL ? CONTROL_HEADER_LEN : TIME_PACKET_LEN;
  if (len < minimum) return R_NO;
  setDetected(rec, PROTO_NTP, 0);
  return R_DONE;
}
