// The module's ABI: exported functions only, each a few lines calling into the modules.
// Protocol of use (runtime/engine.ts): init() once; per chunk, copy the bytes to inputBuffer()
// and call feed() until it has consumed them all, draining events between calls; at the end
// call finish() until it returns 1, draining events between calls.
import { feedBytes, finishInput, readerReset } from "./capture/reader";
import { clearEvents } from "./flow/events";
import { endAllFlows, setIdleTimeout, tableInit, recordPtr, nextReadableFlow } from "./flow/table";
import { resetStats, statsBase } from "./stats";
import { resetPacketInfo } from "./decode/packet_info";
import { resetClock } from "./pipeline";
import { releaseRetiredBlocks } from "./dissect/meta";
import { stunCacheReset } from "./dissect/stun_cache";
import { tincCacheReset } from "./dissect/tinc_cache";
import { ooklaCacheReset } from "./dissect/ookla";

export * from "./stats";
export * from "./flow/record";
export { META_NUMBERS_AT, META_STRINGS_AT } from "./dissect/meta";
export * from "./dissect/meta_fields";
export { EVENT_FLOW_CREATED, EVENT_FLOW_DETECTED, EVENT_FLOW_ENDED, EVENT_SIZE, EVENT_RECORD, eventsPtr, eventCount } from "./flow/events";
export { FORMAT_UNKNOWN, FORMAT_PCAP, FORMAT_PCAPNG, FORMAT_INVALID, captureFormat, captureFirstWord, linkTypesPtr, linkTypesCount } from "./capture/reader";
export { flowHighWater, flowCount } from "./flow/table";
export {
  TUNNEL_NONE, TUNNEL_IP_IN_IP, TUNNEL_GRE, TUNNEL_VXLAN, TUNNEL_GTP, TUNNEL_CAPWAP, TUNNEL_TZSP,
} from "./decode/packet_info";

let input: usize = 0;
let inputCapacity: usize = 0;

/** Starts a new analysis. maxFlows 0 = default; idleTimeoutMs 0 = flows never expire. */
export function init(maxFlows: u32, idleTimeoutMs: u32): void {
  resetStats();
  readerReset();
  resetPacketInfo();
  resetClock();
  clearEvents();
  tableInit(maxFlows);
  setIdleTimeout(<u64>idleTimeoutMs * 1000);
  stunCacheReset();
  tincCacheReset();
  ooklaCacheReset();
}

/** Scratch region of at least `size` bytes where the runtime copies each chunk. */
export function inputBuffer(size: u32): usize {
  if (<usize>size > inputCapacity) {
    if (input != 0) heap.free(input);
    input = heap.alloc(<usize>size);
    inputCapacity = size;
  }
  return input;
}

/** Frames input[offset, offset+len). Returns the bytes consumed (< len: drain events, call again). */
export function feed(offset: u32, len: u32): u32 {
  releaseRetiredBlocks();
  clearEvents();
  return <u32>feedBytes(input + <usize>offset, <usize>len);
}

/** End of input: counts a truncated tail, ends every flow. Returns 1 when done, 0 to be called again. */
export function finish(): u32 {
  clearEvents();
  if (!finishInput()) return 0;
  return endAllFlows() ? 1 : 0;
}

export function statsPtr(): usize { return statsBase; }
export function flowRecord(id: u32): usize { return recordPtr(id); }
/** First flow id >= from that is active (or, after finish, ended at end of input), or -1. */
export function nextFlow(from: u32): i32 { return nextReadableFlow(from); }
