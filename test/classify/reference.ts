// Straightforward restatements of the matching rules, written from hosts.json meta.matching
// and ip_lists.json meta.semantics with no regard for speed, to check the wasm matchers
// against: every pattern tried at every position, every prefix length probed per address.
import { parseAddress } from './wasm.ts';

export interface HostPattern {
  pattern: string;
  proto_id: number;
  category_id: number;
  breed_id: number;
  level?: number;
}

export function patternLevel(h: HostPattern): number {
  return h.level || h.pattern.split('.').filter((label) => label !== '').length;
}

/** The host_match entry nDPI picks for `name`, null when none matches. */
export function referenceHostMatch(hosts: HostPattern[], name: string): HostPattern | null {
  const text = name.toLowerCase();
  let best: HostPattern | null = null;
  let bestLevel = 0, bestEnd = 0, bestLen = 0;
  for (const h of hosts) {
    const p = h.pattern.toLowerCase();
    const endAnchored = !(p.endsWith('.') || p.endsWith('-'));
    const needsBoundary = !p.startsWith('-');
    for (let at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) {
      const end = at + p.length;
      if (endAnchored && end !== text.length) continue;
      if (needsBoundary && at > 0 && text[at - 1] !== '.') continue;
      if (at === 0 && end === text.length) return h; // exact whole-name match wins at once
      const level = patternLevel(h);
      if (best === null || level > bestLevel || (level === bestLevel && (end < bestEnd || (end === bestEnd && p.length > bestLen)))) {
        best = h;
        bestLevel = level;
        bestEnd = end;
        bestLen = p.length;
      }
      break; // later occurrences of the same pattern end later
    }
  }
  return best;
}

/** category_match: exact lookups of the name and its label-aligned suffixes, longest first. */
export function referenceHostCategory(list: Array<{ pattern: string; category_id: number }>, name: string): number {
  const text = name.toLowerCase();
  if (!text.includes('.') || text.endsWith('.arpa') || text.endsWith('.local')) return 0;
  const byName = new Map(list.map((c) => [c.pattern.toLowerCase(), c.category_id]));
  for (let at = 0; at < text.length; at = text.indexOf('.', at) + 1) {
    const hit = byName.get(text.slice(at));
    if (hit !== undefined) return hit;
    if (text.indexOf('.', at) < 0) break;
  }
  return 0;
}

function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/**
 * Longest-prefix match over a list loaded in order (a prefix listed twice keeps its later
 * value). Keys are numbers for IPv4 (fast path) and bigints for IPv6.
 */
export class ReferencePrefixTree {
  private readonly byLen = new Map<number, Map<number | bigint, number>>();
  private readonly lengths: number[];
  readonly bits: 32 | 128;

  constructor(list: Array<[string, number]>, bits: 32 | 128) {
    this.bits = bits;
    for (const [cidr, value] of list) {
      const [addr, lenText] = cidr.split('/');
      const len = lenText === undefined ? bits : Number(lenText);
      let m = this.byLen.get(len);
      if (!m) this.byLen.set(len, (m = new Map()));
      m.set(this.network(toBigInt(parseAddress(addr)), len), value);
    }
    this.lengths = [...this.byLen.keys()].sort((a, b) => b - a);
  }

  private network(addr: bigint, len: number): number | bigint {
    const host = BigInt(this.bits - len);
    const net = (addr >> host) << host;
    return this.bits === 32 ? Number(net) : net;
  }

  lookup(addr: bigint): number {
    if (this.bits === 32) {
      const a = Number(addr);
      for (const len of this.lengths) {
        const net = len === 0 ? 0 : (a & (0xffffffff << (32 - len))) >>> 0;
        const v = this.byLen.get(len)!.get(net);
        if (v !== undefined) return v;
      }
      return 0;
    }
    for (const len of this.lengths) {
      const v = this.byLen.get(len)!.get(this.network(addr, len));
      if (v !== undefined) return v;
    }
    return 0;
  }
}

export function addressToBigInt(text: string): bigint {
  return toBigInt(parseAddress(text));
}

export function bigIntToAddress(v: bigint, bits: 32 | 128): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(16 * i)) & 0xffffn).toString(16));
  return groups.join(':');
}
