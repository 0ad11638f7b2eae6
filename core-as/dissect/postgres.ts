// PostgreSQL frontend/backend protocol (PostgreSQL documentation, "Message Formats"). A session
// opens with an untyped message from the client: Int32 length (itself included), then Int32
// code: protocol 3.0 (or 2.0) for a StartupMessage, or the request codes of SSLRequest,
// GSSENCRequest and CancelRequest. Recognised on that first message, whole in the packet
// (nDPI keeps the label even when TLS follows an SSLRequest). One packet decides: no state.
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_POSTGRES } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

const MSG_LENGTH: usize = 0;
const MSG_CODE: usize = 4;
const PROTOCOL_3_0: u32 = 0x00030000;
const PROTOCOL_2_0: u32 = 0x00020000;
const CANCEL_REQUEST: u32 = 80877102;
const SSL_REQUEST: u32 = 80877103;
const GSSENC_REQUEST: u32 = 80877104;
const REQUEST_LEN: usize = 8;
const CANCEL_LEN: usize = 16;
/** Length, code, at least one "name\0value\0" pair and the final NUL. */
const STARTUP_MIN_LEN: usize = 8 + 4 + 1;
const STARTUP_MAX_LEN: usize = 10000;

export function dissectPostgres(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < REQUEST_LEN || <usize>be32(p + MSG_LENGTH) != len) return R_NO;
  const code = be32(p + MSG_CODE);
  let known: bool;
  if (code == SSL_REQUEST || code == GSSENC_REQUEST) known = len == REQUEST_LEN;
  else if (code == CANCEL_REQUEST) known = len == CANCEL_LEN;
  else known = (code == PROTOCOL_3_0 || code == PROTOCOL_2_0) && len >= STARTUP_MIN_LEN &&
    len <= STARTUP_MAX_LEN && load<u8>(p + len - 1) == 0;
  if (!known) return R_NO;
  setDetected(rec, PROTO_POSTGRES, 0);
  return R_DONE;
}
