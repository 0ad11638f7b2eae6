// Mumble's UDP ping (Mumble protocol documentation, "UDP Ping packet"): before a client
// connects it asks a server for its state with a 12-byte datagram, a zero 32-bit type then an
// 8-byte identifier; the server answers with 24 bytes: its version (4), the same identifier,
// the current and maximum user counts and the allowed bandwidth (4 each). Mumble's voice
// datagrams are encrypted (OCB2-AES128), so the ping exchange is what shows on the wire: the
// flow is Mumble when a ping request is answered with its identifier.
//
// State (in the group area (group.ts) of `groupId`, MUMBLE_STATE_SIZE bytes at `slotOffset`): a seen flag and the
// request's identifier.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_MUMBLE } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { claimGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const REQUEST_LEN: usize = 12;
const RESPONSE_LEN: usize = 24;
const TYPE: usize = 0;
const IDENT: usize = 4;

const SEEN: usize = 0;
const SAVED_IDENT: usize = 1;
export const MUMBLE_STATE_SIZE: usize = 9;

export function dissectMumble(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (payloadPacketIndex(rec) == 1) {
    // The flow opens with the request.
    if (!fromClient || len != REQUEST_LEN || load<u32>(p + TYPE) != 0) return R_NO;
    const state = claimGroupState(rec, groupId);
    if (state == 0) return R_NO; // another undecided group holds the area
    store<u8>(state + slotOffset + SEEN, 1);
    store<u64>(state + slotOffset + SAVED_IDENT, load<u64>(p + IDENT));
    return R_MAYBE;
  }
  const state = claimGroupState(rec, groupId);
  if (state == 0) return R_NO;
  const slot = state + slotOffset;
  if (load<u8>(slot + SEEN) == 0) return R_NO; // the area was taken over meanwhile
  if (fromClient) return len == REQUEST_LEN && load<u32>(p + TYPE) == 0 ? R_MAYBE : R_NO; // a repeated ping
  if (len != RESPONSE_LEN || load<u64>(p + IDENT) != load<u64>(slot + SAVED_IDENT)) return R_NO;
  setDetected(rec, PROTO_MUMBLE, 0);
  return R_DONE;
}
