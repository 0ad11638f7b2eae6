// Per-Packet Information header (LINKTYPE_PPI 192, PPI spec 1.0.10): version, flags, a
// little-endian header length and the DLT of the frame that follows the header.
import { le16, le32 } from "../util/bytes";

export const PPI_LEN: usize = 2;
export const PPI_DLT: usize = 4;
export const PPI_MIN_LEN: usize = 8;

@inline export function ppiHeaderLen(ptr: usize): u32 { return le16(ptr + PPI_LEN); }
@inline export function ppiDlt(ptr: usize): u32 { return le32(ptr + PPI_DLT); }
