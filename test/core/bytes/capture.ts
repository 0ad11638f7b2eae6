// Capture file formats: pcap (draft-ietf-opsawg-pcap) and pcapng (draft-ietf-opsawg-pcapng).
import { ascii, cat, concat, padTo4, u16, u32, u64, zeros, type Bytes } from './primitives.ts';

// --- pcap (draft-ietf-opsawg-pcap) ------------------------------------------------------------

export interface PcapOptions { bigEndian?: boolean; nanos?: boolean; snaplen?: number }
export interface PcapRecord {
  sec: number;
  /** Microseconds, or nanoseconds in a nanosecond file. */
  frac?: number;
  data: Bytes;
  /** Defaults to data.length. */
  capLen?: number;
  origLen?: number;
}

/** §4 File Header: magic, major 2, minor 4, reserved1, reserved2, SnapLen, LinkType (+FCS bits). */
export function pcapFileHeader(linkType: number, opts: PcapOptions = {}): Bytes {
  const be = opts.bigEndian ?? false;
  return cat(
    u32(opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4, be), u16(2, be), u16(4, be),
    u32(0, be), u32(0, be), u32(opts.snaplen ?? 65535, be), u32(linkType, be),
  );
}

/** §5 Packet Record: timestamp seconds, µs/ns, captured length, original length, data. */
export function pcapRecord(rec: PcapRecord, opts: PcapOptions = {}): Bytes {
  const be = opts.bigEndian ?? false;
  return cat(u32(rec.sec, be), u32(rec.frac ?? 0, be), u32(rec.capLen ?? rec.data.length, be),
    u32(rec.origLen ?? rec.data.length, be), rec.data);
}

export function pcapFile(linkType: number, records: PcapRecord[], opts: PcapOptions = {}): Bytes {
  return concat([pcapFileHeader(linkType, opts), ...records.map((r) => pcapRecord(r, opts))]);
}

/** Base time of the test captures: 2023-11-14T22:13:20Z. */
export const T0 = 1_700_000_000;

/** A pcap of frames 1 ms apart from T0 (µs resolution). */
export function pcapOf(linkType: number, frames: Bytes[], opts: PcapOptions = {}): Bytes {
  return pcapFile(linkType, frames.map((data, i) => ({ sec: T0, frac: i * 1000, data })), opts);
}

// --- pcapng (draft-ietf-opsawg-pcapng) --------------------------------------------------------

export interface NgOptions { bigEndian?: boolean }
export interface NgOption { code: number; value: Bytes | number[] }

/** §3.5 options: code, length, value padded to 32 bits; opt_endofopt (0) closes the list. */
export function ngOptions(options: NgOption[], bigEndian = false): Bytes {
  if (options.length === 0) return zeros(0);
  const parts = options.map((o) => cat(u16(o.code, bigEndian), u16(o.value.length, bigEndian), padTo4(Uint8Array.from(o.value))));
  return cat(...parts, u16(0, bigEndian), u16(0, bigEndian));
}

/** §3.1 General Block Structure: type, total length, body (padded), total length again. */
export function ngBlock(type: number, body: Bytes, bigEndian = false): Bytes {
  const padded = padTo4(body);
  const total = padded.length + 12;
  return cat(u32(type, bigEndian), u32(total, bigEndian), padded, u32(total, bigEndian));
}

/** §4.1 Section Header Block: byte-order magic, version 1.0, section length -1 (unknown). */
export function shb(opts: NgOptions & { options?: NgOption[] } = {}): Bytes {
  const be = opts.bigEndian ?? false;
  return ngBlock(0x0a0d0d0a, cat(u32(0x1a2b3c4d, be), u16(1, be), u16(0, be), u64(-1n, be), ngOptions(opts.options ?? [], be)), be);
}

export interface IdbOptions extends NgOptions {
  snaplen?: number;
  /** if_tsresol byte: n = 10^-n s, 0x80|n = 2^-n s. Absent: µs. */
  tsresol?: number;
  /** if_tsoffset: seconds added to every timestamp (signed 64-bit). */
  tsoffset?: bigint;
  /** if_name, written first so the option walk has to skip it. */
  name?: string;
}

/** §4.2 Interface Description Block: LinkType, reserved, SnapLen, options (if_name 2, if_tsresol 9, if_tsoffset 14). */
export function idb(linkType: number, opts: IdbOptions = {}): Bytes {
  const be = opts.bigEndian ?? false;
  const options: NgOption[] = [];
  if (opts.name !== undefined) options.push({ code: 2, value: ascii(opts.name) });
  if (opts.tsresol !== undefined) options.push({ code: 9, value: [opts.tsresol] });
  if (opts.tsoffset !== undefined) options.push({ code: 14, value: u64(opts.tsoffset, be) });
  return ngBlock(1, cat(u16(linkType, be), u16(0, be), u32(opts.snaplen ?? 0, be), ngOptions(options, be)), be);
}

/** §4.3 Enhanced Packet Block: Interface ID, Timestamp (upper, lower), Captured, Original length, data, options. */
export function epb(iface: number, ticks: bigint, data: Bytes, opts: NgOptions & { origLen?: number; options?: NgOption[] } = {}): Bytes {
  const be = opts.bigEndian ?? false;
  return ngBlock(6, cat(u32(iface, be), u32(Number(ticks >> 32n), be), u32(Number(ticks & 0xffffffffn), be),
    u32(data.length, be), u32(opts.origLen ?? data.length, be), padTo4(data), ngOptions(opts.options ?? [], be)), be);
}

/** §4.4 Simple Packet Block: Original Packet Length, data (interface 0, no timestamp). */
export function spb(data: Bytes, opts: NgOptions & { origLen?: number } = {}): Bytes {
  const be = opts.bigEndian ?? false;
  return ngBlock(3, cat(u32(opts.origLen ?? data.length, be), data), be);
}

/** Appendix A, obsolete Packet Block: 16-bit Interface ID, 16-bit Drops Count, timestamp, lengths, data. */
export function opb(iface: number, ticks: bigint, data: Bytes, opts: NgOptions = {}): Bytes {
  const be = opts.bigEndian ?? false;
  return ngBlock(2, cat(u16(iface, be), u16(0, be), u32(Number(ticks >> 32n), be), u32(Number(ticks & 0xffffffffn), be),
    u32(data.length, be), u32(data.length, be), data), be);
}

/** µs ticks of T0 + offsetUs: the EPB timestamp of an interface with the default resolution. */
export const usTicks = (offsetUs = 0): bigint => BigInt(T0) * 1_000_000n + BigInt(offsetUs);
