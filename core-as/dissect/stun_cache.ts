// The application of recent STUN conversations, by endpoint (address and port). A call's
// endpoint first talks to a relay or rendezvous server that tells the application (its IP
// list, realm or attributes), then to peers that say nothing: nDPI keeps such endpoints in an
// LRU cache and labels the peer flows from it ("DPI (cache)"). Here an endpoint_cache table.

import { ENDPOINT_ENTRY, endpointClear, endpointFind, endpointStore } from "./endpoint_cache";

const SLOTS: u32 = 1024;
const table: usize = memory.data(<i32>(<usize>SLOTS * ENDPOINT_ENTRY));

/** The application cached for the endpoint, 0 if none. */
export function stunCacheFind(addr: usize, port: u32): u32 {
  return endpointFind(table, SLOTS, addr, port);
}

/** A new analysis: no endpoint of the previous one is remembered. */
export function stunCacheReset(): void {
  endpointClear(table, SLOTS);
}

export function stunCacheStore(addr: usize, port: u32, app: u32): void {
  endpointStore(table, SLOTS, addr, port, app);
}
