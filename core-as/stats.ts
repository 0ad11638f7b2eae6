// Engine counters: one u64 per slot in a static block the runtime reads in one go.
// Every counter has an exported index constant; the runtime discovers them by prefix
// (STAT_ totals, SKIP_ frames not accounted to a flow, CAPERR_ capture framing problems),
// so a counter added here appears in the runtime's stats without touching TypeScript.
//
// Invariant the tests hold us to: STAT_PACKETS == STAT_PACKETS_IN_FLOWS + sum(SKIP_*).

export const STAT_PACKETS: i32 = 0;            // capture records (frames) read
export const STAT_BYTES: i32 = 1;              // sum of on-wire frame lengths
export const STAT_PACKETS_IN_FLOWS: i32 = 2;   // frames accounted to a flow
export const STAT_FLOWS_CREATED: i32 = 3;
export const STAT_FLOWS_PURGED: i32 = 4;       // ended by idle timeout or at end of input
export const STAT_FLOWS_ACTIVE: i32 = 5;
export const STAT_TUNNELLED_PACKETS: i32 = 6;  // frames whose flow is an inner (decapsulated) one
export const STAT_EVENTS_LOST: i32 = 8;         // events not recorded because the ring was full (a bug if ever non-zero)
export const STAT_PCAPNG_OTHER_BLOCKS: i32 = 7; // pcapng blocks we do not need (NRB, ISB, DSB, custom): skipped

export const SKIP_NON_IP: i32 = 16;            // ARP, LLC, STP, PPPoE discovery, ...
export const SKIP_IP_FRAGMENT: i32 = 17;       // IPv4/IPv6 non-first fragments (nDPI's reader drops them too)
export const SKIP_TRUNCATED: i32 = 18;         // captured bytes end inside a header
export const SKIP_MALFORMED: i32 = 19;         // header fields that cannot be right (bad version, lengths)
export const SKIP_UNSUPPORTED_LINKTYPE: i32 = 20;
export const SKIP_FLOW_TABLE_FULL: i32 = 21;   // a new flow was refused at max flows
export const SKIP_UNKNOWN_INTERFACE: i32 = 22; // pcapng packet naming an interface with no IDB

export const CAPERR_CORRUPT_RECORDS: i32 = 32; // implausible pcap record / pcapng block headers
export const CAPERR_RESYNC_BYTES: i32 = 33;    // bytes skipped looking for the next valid record
export const CAPERR_TRUNCATED_TAIL: i32 = 34;  // input ended inside a record
export const CAPERR_TRUNCATED_TAIL_BYTES: i32 = 35;
export const CAPERR_TOO_MANY_INTERFACES: i32 = 37;
export const CAPERR_NOT_A_CAPTURE: i32 = 38;   // 1 when the first bytes are no pcap/pcapng magic
export const CAPERR_CAPLEN_REPAIRED: i32 = 39; // pcap records with caplen > origlen read with origlen

export const STATS_SLOTS: i32 = 48;

export const statsBase: usize = memory.data(STATS_SLOTS * 8, 8);

@inline export function bump(slot: i32): void {
  const p = statsBase + (<usize>slot << 3);
  store<u64>(p, load<u64>(p) + 1);
}

@inline export function add(slot: i32, amount: u64): void {
  const p = statsBase + (<usize>slot << 3);
  store<u64>(p, load<u64>(p) + amount);
}

@inline export function setStat(slot: i32, value: u64): void {
  store<u64>(statsBase + (<usize>slot << 3), value);
}

@inline export function getStat(slot: i32): u64 {
  return load<u64>(statsBase + (<usize>slot << 3));
}

export function resetStats(): void {
  memory.fill(statsBase, 0, STATS_SLOTS * 8);
}
