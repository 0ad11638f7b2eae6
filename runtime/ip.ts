// Address formatting and ntopng's address keys.

/**
 * Text of the addresses seen lately: a direct-mapped table by address hash (a slot holds the last
 * address that hashed there). Cheaper than a Map of every address: one probe, no rehash, bounded
 * memory; a collision only formats the address again.
 */
const IPV4_SLOTS_LOG2 = 18;
const IPV4_SLOT_ADDRESS = new Uint32Array(1 << IPV4_SLOTS_LOG2);
const IPV4_SLOT_TEXT: Array<string | undefined> = new Array<string | undefined>(1 << IPV4_SLOTS_LOG2).fill(undefined);
const quadCodes: number[] = [];

/**
 * Dotted quad from 4 bytes. The same address gives the same string object while it stays in the
 * table, built flat (not as a concatenation): it is a map key downstream (host scores, local-network
 * cache), and a flat, shared string is hashed once instead of flattened and hashed at every lookup.
 */
export function formatIpv4(bytes: Uint8Array, offset: number): string {
  return ipv4Text(((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0);
}

/** formatIpv4 of an address given as an unsigned 32-bit number. */
export function ipv4Text(address: number): string {
  // Fibonacci hashing: the top bits of address x 2^32/phi.
  const slot = Math.imul(address, 0x9e3779b1) >>> (32 - IPV4_SLOTS_LOG2);
  const cached = IPV4_SLOT_TEXT[slot];
  if (cached !== undefined && IPV4_SLOT_ADDRESS[slot] === address) return cached;
  quadCodes.length = 0;
  for (let i = 0; i < 4; i++) {
    if (i > 0) quadCodes.push(46); // '.'
    const octet = (address >>> (24 - 8 * i)) & 0xff;
    if (octet >= 100) quadCodes.push(48 + Math.floor(octet / 100));
    if (octet >= 10) quadCodes.push(48 + (Math.floor(octet / 10) % 10));
    quadCodes.push(48 + (octet % 10));
  }
  const text = String.fromCharCode.apply(null, quadCodes);
  IPV4_SLOT_ADDRESS[slot] = address;
  IPV4_SLOT_TEXT[slot] = text;
  return text;
}

/**
 * Writes the dotted quad of an IPv4 address given as a number at `at` (up to 15 bytes): the same
 * bytes as its text, without making the text. Returns the length.
 */
export function writeDottedQuad(heap: Uint8Array, at: number, address: number): number {
  let p = at;
  for (let shift = 24; shift >= 0; shift -= 8) {
    const octet = (address >>> shift) & 0xff;
    if (octet >= 100) heap[p++] = 48 + ((octet / 100) | 0);
    if (octet >= 10) heap[p++] = 48 + (((octet / 10) | 0) % 10);
    heap[p++] = 48 + (octet % 10);
    if (shift > 0) heap[p++] = 46; // '.'
  }
  return p - at;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run (≥ 2) of zero groups as "::". */
export function formatIpv6(bytes: Uint8Array, offset: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[offset + 2 * i] << 8) | bytes[offset + 2 * i + 1]);
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  // RFC 5952 §5: IPv4-mapped addresses keep their dotted tail.
  if (bestStart === 0 && bestLen === 5 && groups[5] === 0xffff) return `::ffff:${formatIpv4(bytes, offset + 12)}`;
  if (bestLen < 2) return hexGroups(groups, 0, 8);
  return `${hexGroups(groups, 0, bestStart)}::${hexGroups(groups, bestStart + bestLen, 8)}`;
}

function hexGroups(groups: number[], from: number, to: number): string {
  return groups.slice(from, to).map((g) => g.toString(16)).join(':');
}

/**
 * ntopng's IpAddress key (ntopng-notes §3): IPv4 is the address as a host-order number; IPv6
 * sums its four 32-bit words, read little-endian as ntopng does on x86, each shifted by 2i.
 */
export function ntopngAddressKey(bytes: Uint8Array, offset: number, version: number): number {
  if (version === 4) return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
  let key = 0;
  for (let i = 0; i < 4; i++) {
    const o = offset + 4 * i;
    const word = (bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24)) >>> 0;
    key = (key + ((word << (2 * i)) >>> 0)) >>> 0;
  }
  return key;
}

/** A dotted quad as an unsigned number, or -1 when the text is not one (no allocation). */
export function ipv4Number(text: string): number {
  let value = 0, part = 0, digits = 0, dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}
