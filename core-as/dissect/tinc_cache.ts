// The tinc daemons seen on meta connections, by endpoint (address and port). tinc carries its
// VPN packets over UDP between the same daemons and ports as the TCP meta connection (tinc
// "Protocol" documentation: the UDP socket is bound to the same port), in packets that are
// encrypted from the first byte: nDPI remembers the endpoints of detected meta connections and
// labels the UDP flows that use one ("DPI (cache)"). A small direct-mapped table: a new
// endpoint overwrites the one of its slot, so the size bounds the memory.
//
// Entry layout: address (16), port (2), used flag (2).

const SLOTS: u32 = 64;
const ENTRY: usize = 20;
const E_ADDR: usize = 0;
const E_PORT: usize = 16;
const E_USED: usize = 18;

const table: usize = memory.data(<i32>(<usize>SLOTS * ENTRY));

function slotOf(addr: usize, port: u32): usize {
  let h: u32 = 0x811c9dc5;
  for (let i: usize = 0; i < 16; i++) h = (h ^ <u32>load<u8>(addr + i)) * 0x01000193;
  h = (h ^ (port & 0xff)) * 0x01000193;
  h = (h ^ (port >> 8)) * 0x01000193;
  return table + <usize>(h & (SLOTS - 1)) * ENTRY;
}

/** Is the endpoint one of a detected tinc meta connection? */
export function tincCacheHas(addr: usize, port: u32): bool {
  const entry = slotOf(addr, port);
  return load<u16>(entry + E_USED) != 0 && load<u64>(entry + E_ADDR) == load<u64>(addr) &&
    load<u64>(entry + E_ADDR + 8) == load<u64>(addr + 8) && <u32>load<u16>(entry + E_PORT) == port;
}

export function tincCacheStore(addr: usize, port: u32): void {
  const entry = slotOf(addr, port);
  store<u64>(entry + E_ADDR, load<u64>(addr));
  store<u64>(entry + E_ADDR + 8, load<u64>(addr + 8));
  store<u16>(entry + E_PORT, <u16>port);
  store<u16>(entry + E_USED, 1);
}

/** A new analysis: no endpoint of the previous one is remembered. */
export function tincCacheReset(): void {
  memory.fill(table, 0, <usize>SLOTS * ENTRY);
}
