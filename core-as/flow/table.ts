// The bidirectional flow table: fixed-size records (flow/record.ts) in chunks that never move,
// found through an open-addressing index of u64 slots (key hash << 32 | record id + 1) with
// linear probing; deletion shifts entries back (no tombstones). The index grows by doubling at
// half load. A flow that ends by idle timeout is copied into its flow_ended event and its record
// recycled at once, so record ids (and so every output order) depend on the packets only, never
// on how the input was chunked. Flows still alive at end of input keep their records (ENDED).
import * as info from "../decode/packet_info";
import { KEY_CLIENT_TO_SERVER, KEY_NO_MATCH, matchPacket, packetKeyHash, writeKey } from "./key";
import {
  FLOW_C2S_BYTES, FLOW_C2S_GOODPUT, FLOW_S2C_PACKETS, FLOW_SRV_ADDR, FLOW_C2S_PACKETS, FLOW_C2S_TCP_FLAGS, FLOW_DIRECTION_STRIDE,
  FLOW_FIRST_SEEN, FLOW_IP_VERSION, FLOW_KEY_HASH, FLOW_LAST_SEEN, FLOW_NEXT_LINK, FLOW_PREV_ACTIVE, FLOW_RECORD_SIZE,
  FLOW_SERIAL, FLOW_STATE, FLOW_TCP_HANDSHAKE, FLOW_TUNNEL, STATE_ACTIVE, STATE_ENDED, STATE_FREE,
  FLOW_L7_FLAGS, L7_DONE, FLOW_C2S_TOS, FLOW_S2C_TOS, FLOW_C2S_ICMP_TYPE, FLOW_S2C_ICMP_TYPE,
  FLOW_TCP_ODDITIES, TCP_ODD_NULL_SEGMENT,
} from "./record";
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP } from "../wire/transport";
import { updateHandshake } from "./tcp_state";
import { classifyNewFlow, setFlowRisks } from "../classify/classify";
import { finishDissection } from "../dissect/dispatch";
import { retireBlock } from "../dissect/meta";
import { EVENT_FLOW_CREATED, EVENT_FLOW_DETECTED, EVENT_FLOW_ENDED, EVENT_HEADROOM, emitEvent, eventSpace } from "./events";
import {
  STAT_FLOWS_ACTIVE, STAT_FLOWS_CREATED, STAT_FLOWS_PURGED, bump, setStat,
} from "../stats";

const RECORDS_PER_CHUNK_LOG2: u32 = 14;
const RECORDS_PER_CHUNK: u32 = 1 << RECORDS_PER_CHUNK_LOG2;
const MAX_CHUNKS: u32 = 4096; // 64M records: far above any sensible max flows
const MIN_INDEX_SLOTS: u32 = 1 << 12;
const NO_RECORD: u32 = 0xffffffff;

/**
 * Default capacity. wasm32 memory ends at 4 GiB and a flow costs about 0.9 KB with its
 * metadata (1M concurrent flows peak at ~0.9 GB): 2M leaves room for dissector buffers.
 */
export const DEFAULT_MAX_FLOWS: u32 = 2_000_000;

const chunks: usize = memory.data(<i32>(MAX_CHUNKS * 8), 8);
let numChunks: u32 = 0;
let maxFlows: u32 = DEFAULT_MAX_FLOWS;
let activeFlows: u32 = 0;
/** Records ever handed out: ids are < highWater. */
let highWater: u32 = 0;
let freeHead: u32 = NO_RECORD;
/** Active flows in creation order (linked through FLOW_NEXT_LINK / FLOW_PREV_ACTIVE). */
let oldestActive: u32 = NO_RECORD;
let newestActive: u32 = NO_RECORD;
let serialCounter: u32 = 0;

let index: usize = 0;
let indexMask: u32 = 0;

/** Direction of the last packet looked up: true when it was sent by the flow's client. */
export let lastFromClient: bool = true;

export function tableInit(capacity: u32): void {
  maxFlows = capacity == 0 ? DEFAULT_MAX_FLOWS : capacity;
  if (maxFlows > MAX_CHUNKS * RECORDS_PER_CHUNK) maxFlows = MAX_CHUNKS * RECORDS_PER_CHUNK;
  for (let c: u32 = 0; c < numChunks; c++) memory.fill(load<usize>(chunks + (<usize>c << 3)), 0, <usize>RECORDS_PER_CHUNK * FLOW_RECORD_SIZE);
  activeFlows = 0; highWater = 0; freeHead = NO_RECORD; serialCounter = 0;
  oldestActive = NO_RECORD; newestActive = NO_RECORD;
  if (index == 0) allocIndex(MIN_INDEX_SLOTS);
  else memory.fill(index, 0, (<usize>indexMask + 1) << 3);
  setStat(STAT_FLOWS_ACTIVE, 0);
}

function allocIndex(slots: u32): void {
  index = heap.alloc(<usize>slots << 3);
  memory.fill(index, 0, <usize>slots << 3);
  indexMask = slots - 1;
}

@inline export function recordPtr(id: u32): usize {
  return load<usize>(chunks + (<usize>(id >> RECORDS_PER_CHUNK_LOG2) << 3)) +
    <usize>(id & (RECORDS_PER_CHUNK - 1)) * FLOW_RECORD_SIZE;
}

export function flowHighWater(): u32 { return highWater; }
export function flowCount(): u32 { return activeFlows; }

/** Finds the packet's flow or creates it. Returns the record id, or NO_RECORD when the table is full. */
export function findOrCreate(tsUs: u64): u32 {
  const hash = packetKeyHash();
  let slot = hash & indexMask;
  while (true) {
    const entry = load<u64>(index + (<usize>slot << 3));
    if (entry == 0) break;
    if (<u32>(entry >> 32) == hash) {
      const id = <u32>entry - 1;
      const dir = matchPacket(recordPtr(id));
      if (dir != KEY_NO_MATCH) {
        if (!isIdle(id, tsUs)) {
          lastFromClient = dir == KEY_CLIENT_TO_SERVER;
          return id;
        }
        // Idle past the timeout: that conversation is over, this packet starts a new flow.
        endFlow(id, false);
        slot = freeSlotFor(hash); // the deletion shifted the probe run
        break;
      }
    }
    slot = (slot + 1) & indexMask;
  }
  if (activeFlows >= maxFlows && idleTimeoutUs != 0 && tsUs >= nextReclaimUs) {
    // Full: end idle flows now rather than wait for the incremental sweep (at most once per
    // second of packet time, so a table full of live flows costs no scan per packet).
    nextReclaimUs = tsUs + 1_000_000;
    for (let id: u32 = 0; id < highWater && eventSpace() > EVENT_HEADROOM; id++) {
      if (load<u8>(recordPtr(id) + FLOW_STATE) == STATE_ACTIVE && isIdle(id, tsUs)) endFlow(id, false);
    }
    slot = freeSlotFor(hash);
  }
  if (activeFlows >= maxFlows) return NO_RECORD;
  const id = takeRecord();
  if (id == NO_RECORD) return NO_RECORD;
  const rec = recordPtr(id);
  memory.fill(rec, 0, FLOW_RECORD_SIZE);
  writeKey(rec);
  store<u8>(rec + FLOW_IP_VERSION, <u8>info.ipVersion);
  store<u32>(rec + FLOW_KEY_HASH, hash);
  store<u32>(rec + FLOW_SERIAL, serialCounter++);
  store<u64>(rec + FLOW_FIRST_SEEN, tsUs);
  store<u64>(rec + FLOW_LAST_SEEN, tsUs);
  store<u8>(rec + FLOW_TUNNEL, <u8>info.tunnel);
  store<u8>(rec + FLOW_STATE, STATE_ACTIVE);
  store<u64>(index + (<usize>slot << 3), (<u64>hash << 32) | <u64>(id + 1));
  linkNewest(id, rec);
  classifyNewFlow(rec);
  activeFlows++;
  bump(STAT_FLOWS_CREATED);
  setStat(STAT_FLOWS_ACTIVE, activeFlows);
  emitEvent(EVENT_FLOW_CREATED, id, rec);
  // Flows named by their IP protocol (ICMP, ESP...) are decided at creation.
  if ((load<u8>(rec + FLOW_L7_FLAGS) & L7_DONE) != 0) emitEvent(EVENT_FLOW_DETECTED, id, rec);
  if (activeFlows > (indexMask + 1) >> 1) growIndex();
  lastFromClient = true;
  return id;
}

function freeSlotFor(hash: u32): u32 {
  let slot = hash & indexMask;
  while (load<u64>(index + (<usize>slot << 3)) != 0) slot = (slot + 1) & indexMask;
  return slot;
}

@inline function isIdle(id: u32, nowUs: u64): bool {
  return idleTimeoutUs != 0 && nowUs - load<u64>(recordPtr(id) + FLOW_LAST_SEEN) > idleTimeoutUs;
}

/** Adds one frame to the flow's counters in the packet's direction. */
export function accountPacket(id: u32, tsUs: u64, frameLen: u32): void {
  const rec = recordPtr(id);
  const dir = rec + (lastFromClient ? 0 : FLOW_DIRECTION_STRIDE);
  store<u64>(dir + FLOW_C2S_PACKETS, load<u64>(dir + FLOW_C2S_PACKETS) + 1);
  store<u64>(dir + FLOW_C2S_BYTES, load<u64>(dir + FLOW_C2S_BYTES) + frameLen);
  store<u64>(dir + FLOW_C2S_GOODPUT, load<u64>(dir + FLOW_C2S_GOODPUT) + info.payloadLen);
  store<u64>(rec + FLOW_LAST_SEEN, tsUs); // packet time is monotonic (pipeline.ts)
  if (info.tcpFlags != 0) {
    const flagsAt = rec + FLOW_C2S_TCP_FLAGS + (lastFromClient ? 0 : 1);
    store<u8>(flagsAt, load<u8>(flagsAt) | <u8>info.tcpFlags);
    updateHandshake(rec + FLOW_TCP_HANDSHAKE, lastFromClient, info.tcpFlags);
  } else if (info.l4Proto == IPPROTO_TCP && info.tcpHeaderSeen && lastFromClient) {
    store<u8>(rec + FLOW_TCP_ODDITIES, load<u8>(rec + FLOW_TCP_ODDITIES) | TCP_ODD_NULL_SEGMENT);
  }
  // The last packet's TOS and ICMP type/code per direction, as ntopng keeps them (its DSCP and
  // ICMP paginator filters and Flow::lua's tos/icmp tables read them).
  store<u8>(rec + (lastFromClient ? FLOW_C2S_TOS : FLOW_S2C_TOS), <u8>info.tos);
  if ((info.l4Proto == IPPROTO_ICMP || info.l4Proto == IPPROTO_ICMPV6) && info.payloadLen > 2) {
    const icmpAt = rec + (lastFromClient ? FLOW_C2S_ICMP_TYPE : FLOW_S2C_ICMP_TYPE);
    store<u8>(icmpAt, load<u8>(info.payloadPtr));
    store<u8>(icmpAt + 1, load<u8>(info.payloadPtr + 1));
  }
}

function linkNewest(id: u32, rec: usize): void {
  store<u32>(rec + FLOW_NEXT_LINK, NO_RECORD);
  store<u32>(rec + FLOW_PREV_ACTIVE, newestActive);
  if (newestActive == NO_RECORD) oldestActive = id;
  else store<u32>(recordPtr(newestActive) + FLOW_NEXT_LINK, id);
  newestActive = id;
}

function unlinkActive(rec: usize): void {
  const next = load<u32>(rec + FLOW_NEXT_LINK);
  const prev = load<u32>(rec + FLOW_PREV_ACTIVE);
  if (prev == NO_RECORD) oldestActive = next;
  else store<u32>(recordPtr(prev) + FLOW_NEXT_LINK, next);
  if (next == NO_RECORD) newestActive = prev;
  else store<u32>(recordPtr(next) + FLOW_PREV_ACTIVE, prev);
}

function takeRecord(): u32 {
  if (freeHead != NO_RECORD) {
    const id = freeHead;
    freeHead = load<u32>(recordPtr(id) + FLOW_NEXT_LINK);
    return id;
  }
  if (highWater >> RECORDS_PER_CHUNK_LOG2 >= numChunks) {
    if (numChunks >= MAX_CHUNKS) return NO_RECORD;
    store<usize>(chunks + (<usize>numChunks << 3), heap.alloc(<usize>RECORDS_PER_CHUNK * FLOW_RECORD_SIZE));
    numChunks++;
  }
  return highWater++;
}

function growIndex(): void {
  const oldIndex = index;
  const oldSlots = indexMask + 1;
  allocIndex(oldSlots << 1);
  for (let s: u32 = 0; s < oldSlots; s++) {
    const entry = load<u64>(oldIndex + (<usize>s << 3));
    if (entry == 0) continue;
    let slot = <u32>(entry >> 32) & indexMask;
    while (load<u64>(index + (<usize>slot << 3)) != 0) slot = (slot + 1) & indexMask;
    store<u64>(index + (<usize>slot << 3), entry);
  }
  heap.free(oldIndex);
}

/** Removes record `id` from the index, shifting later entries of its probe run back. */
function unindex(id: u32): void {
  const rec = recordPtr(id);
  let slot = load<u32>(rec + FLOW_KEY_HASH) & indexMask;
  const wanted = <u64>(id + 1);
  while ((load<u64>(index + (<usize>slot << 3)) & 0xffffffff) != wanted) slot = (slot + 1) & indexMask;
  let hole = slot;
  let next = (hole + 1) & indexMask;
  while (true) {
    const entry = load<u64>(index + (<usize>next << 3));
    if (entry == 0) break;
    const home = <u32>(entry >> 32) & indexMask;
    // Move the entry into the hole unless its home lies cyclically in (hole, next].
    const stays = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
    if (!stays) {
      store<u64>(index + (<usize>hole << 3), entry);
      hole = next;
    }
    next = (next + 1) & indexMask;
  }
  store<u64>(index + (<usize>hole << 3), 0);
}

/**
 * Ends a flow: it leaves the index and its flow_ended event carries a copy of the record.
 * keepRecord (end of input) leaves the record readable as ENDED; otherwise it is recycled now.
 */
export function endFlow(id: u32, keepRecord: bool): void {
  const rec = recordPtr(id);
  if (load<u8>(rec + FLOW_STATE) != STATE_ACTIVE) return;
  unindex(id);
  unlinkActive(rec);
  finishDissection(id, rec); // an undecided flow gets its guesses (and its detected event) before it ends
  setFlowRisks(rec, load<u64>(rec + FLOW_S2C_PACKETS), rec + FLOW_SRV_ADDR, <u32>load<u8>(rec + FLOW_IP_VERSION));
  activeFlows--;
  bump(STAT_FLOWS_PURGED);
  setStat(STAT_FLOWS_ACTIVE, activeFlows);
  store<u8>(rec + FLOW_STATE, keepRecord ? STATE_ENDED : STATE_FREE);
  emitEvent(EVENT_FLOW_ENDED, id, rec);
  if (!keepRecord) {
    retireBlock(rec);
    store<u32>(rec + FLOW_NEXT_LINK, freeHead);
    freeHead = id;
  }
}

@inline export function isActive(id: u32): bool {
  return load<u8>(recordPtr(id) + FLOW_STATE) == STATE_ACTIVE;
}

/** First id >= from whose record is active, or ended at end of input, or -1. */
export function nextReadableFlow(from: u32): i32 {
  for (let id = from; id < highWater; id++) {
    if (load<u8>(recordPtr(id) + FLOW_STATE) != STATE_FREE) return <i32>id;
  }
  return -1;
}

// --- Idle purging on packet time -------------------------------------------------------------
// A sweep walks the records a few per packet (bounded work per packet, no pause), ending those
// idle for longer than the timeout; a new sweep starts every sweep interval of packet time.

const SWEEP_RECORDS_PER_PACKET: u32 = 32;
let idleTimeoutUs: u64 = 0;
let sweepIntervalUs: u64 = 0;
let nextReclaimUs: u64 = 0;
let nextSweepUs: u64 = 0;
let sweepCursor: u32 = 0;
let sweeping: bool = false;

export function setIdleTimeout(timeoutUs: u64): void {
  idleTimeoutUs = timeoutUs;
  sweepIntervalUs = timeoutUs >> 2 < 1_000_000 ? 1_000_000 : timeoutUs >> 2;
  nextSweepUs = 0; sweepCursor = 0; sweeping = false; nextReclaimUs = 0;
}

export function sweepIdle(nowUs: u64): void {
  if (idleTimeoutUs == 0) return;
  if (!sweeping) {
    if (nextSweepUs == 0) nextSweepUs = nowUs + sweepIntervalUs;
    if (nowUs < nextSweepUs) return;
    sweeping = true;
    sweepCursor = 0;
  }
  let budget = SWEEP_RECORDS_PER_PACKET;
  while (budget-- > 0 && sweepCursor < highWater && eventSpace() > EVENT_HEADROOM) {
    const id = sweepCursor++;
    if (load<u8>(recordPtr(id) + FLOW_STATE) == STATE_ACTIVE && isIdle(id, nowUs)) endFlow(id, false);
  }
  if (sweepCursor >= highWater) {
    sweeping = false;
    nextSweepUs = nowUs + sweepIntervalUs;
  }
}

/** Ends active flows (end of input), oldest first, while the event ring has room. Returns true when none is left. */
export function endAllFlows(): bool {
  while (oldestActive != NO_RECORD) {
    if (eventSpace() <= 1) return false;
    endFlow(oldestActive, true);
  }
  return true;
}
