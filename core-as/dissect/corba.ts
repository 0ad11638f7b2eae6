// CORBA's wire protocols (OMG CORBA 3.x, Part 2): GIOP messages (§9.4.1) start with the
// 12-byte header "GIOP", version (major 1, minor 0..3), flags, message type (0 Request .. 7
// Fragment) and the message size; MIOP packets (Unreliable Multicast, §MIOP 1.0) with "MIOP"
// and version 1.0 (0x10). One such header at the start of a packet decides (nDPI's Corba).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_CORBA } from "../classify/generated/protocols";
import { startsWith } from "../util/ascii";
import { R_DONE, R_NO } from "./result";

const GIOP_HEADER_LEN: usize = 12;
const GIOP_MAJOR: usize = 4;
const GIOP_MINOR: usize = 5;
const GIOP_TYPE: usize = 7;
const GIOP_MAX_MINOR: u8 = 3;
const GIOP_MAX_TYPE: u8 = 7;
const MIOP_HEADER_LEN: usize = 16;
const MIOP_VERSION: usize = 4;
const MIOP_VERSION_1_0: u8 = 0x10;

export function dissectCorba(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const end = p + len;
  let ok = false;
  if (len >= GIOP_HEADER_LEN && startsWith(p, end, "GIOP")) {
    ok = load<u8>(p + GIOP_MAJOR) == 1 && load<u8>(p + GIOP_MINOR) <= GIOP_MAX_MINOR && load<u8>(p + GIOP_TYPE) <= GIOP_MAX_TYPE;
  } else if (len >= MIOP_HEADER_LEN && startsWith(p, end, "MIOP")) {
    ok = load<u8>(p + MIOP_VERSION) == MIOP_VERSION_1_0;
  }
  if (!ok) return R_NO;
  setDetected(rec, PROTO_CORBA, 0);
  return R_DONE;
}
