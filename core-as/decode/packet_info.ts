// What decoding one frame produces: the flow key of the (innermost) IP packet and where its
// transport payload lies. Module globals rather than an object: nothing is allocated per packet.

export const IP_ADDR_LEN: usize = 16;

/** Source and destination addresses, 16 bytes each; IPv4 uses the first 4, the rest stays zero. */
export const srcAddr: usize = memory.data(16, 8);
export const dstAddr: usize = memory.data(16, 8);

export let ipVersion: u32 = 0;
export let l4Proto: u32 = 0;
export let srcPort: u32 = 0;
export let dstPort: u32 = 0;
/** Innermost 802.1Q tag seen (0 = untagged), as ndpiReader keys flows. */
export let vlanId: u32 = 0;
export let tcpFlags: u32 = 0;
/** IPv4 TOS or IPv6 traffic class of the innermost IP header (DSCP in the upper six bits). */
export let tos: u32 = 0;
/** TCP sequence number of the segment (RFC 9293 §3.1), for in-order stream reassembly. */
export let tcpSeq: u32 = 0;
/** The packet carried a whole fixed TCP header (20 bytes): its flags were read. */
export let tcpHeaderSeen: bool = false;
/** The IP packet is the first fragment of a larger datagram (IPv4 MF, or an IPv6 Fragment header). */
export let ipFragmented: bool = false;
/** Transport payload (after the TCP/UDP header; after the IP header for other protocols). */
export let payloadPtr: usize = 0;
export let payloadLen: u32 = 0;
/** First tunnel the packet was found in (TUNNEL_*), 0 when none. */
export let tunnel: u32 = 0;
/** How many encapsulation layers were removed, bounded to stop crafted tunnel bombs. */
export let tunnelDepth: u32 = 0;

export const TUNNEL_NONE: u32 = 0;
export const TUNNEL_IP_IN_IP: u32 = 1;
export const TUNNEL_GRE: u32 = 2;
export const TUNNEL_VXLAN: u32 = 3;
export const TUNNEL_GTP: u32 = 4;
export const TUNNEL_CAPWAP: u32 = 5;
export const TUNNEL_TZSP: u32 = 6;
export const MAX_TUNNEL_DEPTH: u32 = 4;

export function resetPacketInfo(): void {
  store<u64>(srcAddr, 0); store<u64>(srcAddr + 8, 0);
  store<u64>(dstAddr, 0); store<u64>(dstAddr + 8, 0);
  ipVersion = 0; l4Proto = 0; srcPort = 0; dstPort = 0; vlanId = 0; tcpFlags = 0; tcpSeq = 0; tos = 0; tcpHeaderSeen = false; ipFragmented = false;
  payloadPtr = 0; payloadLen = 0; tunnel = TUNNEL_NONE; tunnelDepth = 0;
}

@inline export function setAddresses(version: u32, src: usize, dst: usize): void {
  ipVersion = version;
  if (version == 4) {
    // Zero the tail: an outer IPv6 header may have filled it before a tunnel led here.
    store<u64>(srcAddr, <u64>load<u32>(src)); store<u64>(srcAddr + 8, 0);
    store<u64>(dstAddr, <u64>load<u32>(dst)); store<u64>(dstAddr + 8, 0);
  } else {
    store<u64>(srcAddr, load<u64>(src)); store<u64>(srcAddr + 8, load<u64>(src + 8));
    store<u64>(dstAddr, load<u64>(dst)); store<u64>(dstAddr + 8, load<u64>(dst + 8));
  }
}

@inline export function setL4(proto: u32, sport: u32, dport: u32, flags: u32): void {
  l4Proto = proto; srcPort = sport; dstPort = dport; tcpFlags = flags;
}

@inline export function setTcpSeq(seq: u32): void { tcpSeq = seq; tcpHeaderSeen = true; }

@inline export function setTos(value: u32): void { tos = value; }

@inline export function setFragmented(): void { ipFragmented = true; }

@inline export function setPayload(ptr: usize, len: u32): void {
  payloadPtr = ptr; payloadLen = len;
}

@inline export function setVlan(id: u32): void { vlanId = id; }

/** Records an encapsulation layer; returns false when the depth bound is reached. */
export function enterTunnel(kind: u32): bool {
  if (tunnelDepth >= MAX_TUNNEL_DEPTH) return false;
  if (tunnel == TUNNEL_NONE) tunnel = kind;
  tunnelDepth++;
  return true;
}
