// Encapsulations whose inner packet becomes the flow, as nDPI's reader does with -t.
import { be16, be32 } from "../util/bytes";

// GRE (RFC 2784 §2.1, key and sequence number from RFC 2890 §2, enhanced GRE of PPTP RFC 2637 §4.1).
export const GRE_FLAGS: usize = 0;
export const GRE_PROTOCOL: usize = 2;
export const GRE_BASE_LEN: usize = 4;
export const GRE_FLAG_CHECKSUM: u32 = 0x8000;
export const GRE_FLAG_ROUTING: u32 = 0x4000;
export const GRE_FLAG_KEY: u32 = 0x2000;
export const GRE_FLAG_SEQUENCE: u32 = 0x1000;
export const GRE_FLAG_ACK: u32 = 0x0080; // version 1 only
export const GRE_VERSION_MASK: u32 = 0x0007;
export const GRE_PROTO_TRANSPARENT_ETHERNET: u32 = 0x6558; // RFC 1701 "Transparent Ethernet Bridging"
export const GRE_PROTO_PPP: u32 = 0x880b;
export const GRE_PROTO_ERSPAN_II: u32 = 0x88be;
export const ERSPAN_II_HEADER_LEN: usize = 8;

@inline export function greFlags(ptr: usize): u32 { return be16(ptr + GRE_FLAGS); }
@inline export function greProtocol(ptr: usize): u32 { return be16(ptr + GRE_PROTOCOL); }

/** Length of the GRE header given its flags word (checksum+reserved, key, sequence, ack are 4 bytes each). */
export function greHeaderLen(flags: u32): usize {
  let len = GRE_BASE_LEN;
  if ((flags & (GRE_FLAG_CHECKSUM | GRE_FLAG_ROUTING)) != 0) len += 4;
  if ((flags & GRE_FLAG_KEY) != 0) len += 4;
  if ((flags & GRE_FLAG_SEQUENCE) != 0) len += 4;
  if ((flags & GRE_VERSION_MASK) == 1 && (flags & GRE_FLAG_ACK) != 0) len += 4;
  return len;
}

// VXLAN (RFC 7348 §5): 8-byte header, flag I (0x08) means a valid VNI; an Ethernet frame follows.
export const VXLAN_PORT: u32 = 4789;
export const VXLAN_HEADER_LEN: usize = 8;
export const VXLAN_FLAG_VNI: u32 = 0x08;

// GTP-U (3GPP TS 29.281 §5.1): version 1, PT=1; optional 4 bytes when E, S or PN is set;
// then a chain of extension headers (length in 4-byte units, next type in the last byte).
export const GTPU_PORT: u32 = 2152;
export const GTP_FLAGS: usize = 0;
export const GTP_MSG_TYPE: usize = 1;
export const GTP_HEADER_LEN: usize = 8;
export const GTP_OPTIONAL_LEN: usize = 4;
export const GTP_NEXT_EXT_TYPE: usize = 11;
export const GTP_MSG_G_PDU: u32 = 0xff;
export const GTP_FLAG_EXT: u32 = 0x04;
export const GTP_FLAG_SEQ: u32 = 0x02;
export const GTP_FLAG_NPDU: u32 = 0x01;

@inline export function gtpVersion(ptr: usize): u32 { return <u32>load<u8>(ptr) >> 5; }
@inline export function gtpProtocolType(ptr: usize): u32 { return (<u32>load<u8>(ptr) >> 4) & 1; }

// CAPWAP data channel (RFC 5415 §4.3): preamble byte, then HLEN (5 bits, in 4-byte words),
// RID, WBID and the T flag (payload is the native frame of the wireless binding, e.g. 802.11,
// rather than 802.3).
export const CAPWAP_DATA_PORT: u32 = 5247;
export const CAPWAP_MIN_HEADER_LEN: usize = 8;
@inline export function capwapHeaderLen(ptr: usize): usize { return <usize>((be32(ptr) >> 19) & 0x1f) << 2; }
@inline export function capwapIsNativeFrame(ptr: usize): bool { return (be32(ptr) & 0x100) != 0; }
@inline export function capwapIsFragment(ptr: usize): bool { return (be32(ptr) & 0x80) != 0; }
@inline export function capwapWirelessBinding(ptr: usize): u32 { return (be32(ptr) >> 9) & 0x1f; }
export const CAPWAP_WBID_IEEE80211: u32 = 1;

// TZSP (TaZmen Sniffer Protocol): version 1, type, 2-byte encapsulated protocol, then tagged
// fields ending with tag 1 (END); tag 0 is one byte of padding, others are type, length, value.
export const TZSP_PORT: u32 = 37008;
export const TZSP_HEADER_LEN: usize = 4;
export const TZSP_ENCAP: usize = 2;
export const TZSP_TAG_PADDING: u32 = 0;
export const TZSP_TAG_END: u32 = 1;
export const TZSP_ENCAP_ETHERNET: u32 = 1;
export const TZSP_ENCAP_IEEE80211: u32 = 18;
