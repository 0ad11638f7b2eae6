// IPv6 header (RFC 8200 §3) and the extension headers a flow decoder must walk (§4).
import { be16 } from "../util/bytes";

export const IPV6_PAYLOAD_LEN: usize = 4;
export const IPV6_NEXT_HEADER: usize = 6;
export const IPV6_SRC: usize = 8;
export const IPV6_DST: usize = 24;
export const IPV6_HEADER_LEN: usize = 40;

// Extension header numbers (IANA "IPv6 Extension Header Types").
export const EXT_HOP_BY_HOP: u32 = 0;
export const EXT_ROUTING: u32 = 43;
export const EXT_FRAGMENT: u32 = 44;
export const EXT_AUTH: u32 = 51;        // RFC 4302 §2: length in 32-bit words minus 2
export const EXT_DEST_OPTS: u32 = 60;
export const EXT_MOBILITY: u32 = 135;
export const EXT_NO_NEXT: u32 = 59;

// Generic extension header: next header, length in 8-octet units not counting the first 8.
export const EXT_NEXT: usize = 0;
export const EXT_LEN: usize = 1;
export const FRAGMENT_HEADER_LEN: usize = 8;
export const FRAGMENT_OFFSET: usize = 2;

@inline export function ipv6PayloadLen(ptr: usize): u32 { return be16(ptr + IPV6_PAYLOAD_LEN); }
@inline export function ipv6NextHeader(ptr: usize): u32 { return <u32>load<u8>(ptr + IPV6_NEXT_HEADER); }
/** Traffic class: the 8 bits after the version nibble (RFC 8200 §3, §7), laid out as IPv4's TOS. */
@inline export function ipv6TrafficClass(ptr: usize): u32 { return ((<u32>load<u8>(ptr) & 0x0f) << 4) | (<u32>load<u8>(ptr + 1) >> 4); }

export function isIpv6ExtensionHeader(next: u32): bool {
  return next == EXT_HOP_BY_HOP || next == EXT_ROUTING || next == EXT_FRAGMENT ||
    next == EXT_AUTH || next == EXT_DEST_OPTS || next == EXT_MOBILITY;
}

/** Byte length of the extension header at ptr whose type is `kind`. */
@inline export function extHeaderLen(ptr: usize, kind: u32): usize {
  if (kind == EXT_FRAGMENT) return FRAGMENT_HEADER_LEN;
  if (kind == EXT_AUTH) return (<usize>load<u8>(ptr + EXT_LEN) + 2) << 2;
  return (<usize>load<u8>(ptr + EXT_LEN) + 1) << 3;
}

/** Fragment offset (8-byte units) of a Fragment extension header (RFC 8200 §4.5). */
@inline export function fragmentOffset(ptr: usize): u32 { return be16(ptr + FRAGMENT_OFFSET) >> 3; }
