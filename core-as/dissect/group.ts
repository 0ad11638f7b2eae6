// Small dissectors offered as one registry entry. Registry ids are bits of the record's 64-bit
// `excluded` mask, fewer than the protocols nDPI knows, so the long tail of protocols that
// decide from one or a few packets is grouped by theme (group_*.ts): each group calls its
// members (one file per protocol) in turn on every packet it is offered.
//
// A member answers like any dissector (result.ts). The group's answer is the first decision
// (R_MATCH / R_DONE); else R_MAYBE while any member still hopes, else R_NO. Members are not
// excluded one by one, so each bounds itself with the payload packet index below (nDPI gives
// most of these protocols one or two packets before it stops calling them).
//
// Members that must remember something between packets use the record's group area
// (flow/record.ts FLOW_GROUP_STATE), not the dissector state area: that one is held by
// undecided dissectors such as RTP while they probe the flow's first small packets, which
// are exactly the packets these protocols open with. The area's first byte is the tag of the
// group that wrote it (its registry id); a group finding another tag there starts afresh,
// unless that group is still undecided on the flow.
import { FLOW_DPI_PACKETS, FLOW_EXCLUDED, FLOW_GROUP_STATE, FLOW_GROUP_STATE_SIZE } from "../flow/record";

/** 1-based index of the current packet among the flow's payload packets (dispatch.ts counts it first). */
@inline export function payloadPacketIndex(rec: usize): u32 {
  return <u32>load<u8>(rec + FLOW_DPI_PACKETS);
}

/** First byte of the group area a member may use. */
export const GROUP_DATA: usize = 1;
/**
 * One past the last byte members may use. Each group checks its layout at compile time:
 * `if (LAST_SLOT + SIZE > GROUP_DATA_END) ERROR("...")`.
 */
export const GROUP_DATA_END: usize = FLOW_GROUP_STATE_SIZE;

/**
 * The flow's group area for the group with registry id `groupId` (zeroed when taken over), or
 * 0 while another group that is still offered the flow holds it.
 */
export function claimGroupState(rec: usize, groupId: u32): usize {
  const area = rec + FLOW_GROUP_STATE;
  const holder = <u32>load<u8>(area);
  if (holder == groupId) return area;
  if (holder != 0 && (load<u64>(rec + FLOW_EXCLUDED) & (<u64>1 << (holder & 0x3f))) == 0) return 0;
  memory.fill(area, 0, FLOW_GROUP_STATE_SIZE);
  store<u8>(area, <u8>groupId);
  return area;
}

/** The flow's group area if the group with registry id `groupId` holds it, else 0 (nothing is claimed). */
export function heldGroupState(rec: usize, groupId: u32): usize {
  const area = rec + FLOW_GROUP_STATE;
  return <u32>load<u8>(area) == groupId ? area : 0;
}
