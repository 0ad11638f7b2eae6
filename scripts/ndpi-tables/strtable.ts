// A string -> value hash table laid out as static data for the wasm matchers
// (core-as/classify/host_match.ts reads it; keep both sides in step).
//
//   STR   u8[]   every key, lower-cased, back to back
//   ENT   u32[2] per entry: word0 = offset (bits 0-15) | length (16-23) | level (24-31),
//                           word1 = the value returned on a match
//   SLOTS u32[]  open addressing, linear probing, power-of-two size, load <= 1/2:
//                0 = empty, else (hash >>> 16) << 16 | (entry index + 1)
//
// Hash: 32-bit FNV-1a over the lower-cased ASCII bytes; the slot is `hash & mask`.
// The matcher hashes a name's substrings as it walks them and compares bytes on a tag hit.

export interface StrTableEntry {
  key: string;
  level: number;
  value: number;
}

export interface StrTable {
  str: number[];
  ent: number[];
  slots: number[];
  mask: number;
  maxLen: number;
}

export const FNV_OFFSET = 2166136261;
export const FNV_PRIME = 16777619;

export function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c | 0x20 : c;
}

export function fnv1aLower(bytes: ArrayLike<number>): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ lowerAscii(bytes[i]), FNV_PRIME) >>> 0;
  return h;
}

function asciiBytes(key: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) throw new Error(`gen-ndpi-tables: non-printable-ASCII key ${JSON.stringify(key)}`);
    out.push(lowerAscii(c));
  }
  return out;
}

export function buildStrTable(entries: StrTableEntry[]): StrTable {
  if (entries.length >= 0xffff) throw new Error('gen-ndpi-tables: too many entries for a u16 entry index');
  let size = 16;
  while (size < entries.length * 2) size *= 2;
  const mask = size - 1;
  const slots = new Array<number>(size).fill(0);
  const str: number[] = [];
  const ent: number[] = [];
  const seen = new Set<string>();
  let maxLen = 0;
  entries.forEach((e, index) => {
    const bytes = asciiBytes(e.key);
    const lowered = String.fromCharCode(...bytes);
    if (seen.has(lowered)) throw new Error(`gen-ndpi-tables: duplicate key ${e.key}`);
    seen.add(lowered);
    if (bytes.length === 0 || bytes.length > 255) throw new Error(`gen-ndpi-tables: key length ${bytes.length} out of range`);
    if (e.level < 0 || e.level > 255) throw new Error(`gen-ndpi-tables: level ${e.level} out of range`);
    if (str.length + bytes.length > 0xffff) throw new Error('gen-ndpi-tables: string blob exceeds 64 KiB');
    ent.push((str.length | (bytes.length << 16) | (e.level << 24)) >>> 0, e.value >>> 0);
    str.push(...bytes);
    maxLen = Math.max(maxLen, bytes.length);
    const h = fnv1aLower(bytes);
    let i = h & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = (((h >>> 16) << 16) | (index + 1)) >>> 0;
  });
  return { str, ent, slots, mask, maxLen };
}
