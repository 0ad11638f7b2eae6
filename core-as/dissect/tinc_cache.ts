// The tinc daemons seen on meta connections, by endpoint (address and port). tinc carries its
// VPN packets over UDP between the same daemons and ports as the TCP meta connection (tinc
// "Protocol" documentation: the UDP socket is bound to the same port), in packets that are
// encrypted from the first byte: nDPI remembers the endpoints of detected meta connections and
// labels the UDP flows that use one ("DPI (cache)"). A small endpoint_cache table (value 1:
// seen).

import { ENDPOINT_ENTRY, endpointClear, endpointFind, endpointStore } from "./endpoint_cache";

const SLOTS: u32 = 64;
const SEEN: u32 = 1;
const table: usize = memory.data(<i32>(<usize>SLOTS * ENDPOINT_ENTRY));

/** Is the endpoint one of a detected tinc meta connection? */
export function tincCacheHas(addr: usize, port: u32): bool {
  return endpointFind(table, SLOTS, addr, port) == SEEN;
}

export function tincCacheStore(addr: usize, port: u32): void {
  endpointStore(table, SLOTS, addr, port, SEEN);
}

/** A new analysis: no endpoint of the previous one is remembered. */
export function tincCacheReset(): void {
  endpointClear(table, SLOTS);
}
