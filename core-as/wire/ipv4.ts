// IPv4 header (RFC 791 §3.1).
import { be16 } from "../util/bytes";

export const IPV4_VER_IHL: usize = 0;
export const IPV4_TOS: usize = 1;
export const IPV4_TOTAL_LEN: usize = 2;
export const IPV4_FLAGS_FRAG: usize = 6;
export const IPV4_PROTOCOL: usize = 9;
export const IPV4_SRC: usize = 12;
export const IPV4_DST: usize = 16;
export const IPV4_MIN_HEADER_LEN: usize = 20;

export const IPV4_FRAG_OFFSET_MASK: u32 = 0x1fff;
export const IPV4_MORE_FRAGMENTS: u32 = 0x2000;

@inline export function ipVersionNibble(ptr: usize): u32 { return <u32>load<u8>(ptr) >> 4; }
/** Header length in bytes (IHL counts 32-bit words). */
@inline export function ipv4HeaderLen(ptr: usize): usize { return <usize>(load<u8>(ptr + IPV4_VER_IHL) & 0x0f) << 2; }
@inline export function ipv4TotalLen(ptr: usize): u32 { return be16(ptr + IPV4_TOTAL_LEN); }
/** Fragment offset in 8-byte units; non-zero for every fragment but the first (RFC 791 §3.2). */
@inline export function ipv4FragOffset(ptr: usize): u32 { return be16(ptr + IPV4_FLAGS_FRAG) & IPV4_FRAG_OFFSET_MASK; }
@inline export function ipv4MoreFragments(ptr: usize): bool { return (be16(ptr + IPV4_FLAGS_FRAG) & IPV4_MORE_FRAGMENTS) != 0; }
@inline export function ipv4Protocol(ptr: usize): u32 { return <u32>load<u8>(ptr + IPV4_PROTOCOL); }
/** Type of service: DSCP in the upper six bits, ECN in the lower two (RFC 2474 §3, RFC 3168 §5). */
@inline export function ipv4Tos(ptr: usize): u32 { return <u32>load<u8>(ptr + IPV4_TOS); }
