// Service Location Protocol on its port 427 (UDP and TCP): version 2 (RFC 2608 §8) and
// version 1 (RFC 2165 §7). A message is recognised by its header alone: the version, a known
// function id and a length field that agrees with the datagram. Everything SLP says fits in
// one message, so the first valid one decides the flow.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be16, u8at } from "../util/bytes";
import { IPPROTO_UDP } from "../wire/transport";
import { setDetected } from "../classify/classify";
import { PROTO_SERVICE_LOCATION } from "../classify/generated/protocols";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const PORT_SLP: u32 = 427;

// RFC 2608 §8: Version (1), Function-ID (1), Length (3), Flags (2), Next Extension Offset (3),
// XID (2), Language Tag Length (2), Language Tag.
const V2_LENGTH: usize = 2;
const V2_FLAGS: usize = 5;
const V2_LANG_LEN: usize = 12;
const V2_FIXED: usize = 14;
/** Flags other than OVERFLOW, FRESH and REQUEST MCAST "MUST be zero" (§8). */
const V2_RESERVED_FLAGS: u32 = 0x1fff;
const V2_MAX_FUNCTION: u32 = 11; // SAAdvert

// RFC 2165 §7: Version (1), Function (1), Length (2), flags (1), Dialect (1), Language Code (2),
// Character Encoding (2), XID (2).
const V1_LENGTH: usize = 2;
const V1_DIALECT: usize = 5;
const V1_FIXED: usize = 12;
/** The low 3 bits of the flags byte are reserved (§7). */
const V1_RESERVED_FLAGS: u32 = 0x07;
const V1_MAX_FUNCTION: u32 = 10; // SrvTypeRply

export function dissectSlp(rec: usize, fromClient: bool): i32 {
  if (info.srcPort != PORT_SLP && info.dstPort != PORT_SLP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < 2) return R_MAYBE;
  const version = u8at(p);
  const fn = u8at(p + 1);
  const isUdp = info.l4Proto == IPPROTO_UDP;
  if (version == 2) {
    if (fn == 0 || fn > V2_MAX_FUNCTION) return R_NO;
    if (len < V2_FIXED) return isUdp ? R_NO : R_MAYBE;
    const declared = (<usize>u8at(p + V2_LENGTH) << 16) | <usize>be16(p + V2_LENGTH + 1);
    if ((be16(p + V2_FLAGS) & V2_RESERVED_FLAGS) != 0) return R_NO;
    if (declared < V2_FIXED + <usize>be16(p + V2_LANG_LEN)) return R_NO;
    if (!lengthAgrees(declared, len, isUdp)) return R_NO;
  } else if (version == 1) {
    if (fn == 0 || fn > V1_MAX_FUNCTION) return R_NO;
    if (len < V1_FIXED) return isUdp ? R_NO : R_MAYBE;
    const declared = <usize>be16(p + V1_LENGTH);
    // Dialect "MUST be 0" in this version of the protocol (§7).
    if ((u8at(p + 4) & V1_RESERVED_FLAGS) != 0 || u8at(p + V1_DIALECT) != 0) return R_NO;
    if (declared < V1_FIXED || !lengthAgrees(declared, len, isUdp)) return R_NO;
  } else {
    return R_NO;
  }
  setDetected(rec, PROTO_SERVICE_LOCATION, 0);
  return R_DONE;
}

/** A datagram holds exactly one message; a TCP segment may hold only its start, or several. */
@inline function lengthAgrees(declared: usize, len: usize, isUdp: bool): bool {
  return !isUdp || declared == len;
}
