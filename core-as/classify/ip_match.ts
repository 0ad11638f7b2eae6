// Server address -> protocol and address -> flow risk, as nDPI's two longest-prefix-match
// trees (ip_lists.json). The generated tables (generated/ip_lists.ts) hold the trees flattened
// into sorted disjoint intervals, each table as a directory of the starts' upper halves plus
// the lower halves (see scripts/ndpi-tables/emit-ip.ts); a lookup is two binary searches for
// the last interval start <= address. Like nDPI's tree lookup this does not filter private
// addresses: the lists hold public prefixes only. No allocation.
import {
  IP4_DIR_COUNT, IP4_FIRST, IP4_KEYS, IP4_LOWS, IP4_VALUES, IP6_DIR_COUNT, IP6_FIRST, IP6_KEYS, IP6_LOWS, IP6_VALUES,
  IP6L_DIR_COUNT, IP6L_FIRST, IP6L_KEYS, IP6L_LOWS, IP6L_VALUES, IP_PALETTE,
  RISKIP4_DIR_COUNT, RISKIP4_FIRST, RISKIP4_KEYS, RISKIP4_LOWS, RISKIP4_VALUES, RISKIP6_DIR_COUNT, RISKIP6_FIRST,
  RISKIP6_KEYS, RISKIP6_LOWS, RISKIP6_VALUES, RISKIP6L_DIR_COUNT, RISKIP6L_FIRST, RISKIP6L_KEYS, RISKIP6L_LOWS,
  RISKIP6L_VALUES, RISKIP_PALETTE,
} from "./generated/ip_lists";

/**
 * Index of the last interval whose start (key, low) is <= the address (key, low). The
 * directory's first key is 0 and its first interval starts at 0, so there always is one.
 */
function intervalIndex<H>(keys: usize, first: usize, dirCount: u32, lows: usize, key: H, low: H): u32 {
  let lo: u32 = 0;
  let hi: u32 = dirCount;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (load<H>(keys + <usize>mid * sizeof<H>()) <= key) lo = mid;
    else hi = mid;
  }
  const begin = <u32>load<u16>(first + (<usize>lo << 1));
  const end = <u32>load<u16>(first + (<usize>(lo + 1) << 1));
  // An address past every start under a smaller key falls in that key's last interval.
  if (load<H>(keys + <usize>lo * sizeof<H>()) < key) return end - 1;
  // Before the key's first interval: the interval before it (only possible when begin > 0).
  if (load<H>(lows + <usize>begin * sizeof<H>()) > low) return begin - 1;
  lo = begin;
  hi = end;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (load<H>(lows + <usize>mid * sizeof<H>()) <= low) lo = mid;
    else hi = mid;
  }
  return lo;
}

@inline function ipv4Value(keys: usize, first: usize, dirCount: u32, lows: usize, values: usize, addr: u32): u32 {
  return <u32>load<u8>(values + <usize>intervalIndex<u16>(keys, first, dirCount, lows, <u16>(addr >>> 16), <u16>addr));
}

/** Palette index for a 16-byte network-order IPv6 address: the long-prefix table first, then the /0-/64 one. */
function ipv6Value(
  ptr: usize,
  longKeys: usize, longFirst: usize, longDirCount: u32, longLows: usize, longValues: usize,
  keys: usize, first: usize, dirCount: u32, lows: usize, values: usize,
): u32 {
  const hi = bswap<u64>(load<u64>(ptr));
  const lo = bswap<u64>(load<u64>(ptr + 8));
  const long = <u32>load<u8>(longValues + <usize>intervalIndex<u64>(longKeys, longFirst, longDirCount, longLows, hi, lo));
  if (long != 0) return long;
  return <u32>load<u8>(values + <usize>intervalIndex<u32>(keys, first, dirCount, lows, <u32>(hi >>> 32), <u32>hi));
}

/** Protocol id whose IPv4 list holds `addr` (first octet in the top byte), 0 when none. */
export function matchIpv4(addr: u32): u32 {
  const index = ipv4Value(IP4_KEYS, IP4_FIRST, IP4_DIR_COUNT, IP4_LOWS, IP4_VALUES, addr);
  return <u32>load<u16>(IP_PALETTE + (<usize>index << 1));
}

/** Protocol id whose IPv6 list holds the 16-byte network-order address at `ptr`, 0 when none. */
export function matchIpv6(ptr: usize): u32 {
  const index = ipv6Value(ptr, IP6L_KEYS, IP6L_FIRST, IP6L_DIR_COUNT, IP6L_LOWS, IP6L_VALUES,
    IP6_KEYS, IP6_FIRST, IP6_DIR_COUNT, IP6_LOWS, IP6_VALUES);
  return <u32>load<u16>(IP_PALETTE + (<usize>index << 1));
}

/** Risk id (NDPI_ANONYMOUS_SUBSCRIBER, NDPI_HTTP_CRAWLER_BOT) listed for an IPv4 address, 0 when none. */
export function matchIpv4Risk(addr: u32): u32 {
  const index = ipv4Value(RISKIP4_KEYS, RISKIP4_FIRST, RISKIP4_DIR_COUNT, RISKIP4_LOWS, RISKIP4_VALUES, addr);
  return <u32>load<u8>(RISKIP_PALETTE + <usize>index);
}

/** Risk id listed for the 16-byte network-order IPv6 address at `ptr`, 0 when none. */
export function matchIpv6Risk(ptr: usize): u32 {
  const index = ipv6Value(ptr, RISKIP6L_KEYS, RISKIP6L_FIRST, RISKIP6L_DIR_COUNT, RISKIP6L_LOWS, RISKIP6L_VALUES,
    RISKIP6_KEYS, RISKIP6_FIRST, RISKIP6_DIR_COUNT, RISKIP6_LOWS, RISKIP6_VALUES);
  return <u32>load<u8>(RISKIP_PALETTE + <usize>index);
}
