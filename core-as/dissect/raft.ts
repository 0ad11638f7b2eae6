// Raft consensus messages over TCP as the C implementation (canonical/raft, its uv transport)
// frames them: a 16-byte header of two little-endian 64-bit words, the message type (1 append
// entries, 2 its result, 3 request vote, 4 its result, 5 install snapshot, 6 timeout now) and
// the length of the body that follows. A header whose length is exactly the rest of the
// payload decides; otherwise, as nDPI, three payloads in a row that start with a valid type
// (long messages span segments).
//
// State (in the group area (group.ts) of `groupId`, RAFT_STATE_SIZE bytes at `slotOffset`): the
// count of payloads so far that all started with a valid type.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_RAFT } from "../classify/generated/protocols";
import { IPPROTO_TCP } from "../wire/transport";
import { claimGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const TYPE: usize = 0;
const BODY_LEN: usize = 8;
const HEADER_LEN: usize = 16;
const FIRST_TYPE: u64 = 1;
const LAST_TYPE: u64 = 6;
const PAYLOADS_TO_DECIDE: u32 = 3;

const VALID_SO_FAR: usize = 0;
export const RAFT_STATE_SIZE: usize = 1;

export function dissectRaft(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (info.l4Proto != IPPROTO_TCP || len < HEADER_LEN) return R_NO;
  const type = load<u64>(p + TYPE);
  if (type < FIRST_TYPE || type > LAST_TYPE) return R_NO;
  if (load<u64>(p + BODY_LEN) == <u64>(len - HEADER_LEN)) return detected(rec);
  const index = payloadPacketIndex(rec);
  if (index > PAYLOADS_TO_DECIDE) return R_NO;
  const state = claimGroupState(rec, groupId);
  if (state == 0) return R_NO; // another undecided group holds the area
  const slot = state + slotOffset;
  // Every earlier payload must have started with a valid type too.
  if (<u32>load<u8>(slot + VALID_SO_FAR) != index - 1) return R_NO;
  if (index == PAYLOADS_TO_DECIDE) return detected(rec);
  store<u8>(slot + VALID_SO_FAR, <u8>index);
  return R_MAYBE;
}

function detected(rec: usize): i32 {
  setDetected(rec, PROTO_RAFT, 0);
  return R_DONE;
}
