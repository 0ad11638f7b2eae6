// The event ring the runtime drains after each chunk. An entry is (kind u32, flow id u32)
// followed by a copy of the flow record as it was at the event: a flow ended by idle timeout
// has its record recycled at once, so its event is the only place it can still be read.
// The producer never overwrites: framing stops early when space runs low (see capture/reader.ts),
// so no event is ever lost and the runtime simply calls feed() again for the rest of the chunk.

import { FLOW_RECORD_SIZE } from "./record";
import { STAT_EVENTS_LOST, bump } from "../stats";

export const EVENT_FLOW_CREATED: u32 = 1;
export const EVENT_FLOW_ENDED: u32 = 2;
/** Dissection is over (protocol known, or given up): ntopng's protocol-detected moment. */
export const EVENT_FLOW_DETECTED: u32 = 3;

export const EVENT_RECORD: usize = 8;
export const EVENT_SIZE: usize = EVENT_RECORD + FLOW_RECORD_SIZE;
export const EVENT_CAPACITY: u32 = 1 << 13;
/** Room one more capture record may need (one creation; idle sweeps check space themselves). */
export const EVENT_HEADROOM: u32 = 8;

const ring: usize = heap.alloc(<usize>EVENT_CAPACITY * EVENT_SIZE);
let count: u32 = 0;

export function eventsPtr(): usize { return ring; }
export function eventCount(): u32 { return count; }
export function eventSpace(): u32 { return EVENT_CAPACITY - count; }
export function clearEvents(): void { count = 0; }

@inline export function emitEvent(kind: u32, flowId: u32, record: usize): void {
  // Producers keep EVENT_HEADROOM free before each record; this guard only protects memory.
  if (count >= EVENT_CAPACITY) { bump(STAT_EVENTS_LOST); return; }
  const entry = ring + <usize>count * EVENT_SIZE;
  store<u32>(entry, kind);
  store<u32>(entry + 4, flowId);
  memory.copy(entry + EVENT_RECORD, record, FLOW_RECORD_SIZE);
  count++;
}
