// Byte helpers, addresses and registry numbers the capture builders share.

export type Bytes = Uint8Array;

// --- Plain byte helpers ----------------------------------------------------------------------

export function cat(...parts: Array<Bytes | number[]>): Bytes {
  return concat(parts);
}

/** cat() for a long list (no argument spreading). */
export function concat(parts: Array<Bytes | number[]>): Bytes {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export function zeros(n: number): Bytes { return new Uint8Array(n); }
export function filled(n: number, value: number): Bytes { return new Uint8Array(n).fill(value); }
/** Deterministic payload bytes 0, 1, 2, ... (mod 256). */
export function pattern(n: number): Bytes { return Uint8Array.from({ length: n }, (_, i) => i & 0xff); }
export function ascii(text: string): Bytes { return new TextEncoder().encode(text); }

export const be16 = (v: number): number[] => [(v >>> 8) & 0xff, v & 0xff];
export const be32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
export const le16 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff];
export const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
export const u16 = (v: number, bigEndian: boolean) => (bigEndian ? be16(v) : le16(v));
export const u32 = (v: number, bigEndian: boolean) => (bigEndian ? be32(v) : le32(v));
export function u64(v: bigint, bigEndian: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < 8; i++) out.push(Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));
  return bigEndian ? out.reverse() : out;
}
export const padTo4 = (b: Bytes): Bytes => (b.length % 4 === 0 ? b : cat(b, zeros(4 - (b.length % 4))));

/** RFC 1071 Internet checksum over the bytes (odd length padded with a zero byte). */
export function internetChecksum(data: Bytes): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum += (data[i] << 8) | (data[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

// --- Addresses -------------------------------------------------------------------------------

export function ip4(text: string): Bytes {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) throw new Error(`bad IPv4 ${text}`);
  return Uint8Array.from(parts);
}

/** RFC 4291 §2.2 text form (with at most one "::"), to 16 bytes. */
export function ip6(text: string): Bytes {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head), t = tail === null ? [] : groups(tail);
  const all = tail === null ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  if (all.length !== 8) throw new Error(`bad IPv6 ${text}`);
  return Uint8Array.from(all.flatMap((g) => be16(g)));
}

export const MAC_CLIENT = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
export const MAC_SERVER = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];

// --- Numbers from the registries -------------------------------------------------------------

/** LINKTYPE_* values (tcpdump.org/linktypes.html). */
export const LINKTYPE = {
  NULL: 0, ETHERNET: 1, PPP: 9, PPP_HDLC: 50, RAW: 101, C_HDLC: 104, IEEE802_11: 105, LOOP: 108,
  LINUX_SLL: 113, USER0: 147, PPI: 192, IPV4: 228, IPV6: 229, LINUX_SLL2: 276,
} as const;

/** EtherTypes (IEEE 802 numbers registry). */
export const ETH = {
  IPV4: 0x0800, ARP: 0x0806, VLAN: 0x8100, QINQ: 0x88a8, IPV6: 0x86dd, MPLS: 0x8847,
  PPPOE_DISCOVERY: 0x8863, PPPOE_SESSION: 0x8864, TEB: 0x6558,
} as const;

/** IP protocol numbers (IANA "Assigned Internet Protocol Numbers"). */
export const IPPROTO = {
  HOPOPTS: 0, ICMP: 1, IPIP: 4, TCP: 6, UDP: 17, IPV6: 41, ROUTING: 43, FRAGMENT: 44, GRE: 47,
  ESP: 50, AH: 51, ICMPV6: 58, NONE: 59, DSTOPTS: 60, SCTP: 132,
} as const;

export const TCP_FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 } as const;
