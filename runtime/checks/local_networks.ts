// Local versus remote as ntopng decides it (ntopng-notes §7): an address is local when it is in
// the local networks (-m, default 192.168.1.0/24,127.0.0.0/8,fe80::/10), or loopback or IPv6
// link-local (always), or multicast or broadcast (Host::isLocalHost counts those as local).
// 0.0.0.0, 255.255.255.255 and the network/broadcast address of a configured IPv4 local subnet
// are broadcast. RFC 1918 addresses are private, not local, unless a local network covers them.
//
// The list can grow while checks run (ntop.addLocalNetwork, as ntopng's addLocalNetworkList adds
// to the interface's networks): one instance is shared by the runner, flow.*, the Flows API and
// every script's ntop.*, so a network added by one script is local for all of them from then on.
// Network ids are positions in the list (ntopng numbers networks in the order they are added);
// an address in several networks belongs to the most specific one (ntopng's patricia tree).

import { ipv4Number } from '../ip.ts';

export const DEFAULT_LOCAL_NETWORKS = '192.168.1.0/24,127.0.0.0/8,fe80::/10';

/** Always local whatever the configuration (IpAddress::checkIP). */
const ALWAYS_LOCAL = ['127.0.0.0/8', 'fe80::/10'];

interface Network {
  bytes: Uint8Array;
  prefix: number;
  text: string;
  /** ntopng's "cidr=alias" */
  alias?: string;
}

export interface AddressClass {
  /** In a local network, loopback, link-local, multicast or broadcast. */
  local: boolean;
  /** Multicast or broadcast (not unicast). */
  multicastOrBroadcast: boolean;
  /** Inside the configured local networks only (ntopng's localIP without the multicast rule). */
  inLocalNetwork: boolean;
  /** RFC 1918 / RFC 4193 (ntopng's cli.private). */
  private: boolean;
}

/** Parses a dotted quad or an RFC 4291 IPv6 text; null when it is neither. */
export function parseIp(text: string): Uint8Array | null {
  if (text.includes(':')) return parseIpv6(text);
  return parseIpv4(text);
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return null;
    const v = Number(parts[i]);
    if (v > 255) return null;
    out[i] = v;
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | null {
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  let tail: Uint8Array | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail = parseIpv4(text.slice(lastColon + 1));
    if (tail === null) return null;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...new Array(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(all[i])) return null;
    const v = parseInt(all[i], 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  }
  if (tail) out.set(tail, 12);
  return out;
}

function parseNetwork(text: string): Network {
  const [cidr, ...aliasParts] = text.trim().split('='); // ntopng allows "cidr=alias"
  const trimmed = cidr.trim();
  const alias = aliasParts.length > 0 ? aliasParts.join('=').trim() : undefined;
  const slash = trimmed.indexOf('/');
  const address = slash >= 0 ? trimmed.slice(0, slash) : trimmed;
  const bytes = parseIp(address);
  if (bytes === null) throw new Error(`invalid local network "${text}": not an IPv4 or IPv6 address`);
  const max = bytes.length * 8;
  const prefix = slash >= 0 ? Number(trimmed.slice(slash + 1)) : max;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`invalid local network "${text}": prefix must be 0..${max}`);
  return alias !== undefined && alias !== '' ? { bytes, prefix, text: trimmed, alias } : { bytes, prefix, text: trimmed };
}

/** "a.b.c.d/p" for a network given without a prefix; the text as given otherwise. */
function cidrText(n: Network): string {
  return n.text.includes('/') ? n.text : `${n.text}/${n.prefix}`;
}

function splitNetworks(networks: string | string[]): string[] {
  return (Array.isArray(networks) ? networks.join(',') : networks).split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function inNetwork(ip: Uint8Array, net: Network): boolean {
  if (ip.length !== net.bytes.length) return false;
  let bits = net.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip[i] & mask) !== (net.bytes[i] & mask)) return false;
  }
  return true;
}

/** Network or broadcast address of an IPv4 subnet (prefix < 31). */
function isSubnetEdge(ip: Uint8Array, net: Network): boolean {
  if (ip.length !== 4 || net.prefix >= 31 || !inNetwork(ip, net)) return false;
  const host = ((ip[0] << 24) | (ip[1] << 16) | (ip[2] << 8) | ip[3]) >>> 0;
  const hostMask = net.prefix === 0 ? 0xffffffff : (0xffffffff >>> net.prefix);
  const hostPart = host & hostMask;
  return hostPart === 0 || hostPart === hostMask;
}

/** The 16 possible classifications, shared (classify allocates nothing). */
const CLASSES: AddressClass[] = [];
for (let bits = 0; bits < 16; bits++) {
  CLASSES.push(Object.freeze({
    local: (bits & 1) !== 0, multicastOrBroadcast: (bits & 2) !== 0, inLocalNetwork: (bits & 4) !== 0, private: (bits & 8) !== 0,
  }));
}
function classOf(inLocalNetwork: boolean, multicastOrBroadcast: boolean, isPrivate: boolean): AddressClass {
  return CLASSES[(inLocalNetwork || multicastOrBroadcast ? 1 : 0) | (multicastOrBroadcast ? 2 : 0) | (inLocalNetwork ? 4 : 0) | (isPrivate ? 8 : 0)];
}

/** The first 16 bits of an IPv6 text (0 when it starts with "::"), or -1 when it is not IPv6-like. */
function firstHextet(text: string): number {
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) return i === 0 && text.charCodeAt(1) !== 58 ? -1 : value; // ':'
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (digit < 0 || i >= 4) return -1;
    value = value * 16 + digit;
  }
  return -1;
}

const V4_CLASS_SLOTS_LOG2 = 12;
const V4_CLASS_SLOTS = 1 << V4_CLASS_SLOTS_LOG2;

export class LocalNetworks {
  #networks: Network[] = [];
  readonly #always: Network[];
  /** IPv4 networks as [base, mask] (unsigned) for the fast path; configured ones flagged for edges. */
  #v4: Array<{ base: number; mask: number; prefix: number; configured: boolean }> = [];
  readonly #cache = new Map<string, AddressClass>();
  /**
   * classifyV4's answers by address, direct-mapped (emptied when the networks change): a run
   * classifies both ends of every flow, and flows keep meeting the same hosts.
   */
  readonly #v4Keys = new Float64Array(V4_CLASS_SLOTS).fill(-1);
  readonly #v4Classes = new Array<AddressClass>(V4_CLASS_SLOTS).fill(CLASSES[0]);
  /** Whether an IPv6 network was configured (else IPv6 addresses take the fast path). */
  #v6Configured = false;

  /** `networks`: ntopng's -m syntax, comma-separated CIDRs (an array is joined). */
  constructor(networks: string | string[] = DEFAULT_LOCAL_NETWORKS) {
    this.#always = ALWAYS_LOCAL.map(parseNetwork);
    this.#set(splitNetworks(networks).map(parseNetwork));
  }

  #set(networks: Network[]): void {
    const v4 = (n: Network, configured: boolean) => {
      const mask = n.prefix === 0 ? 0 : (0xffffffff << (32 - n.prefix)) >>> 0;
      const base = (((n.bytes[0] << 24) | (n.bytes[1] << 16) | (n.bytes[2] << 8) | n.bytes[3]) >>> 0) & mask;
      return { base: base >>> 0, mask, prefix: n.prefix, configured };
    };
    this.#networks = networks;
    this.#v6Configured = networks.some((n) => n.bytes.length === 16 && n.text.toLowerCase() !== 'fe80::/10');
    this.#v4 = [
      ...networks.filter((n) => n.bytes.length === 4).map((n) => v4(n, true)),
      ...this.#always.filter((n) => n.bytes.length === 4).map((n) => v4(n, false)),
    ];
    this.#cache.clear();
    this.#v4Keys.fill(-1);
  }

  /**
   * Adds networks (ntopng's -m syntax; ntop.addLocalNetwork). Throws on an invalid one, adding
   * none of them; a network already in the list is not added again. Returns how many were added.
   */
  add(networks: string | string[]): number {
    const parsed = splitNetworks(networks).map(parseNetwork);
    const known = new Set(this.networks);
    const fresh: Network[] = [];
    for (const n of parsed) {
      const text = cidrText(n);
      if (known.has(text)) continue;
      known.add(text);
      fresh.push(n);
    }
    if (fresh.length > 0) this.#set([...this.#networks, ...fresh]);
    return fresh.length;
  }

  /** The configured networks (normalised CIDR text), in id order. */
  get networks(): string[] {
    return this.#networks.map(cidrText);
  }

  /** The alias given as "cidr=alias", or null. */
  alias(cidr: string): string | null {
    const id = this.networks.indexOf(cidr.trim());
    return id < 0 ? null : this.#networks[id].alias ?? null;
  }

  /**
   * ntopng's local network id of an address: the position of the most specific configured
   * network holding it, -1 when none does (loopback and link-local are local without an id
   * unless configured, as in ntopng).
   */
  networkId(ip: string): number {
    const bytes = parseIp(ip);
    if (bytes === null) return -1;
    let best = -1, bestPrefix = -1;
    for (let i = 0; i < this.#networks.length; i++) {
      const n = this.#networks[i];
      if (n.prefix > bestPrefix && inNetwork(bytes, n)) {
        best = i;
        bestPrefix = n.prefix;
      }
    }
    return best;
  }

  classify(ip: string): AddressClass {
    // IPv4 is parsed every time (~50 ns): a cache by text measured slower on captures with more
    // distinct addresses than it holds (each miss pays the parse, the insert and the clears).
    const v4 = ipv4Number(ip);
    if (v4 >= 0) return this.classifyV4(v4);
    // IPv6 with no configured IPv6 network: the first 16 bits decide (fe80::/10 local, ff00::/8
    // multicast, fc00::/7 private), without parsing the rest.
    if (!this.#v6Configured) {
      const first = firstHextet(ip);
      if (first >= 0) return classOf((first & 0xffc0) === 0xfe80, (first & 0xff00) === 0xff00, (first & 0xfe00) === 0xfc00);
    }
    let cls = this.#cache.get(ip);
    if (cls !== undefined) return cls;
    cls = this.#compute(ip);
    if (this.#cache.size >= 65536) this.#cache.clear();
    this.#cache.set(ip, cls);
    return cls;
  }

  /** classify() of an IPv4 address given as an unsigned 32-bit number. */
  classifyV4(address: number): AddressClass {
    const a = address >>> 0;
    const slot = Math.imul(a, 0x9e3779b1) >>> (32 - V4_CLASS_SLOTS_LOG2);
    if (this.#v4Keys[slot] === a) return this.#v4Classes[slot];
    const cls = this.#classifyV4(a);
    this.#v4Keys[slot] = a;
    this.#v4Classes[slot] = cls;
    return cls;
  }

  #classifyV4(a: number): AddressClass {
    let inLocalNetwork = false;
    let edge = false;
    for (const n of this.#v4) {
      if (((a & n.mask) >>> 0) !== n.base) continue;
      inLocalNetwork = true;
      if (n.configured && n.prefix < 31) {
        const host = (a & ~n.mask) >>> 0;
        if (host === 0 || host === (~n.mask >>> 0)) edge = true;
      }
    }
    const first = a >>> 24, second = (a >>> 16) & 0xff;
    const multicastOrBroadcast = (first & 0xf0) === 0xe0 || a === 0 || a === 0xffffffff || edge;
    const isPrivate = first === 10 || (first === 172 && (second & 0xf0) === 16) || (first === 192 && second === 168);
    return classOf(inLocalNetwork, multicastOrBroadcast, isPrivate);
  }

  isLocal(ip: string): boolean {
    return this.classify(ip).local;
  }

  #compute(text: string): AddressClass {
    const ip = parseIp(text);
    if (ip === null) return { local: false, multicastOrBroadcast: false, inLocalNetwork: false, private: false };
    const inLocalNetwork = this.#networks.some((n) => inNetwork(ip, n)) || this.#always.some((n) => inNetwork(ip, n));
    let multicastOrBroadcast: boolean;
    let isPrivate: boolean;
    if (ip.length === 4) {
      const all = (v: number) => ip.every((b) => b === v);
      multicastOrBroadcast = (ip[0] & 0xf0) === 0xe0 || all(0) || all(255) || this.#networks.some((n) => isSubnetEdge(ip, n));
      isPrivate = ip[0] === 10 || (ip[0] === 172 && (ip[1] & 0xf0) === 16) || (ip[0] === 192 && ip[1] === 168);
    } else {
      multicastOrBroadcast = ip[0] === 0xff;
      isPrivate = (ip[0] & 0xfe) === 0xfc;
    }
    return classOf(inLocalNetwork, multicastOrBroadcast, isPrivate);
  }
}
