// The application of recent STUN conversations, by endpoint (address and port). A call's
// endpoint first talks to a relay or rendezvous server that tells the application (its IP
// list, realm or attributes), then to peers that say nothing: nDPI keeps such endpoints in an
// LRU cache and labels the peer flows from it ("DPI (cache)"). Here a direct-mapped table:
// a new endpoint overwrites the one of the same slot, so its size bounds the memory (no
// allocation), and lookups cost one hash and one comparison.
//
// Entry layout: address (16), port (2), application (2); application 0 = empty slot.

const SLOTS: u32 = 1024;
const ENTRY: usize = 20;
const E_ADDR: usize = 0;
const E_PORT: usize = 16;
const E_APP: usize = 18;

const table: usize = memory.data(<i32>(<usize>SLOTS * ENTRY));

/** FNV-1a over the 16 address bytes and the port (IPv4 addresses are zero-padded, packet_info). */
function slotOf(addr: usize, port: u32): usize {
  let h: u32 = 0x811c9dc5;
  for (let i: usize = 0; i < 16; i++) h = (h ^ <u32>load<u8>(addr + i)) * 0x01000193;
  h = (h ^ (port & 0xff)) * 0x01000193;
  h = (h ^ (port >> 8)) * 0x01000193;
  return table + <usize>(h & (SLOTS - 1)) * ENTRY;
}

@inline function sameEndpoint(entry: usize, addr: usize, port: u32): bool {
  return load<u64>(entry + E_ADDR) == load<u64>(addr) && load<u64>(entry + E_ADDR + 8) == load<u64>(addr + 8) &&
    <u32>load<u16>(entry + E_PORT) == port;
}

/** The application cached for the endpoint, 0 if none. */
export function stunCacheFind(addr: usize, port: u32): u32 {
  const entry = slotOf(addr, port);
  const app = <u32>load<u16>(entry + E_APP);
  return app != 0 && sameEndpoint(entry, addr, port) ? app : 0;
}

/** A new analysis: no endpoint of the previous one is remembered. */
export function stunCacheReset(): void {
  memory.fill(table, 0, <usize>SLOTS * ENTRY);
}

export function stunCacheStore(addr: usize, port: u32, app: u32): void {
  if (app == 0) return;
  const entry = slotOf(addr, port);
  store<u64>(entry + E_ADDR, load<u64>(addr));
  store<u64>(entry + E_ADDR + 8, load<u64>(addr + 8));
  store<u16>(entry + E_PORT, <u16>port);
  store<u16>(entry + E_APP, <u16>app);
}
