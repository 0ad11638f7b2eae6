// Matching and copying ASCII text in packet bytes without allocating: the literals are
// AssemblyScript string constants (static UTF-16 data), compared byte by byte.

@inline function upper(c: u32): u32 {
  return c - 0x61 < 26 ? c - 0x20 : c;
}

/** Does [p, end) start with `lit`, ignoring ASCII case? */
export function startsWithCi(p: usize, end: usize, lit: string): bool {
  const n = <usize>lit.length;
  if (p > end || end - p < n) return false;
  const s = changetype<usize>(lit);
  for (let i: usize = 0; i < n; i++) {
    if (upper(<u32>load<u8>(p + i)) != upper(<u32>load<u16>(s + (i << 1)))) return false;
  }
  return true;
}

/** Does [p, end) start with `lit` exactly? */
export function startsWith(p: usize, end: usize, lit: string): bool {
  const n = <usize>lit.length;
  if (p > end || end - p < n) return false;
  const s = changetype<usize>(lit);
  for (let i: usize = 0; i < n; i++) {
    if (<u32>load<u8>(p + i) != <u32>load<u16>(s + (i << 1))) return false;
  }
  return true;
}

/** Does [p, end) contain `lit` (case-insensitive) anywhere? Bounded by the span's length. */
export function containsCi(p: usize, end: usize, lit: string): bool {
  const n = <usize>lit.length;
  if (p > end || end - p < n) return false;
  for (let at = p; at + n <= end; at++) {
    if (startsWithCi(at, end, lit)) return true;
  }
  return false;
}

/** Does [p, end) contain `lit` (exact case) anywhere? Bounded by the span's length. */
export function contains(p: usize, end: usize, lit: string): bool {
  const n = <usize>lit.length;
  if (p > end || end - p < n) return false;
  for (let at = p; at + n <= end; at++) {
    if (startsWith(at, end, lit)) return true;
  }
  return false;
}

/** End of the line starting at p: the first CR or LF, or `end`. */
export function lineEnd(p: usize, end: usize): usize {
  let at = p;
  while (at < end) {
    const c = load<u8>(at);
    if (c == 0x0d || c == 0x0a) break;
    at++;
  }
  return at;
}

/** Start of the next line after the one starting at p (past CR LF / LF), or `end`. */
export function nextLine(p: usize, end: usize): usize {
  let at = lineEnd(p, end);
  if (at < end && load<u8>(at) == 0x0d) at++;
  if (at < end && load<u8>(at) == 0x0a) at++;
  return at;
}

/** First byte of [p, end) that is not a space or tab, or `end`. */
export function skipBlanks(p: usize, end: usize): usize {
  let at = p;
  while (at < end && (load<u8>(at) == 0x20 || load<u8>(at) == 0x09)) at++;
  return at;
}

/** First space, tab, CR or LF of [p, end), or `end`. */
export function tokenEnd(p: usize, end: usize): usize {
  let at = p;
  while (at < end) {
    const c = load<u8>(at);
    if (c == 0x20 || c == 0x09 || c == 0x0d || c == 0x0a) break;
    at++;
  }
  return at;
}

@inline export function isDigit(c: u32): bool { return c - 0x30 < 10; }

@inline export function isPrintable(c: u32): bool { return c - 0x20 < 0x5f; }

/** Copies [p, p+len) to out in lower case; returns len. */
export function copyLower(out: usize, p: usize, len: usize): usize {
  for (let i: usize = 0; i < len; i++) {
    const c = <u32>load<u8>(p + i);
    store<u8>(out + i, <u8>(c - 0x41 < 26 ? c + 0x20 : c));
  }
  return len;
}

const literalScratch: usize = memory.data(256);

/**
 * The ASCII bytes of a string literal (at most 256), in a scratch buffer valid until the next
 * call: for storing a fixed text with metaSetString(rec, field, literalBytes(s), s.length).
 */
export function literalBytes(lit: string): usize {
  const n = min(<usize>lit.length, 256);
  const s = changetype<usize>(lit);
  for (let i: usize = 0; i < n; i++) store<u8>(literalScratch + i, <u8>load<u16>(s + (i << 1)));
  return literalScratch;
}

/**
 * Is [p, p+n) one of the words of `list` (separated by single spaces), ignoring ASCII case?
 * For short keyword lists: the scan is bounded by the list's length.
 */
export function inWordList(p: usize, n: usize, list: string): bool {
  if (n == 0) return false;
  const s = changetype<usize>(list);
  const total = <usize>list.length;
  let start: usize = 0;
  while (start < total) {
    let stop = start;
    while (stop < total && load<u16>(s + (stop << 1)) != 0x20) stop++;
    if (stop - start == n) {
      let same = true;
      for (let i: usize = 0; i < n; i++) {
        if (upper(<u32>load<u8>(p + i)) != upper(<u32>load<u16>(s + ((start + i) << 1)))) { same = false; break; }
      }
      if (same) return true;
    }
    start = stop + 1;
  }
  return false;
}

/** Is c allowed in a host name as nDPI keeps one: letters, digits, '-', '_' and '.'? */
@inline export function isHostChar(c: u32): bool {
  return (c - 0x61 < 26) || (c - 0x41 < 26) || (c - 0x30 < 10) || c == 0x2d || c == 0x5f || c == 0x2e;
}
