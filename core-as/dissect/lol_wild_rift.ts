// League of Legends: Wild Rift, Riot's mobile game (UDP game servers on 15000-15100, matchmaking
// on 18000-18100). No public specification; what its sessions open with:
// - on the game ports, a 69-byte datagram starting 04 00 00 00 answered by one starting
//   10 00 00 00 (a connect / accept pair, the rest encrypted);
// - on the matchmaking ports, a 22-byte datagram starting 01 02 C8 41.
// Either decides (nDPI's LoLWildRift).
//
// State (in the group area (group.ts) of `groupId`, LOL_STATE_SIZE bytes at `slotOffset`): a flag
// set by the connect datagram.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_LOLWILDRIFT } from "../classify/generated/protocols";
import { be32 } from "../util/bytes";
import { IPPROTO_UDP } from "../wire/transport";
import { claimGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const CONNECT_LEN: usize = 69;
const CONNECT: u32 = 0x04000000;
const ACCEPT: u32 = 0x10000000;
const MATCHMAKING_LEN: usize = 22;
const MATCHMAKING: u32 = 0x0102c841;
const MAX_PACKETS: u32 = 4;

const CONNECT_SEEN: usize = 0;
export const LOL_STATE_SIZE: usize = 1;

export function dissectLolWildRift(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const index = payloadPacketIndex(rec);
  if (index == 1) {
    if (!fromClient || len < 4) return R_NO;
    if (len == MATCHMAKING_LEN && be32(p) == MATCHMAKING && onPorts(18000, 18100)) {
      setDetected(rec, PROTO_LOLWILDRIFT, 0);
      return R_DONE;
    }
    if (len != CONNECT_LEN || be32(p) != CONNECT || !onPorts(15000, 15100)) return R_NO;
    const state = claimGroupState(rec, groupId);
    if (state == 0) return R_NO; // another undecided group holds the area
    store<u8>(state + slotOffset + CONNECT_SEEN, 1);
    return R_MAYBE;
  }
  if (index > MAX_PACKETS) return R_NO;
  const state = claimGroupState(rec, groupId);
  if (state == 0 || load<u8>(state + slotOffset + CONNECT_SEEN) == 0) return R_NO;
  if (fromClient) return len == CONNECT_LEN && be32(p) == CONNECT ? R_MAYBE : R_NO;
  if (len < 4 || be32(p) != ACCEPT) return R_NO;
  setDetected(rec, PROTO_LOLWILDRIFT, 0);
  return R_DONE;
}

@inline function onPorts(low: u32, high: u32): bool {
  return (info.dstPort >= low && info.dstPort <= high) || (info.srcPort >= low && info.srcPort <= high);
}
