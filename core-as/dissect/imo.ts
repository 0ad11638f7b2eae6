// imo's voice and video calls (UDP; no public specification). As nDPI, among the flow's first
// ten payloads: a 10-byte packet starting 0x09 0x02, an 11-byte one starting 0x00 0x09 0x03, a
// 1099-byte one starting 0x88 0x49 0x1A 0x00, or two 1-byte packets in a row carrying the same
// byte (imo.pcap).
//
// State (in the group area (group.ts) of `groupId`, IMO_STATE_SIZE bytes at `slotOffset`): the
// byte of a 1-byte packet just seen, and a flag saying there was one.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_IMO } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { claimGroupState, heldGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const LAST_PAYLOAD: u32 = 10;

const HAD_ONE_BYTE: usize = 0;
const ONE_BYTE: usize = 1;
export const IMO_STATE_SIZE: usize = 2;

export function dissectImo(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  if (info.l4Proto != IPPROTO_UDP || payloadPacketIndex(rec) > LAST_PAYLOAD) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len == 1) {
    const byte = load<u8>(p);
    const held = heldGroupState(rec, groupId);
    if (held != 0 && load<u8>(held + slotOffset + HAD_ONE_BYTE) != 0 && load<u8>(held + slotOffset + ONE_BYTE) == byte) return detected(rec);
    const state = claimGroupState(rec, groupId);
    if (state == 0) return R_MAYBE; // another undecided group holds the area: nothing remembered
    store<u8>(state + slotOffset + HAD_ONE_BYTE, 1);
    store<u8>(state + slotOffset + ONE_BYTE, byte);
    return R_MAYBE;
  }
  if (isCallPacket(p, len)) return detected(rec);
  // Only two 1-byte packets in a row count.
  const held = heldGroupState(rec, groupId);
  if (held != 0) store<u8>(held + slotOffset + HAD_ONE_BYTE, 0);
  return R_MAYBE;
}

function isCallPacket(p: usize, len: usize): bool {
  const b0 = <u32>load<u8>(p);
  const b1 = len > 1 ? <u32>load<u8>(p + 1) : 0;
  if (len == 10) return b0 == 0x09 && b1 == 0x02;
  if (len == 11) return b0 == 0x00 && b1 == 0x09 && load<u8>(p + 2) == 0x03;
  return len == 1099 && b0 == 0x88 && b1 == 0x49 && load<u8>(p + 2) == 0x1a && load<u8>(p + 3) == 0x00;
}

function detected(rec: usize): i32 {
  setDetected(rec, PROTO_IMO, 0);
  return R_DONE;
}
