// HTTP/1.x message syntax (RFC 9112): the start line and the header section are lines of
// ASCII text ended by CRLF (§2.2: a bare LF is accepted as a line end too); the header
// section ends at the first empty line. These helpers read that text in place, within
// [p, end), never past `end`.

export const CR: u32 = 0x0d;
export const LF: u32 = 0x0a;
export const SP: u32 = 0x20;
export const HTAB: u32 = 0x09;
export const COLON: u32 = 0x3a;
export const SEMICOLON: u32 = 0x3b;
export const SLASH: u32 = 0x2f;
export const DOT: u32 = 0x2e;

/** "HTTP/1." : the version prefix of a status line (RFC 9112 §4) and of a request line's end (§3). */
export const HTTP1_PREFIX_LEN: usize = 7;
/** "HTTP/1.1 200": version, SP and the three status digits (RFC 9112 §4). */
export const STATUS_LINE_MIN: usize = 12;
/** RFC 9113 §3.4: the HTTP/2 connection preface a client sends in clear text ("PRI * HTTP/2.0..."). */
export const H2_PREFACE_LEN: usize = 24;

@inline export function lowerAscii(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}

@inline export function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

@inline export function isUpperAlpha(c: u32): bool {
  return c - 0x41 < 26;
}

@inline export function isAlpha(c: u32): bool {
  return (c | 0x20) - 0x61 < 26;
}

/** Printable ASCII, space included. */
@inline export function isPrintable(c: u32): bool {
  return c - 0x20 < 0x5f;
}

/** Bytes [p, p+lit.length) equal the ASCII literal exactly (false when they would pass `end`). */
export function startsWith(p: usize, end: usize, lit: string): bool {
  const n = <usize>lit.length;
  if (end < p || end - p < n) return false;
  for (let i: usize = 0; i < n; i++) {
    if (<u32>load<u8>(p + i) != <u32>lit.charCodeAt(<i32>i)) return false;
  }
  return true;
}

/** Like startsWith, ignoring ASCII case; `lit` is given in lower case. */
export function startsWithNoCase(p: usize, end: usize, lit: string): bool {
  const n = <usize>lit.length;
  if (end < p || end - p < n) return false;
  for (let i: usize = 0; i < n; i++) {
    if (lowerAscii(<u32>load<u8>(p + i)) != <u32>lit.charCodeAt(<i32>i)) return false;
  }
  return true;
}

/** [p, end) is exactly `lit`, ignoring ASCII case (`lit` in lower case). */
export function equalsNoCase(p: usize, end: usize, lit: string): bool {
  return end >= p && end - p == <usize>lit.length && startsWithNoCase(p, end, lit);
}

/** First position of `lit` (lower case, matched ignoring case) in [p, end), or 0 when absent. */
export function findNoCase(p: usize, end: usize, lit: string): usize {
  const n = <usize>lit.length;
  if (end < p || end - p < n) return 0;
  const first = <u32>lit.charCodeAt(0);
  const last = end - n;
  for (let q = p; q <= last; q++) {
    if (lowerAscii(<u32>load<u8>(q)) == first && startsWithNoCase(q, end, lit)) return q;
  }
  return 0;
}

/** End of the line starting at p: the CR of its CRLF, its bare LF, or `end` when unterminated. */
export function lineEnd(p: usize, end: usize): usize {
  let q = p;
  while (q < end) {
    const c = <u32>load<u8>(q);
    if (c == LF) return q > p && <u32>load<u8>(q - 1) == CR ? q - 1 : q;
    q++;
  }
  return end;
}

/** Start of the next line after a line that ended at `le` (skips its CRLF or LF); `end` if none. */
export function nextLine(le: usize, end: usize): usize {
  let q = le;
  if (q < end && <u32>load<u8>(q) == CR) q++;
  if (q < end && <u32>load<u8>(q) == LF) q++;
  return q;
}

/** The line [ls, le) was terminated in the packet (a CRLF or LF follows it). */
@inline export function lineTerminated(le: usize, end: usize): bool {
  return le < end;
}

/** Skips optional whitespace (RFC 9110 §5.6.3 OWS: SP / HTAB) forward. */
export function skipOws(p: usize, end: usize): usize {
  let q = p;
  while (q < end) {
    const c = <u32>load<u8>(q);
    if (c != SP && c != HTAB) break;
    q++;
  }
  return q;
}

/** Drops trailing OWS of [p, end); returns the new end. */
export function trimOwsEnd(p: usize, end: usize): usize {
  let q = end;
  while (q > p) {
    const c = <u32>load<u8>(q - 1);
    if (c != SP && c != HTAB) break;
    q--;
  }
  return q;
}

/** Position of the first `c` in [p, end), or `end`. */
export function indexOf(p: usize, end: usize, c: u32): usize {
  let q = p;
  while (q < end && <u32>load<u8>(q) != c) q++;
  return q;
}

/**
 * Length of the request method at p followed by SP (RFC 9110 §9 methods, PATCH from RFC 5789,
 * the WebDAV methods of RFC 4918), 0 when the bytes start with none of them. CONNECT is
 * reported through isConnect.
 */
export function methodLength(p: usize, end: usize): usize {
  if (end <= p) return 0;
  switch (<u32>load<u8>(p)) {
    case 0x47: return startsWith(p, end, "GET ") ? 3 : 0;
    case 0x50:
      if (startsWith(p, end, "POST ")) return 4;
      if (startsWith(p, end, "PUT ")) return 3;
      if (startsWith(p, end, "PATCH ")) return 5;
      if (startsWith(p, end, "PROPFIND ")) return 8;
      if (startsWith(p, end, "PROPPATCH ")) return 9;
      return 0;
    case 0x48: return startsWith(p, end, "HEAD ") ? 4 : 0;
    case 0x44: return startsWith(p, end, "DELETE ") ? 6 : 0;
    case 0x43:
      if (startsWith(p, end, "CONNECT ")) return 7;
      if (startsWith(p, end, "COPY ")) return 4;
      return 0;
    case 0x4f: return startsWith(p, end, "OPTIONS ") ? 7 : 0;
    case 0x54: return startsWith(p, end, "TRACE ") ? 5 : 0;
    case 0x4d:
      if (startsWith(p, end, "MKCOL ")) return 5;
      if (startsWith(p, end, "MOVE ")) return 4;
      return 0;
    case 0x4c: return startsWith(p, end, "LOCK ") ? 4 : 0;
    case 0x55: return startsWith(p, end, "UNLOCK ") ? 6 : 0;
    case 0x52: return startsWith(p, end, "REPORT ") ? 6 : 0;
    case 0x53: return startsWith(p, end, "SEARCH ") ? 6 : 0;
  }
  return 0;
}

/** The literal begins with the n bytes at p. */
function literalBegins(lit: string, p: usize, n: usize): bool {
  if (n > <usize>lit.length) return false;
  for (let i: usize = 0; i < n; i++) {
    if (<u32>load<u8>(p + i) != <u32>lit.charCodeAt(<i32>i)) return false;
  }
  return true;
}

/** The segment is a strict beginning of a method and its SP ("GE", "POS"): more may follow. */
export function couldBeMethodPrefix(p: usize, end: usize): bool {
  const n = end - p;
  if (end <= p || n >= 8) return false;
  return literalBegins("GET ", p, n) || literalBegins("POST ", p, n) || literalBegins("PUT ", p, n) ||
    literalBegins("HEAD ", p, n) || literalBegins("OPTIONS ", p, n) || literalBegins("DELETE ", p, n) ||
    literalBegins("CONNECT ", p, n) || literalBegins("PATCH ", p, n);
}
