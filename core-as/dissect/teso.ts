// The Elder Scrolls Online's game servers (TCP 24100-24600). No public specification: a client
// opens with a message framed twice, a 32-bit length of the rest, the words 0x0001 0x0001, then a
// second 32-bit length of what follows it (8 bytes less). A first message framed so decides
// (nDPI's TES_Online).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_TESO } from "../classify/generated/protocols";
import { be32 } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const OUTER_LEN: usize = 0;
const MARKER: usize = 4;
const INNER_LEN: usize = 8;
const HEADER_LEN: usize = 12;
const MARKER_VALUE: u32 = 0x00010001;

export function dissectTeso(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP || !fromClient) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len <= HEADER_LEN || be32(p + MARKER) != MARKER_VALUE) return R_NO;
  if (<usize>be32(p + OUTER_LEN) != len - 4 || <usize>be32(p + INNER_LEN) != len - HEADER_LEN) return R_NO;
  setDetected(rec, PROTO_TESO, 0);
  return R_DONE;
}
