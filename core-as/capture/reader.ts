// Capture framing over byte chunks split at any point. The format comes from the magic
// number, never from a file name. A record that straddles two chunks is assembled in a carry
// buffer; everything else is framed in place, where the runtime copied the chunk.
//
// Damage handling: an implausible record or block header starts a resync: bytes are skipped
// (1 at a time for pcap, 4 for pcapng, whose blocks are 32-bit aligned) until a plausible
// header appears. Each episode counts once in CAPERR_CORRUPT_RECORDS, each byte in
// CAPERR_RESYNC_BYTES. Input that ends inside a record is counted by finishInput().
import { le32, rd16, rd32 } from "../util/bytes";
import {
  CAPERR_CAPLEN_REPAIRED, CAPERR_CORRUPT_RECORDS, CAPERR_NOT_A_CAPTURE, CAPERR_RESYNC_BYTES, CAPERR_TOO_MANY_INTERFACES,
  CAPERR_TRUNCATED_TAIL, CAPERR_TRUNCATED_TAIL_BYTES, SKIP_UNKNOWN_INTERFACE, STAT_BYTES,
  STAT_PACKETS, STAT_PCAPNG_OTHER_BLOCKS, add, bump, setStat,
} from "../stats";
import { EVENT_HEADROOM, eventSpace } from "../flow/events";
import { processFrame } from "../pipeline";
import * as pcap from "./pcap";
import * as ng from "./pcapng";

export const FORMAT_UNKNOWN: u32 = 0;
export const FORMAT_PCAP: u32 = 1;
export const FORMAT_PCAPNG: u32 = 2;
export const FORMAT_INVALID: u32 = 3;

let format: u32 = FORMAT_UNKNOWN;
let bigEndian: bool = false;
let nanoseconds: bool = false;
let pcapLinkType: u32 = 0;
let pcapMaxCaplen: u32 = pcap.PCAP_MAX_CAPLEN;
let headerSeen: bool = false;
let resyncing: bool = false;
let lastTsUs: u64 = 0;
/** The first 4 bytes of the input, for the runtime's "not a capture" message. */
let firstWord: u32 = 0;

// pcapng interfaces of the current section.
const MAX_INTERFACES: u32 = 256;
const ifLinkType: usize = memory.data(<i32>MAX_INTERFACES * 4, 4);
const ifTicksPerSec: usize = memory.data(<i32>MAX_INTERFACES * 8, 8);
const ifOffsetSec: usize = memory.data(<i32>MAX_INTERFACES * 8, 8);
const ifSnaplen: usize = memory.data(<i32>MAX_INTERFACES * 4, 4);
let numInterfaces: u32 = 0;

// Link types met, for the runtime's stats.
const MAX_LINK_TYPES: u32 = 16;
const linkTypesSeen: usize = memory.data(<i32>MAX_LINK_TYPES * 4, 4);
let numLinkTypesSeen: u32 = 0;

let carry: usize = 0;
let carryCapacity: usize = 0;
let carryLen: usize = 0;

const NEED_RESYNC: u32 = 0;

export function readerReset(): void {
  format = FORMAT_UNKNOWN; bigEndian = false; nanoseconds = false; pcapLinkType = 0;
  headerSeen = false; resyncing = false; lastTsUs = 0; firstWord = 0;
  numInterfaces = 0; numLinkTypesSeen = 0; carryLen = 0;
}

export function captureFormat(): u32 { return format; }
export function captureFirstWord(): u32 { return firstWord; }
export function linkTypesPtr(): usize { return linkTypesSeen; }
export function linkTypesCount(): u32 { return numLinkTypesSeen; }

function noteLinkType(linkType: u32): void {
  for (let i: u32 = 0; i < numLinkTypesSeen; i++) if (load<u32>(linkTypesSeen + (<usize>i << 2)) == linkType) return;
  if (numLinkTypesSeen < MAX_LINK_TYPES) { store<u32>(linkTypesSeen + (<usize>numLinkTypesSeen << 2), linkType); numLinkTypesSeen++; }
}

/**
 * Frames bytes [base, base+len). Returns how many were consumed: len, or less when the event
 * ring is nearly full (the runtime drains it and calls again with the rest).
 */
export function feedBytes(base: usize, len: usize): usize {
  let pos: usize = 0;
  // 1. Complete the unit that straddled the previous chunk.
  while (carryLen > 0) {
    if (format == FORMAT_INVALID) return len;
    const need = <usize>unitSize(carry, carryLen);
    if (format == FORMAT_INVALID) return len;
    if (need == NEED_RESYNC) { dropCarryFront(resyncStep()); continue; }
    if (carryLen < need) {
      const wanted = need - carryLen;
      const take = wanted < len - pos ? wanted : len - pos;
      ensureCarry(need);
      memory.copy(carry + carryLen, base + pos, take);
      carryLen += take;
      pos += take;
      if (carryLen < need) return len;
      continue; // the header may now reveal a longer unit
    }
    if (!processUnit(carry, need)) { dropCarryFront(resyncStep()); continue; }
    dropCarryFront(need);
  }
  // 2. Frame in place.
  while (pos < len) {
    if (format == FORMAT_INVALID) return len;
    if (eventSpace() < EVENT_HEADROOM) return pos;
    const avail = len - pos;
    const need = <usize>unitSize(base + pos, avail);
    if (format == FORMAT_INVALID) return len;
    if (need == NEED_RESYNC) { pos += skipResync(avail); continue; }
    if (need > avail) {
      ensureCarry(avail);
      memory.copy(carry, base + pos, avail);
      carryLen = avail;
      return len;
    }
    if (processUnit(base + pos, need)) pos += need;
    else pos += skipResync(avail);
  }
  return pos;
}

/**
 * End of input. While resynchronising, the carry may hold a header that only looked plausible
 * (its length ran past the end): keep scanning the carried bytes for real records. What is
 * left after that is an incomplete record.
 */
export function finishInput(): bool {
  while (carryLen > 0 && format != FORMAT_INVALID && resyncing) {
    dropCarryFront(resyncStep());
    while (carryLen > 0) {
      if (eventSpace() < EVENT_HEADROOM) return false; // the runtime drains, then calls again
      const need = <usize>unitSize(carry, carryLen);
      if (need == NEED_RESYNC) { dropCarryFront(resyncStep()); continue; }
      if (need > carryLen) break;
      if (!processUnit(carry, need)) { dropCarryFront(resyncStep()); continue; }
      dropCarryFront(need);
    }
  }
  if (carryLen > 0 && format != FORMAT_INVALID) {
    bump(CAPERR_TRUNCATED_TAIL);
    add(CAPERR_TRUNCATED_TAIL_BYTES, carryLen);
  }
  carryLen = 0;
  return true;
}

function resyncStep(): usize { return format == FORMAT_PCAPNG ? 4 : 1; }

function skipResync(avail: usize): usize {
  const step = resyncStep();
  const skipped = step < avail ? step : avail;
  add(CAPERR_RESYNC_BYTES, skipped);
  return skipped;
}

function dropCarryFront(n: usize): void {
  if (n >= carryLen) { carryLen = 0; return; }
  if (n != 0 && resyncing) add(CAPERR_RESYNC_BYTES, n);
  memory.copy(carry, carry + n, carryLen - n);
  carryLen -= n;
}

function ensureCarry(size: usize): void {
  if (size <= carryCapacity) return;
  let capacity = carryCapacity == 0 ? <usize>65536 : carryCapacity;
  while (capacity < size) capacity <<= 1;
  const grown = heap.alloc(capacity);
  if (carryLen > 0) memory.copy(grown, carry, carryLen);
  if (carry != 0) heap.free(carry);
  carry = grown;
  carryCapacity = capacity;
}

function enterResync(): u32 {
  if (!resyncing) { resyncing = true; bump(CAPERR_CORRUPT_RECORDS); }
  return NEED_RESYNC;
}

/**
 * Bytes the unit starting at p needs to be complete: a header size while the header is
 * incomplete, the full unit size once known, NEED_RESYNC when the header is implausible.
 */
function unitSize(p: usize, avail: usize): u32 {
  if (format == FORMAT_UNKNOWN) {
    if (avail < 4) return 4;
    firstWord = le32(p);
    if (pcap.pcapMagicKind(firstWord) != 0) { format = FORMAT_PCAP; return pcap.PCAP_FILE_HEADER_LEN; }
    if (firstWord == ng.BLOCK_SHB) { format = FORMAT_PCAPNG; return unitSize(p, avail); }
    format = FORMAT_INVALID;
    setStat(CAPERR_NOT_A_CAPTURE, 1);
    return 0xffffffff;
  }
  if (format == FORMAT_PCAP) {
    if (!headerSeen) return pcap.PCAP_FILE_HEADER_LEN;
    if (avail < pcap.PCAP_RECORD_HEADER_LEN) return pcap.PCAP_RECORD_HEADER_LEN;
    const caplen = effectiveCaplen(p);
    if (!plausiblePcapRecord(p, caplen)) return enterResync();
    return pcap.PCAP_RECORD_HEADER_LEN + caplen;
  }
  // pcapng
  if (avail < ng.BLOCK_MIN_LEN) return ng.BLOCK_MIN_LEN;
  const rawType = le32(p);
  if (rawType == ng.BLOCK_SHB) {
    const order = le32(p + ng.SHB_BYTE_ORDER);
    if (order == ng.BYTE_ORDER_MAGIC) bigEndian = false;
    else if (order == bswap<u32>(ng.BYTE_ORDER_MAGIC)) bigEndian = true;
    else return enterResync();
  } else if (!headerSeen) {
    return enterResync();
  }
  const total = ng.blockTotalLen(p, bigEndian);
  if (total < ng.BLOCK_MIN_LEN || (total & 3) != 0 || total > ng.BLOCK_MAX_LEN) return enterResync();
  if (resyncing && !plausibleBlockType(ng.blockType(p, bigEndian))) return enterResync();
  return total;
}

/**
 * A record whose captured length exceeds its original length cannot be right. When the original
 * length is plausible, read that many bytes (the captured length is the damaged field): this is
 * how a fuzzed record still yields its packet, as it does for nDPI's reader on libpcap.
 */
function effectiveCaplen(p: usize): u32 {
  const caplen = pcap.recCaplen(p, bigEndian);
  const origlen = pcap.recOriglen(p, bigEndian);
  if (caplen > origlen && caplen > pcapMaxCaplen && origlen <= pcapMaxCaplen && !resyncing) return origlen;
  return caplen;
}

function plausiblePcapRecord(p: usize, caplen: u32): bool {
  const origlen = pcap.recOriglen(p, bigEndian);
  if (caplen > pcapMaxCaplen || origlen > pcap.PCAP_MAX_ORIGLEN) return false;
  if (resyncing) {
    // Looking for a header inside garbage: also demand a sane length pair, a valid fraction
    // of a second and a time near the last good record.
    if (caplen == 0 || caplen > origlen) return false;
    if (pcap.recTsFrac(p, bigEndian) >= (nanoseconds ? <u32>1_000_000_000 : <u32>1_000_000)) return false;
    const sec = <u64>pcap.recTsSec(p, bigEndian);
    const lastSec = lastTsUs / 1_000_000;
    if (lastTsUs != 0 && (sec + 86400 < lastSec || sec > lastSec + 86400)) return false;
  }
  return true;
}

function plausibleBlockType(type: u32): bool {
  return type == ng.BLOCK_SHB || type == ng.BLOCK_IDB || type == ng.BLOCK_EPB || type == ng.BLOCK_SPB ||
    type == ng.BLOCK_OPB || type == 4 || type == 5;
}

/** Processes one complete unit. Returns false when its content proves the header wrong. */
function processUnit(p: usize, size: usize): bool {
  if (format == FORMAT_PCAP) {
    if (!headerSeen) { readPcapFileHeader(p); return true; }
    const caplen = effectiveCaplen(p);
    if (caplen != pcap.recCaplen(p, bigEndian)) bump(CAPERR_CAPLEN_REPAIRED);
    resyncing = false;
    const origlen = pcap.recOriglen(p, bigEndian);
    const frac = <u64>pcap.recTsFrac(p, bigEndian);
    const tsUs = <u64>pcap.recTsSec(p, bigEndian) * 1_000_000 + (nanoseconds ? frac / 1000 : frac);
    lastTsUs = tsUs;
    processFrame(pcapLinkType, p + pcap.PCAP_RECORD_HEADER_LEN, caplen, origlen, tsUs);
    return true;
  }
  if (format == FORMAT_PCAPNG) return processBlock(p, <u32>size);
  return true;
}

function readPcapFileHeader(p: usize): void {
  const kind = pcap.pcapMagicKind(le32(p));
  bigEndian = le32(p) != kind;
  nanoseconds = kind == pcap.PCAP_MAGIC_NANOS;
  // The link type field's upper bits carry FCS information (pcap draft §5): keep the low 16.
  pcapLinkType = rd32(p + pcap.PCAP_LINKTYPE, bigEndian) & 0xffff;
  const snaplen = rd32(p + pcap.PCAP_SNAPLEN, bigEndian);
  pcapMaxCaplen = snaplen > pcap.PCAP_MAX_CAPLEN ? snaplen : pcap.PCAP_MAX_CAPLEN;
  if (pcapMaxCaplen > pcap.PCAP_MAX_ORIGLEN) pcapMaxCaplen = pcap.PCAP_MAX_ORIGLEN;
  headerSeen = true;
  noteLinkType(pcapLinkType);
}

function processBlock(p: usize, total: u32): bool {
  if (rd32(p + <usize>total - 4, bigEndian) != total) return enterResync() != NEED_RESYNC;
  const type = ng.blockType(p, bigEndian);
  if (type == ng.BLOCK_SHB) {
    if (total < ng.SHB_MIN_LEN) return enterResync() != NEED_RESYNC;
    headerSeen = true;
    numInterfaces = 0; // interfaces are scoped to their section
  } else if (type == ng.BLOCK_IDB) {
    readInterface(p, total);
  } else if (type == ng.BLOCK_EPB || type == ng.BLOCK_OPB) {
    const opb = type == ng.BLOCK_OPB;
    if (total < <u32>ng.EPB_DATA + 4) return enterResync() != NEED_RESYNC;
    const iface = opb ? rd16(p + ng.OPB_INTERFACE, bigEndian) : rd32(p + ng.EPB_INTERFACE, bigEndian);
    const tsTicks = (<u64>rd32(p + ng.EPB_TS_HIGH, bigEndian) << 32) | <u64>rd32(p + ng.EPB_TS_LOW, bigEndian);
    let caplen = rd32(p + ng.EPB_CAPLEN, bigEndian);
    const origlen = rd32(p + ng.EPB_ORIGLEN, bigEndian);
    const room = total - <u32>ng.EPB_DATA - 4;
    if (caplen > room) return enterResync() != NEED_RESYNC;
    resyncing = false;
    if (iface >= numInterfaces) {
      bump(STAT_PACKETS);
      add(STAT_BYTES, origlen);
      bump(SKIP_UNKNOWN_INTERFACE);
      return true;
    }
    const tsUs = ticksToMicros(iface, tsTicks);
    lastTsUs = tsUs;
    processFrame(load<u32>(ifLinkType + (<usize>iface << 2)), p + ng.EPB_DATA, caplen, origlen, tsUs);
  } else if (type == ng.BLOCK_SPB) {
    if (total < <u32>ng.SPB_DATA + 4) return enterResync() != NEED_RESYNC;
    resyncing = false;
    // §4.4: the captured length is min(original length, the interface's snaplen); the block
    // body is padded to 32 bits, so its size alone overstates it.
    const origlen = rd32(p + ng.SPB_ORIGLEN, bigEndian);
    const room = total - <u32>ng.SPB_DATA - 4;
    const snaplen = numInterfaces == 0 ? <u32>0 : load<u32>(ifSnaplen);
    let caplen = origlen < room ? origlen : room;
    if (snaplen != 0 && snaplen < caplen) caplen = snaplen;
    if (numInterfaces == 0) {
      bump(STAT_PACKETS); add(STAT_BYTES, origlen); bump(SKIP_UNKNOWN_INTERFACE);
      return true;
    }
    // No timestamp: reuse the last one so flows stay in time order.
    processFrame(load<u32>(ifLinkType), p + ng.SPB_DATA, caplen, origlen, lastTsUs);
  } else {
    resyncing = false;
    bump(STAT_PCAPNG_OTHER_BLOCKS);
  }
  return true;
}

function readInterface(p: usize, total: u32): void {
  if (numInterfaces >= MAX_INTERFACES) { bump(CAPERR_TOO_MANY_INTERFACES); return; }
  const slot = <usize>numInterfaces;
  numInterfaces++;
  const linkType = rd16(p + ng.IDB_LINKTYPE, bigEndian);
  let ticks: u64 = 1_000_000; // default resolution: microseconds
  let offsetSec: i64 = 0;
  let opt = p + ng.IDB_OPTIONS;
  const end = p + <usize>total - 4;
  while (end - opt >= 4 && opt < end) {
    const code = ng.opt16(opt, bigEndian);
    const len = <usize>ng.opt16(opt + 2, bigEndian);
    if (code == ng.OPT_END || opt + 4 + len > end) break;
    if (code == ng.OPT_IF_TSRESOL && len >= 1) {
      const t = ng.ticksPerSecond(<u32>load<u8>(opt + 4));
      if (t != 0) ticks = t;
    } else if (code == ng.OPT_IF_TSOFFSET && len >= 8) {
      offsetSec = bigEndian ? <i64>bswap<u64>(load<u64>(opt + 4)) : load<i64>(opt + 4);
    }
    opt += 4 + ((len + 3) & ~<usize>3);
  }
  store<u32>(ifLinkType + (slot << 2), linkType);
  store<u32>(ifSnaplen + (slot << 2), rd32(p + ng.IDB_SNAPLEN, bigEndian));
  store<u64>(ifTicksPerSec + (slot << 3), ticks);
  store<i64>(ifOffsetSec + (slot << 3), offsetSec);
  noteLinkType(linkType);
}

function ticksToMicros(iface: u32, ticks: u64): u64 {
  const perSec = load<u64>(ifTicksPerSec + (<usize>iface << 3));
  const offset = load<i64>(ifOffsetSec + (<usize>iface << 3));
  let us: u64;
  if (perSec == 1_000_000) us = ticks;
  else {
    const sec = ticks / perSec;
    const frac = ticks % perSec;
    // frac < perSec; scale to µs without overflowing 64 bits for any resolution up to 2^63.
    const fracUs = perSec <= 1_000_000_000_000 ? frac * 1_000_000 / perSec : frac / (perSec / 1_000_000);
    us = sec * 1_000_000 + fracUs;
  }
  return <u64>(<i64>us + offset * 1_000_000);
}
