// pcapng (draft-ietf-opsawg-pcapng): blocks of (type, total length, body, total length).
// The Section Header Block's byte-order magic sets the byte order of the whole section.
import { rd16, rd32 } from "../util/bytes";

export const BLOCK_SHB: u32 = 0x0a0d0d0a;
export const BLOCK_IDB: u32 = 0x00000001;
export const BLOCK_OPB: u32 = 0x00000002; // obsolete Packet Block, still written by old tools
export const BLOCK_SPB: u32 = 0x00000003;
export const BLOCK_EPB: u32 = 0x00000006;
export const BYTE_ORDER_MAGIC: u32 = 0x1a2b3c4d;

export const BLOCK_TYPE: usize = 0;
export const BLOCK_TOTAL_LEN: usize = 4;
export const BLOCK_BODY: usize = 8;
export const BLOCK_MIN_LEN: u32 = 12;
export const SHB_BYTE_ORDER: usize = 8;
export const SHB_MIN_LEN: u32 = 28;
/** Bigger blocks are taken for corruption (real packets are at most 256 KiB). */
export const BLOCK_MAX_LEN: u32 = 16 << 20;

// Interface Description Block (§4.2).
export const IDB_LINKTYPE: usize = 8;
export const IDB_SNAPLEN: usize = 12;
export const IDB_OPTIONS: usize = 16;
export const OPT_END: u32 = 0;
export const OPT_IF_TSRESOL: u32 = 9;
export const OPT_IF_TSOFFSET: u32 = 14;

// Enhanced Packet Block (§4.3).
export const EPB_INTERFACE: usize = 8;
export const EPB_TS_HIGH: usize = 12;
export const EPB_TS_LOW: usize = 16;
export const EPB_CAPLEN: usize = 20;
export const EPB_ORIGLEN: usize = 24;
export const EPB_DATA: usize = 28;

// Simple Packet Block (§4.4): interface 0, no timestamp.
export const SPB_ORIGLEN: usize = 8;
export const SPB_DATA: usize = 12;

// Obsolete Packet Block (appendix): 16-bit interface id and drop count.
export const OPB_INTERFACE: usize = 8;
export const OPB_TS_HIGH: usize = 12;
export const OPB_TS_LOW: usize = 16;
export const OPB_CAPLEN: usize = 20;
export const OPB_ORIGLEN: usize = 24;
export const OPB_DATA: usize = 28;

@inline export function blockType(block: usize, bigEndian: bool): u32 { return rd32(block + BLOCK_TYPE, bigEndian); }
@inline export function blockTotalLen(block: usize, bigEndian: bool): u32 { return rd32(block + BLOCK_TOTAL_LEN, bigEndian); }
@inline export function opt16(p: usize, bigEndian: bool): u32 { return rd16(p, bigEndian); }

/**
 * if_tsresol (§4.2): high bit clear means 10^-n seconds, set means 2^-n. Returns ticks per
 * second, or 0 when the exponent cannot be represented in 64 bits.
 */
export function ticksPerSecond(tsresol: u32): u64 {
  const exponent = tsresol & 0x7f;
  if ((tsresol & 0x80) != 0) return exponent < 64 ? (<u64>1 << exponent) : 0;
  if (exponent > 19) return 0;
  let ticks: u64 = 1;
  for (let i: u32 = 0; i < exponent; i++) ticks *= 10;
  return ticks;
}
