// Classic libpcap file format (draft-ietf-opsawg-pcap §4, §5): a 24-byte file header whose
// magic gives byte order and timestamp resolution, then records of a 16-byte header + data.
import { rd32 } from "../util/bytes";

export const PCAP_MAGIC_MICROS: u32 = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOS: u32 = 0xa1b23c4d;
export const PCAP_FILE_HEADER_LEN: u32 = 24;
export const PCAP_SNAPLEN: usize = 16;
export const PCAP_LINKTYPE: usize = 20;

export const PCAP_RECORD_HEADER_LEN: u32 = 16;
export const REC_TS_SEC: usize = 0;
export const REC_TS_FRAC: usize = 4;
export const REC_CAPLEN: usize = 8;
export const REC_ORIGLEN: usize = 12;

/** Largest record accepted when the file header's snaplen is smaller (Wireshark's default maximum). */
export const PCAP_MAX_CAPLEN: u32 = 262144;
/** Frames beyond this on-wire length are not plausible (64 KiB IP + jumbo/offload headroom). */
export const PCAP_MAX_ORIGLEN: u32 = 1 << 20;

/** Byte order and resolution from the first four bytes read little-endian; 0 when not pcap. */
export function pcapMagicKind(firstWordLe: u32): u32 {
  if (firstWordLe == PCAP_MAGIC_MICROS || firstWordLe == PCAP_MAGIC_NANOS) return firstWordLe;
  const swapped = bswap<u32>(firstWordLe);
  if (swapped == PCAP_MAGIC_MICROS || swapped == PCAP_MAGIC_NANOS) return swapped;
  return 0;
}

@inline export function recCaplen(rec: usize, bigEndian: bool): u32 { return rd32(rec + REC_CAPLEN, bigEndian); }
@inline export function recOriglen(rec: usize, bigEndian: bool): u32 { return rd32(rec + REC_ORIGLEN, bigEndian); }
@inline export function recTsSec(rec: usize, bigEndian: bool): u32 { return rd32(rec + REC_TS_SEC, bigEndian); }
@inline export function recTsFrac(rec: usize, bigEndian: bool): u32 { return rd32(rec + REC_TS_FRAC, bigEndian); }
