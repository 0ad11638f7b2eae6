// PPTP's control connection (RFC 2637 §2), TCP 1723. Every control message starts with: length
// (16 bits, the whole message), PPTP message type (1 = control), the magic cookie 0x1A2B3C4D,
// the control message type (1 Start-Control-Connection-Request .. 15 Set-Link-Info) and a
// reserved word. A first message with the cookie, type 1 and a length that fits decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_PPTP } from "../classify/generated/protocols";
import { be16, be32 } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const LENGTH: usize = 0;
const MESSAGE_TYPE: usize = 2;
const MAGIC_COOKIE: usize = 4;
const CONTROL_TYPE: usize = 8;
const HEADER_LEN: usize = 12;
const COOKIE: u32 = 0x1a2b3c4d;
const TYPE_CONTROL: u32 = 1;
const MAX_CONTROL_TYPE: u32 = 15;

export function dissectPptp(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < HEADER_LEN || be32(p + MAGIC_COOKIE) != COOKIE || be16(p + MESSAGE_TYPE) != TYPE_CONTROL) return R_NO;
  const control = be16(p + CONTROL_TYPE);
  const length = <usize>be16(p + LENGTH);
  if (control == 0 || control > MAX_CONTROL_TYPE || length < HEADER_LEN || length > len) return R_NO;
  setDetected(rec, PROTO_PPTP, 0);
  return R_DONE;
}
