// Yojimbo, a game network library, on netcode.io (netcode "STANDARD.md"): a client opens with a
// connection request packet, prefix byte 0 (packet type 0, no encryption), then the version
// info "NETCODE 1.02" with its NUL (13 bytes), the protocol id, the token's expiry timestamp,
// a 24-byte nonce and the 1024-byte encrypted private connect token. The prefix and version info
// decide; netcode's other packets are encrypted.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_YOJIMBO } from "../classify/generated/protocols";
import { startsWith } from "../util/ascii";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const VERSION_INFO = "NETCODE 1.0";
/** Prefix, version info (13), protocol id (8), expiry (8), nonce (24). */
const MIN_LEN: usize = 54;

export function dissectYojimbo(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < MIN_LEN || load<u8>(p) != 0 || !startsWith(p + 1, p + len, VERSION_INFO) || load<u8>(p + 13) != 0) return R_NO;
  setDetected(rec, PROTO_YOJIMBO, 0);
  return R_DONE;
}
