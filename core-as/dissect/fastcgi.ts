// FastCGI (FastCGI Specification 1.0, Open Market 1996, §3.3, §5.1), between a web server and
// its application over TCP. Every record starts with an 8-byte header: version 1, type (1
// BEGIN_REQUEST .. 11 UNKNOWN_TYPE), request id, content length (16 bits), padding length,
// reserved. A request opens with FCGI_BEGIN_REQUEST, whose 8-byte body is the role (1 RESPONDER,
// 2 AUTHORIZER, 3 FILTER), flags and 5 reserved bytes. The server's first packet starting
// with such a record decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_FASTCGI } from "../classify/generated/protocols";
import { be16 } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const VERSION: usize = 0;
const TYPE: usize = 1;
const CONTENT_LENGTH: usize = 4;
const PADDING_LENGTH: usize = 6;
const HEADER_LEN: usize = 8;
const ROLE: usize = HEADER_LEN;
const TYPE_BEGIN_REQUEST: u8 = 1;
const BEGIN_BODY_LEN: u32 = 8;
const MAX_ROLE: u32 = 3;

export function dissectFastcgi(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < HEADER_LEN + <usize>BEGIN_BODY_LEN || load<u8>(p + VERSION) != 1 || load<u8>(p + TYPE) != TYPE_BEGIN_REQUEST) return R_NO;
  if (be16(p + CONTENT_LENGTH) != BEGIN_BODY_LEN || load<u8>(p + PADDING_LENGTH) > 7) return R_NO;
  const role = be16(p + ROLE);
  if (role == 0 || role > MAX_ROLE) return R_NO;
  // the five reserved bytes after role and flags
  if (load<u32>(p + ROLE + 3) != 0 || load<u8>(p + ROLE + 7) != 0) return R_NO;
  setDetected(rec, PROTO_FASTCGI, 0);
  return R_DONE;
}
