// Epic Games' online services (Fortnite and Unreal Engine games, UDP to Epic's servers). No
// public specification: a session's handshake datagrams, both ways, carry 0x1A 0x20 at offsets
// 1-2 and the constant 98 22 65 74 04 at offsets 5-9 (the byte between them counts the
// exchange). The flow is EpicGames when the server answers the client's handshake in kind.
//
// State (in the group area (group.ts) of `groupId`, EPIC_STATE_SIZE bytes at `slotOffset`): a
// flag set by the client's handshake.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_EPICGAMES } from "../classify/generated/protocols";
import { be16, be32 } from "../util/bytes";
import { IPPROTO_UDP } from "../wire/transport";
import { claimGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const MIN_LEN: usize = 40;
const MAX_PACKETS: u32 = 6;

const HANDSHAKE_SEEN: usize = 0;
export const EPIC_STATE_SIZE: usize = 1;

export function dissectEpicGames(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const index = payloadPacketIndex(rec);
  if (index > MAX_PACKETS) return R_NO;
  const handshake = isHandshake(info.payloadPtr, <usize>info.payloadLen);
  if (index == 1) {
    if (!fromClient || !handshake) return R_NO;
    const state = claimGroupState(rec, groupId);
    if (state == 0) return R_NO; // another undecided group holds the area
    store<u8>(state + slotOffset + HANDSHAKE_SEEN, 1);
    return R_MAYBE;
  }
  const state = claimGroupState(rec, groupId);
  if (state == 0 || load<u8>(state + slotOffset + HANDSHAKE_SEEN) == 0 || !handshake) return R_NO;
  if (fromClient) return R_MAYBE; // retransmitted
  setDetected(rec, PROTO_EPICGAMES, 0);
  return R_DONE;
}

function isHandshake(p: usize, len: usize): bool {
  return len >= MIN_LEN && be16(p + 1) == 0x1a20 && be32(p + 5) == 0x98226574 && load<u8>(p + 9) == 0x04;
}
