// core-as/classify/generated/ip_lists.ts: ip_lists.json's two longest-prefix-match trees
// (protocol by server address; flow risk by address) flattened into sorted, disjoint
// intervals for a binary search in core-as/classify/ip_match.ts.
//
// Flattening: every prefix is loaded in list order into a map keyed by (network, length), so
// a prefix listed twice keeps the later value (meta: "the later list wins"); host bits beyond
// the length are masked as nDPI's tree does. Then the address space is cut at every prefix
// start and end, each piece gets the value of its longest covering prefix (0 = none), and
// neighbouring pieces with the same value are merged. A lookup is "last start <= address".
//
// Values are stored as u8 indexes into a palette (index 0 = no match). IPv6 is split in two:
// prefixes up to /64 are flattened over the upper 64 bits only; the few longer ones
// (/94../128) get their own 128-bit table, searched first since any match there is longer
// than every match in the short table.
//
// Each table is stored in two levels to halve the start width: a directory of the distinct
// upper halves of the starts (KEYS) with the index of their first interval (FIRST, plus a
// final entry = COUNT), and per interval only the lower half (LOWS) and the value (VALUES).
// Halves: IPv4 16/16 bits, IPv6 /0-/64 32/32 (of the upper 64 bits), IPv6 long 64/64.
// Measured on the data: 279 KiB as plain (start, value) arrays, about 180 KiB this way.
import { DataBlocks, generatedHeader } from './as-data.ts';
import type { NdpiFacts, PrefixEntry } from './load.ts';

export interface Prefix {
  net: bigint;
  len: number;
  value: number;
}

export interface Interval {
  start: bigint;
  value: number;
}

export function parseIpv4(text: string): bigint {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new Error(`gen-ndpi-tables: bad IPv4 address ${text}`);
  }
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

export function parseIpv6(text: string): bigint {
  let s = text;
  const groups: number[] = [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let tail: number[] = [];
  if (v4) {
    const n = parseIpv4(v4[1]);
    tail = [Number(n >> 16n), Number(n & 0xffffn)];
    s = s.slice(0, -v4[1].length);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) throw new Error(`gen-ndpi-tables: bad IPv6 address ${text}`);
  const parse = (h: string) => (h === '' ? [] : h.split(':').map((g) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new Error(`gen-ndpi-tables: bad IPv6 address ${text}`);
    return Number.parseInt(g, 16);
  }));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const total = head.length + rest.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) throw new Error(`gen-ndpi-tables: bad IPv6 address ${text}`);
  groups.push(...head, ...new Array<number>(8 - total).fill(0), ...rest, ...tail);
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Parses the list into prefixes, host bits masked, later duplicates overwriting earlier ones. */
export function toPrefixes(list: PrefixEntry[], bits: 32 | 128): Prefix[] {
  const byKey = new Map<string, Prefix>();
  for (const [cidr, value] of list) {
    const slash = cidr.indexOf('/');
    const addr = slash < 0 ? cidr : cidr.slice(0, slash);
    const len = slash < 0 ? bits : Number(cidr.slice(slash + 1));
    if (!Number.isInteger(len) || len < 0 || len > bits) throw new Error(`gen-ndpi-tables: bad prefix ${cidr}`);
    const raw = bits === 32 ? parseIpv4(addr) : parseIpv6(addr);
    const hostBits = BigInt(bits - len);
    const net = (raw >> hostBits) << hostBits;
    byKey.delete(`${net}/${len}`); // re-insert so the map keeps the last load position
    byKey.set(`${net}/${len}`, { net, len, value });
  }
  return [...byKey.values()];
}

/** Longest-prefix-match over `bits`-bit addresses as disjoint intervals from address 0. */
export function flatten(prefixes: Prefix[], bits: number): Interval[] {
  const space = 1n << BigInt(bits);
  const byLen = new Map<number, Map<bigint, number>>();
  const cuts = new Set<bigint>([0n]);
  for (const p of prefixes) {
    let m = byLen.get(p.len);
    if (!m) byLen.set(p.len, (m = new Map()));
    m.set(p.net, p.value);
    cuts.add(p.net);
    const end = p.net + (1n << BigInt(bits - p.len));
    if (end < space) cuts.add(end);
  }
  const lengths = [...byLen.keys()].sort((a, b) => b - a);
  const out: Interval[] = [];
  for (const point of [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    let value = 0;
    for (const len of lengths) {
      const hostBits = BigInt(bits - len);
      const v = byLen.get(len)!.get((point >> hostBits) << hostBits);
      if (v !== undefined) {
        value = v;
        break;
      }
    }
    if (out.length > 0 && out[out.length - 1].value === value) continue;
    out.push({ start: point, value });
  }
  return out;
}

export class Palette {
  readonly values: number[] = [0];
  index(value: number): number {
    if (value === 0) return 0;
    let i = this.values.indexOf(value);
    if (i < 0) {
      i = this.values.length;
      this.values.push(value);
    }
    if (i > 255) throw new Error('gen-ndpi-tables: more than 255 distinct values in an IP table');
    return i;
  }
}

export interface IpTables {
  v4: Interval[];
  v6short: Interval[]; // starts are the upper 64 bits
  v6long: Interval[];
}

export function buildIpTables(v4list: PrefixEntry[], v6list: PrefixEntry[]): IpTables {
  const v6 = toPrefixes(v6list, 128);
  const short = v6.filter((p) => p.len <= 64).map((p) => ({ net: p.net >> 64n, len: p.len, value: p.value }));
  return {
    v4: flatten(toPrefixes(v4list, 32), 32),
    v6short: flatten(short, 64),
    v6long: flatten(v6.filter((p) => p.len > 64), 128),
  };
}

/** Directory + lower halves of one interval table (see the file comment). */
export interface SplitTable {
  keys: bigint[];
  first: number[];
  lows: bigint[];
  values: number[];
}

export function splitTable(list: Interval[], lowBits: number, palette: Palette): SplitTable {
  if (list.length >= 0xffff) throw new Error('gen-ndpi-tables: too many intervals for u16 directory indexes');
  const lowMask = (1n << BigInt(lowBits)) - 1n;
  const t: SplitTable = { keys: [], first: [], lows: [], values: [] };
  list.forEach((iv, i) => {
    const key = iv.start >> BigInt(lowBits);
    if (t.keys.length === 0 || t.keys[t.keys.length - 1] !== key) {
      t.keys.push(key);
      t.first.push(i);
    }
    t.lows.push(iv.start & lowMask);
    t.values.push(palette.index(iv.value));
  });
  t.first.push(list.length);
  return t;
}

function emitSplit(data: DataBlocks, name: string, t: SplitTable, half: 'u16' | 'u32' | 'u64'): string[] {
  return [
    `export const ${name}_DIR_COUNT: u32 = ${t.keys.length};`,
    `export const ${name}_KEYS: usize = ${data.block(half, t.keys)};`,
    `export const ${name}_FIRST: usize = ${data.block('u16', t.first)};`,
    `export const ${name}_LOWS: usize = ${data.block(half, t.lows)};`,
    `export const ${name}_VALUES: usize = ${data.block('u8', t.values)};`,
  ];
}

function emitTables(data: DataBlocks, prefix: string, t: IpTables, palette: Palette): string[] {
  return [
    ...emitSplit(data, `${prefix}4`, splitTable(t.v4, 16, palette), 'u16'),
    ...emitSplit(data, `${prefix}6`, splitTable(t.v6short, 32, palette), 'u32'),
    ...emitSplit(data, `${prefix}6L`, splitTable(t.v6long, 64, palette), 'u64'),
    '',
  ];
}

export function emitIpLists(facts: NdpiFacts): { source: string; dataBytes: number; counts: Record<string, number> } {
  const data = new DataBlocks();
  const proto = buildIpTables(facts.ipv4, facts.ipv6);
  const risk = buildIpTables(facts.riskIpv4, facts.riskIpv6);
  const protoPalette = new Palette();
  const riskPalette = new Palette();
  const protoLines = emitTables(data, 'IP', proto, protoPalette);
  const riskLines = emitTables(data, 'RISKIP', risk, riskPalette);
  const out: string[] = [
    generatedHeader(facts, 'ip_lists.json', 'Address -> protocol and address -> risk as sorted disjoint intervals (core-as/classify/ip_match.ts).'),
    '// Per table: interval starts ascending from 0, stored as a directory of upper halves (KEYS, with',
    '// FIRST = index of the first interval under each key, plus a final COUNT) and per interval the',
    '// lower half (LOWS) and a palette index (VALUES, 0 = none). IPv4: 16/16 bits; IPv6 /0-/64',
    '// prefixes: 32/32 bits of the upper 64 (6_*); longer IPv6 prefixes: 64/64 (6L_*), searched first.',
    `export const IP_PALETTE: usize = ${data.block('u16', protoPalette.values)}; // protocol ids`,
    ...protoLines,
    `export const RISKIP_PALETTE: usize = ${data.block('u8', riskPalette.values)}; // risk ids`,
    ...riskLines,
  ];
  const counts = {
    ip4: proto.v4.length, ip6: proto.v6short.length, ip6long: proto.v6long.length,
    risk4: risk.v4.length, risk6: risk.v6short.length, risk6long: risk.v6long.length,
  };
  return { source: out.join('\n'), dataBytes: data.bytes, counts };
}
