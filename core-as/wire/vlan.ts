// IEEE 802.1Q tag as it follows a TPID: TCI (PCP 3 bits, DEI 1 bit, VID 12 bits), then the
// EtherType of what follows. 802.1ad stacks are a sequence of these; the last VID wins.
import { be16 } from "../util/bytes";

export const VLAN_TCI: usize = 0;
export const VLAN_INNER_TYPE: usize = 2;
export const VLAN_TAG_LEN: usize = 4;
export const VLAN_VID_MASK: u32 = 0x0fff;

@inline export function vlanId(tag: usize): u32 {
  return be16(tag + VLAN_TCI) & VLAN_VID_MASK;
}

@inline export function vlanInnerType(tag: usize): u32 {
  return be16(tag + VLAN_INNER_TYPE);
}
