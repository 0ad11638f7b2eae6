// Ethernet II / IEEE 802.3 (IEEE 802.3 clause 3.2). The type/length field at offset 12 is an
// EtherType when >= 0x0600, otherwise an 802.3 length followed by an LLC header (802.2).
import { be16 } from "../util/bytes";

export const ETH_DST: usize = 0;
export const ETH_SRC: usize = 6;
export const ETH_TYPE: usize = 12;
export const ETH_HEADER_LEN: usize = 14;

export const ETHERTYPE_IPV4: u32 = 0x0800;
export const ETHERTYPE_ARP: u32 = 0x0806;
export const ETHERTYPE_VLAN: u32 = 0x8100;        // IEEE 802.1Q C-tag
export const ETHERTYPE_QINQ: u32 = 0x88a8;        // IEEE 802.1ad S-tag
export const ETHERTYPE_QINQ_LEGACY: u32 = 0x9100; // pre-standard QinQ, still met in captures
export const ETHERTYPE_IPV6: u32 = 0x86dd;
export const ETHERTYPE_MPLS_UNICAST: u32 = 0x8847;
export const ETHERTYPE_MPLS_MULTICAST: u32 = 0x8848;
export const ETHERTYPE_PPPOE_DISCOVERY: u32 = 0x8863;
export const ETHERTYPE_PPPOE_SESSION: u32 = 0x8864;
/** Lowest value of the field that is an EtherType rather than an 802.3 length. */
export const ETHERTYPE_MIN: u32 = 0x0600;

// 802.2 LLC with a SNAP header (RFC 1042): DSAP 0xAA, SSAP 0xAA, control 0x03, 3-byte OUI,
// then an EtherType. Used by 802.11 and by some 802.3 frames to carry IP.
export const LLC_SNAP_LEN: usize = 8;
export const LLC_SNAP_DSAP: u32 = 0xaa;
export const LLC_SNAP_TYPE: usize = 6;

@inline export function etherType(frame: usize): u32 {
  return be16(frame + ETH_TYPE);
}

/** True when the 8 bytes at ptr are an LLC/SNAP header (so an EtherType follows at +6). */
@inline export function isLlcSnap(ptr: usize): bool {
  return load<u8>(ptr) == LLC_SNAP_DSAP && load<u8>(ptr + 1) == LLC_SNAP_DSAP && load<u8>(ptr + 2) == 0x03;
}
