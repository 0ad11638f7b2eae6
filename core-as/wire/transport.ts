// Transport headers the flow key needs: TCP (RFC 9293 §3.1), UDP (RFC 768), SCTP (RFC 9260 §3.1).
// ICMP (RFC 792) and ICMPv6 (RFC 4443) flows are keyed without ports, as nDPI does.
import { be16, be32 } from "../util/bytes";

export const IPPROTO_ICMP: u32 = 1;
export const IPPROTO_IGMP: u32 = 2;
export const IPPROTO_IPIP: u32 = 4;
export const IPPROTO_TCP: u32 = 6;
export const IPPROTO_UDP: u32 = 17;
export const IPPROTO_IPV6: u32 = 41;
export const IPPROTO_GRE: u32 = 47;
export const IPPROTO_ESP: u32 = 50;
export const IPPROTO_ICMPV6: u32 = 58;
export const IPPROTO_SCTP: u32 = 132;

export const PORT_SRC: usize = 0;
export const PORT_DST: usize = 2;

export const TCP_SEQ: usize = 4;
export const TCP_DATA_OFFSET: usize = 12;
export const TCP_FLAGS: usize = 13;
export const TCP_MIN_HEADER_LEN: usize = 20;
export const TCP_FIN: u32 = 0x01;
export const TCP_SYN: u32 = 0x02;
export const TCP_RST: u32 = 0x04;
export const TCP_PSH: u32 = 0x08;
export const TCP_ACK: u32 = 0x10;

export const UDP_LENGTH: usize = 4;
export const UDP_HEADER_LEN: usize = 8;

@inline export function srcPortOf(l4: usize): u32 { return be16(l4 + PORT_SRC); }
@inline export function dstPortOf(l4: usize): u32 { return be16(l4 + PORT_DST); }
@inline export function tcpHeaderLen(l4: usize): usize { return <usize>(load<u8>(l4 + TCP_DATA_OFFSET) >> 4) << 2; }
@inline export function tcpFlagsOf(l4: usize): u32 { return <u32>load<u8>(l4 + TCP_FLAGS); }
@inline export function tcpSeqOf(l4: usize): u32 { return be32(l4 + TCP_SEQ); }
