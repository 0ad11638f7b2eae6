// Attacks carried in a request target: SQL injection, cross-site scripting and command
// injection (nDPI's risks 2 "SQL Injection", 1 "XSS Attack", 3 "RCE Injection"). nDPI runs a
// full injection tokenizer for the first two; this is a smaller detector of the same shapes,
// written for this project: the target is percent-decoded (RFC 3986 §2.1; '+' as space, as
// HTML forms encode it), lower-cased, and searched for the constructs that only make sense
// as code: a quote that closes a string and goes on with SQL, UNION SELECT, SQL comments after
// a quote, tautologies (or 1=1), script tags and handlers, shell pipelines. A lone quote
// ("id=1'") is a probe, not an injection, and is not flagged (nDPI does not flag it either).
import { setRisk } from "../classify/classify";
import {
  RISK_URL_POSSIBLE_RCE_INJECTION, RISK_URL_POSSIBLE_SQL_INJECTION, RISK_URL_POSSIBLE_XSS,
} from "../classify/generated/risks";
import { findNoCase, isAlpha, isDigit, lowerAscii } from "../wire/http";

const DECODED_MAX: usize = 1024;
const decoded: usize = memory.data(1024);
let decodedLen: usize = 0;
// Characters that each family of attack needs; a target without them skips its searches.
let hasMarkup = false;   // '<' ':' '('
let hasSqlMark = false;  // a quote, or a space (keywords are words)
let hasShellMark = false; // ';' '|' '$' '/' '`'

@inline function hexValue(c: u32): i32 {
  if (isDigit(c)) return <i32>(c - 0x30);
  const l = lowerAscii(c);
  if (l - 0x61 < 6) return <i32>(l - 0x61 + 10);
  return -1;
}

/** Percent-decodes and lower-cases [p, p+len) into `decoded`. */
function decode(p: usize, len: usize): void {
  hasMarkup = false; hasSqlMark = false; hasShellMark = false;
  let n: usize = 0;
  const end = p + len;
  let q = p;
  while (q < end && n < DECODED_MAX) {
    let c = <u32>load<u8>(q++);
    if (c == 0x25 && end - q >= 2) {
      const hi = hexValue(<u32>load<u8>(q));
      const lo = hexValue(<u32>load<u8>(q + 1));
      if (hi >= 0 && lo >= 0) { c = <u32>((hi << 4) | lo); q += 2; }
    } else if (c == 0x2b) {
      c = 0x20;
    }
    store<u8>(decoded + n++, <u8>lowerAscii(c));
    if (c == 0x3c || c == 0x3a || c == 0x28) hasMarkup = true;
    else if (c == 0x27 || c == 0x22 || c == 0x20) hasSqlMark = true;
    else if (c == 0x3b || c == 0x7c || c == 0x24 || c == 0x2f || c == 0x60) hasShellMark = true;
  }
  decodedLen = n;
}

@inline function at(i: usize): u32 {
  return i < decodedLen ? <u32>load<u8>(decoded + i) : 0;
}

@inline function isWordChar(c: u32): bool {
  return isAlpha(c) || isDigit(c) || c == 0x5f;
}

@inline function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d;
}

function skipSpaces(i: usize): usize {
  while (i < decodedLen && isSpace(at(i))) i++;
  return i;
}

/** The word at i (bounded by non-word characters) is `w`. */
function wordAt(i: usize, w: string): bool {
  const n = <usize>w.length;
  if (decodedLen - i < n) return false;
  if (i > 0 && isWordChar(at(i - 1))) return false;
  for (let k: usize = 0; k < n; k++) if (at(i + k) != <u32>w.charCodeAt(<i32>k)) return false;
  return !isWordChar(at(i + n));
}

/** Position after the word `w` found as a whole word at or after `from`, or 0. */
function findWord(from: usize, w: string): usize {
  for (let i = from; i < decodedLen; i++) {
    if (at(i) == <u32>w.charCodeAt(0) && wordAt(i, w)) return i + <usize>w.length;
  }
  return 0;
}

/** The decoded target holds `lit` (lower case). `decoded` is static data, never at address 0. */
@inline function contains(lit: string): bool {
  return findNoCase(decoded, decoded + decodedLen, lit) != 0;
}

/** SQL words that continue an expression after a string was closed. */
function sqlContinuation(i: usize): bool {
  return wordAt(i, "and") || wordAt(i, "or") || wordAt(i, "xor") || wordAt(i, "union") ||
    wordAt(i, "select") || wordAt(i, "order") || wordAt(i, "group") || wordAt(i, "having") ||
    wordAt(i, "waitfor") || wordAt(i, "into") || wordAt(i, "like");
}

/** A term of a comparison: a number, a quoted string or a word. Returns its end, or 0. */
function termEnd(i: usize): usize {
  const c = at(i);
  if (c == 0x27 || c == 0x22) {
    let j = i + 1;
    while (j < decodedLen && at(j) != c) j++;
    return j < decodedLen ? j + 1 : 0;
  }
  let j = i;
  while (j < decodedLen && isWordChar(at(j))) j++;
  return j > i ? j : 0;
}

/** "or 1=1", "and 'a'='a'": a boolean operator followed by a comparison of two equal terms. */
function tautologyAt(i: usize): bool {
  let j: usize;
  if (wordAt(i, "or")) j = i + 2;
  else if (wordAt(i, "and")) j = i + 3;
  else return false;
  j = skipSpaces(j);
  const a = j;
  const aEnd = termEnd(a);
  if (aEnd == 0) return false;
  j = skipSpaces(aEnd);
  if (at(j) != 0x3d) return false;
  const b = skipSpaces(j + 1);
  const bEnd = termEnd(b);
  if (bEnd == 0 || bEnd - b != aEnd - a) return false;
  for (let k: usize = 0; k < aEnd - a; k++) if (at(a + k) != at(b + k)) return false;
  return true;
}

function looksLikeSqlInjection(): bool {
  const union = findWord(0, "union");
  if (union != 0) {
    let j = skipSpaces(union);
    if (wordAt(j, "all")) j = skipSpaces(j + 3);
    if (wordAt(j, "select")) return true;
  }
  if (contains("information_schema") || contains("sleep(") || contains("benchmark(") || contains("waitfor delay")) return true;
  for (let i: usize = 0; i < decodedLen; i++) {
    const c = at(i);
    if (c == 0x27 || c == 0x22) {
      // A quote that ends a string, then more SQL or a comment hiding the rest of the query.
      let j = skipSpaces(i + 1);
      while (at(j) == 0x29) j = skipSpaces(j + 1); // ')' closing a group
      if (sqlContinuation(j)) return true;
      if (at(j) == 0x23 || (at(j) == 0x2d && at(j + 1) == 0x2d) || (at(j) == 0x2f && at(j + 1) == 0x2a)) return true;
    } else if (isSpace(c) && tautologyAt(i + 1)) {
      return true;
    }
  }
  return false;
}

function looksLikeXss(): bool {
  return contains("<script") || contains("</script") || contains("javascript:") || contains("vbscript:") ||
    contains("<img") || contains("<svg") || contains("<iframe") || contains("<body") || contains("<object") ||
    contains("<embed") || contains("onerror=") || contains("onload=") || contains("onmouseover=") ||
    contains("alert(") || contains("document.cookie");
}

function looksLikeCommandInjection(): bool {
  return contains("/bin/sh") || contains("/bin/bash") || contains("/etc/passwd") || contains("cmd.exe") ||
    contains("powershell") || contains(";cat ") || contains("|cat ") || contains(";wget ") || contains("|wget ") ||
    contains(";curl ") || contains("|curl ") || contains("$(") || contains("nc -e ");
}

/** Checks a request target (path and query as sent). */
export function checkUrlAttacks(rec: usize, target: usize, len: usize): void {
  decode(target, len);
  if (hasMarkup && looksLikeXss()) setRisk(rec, RISK_URL_POSSIBLE_XSS);
  if ((hasSqlMark || hasMarkup) && looksLikeSqlInjection()) setRisk(rec, RISK_URL_POSSIBLE_SQL_INJECTION);
  if ((hasShellMark || hasMarkup) && looksLikeCommandInjection()) setRisk(rec, RISK_URL_POSSIBLE_RCE_INJECTION);
}
