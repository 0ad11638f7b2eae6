// SOME/IP, the AUTOSAR Scalable service-Oriented MiddlewarE over IP (AUTOSAR PRS_SOMEIP,
// "SOME/IP Protocol Specification" §4.1.2), and its service discovery (SOME/IP-SD, message id
// 0xFFFF8100). Every message starts with a 16-byte header, big-endian: Message ID (service and
// method), Length (the bytes after this field: 8 more header bytes and the payload), Request ID
// (client and session), Protocol Version (1), Interface Version, Message Type and Return Code.
// A datagram (or segment) holding whole messages with version 1, a known type and a return code
// in the defined range decides. SOME/IP-TP segments (type flag 0x20) count too.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_SOMEIP } from "../classify/generated/protocols";
import { be32 } from "../util/bytes";
import { R_DONE, R_NO } from "./result";

const LENGTH: usize = 4;
const PROTOCOL_VERSION: usize = 12;
const MESSAGE_TYPE: usize = 14;
const RETURN_CODE: usize = 15;
const HEADER_LEN: usize = 16;
/** The Length field counts from the Request ID on. */
const LENGTH_BASE: usize = 8;
const VERSION: u8 = 1;
/** Return codes 0x00..0x3F are defined or reserved for errors (§4.1.2.10). */
const MAX_RETURN_CODE: u32 = 0x3f;
const TP_FLAG: u32 = 0x20;
/** Several messages may share a datagram (§4.4.1): a few are checked. */
const MAX_MESSAGES: u32 = 8;

export function dissectSomeip(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  let at = p;
  for (let n: u32 = 0; n < MAX_MESSAGES && at < end; n++) {
    if (end - at < HEADER_LEN || !validHeader(at)) return R_NO;
    const length = <usize>be32(at + LENGTH);
    if (length < LENGTH_BASE || length > end - at - LENGTH_BASE) return R_NO;
    at += LENGTH_BASE + length;
  }
  setDetected(rec, PROTO_SOMEIP, 0);
  return R_DONE;
}

function validHeader(p: usize): bool {
  if (load<u8>(p + PROTOCOL_VERSION) != VERSION || <u32>load<u8>(p + RETURN_CODE) > MAX_RETURN_CODE) return false;
  return isMessageType(<u32>load<u8>(p + MESSAGE_TYPE) & ~TP_FLAG);
}

/** REQUEST, REQUEST_NO_RETURN, NOTIFICATION, RESPONSE, ERROR and the acknowledgements (§4.1.2.7). */
function isMessageType(type: u32): bool {
  return type == 0x00 || type == 0x01 || type == 0x02 || type == 0x40 || type == 0x41 || type == 0x42 ||
    type == 0x80 || type == 0x81 || type == 0xc0 || type == 0xc1;
}
