// A direct-mapped table from an endpoint (address and port) to a 16-bit value, for the
// dissectors that label a flow from what an earlier flow of the same endpoint showed (nDPI's
// "DPI (cache)": STUN peers, tinc's UDP packets). A new endpoint overwrites the one of its slot,
// so the size bounds the memory (no allocation), and a lookup costs one hash and one compare.
//
// Entry layout: address (16, IPv4 zero-padded as packet_info stores it), port (2), value (2);
// value 0 = empty slot.

/** Bytes per entry: size a table as memory.data(<i32>(<usize>SLOTS * ENDPOINT_ENTRY)). */
export const ENDPOINT_ENTRY: usize = 20;
const ENTRY: usize = ENDPOINT_ENTRY;
const E_ADDR: usize = 0;
const E_PORT: usize = 16;
const E_VALUE: usize = 18;

/** FNV-1a over the 16 address bytes and the port. */
function slotOf(table: usize, slots: u32, addr: usize, port: u32): usize {
  let h: u32 = 0x811c9dc5;
  for (let i: usize = 0; i < 16; i++) h = (h ^ <u32>load<u8>(addr + i)) * 0x01000193;
  h = (h ^ (port & 0xff)) * 0x01000193;
  h = (h ^ (port >> 8)) * 0x01000193;
  return table + <usize>(h & (slots - 1)) * ENTRY;
}

/** The value stored for the endpoint, 0 if none. */
export function endpointFind(table: usize, slots: u32, addr: usize, port: u32): u32 {
  const entry = slotOf(table, slots, addr, port);
  const value = <u32>load<u16>(entry + E_VALUE);
  if (value == 0) return 0;
  return load<u64>(entry + E_ADDR) == load<u64>(addr) && load<u64>(entry + E_ADDR + 8) == load<u64>(addr + 8) &&
    <u32>load<u16>(entry + E_PORT) == port ? value : 0;
}

/** Remembers `value` (not 0) for the endpoint, in place of whatever held its slot. */
export function endpointStore(table: usize, slots: u32, addr: usize, port: u32, value: u32): void {
  if (value == 0) return;
  const entry = slotOf(table, slots, addr, port);
  store<u64>(entry + E_ADDR, load<u64>(addr));
  store<u64>(entry + E_ADDR + 8, load<u64>(addr + 8));
  store<u16>(entry + E_PORT, <u16>port);
  store<u16>(entry + E_VALUE, <u16>value);
}

/** Forgets every endpoint (a new analysis). */
export function endpointClear(table: usize, slots: u32): void {
  memory.fill(table, 0, <usize>slots * ENTRY);
}
