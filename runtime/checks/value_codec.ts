// JS values <-> the tagged byte format the Lua side decodes and encodes (lua/bootstrap.ts):
//   0 nil | 1 false | 2 true | 3 integer (<i8) | 4 float (<d) | 5 string (<s4, UTF-8)
//   6 table: <I4 pair count, then key, value, ...
// One blob crosses per host call, instead of one C API call per table field.

export type LuaValue = null | boolean | number | string | LuaValue[] | { [key: string]: LuaValue };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });
const MAX_DEPTH = 32;

/** A growable byte buffer, reused between encodings. */
export class ByteWriter {
  bytes = new Uint8Array(4096);
  view = new DataView(this.bytes.buffer);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.reserve(1);
    this.bytes[this.length++] = v;
  }

  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  i64(v: number): void {
    this.reserve(8);
    const high = Math.floor(v / 4294967296);
    this.view.setUint32(this.length, v - high * 4294967296, true);
    this.view.setInt32(this.length + 4, high, true);
    this.length += 8;
  }

  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  /** A string as <s4: length then UTF-8 bytes. */
  string(s: string): void {
    const ascii = isAscii(s);
    const max = ascii ? s.length : s.length * 3;
    this.reserve(4 + max);
    const at = this.length + 4;
    let n: number;
    if (ascii) {
      for (let i = 0; i < s.length; i++) this.bytes[at + i] = s.charCodeAt(i);
      n = s.length;
    } else {
      n = encoder.encodeInto(s, this.bytes.subarray(at)).written;
    }
    this.view.setUint32(this.length, n, true);
    this.length = at + n;
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Appends one value. Integral numbers in the safe range become Lua integers, others floats. */
export function encodeValue(w: ByteWriter, value: unknown, depth = 0): void {
  if (value === null || value === undefined) return w.u8(0);
  switch (typeof value) {
    case 'boolean':
      return w.u8(value ? 2 : 1);
    case 'number':
      if (Number.isSafeInteger(value)) {
        w.u8(3);
        return w.i64(value);
      }
      w.u8(4);
      return w.f64(value);
    case 'bigint':
      w.u8(3);
      return w.i64(Number(value));
    case 'string':
      w.u8(5);
      return w.string(value);
    case 'object': {
      if (depth >= MAX_DEPTH) throw new Error('value nested too deeply for Lua');
      w.u8(6);
      const countAt = w.length;
      w.u32(0);
      let count = 0;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (value[i] === undefined || value[i] === null) continue;
          w.u8(3);
          w.i64(i + 1);
          encodeValue(w, value[i], depth + 1);
          count++;
        }
      } else {
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
          if (item === undefined || item === null || typeof item === 'function') continue;
          w.u8(5);
          w.string(key);
          encodeValue(w, item, depth + 1);
          count++;
        }
      }
      w.view.setUint32(countAt, count, true);
      return;
    }
    default:
      return w.u8(0);
  }
}

/**
 * Decodes one value. Lua tables whose keys are exactly 1..n become arrays, others objects
 * (keys as strings).
 */
export function decodeValue(bytes: Uint8Array, start = 0): { value: LuaValue; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = start;
  const read = (depth: number): LuaValue => {
    if (depth > MAX_DEPTH + 1) throw new Error('value nested too deeply');
    const tag = bytes[pos++];
    switch (tag) {
      case 1: return false;
      case 2: return true;
      case 3: {
        const low = view.getUint32(pos, true);
        const high = view.getInt32(pos + 4, true);
        pos += 8;
        return high * 4294967296 + low;
      }
      case 4: {
        const v = view.getFloat64(pos, true);
        pos += 8;
        return v;
      }
      case 5: {
        const n = view.getUint32(pos, true);
        const s = decoder.decode(bytes.subarray(pos + 4, pos + 4 + n));
        pos += 4 + n;
        return s;
      }
      case 6: {
        const count = view.getUint32(pos, true);
        pos += 4;
        const entries: Array<[LuaValue, LuaValue]> = [];
        for (let i = 0; i < count; i++) {
          const key = read(depth + 1);
          const value = read(depth + 1);
          entries.push([key, value]);
        }
        const isArray = entries.every(([k]) => typeof k === 'number' && Number.isInteger(k) && k >= 1 && k <= count);
        if (isArray && count > 0) {
          const out: LuaValue[] = new Array(count).fill(null);
          for (const [k, v] of entries) out[(k as number) - 1] = v;
          return out;
        }
        const out: Record<string, LuaValue> = {};
        for (const [k, v] of entries) out[String(k)] = v;
        return out;
      }
      default:
        return null;
    }
  };
  const value = read(0);
  return { value, end: pos };
}
