// Per-flow metadata: the strings and numbers dissectors extract (host name, URL, JA3...).
// Only flows that have some get a block, allocated when the first value is set (once per flow,
// never per packet) and grown by doubling up to META_MAX_BLOCK; a value that does not fit is
// truncated. A block outlives its flow's record until the runtime has read the flow's
// flow_ended event (releaseRetiredBlocks at the next feed).
//
// Block layout:
//    0  4 capacity   bytes in the block
//    4  4 used       end of the string heap (offset from the block start)
//    8 64 numbers    META_NUMBERS u32 slots (META_NUM_*)
//   72 128 strings   META_STRINGS (u16 offset, u16 length) slots (META_STR_*); length 0 = unset
//  200  .. heap      string bytes
import { FLOW_META_BLOCK } from "../flow/record";

import { META_NUMBERS, META_STRINGS } from "./meta_fields";
export * from "./meta_fields";

export const META_CAPACITY: usize = 0;
export const META_USED: usize = 4;
export const META_NUMBERS_AT: usize = 8;
export const META_STRINGS_AT: usize = META_NUMBERS_AT + <usize>META_NUMBERS * 4;
export const META_HEAP_AT: usize = META_STRINGS_AT + <usize>META_STRINGS * 4;

const META_FIRST_BLOCK: usize = 512;
export const META_MAX_BLOCK: usize = 16384;

function blockOf(rec: usize, create: bool): usize {
  let block = <usize>load<u32>(rec + FLOW_META_BLOCK);
  if (block == 0 && create) {
    block = heap.alloc(META_FIRST_BLOCK);
    memory.fill(block, 0, META_HEAP_AT);
    store<u32>(block + META_CAPACITY, <u32>META_FIRST_BLOCK);
    store<u32>(block + META_USED, <u32>META_HEAP_AT);
    store<u32>(rec + FLOW_META_BLOCK, <u32>block);
  }
  return block;
}

/** Sets string field `field` of the flow to bytes [ptr, ptr+len). Returns false if it was truncated. */
export function metaSetString(rec: usize, field: u32, ptr: usize, len: usize): bool {
  if (len == 0) return true;
  let block = blockOf(rec, true);
  let used = <usize>load<u32>(block + META_USED);
  let capacity = <usize>load<u32>(block + META_CAPACITY);
  if (used + len > capacity && capacity < META_MAX_BLOCK) {
    let grown = capacity;
    while (grown < used + len && grown < META_MAX_BLOCK) grown <<= 1;
    block = heap.realloc(block, grown);
    store<u32>(block + META_CAPACITY, <u32>grown);
    store<u32>(rec + FLOW_META_BLOCK, <u32>block);
    capacity = grown;
  }
  const room = capacity - used;
  const kept = len < room ? len : room;
  if (kept == 0) return false;
  memory.copy(block + used, ptr, kept);
  const slot = block + META_STRINGS_AT + (<usize>field << 2);
  store<u16>(slot, <u16>used);
  store<u16>(slot + 2, <u16>kept);
  store<u32>(block + META_USED, <u32>(used + kept));
  return kept == len;
}

export function metaHasString(rec: usize, field: u32): bool {
  const block = blockOf(rec, false);
  return block != 0 && load<u16>(block + META_STRINGS_AT + (<usize>field << 2) + 2) != 0;
}

/** Pointer to the string's bytes (length via metaStringLen), 0 when unset. */
export function metaStringPtr(rec: usize, field: u32): usize {
  const block = blockOf(rec, false);
  if (block == 0) return 0;
  const slot = block + META_STRINGS_AT + (<usize>field << 2);
  return load<u16>(slot + 2) == 0 ? 0 : block + <usize>load<u16>(slot);
}

export function metaStringLen(rec: usize, field: u32): u32 {
  const block = blockOf(rec, false);
  return block == 0 ? 0 : <u32>load<u16>(block + META_STRINGS_AT + (<usize>field << 2) + 2);
}

export function metaSetNumber(rec: usize, field: u32, value: u32): void {
  store<u32>(blockOf(rec, true) + META_NUMBERS_AT + (<usize>field << 2), value);
}

export function metaNumber(rec: usize, field: u32): u32 {
  const block = blockOf(rec, false);
  return block == 0 ? 0 : load<u32>(block + META_NUMBERS_AT + (<usize>field << 2));
}

// --- Lifetime -------------------------------------------------------------------------------

let retiredHead: usize = 0;

/**
 * The flow's record is being recycled: its block must stay readable until the runtime has read
 * the flow_ended event that points at it, so it is retired (the first word links the list).
 */
export function retireBlock(rec: usize): void {
  const block = <usize>load<u32>(rec + FLOW_META_BLOCK);
  if (block == 0) return;
  store<u32>(block + META_USED, <u32>retiredHead);
  retiredHead = block;
  store<u32>(rec + FLOW_META_BLOCK, 0);
}

/** Start of a feed: the events of the previous one have been read, free the retired blocks. */
export function releaseRetiredBlocks(): void {
  while (retiredHead != 0) {
    const block = retiredHead;
    retiredHead = <usize>load<u32>(block + META_USED);
    heap.free(block);
  }
}
