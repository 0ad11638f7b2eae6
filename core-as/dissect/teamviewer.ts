// TeamViewer's TCP sessions (port 5938, or tunnelled on others). Its packets start with a
// two-byte command header: 0x17 0x24 in the first protocol generation, 0x11 0x30 in the
// current one (both seen from either side). On port 5938 one such packet decides; elsewhere
// three of the flow's first packets must carry the header.
//
// State (in the group area (group.ts) of `groupId`, TEAMVIEWER_STATE_SIZE bytes at
// `slotOffset`): how many packets carried the header.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_TEAMVIEWER } from "../classify/generated/protocols";
import { IPPROTO_TCP } from "../wire/transport";
import { claimGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const TEAMVIEWER_PORT: u32 = 5938;
const MIN_LEN: usize = 4;
const NEEDED_OFF_PORT: u8 = 3;
const MAX_PACKETS: u32 = 12;

const SEEN: usize = 0;
export const TEAMVIEWER_STATE_SIZE: usize = 1;

export function dissectTeamviewer(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const index = payloadPacketIndex(rec);
  const p = info.payloadPtr;
  const header = <usize>info.payloadLen >= MIN_LEN && (be16At(p) == 0x1724 || be16At(p) == 0x1130);
  if (index == 1 && !header) return R_NO;
  if (header && (info.srcPort == TEAMVIEWER_PORT || info.dstPort == TEAMVIEWER_PORT)) {
    setDetected(rec, PROTO_TEAMVIEWER, 0);
    return R_DONE;
  }
  if (index > MAX_PACKETS) return R_NO;
  const state = claimGroupState(rec, groupId);
  if (state == 0) return R_NO; // another undecided group holds the area
  const seenAt = state + slotOffset + SEEN;
  if (index == 1) store<u8>(seenAt, 0);
  if (!header) return load<u8>(seenAt) != 0 ? R_MAYBE : R_NO; // continuation of a long message
  const seen = load<u8>(seenAt) + 1;
  store<u8>(seenAt, seen);
  if (seen < NEEDED_OFF_PORT) return R_MAYBE;
  setDetected(rec, PROTO_TEAMVIEWER, 0);
  return R_DONE;
}

@inline function be16At(p: usize): u32 {
  return (<u32>load<u8>(p) << 8) | <u32>load<u8>(p + 1);
}
