// IPv4, IPv6 with extension headers, and the transport headers.
import { IPPROTO, be16, be32, cat, internetChecksum, ip4, ip6, padTo4, zeros, type Bytes } from './primitives.ts';

// --- IP --------------------------------------------------------------------------------------

export interface Ipv4Options {
  src: string; dst: string; protocol: number; payload: Bytes;
  /** Options bytes, padded to 32 bits; IHL follows. */
  options?: Bytes | number[];
  id?: number; ttl?: number; dontFragment?: boolean; moreFragments?: boolean;
  /** Type of service byte: DSCP << 2 | ECN (RFC 2474 §3, RFC 3168 §5). */
  tos?: number;
  /** Fragment offset in 8-byte units. */
  fragOffset?: number;
  /** Overrides the Total Length field. */
  totalLength?: number;
}

/** RFC 791 §3.1: version 4, IHL, TOS, Total Length, Identification, flags + Fragment Offset, TTL, Protocol, checksum, addresses, options. */
export function ipv4(o: Ipv4Options): Bytes {
  const options = padTo4(Uint8Array.from(o.options ?? []));
  const ihl = 5 + options.length / 4;
  const flags = (o.dontFragment ? 0x4000 : 0) | (o.moreFragments ? 0x2000 : 0) | ((o.fragOffset ?? 0) & 0x1fff);
  const header = cat([0x40 | ihl, (o.tos ?? 0) & 0xff], be16(o.totalLength ?? ihl * 4 + o.payload.length), be16(o.id ?? 0x1234), be16(flags),
    [o.ttl ?? 64, o.protocol], [0, 0], ip4(o.src), ip4(o.dst), options);
  header.set(be16(internetChecksum(header)), 10);
  return cat(header, o.payload);
}

export type Ipv6Ext =
  | { type: 'hop-by-hop' | 'dest-opts'; optionBytes?: number }
  | { type: 'routing' }
  | { type: 'fragment'; offset?: number; more?: boolean; id?: number }
  | { type: 'ah' };

export interface Ipv6Options {
  src: string; dst: string; nextHeader: number; payload: Bytes;
  ext?: Ipv6Ext[]; hopLimit?: number; flowLabel?: number;
  /** Traffic Class: DSCP << 2 | ECN, as IPv4's TOS (RFC 8200 §7). */
  trafficClass?: number;
  /** Overrides the Payload Length field. */
  payloadLength?: number;
}

function extNumber(e: Ipv6Ext): number {
  return { 'hop-by-hop': IPPROTO.HOPOPTS, 'dest-opts': IPPROTO.DSTOPTS, routing: IPPROTO.ROUTING, fragment: IPPROTO.FRAGMENT, ah: IPPROTO.AH }[e.type];
}

function extHeader(e: Ipv6Ext, next: number): Bytes {
  switch (e.type) {
    case 'hop-by-hop':
    case 'dest-opts': {
      // RFC 8200 §4.3/§4.6: Next Header, Hdr Ext Len (8-octet units beyond the first 8), options;
      // filled with one PadN option (RFC 8200 §4.2: type 1, length, zeros).
      const total = 8 * Math.ceil((2 + 2 + (e.optionBytes ?? 4)) / 8);
      return cat([next, total / 8 - 1, 1, total - 4], zeros(total - 4));
    }
    case 'routing':
      // RFC 8200 §4.4 with Routing Type 2 (RFC 6275 §6.4): Hdr Ext Len 2, Segments Left 1, reserved, home address.
      return cat([next, 2, 2, 1], zeros(4), ip6('2001:db8:ffff::1'));
    case 'fragment':
      // RFC 8200 §4.5: Next Header, reserved, Fragment Offset (13 bits) | Res | M, Identification.
      return cat([next, 0], be16(((e.offset ?? 0) << 3) | (e.more ? 1 : 0)), be32(e.id ?? 0xcafe));
    case 'ah':
      // RFC 4302 §2: Next Header, Payload Len (32-bit words minus 2), reserved, SPI, Sequence, 96-bit ICV.
      return cat([next, 4], [0, 0], be32(0x100), be32(1), zeros(12));
  }
}

/** RFC 8200 §3: version 6, traffic class, flow label, Payload Length, Next Header, Hop Limit, addresses; then §4 extension headers. */
export function ipv6(o: Ipv6Options): Bytes {
  const ext = o.ext ?? [];
  const headers = ext.map((e, i) => extHeader(e, i + 1 < ext.length ? extNumber(ext[i + 1]) : o.nextHeader));
  const body = cat(...headers, o.payload);
  const first = ext.length > 0 ? extNumber(ext[0]) : o.nextHeader;
  const flow = o.flowLabel ?? 0;
  const tc = (o.trafficClass ?? 0) & 0xff;
  return cat([0x60 | (tc >> 4), ((tc & 0x0f) << 4) | ((flow >>> 16) & 0x0f)], be16(flow & 0xffff), be16(o.payloadLength ?? body.length), [first, o.hopLimit ?? 64],
    ip6(o.src), ip6(o.dst), body);
}

// --- Transport -------------------------------------------------------------------------------

export interface TcpOptions {
  sport: number; dport: number; flags: number; seq?: number; ack?: number; window?: number;
  /** Option bytes (see tcpOpt), padded with EOL to 32 bits. */
  options?: Bytes | number[];
  payload?: Bytes;
  /** Overrides the Data Offset nibble. */
  dataOffset?: number;
}

/** RFC 9293 §3.1: ports, Sequence, Acknowledgment, Data Offset, reserved, flags, Window, checksum, Urgent Pointer, options. */
export function tcp(o: TcpOptions): Bytes {
  const options = padTo4(Uint8Array.from(o.options ?? []));
  const offset = o.dataOffset ?? 5 + options.length / 4;
  return cat(be16(o.sport), be16(o.dport), be32(o.seq ?? 1000), be32(o.ack ?? 0), [offset << 4, o.flags & 0xff],
    be16(o.window ?? 65535), [0, 0], [0, 0], options, o.payload ?? zeros(0));
}

/** RFC 9293 §3.2 option kinds: MSS (2), SACK permitted (RFC 2018), Timestamps (RFC 7323 §3), NOP, Window Scale (RFC 7323 §2). */
export const tcpOpt = {
  mss: (v: number) => [2, 4, ...be16(v)],
  nop: () => [1],
  windowScale: (shift: number) => [3, 3, shift],
  sackPermitted: () => [4, 2],
  timestamps: (value: number, echo: number) => [8, 10, ...be32(value), ...be32(echo)],
};

/** RFC 768: Source Port, Destination Port, Length, Checksum (0 = none). */
export function udp(o: { sport: number; dport: number; payload?: Bytes; length?: number }): Bytes {
  const payload = o.payload ?? zeros(0);
  return cat(be16(o.sport), be16(o.dport), be16(o.length ?? 8 + payload.length), [0, 0], payload);
}

/** RFC 792 Echo (type 8) / Echo Reply (type 0): type, code, checksum, identifier, sequence, data. */
export function icmpEcho(o: { type?: number; id: number; seq: number; data?: Bytes }): Bytes {
  const message = cat([o.type ?? 8, 0, 0, 0], be16(o.id), be16(o.seq), o.data ?? zeros(0));
  message.set(be16(internetChecksum(message)), 2);
  return message;
}

/** RFC 4443 §4.1 Echo Request (128) / §4.2 Echo Reply (129). */
export function icmpv6Echo(o: { type?: number; id: number; seq: number; data?: Bytes }): Bytes {
  return cat([o.type ?? 128, 0, 0, 0], be16(o.id), be16(o.seq), o.data ?? zeros(0));
}

/** RFC 9260 §3.1 common header (ports, Verification Tag, CRC32c) + one §3.3.2 INIT chunk. */
export function sctpInit(o: { sport: number; dport: number }): Bytes {
  const init = cat([1, 0], be16(20), be32(0xabcdef01), be32(65536), be16(10), be16(10), be32(1));
  return cat(be16(o.sport), be16(o.dport), be32(0), be32(0), init);
}
