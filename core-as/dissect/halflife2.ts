// Half-Life 2 and the Source engine's mods (UDP). Their connectionless packets start with four
// 0xFF bytes (Valve's out-of-band header); the handshake's challenge packets end with the text
// "000" and a NUL. As nDPI: the flow's first payload of that shape, answered in kind from the
// other side as the second payload.
//
// State (in the group area (group.ts) of `groupId`, HALFLIFE2_STATE_SIZE bytes at `slotOffset`):
// the side of the first packet (1 client, 2 server).
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_HALFLIFE2 } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { claimGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const MIN_LEN: usize = 20;
const OUT_OF_BAND: u32 = 0xffffffff;
const CHALLENGE_END: u32 = 0x30303000; // "000\0"

const FIRST_SIDE: usize = 0;
export const HALFLIFE2_STATE_SIZE: usize = 1;

export function dissectHalflife2(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (info.l4Proto != IPPROTO_UDP || len < MIN_LEN || be32(p) != OUT_OF_BAND || be32(p + len - 4) != CHALLENGE_END) return R_NO;
  const index = payloadPacketIndex(rec);
  if (index > 2) return R_NO;
  const state = claimGroupState(rec, groupId);
  if (state == 0) return R_NO; // another undecided group holds the area
  const side: u8 = fromClient ? 1 : 2;
  if (index == 1) {
    store<u8>(state + slotOffset + FIRST_SIDE, side);
    return R_MAYBE;
  }
  const first = load<u8>(state + slotOffset + FIRST_SIDE);
  if (first == 0 || first == side) return R_NO;
  setDetected(rec, PROTO_HALFLIFE2, 0);
  return R_DONE;
}
