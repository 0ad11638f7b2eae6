// Host names -> application, as nDPI's host_match list does it (hosts.json meta.matching):
//   - case-insensitive;
//   - a pattern not ending in '.' or '-' is anchored at the end of the name and matches the
//     whole name or a label-aligned suffix ("ws.amazon.com" matches "a.ws.amazon.com", not
//     "aws.amazon.com");
//   - a pattern ending in '.' or '-' ("instagram.", "fbcdn-") is not end-anchored: it matches
//     at the start of the name or right after any '.', the rest of the name may follow;
//   - a pattern starting with '-' ("-buy.itunes.apple.com") needs no boundary before it;
//   - an exact whole-name match wins at once; otherwise the highest level wins; on a tie the
//     match nDPI's left-to-right scan finds first (the one that ends first; at the same end,
//     the longer pattern).
// Data: core-as/classify/generated/hosts.ts (string hash tables, see scripts/ndpi-tables/strtable.ts).
// The walk: from every place a pattern may start (0, after a '.', at a '-'), hash the name
// forward and probe the table wherever a pattern may end (at a '.' or '-', or the name's end),
// never further than the longest pattern. No allocation.
import {
  CATHOST_ENT, CATHOST_SLOTS, CATHOST_SLOT_MASK, CATHOST_STR, CERT_COUNT, CERT_ENT, CERT_STR, FNV_OFFSET, FNV_PRIME,
  HOST_ENT, HOST_MAX_LEN, HOST_SLOTS, HOST_SLOT_MASK, HOST_STR,
} from "./generated/hosts";
import { RISKY_ENT, RISKY_MAX_LEN, RISKY_SLOTS, RISKY_SLOT_MASK, RISKY_STR } from "./generated/risky_domains";

const DOT: u32 = 0x2e;
const DASH: u32 = 0x2d;

@inline function lowerAscii(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}

/** Compares `len` name bytes (any case) with a lower-cased key. */
function equalsLower(name: usize, key: usize, len: u32): bool {
  for (let i: usize = 0; i < <usize>len; i++) {
    if (lowerAscii(<u32>load<u8>(name + i)) != <u32>load<u8>(key + i)) return false;
  }
  return true;
}

/** Entry index + 1 of name[0, len) in a generated string table, 0 when absent; `hash` is its FNV-1a. */
function tableFind(str: usize, ent: usize, slots: usize, mask: u32, hash: u32, name: usize, len: u32): u32 {
  const tag = hash >>> 16;
  let i = hash & mask;
  while (true) {
    const slot = load<u32>(slots + (<usize>i << 2));
    if (slot == 0) return 0;
    if (slot >>> 16 == tag) {
      const entry = (slot & 0xffff) - 1;
      const word0 = load<u32>(ent + (<usize>entry << 3));
      if (((word0 >>> 16) & 0xff) == len && equalsLower(name, str + <usize>(word0 & 0xffff), len)) return entry + 1;
    }
    i = (i + 1) & mask;
  }
}

@inline function entryWord0(ent: usize, found: u32): u32 {
  return load<u32>(ent + (<usize>(found - 1) << 3));
}

@inline function entryValue(ent: usize, found: u32): u32 {
  return load<u32>(ent + (<usize>(found - 1) << 3) + 4);
}

/**
 * Matches a host name (SNI, HTTP Host, DNS query...) against nDPI's host list. Returns
 * protocol id | category << 16 | breed << 24 of the winning pattern (hostMatchProto & co. unpack
 * it), 0 when no pattern matches.
 */
export function matchHost(namePtr: usize, nameLen: u32): u32 {
  let best: u32 = 0;
  let bestLevel: u32 = 0;
  let bestEnd: u32 = 0;
  let bestLen: u32 = 0;
  for (let start: u32 = 0; start < nameLen; start++) {
    // Patterns start at the name's start or after a '.'; only patterns that begin with '-'
    // may start anywhere, and those can only equal a substring that begins at a '-'.
    const first = <u32>load<u8>(namePtr + <usize>start);
    if (!(start == 0 || first == DASH || <u32>load<u8>(namePtr + <usize>start - 1) == DOT)) continue;
    const limit = nameLen - start < HOST_MAX_LEN ? nameLen : start + HOST_MAX_LEN;
    let hash = FNV_OFFSET;
    for (let pos = start; pos < limit; pos++) {
      const c = lowerAscii(<u32>load<u8>(namePtr + <usize>pos));
      hash = (hash ^ c) * FNV_PRIME;
      const end = pos + 1;
      if (c != DOT && c != DASH && end != nameLen) continue;
      const len = end - start;
      const found = tableFind(HOST_STR, HOST_ENT, HOST_SLOTS, HOST_SLOT_MASK, hash, namePtr + <usize>start, len);
      if (found == 0) continue;
      // Patterns not ending in '.'/'-' only end at the name's end: a hit that ends at a '.' or
      // '-' is a pattern that ends with that character, so no end check is needed here.
      if (start == 0 && end == nameLen) return entryValue(HOST_ENT, found);
      const level = entryWord0(HOST_ENT, found) >>> 24;
      if (best == 0 || level > bestLevel || (level == bestLevel && (end < bestEnd || (end == bestEnd && len > bestLen)))) {
        best = found;
        bestLevel = level;
        bestEnd = end;
        bestLen = len;
      }
    }
  }
  return best == 0 ? 0 : entryValue(HOST_ENT, best);
}

/**
 * True when a host name matches a domain of the reader's risky-domain list (the -r file, see
 * scripts/ndpi-tables/emit-risky-domains.ts). nDPI loads it into an automaton that matches like
 * the host list (header above); the list's patterns start with '.' (".tk"), which is part of the
 * pattern: "whois.dot.tk" matches, "tk", "x.tkx" and "workgroup" (for ".work") do not. The walk
 * is matchHost's, with one more place a pattern may start: at a '.'. Any hit is enough.
 */
export function matchRiskyDomain(namePtr: usize, nameLen: u32): bool {
  for (let start: u32 = 0; start < nameLen; start++) {
    const first = <u32>load<u8>(namePtr + <usize>start);
    if (!(start == 0 || first == DOT || first == DASH || <u32>load<u8>(namePtr + <usize>start - 1) == DOT)) continue;
    const limit = nameLen - start < RISKY_MAX_LEN ? nameLen : start + RISKY_MAX_LEN;
    let hash = FNV_OFFSET;
    for (let pos = start; pos < limit; pos++) {
      const c = lowerAscii(<u32>load<u8>(namePtr + <usize>pos));
      hash = (hash ^ c) * FNV_PRIME;
      const end = pos + 1;
      // A pattern ends at the name's end, or (not end-anchored) with its own '.' or '-'.
      if (c != DOT && c != DASH && end != nameLen) continue;
      if (tableFind(RISKY_STR, RISKY_ENT, RISKY_SLOTS, RISKY_SLOT_MASK, hash, namePtr + <usize>start, end - start) != 0) return true;
    }
  }
  return false;
}

/** Protocol id of a matchHost result. */
@inline export function hostMatchProto(match: u32): u32 {
  return match & 0xffff;
}

/** Category id of a matchHost result (the entry's own, which can differ from the protocol's). */
@inline export function hostMatchCategory(match: u32): u32 {
  return (match >>> 16) & 0xff;
}

/** Breed id of a matchHost result. */
@inline export function hostMatchBreed(match: u32): u32 {
  return match >>> 24;
}

@inline function endsWithLower(name: usize, nameLen: u32, suffix: string): bool {
  const n = <u32>suffix.length;
  if (nameLen < n) return false;
  for (let i: u32 = 0; i < n; i++) {
    if (lowerAscii(<u32>load<u8>(name + <usize>(nameLen - n + i))) != <u32>suffix.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * nDPI's built-in hostname -> category list (category_match): the name and then each suffix
 * starting after a '.' are looked up exactly, longest first. Names ending in .arpa or .local,
 * and names without a dot, are skipped. Returns the category id, 0 when none.
 */
export function matchHostCategory(namePtr: usize, nameLen: u32): u32 {
  let hasDot = false;
  for (let i: u32 = 0; i < nameLen; i++) {
    if (<u32>load<u8>(namePtr + <usize>i) == DOT) {
      hasDot = true;
      break;
    }
  }
  if (!hasDot || endsWithLower(namePtr, nameLen, ".arpa") || endsWithLower(namePtr, nameLen, ".local")) return 0;
  for (let start: u32 = 0; start < nameLen; start++) {
    if (start != 0 && <u32>load<u8>(namePtr + <usize>start - 1) != DOT) continue;
    let hash = FNV_OFFSET;
    for (let pos = start; pos < nameLen; pos++) hash = (hash ^ lowerAscii(<u32>load<u8>(namePtr + <usize>pos))) * FNV_PRIME;
    const found = tableFind(CATHOST_STR, CATHOST_ENT, CATHOST_SLOTS, CATHOST_SLOT_MASK, hash, namePtr + <usize>start, nameLen - start);
    if (found != 0) return entryValue(CATHOST_ENT, found);
  }
  return 0;
}

/**
 * nDPI's tls_certificate_match list: case-insensitive substrings of the server certificate's
 * subject DN ("CN=..., O=..."). The match that ends first in the subject wins (the longer one
 * at the same end). Returns the protocol id, 0 when none.
 */
export function matchCertSubject(subjectPtr: usize, subjectLen: u32): u32 {
  let bestProto: u32 = 0;
  let bestEnd: u32 = 0xffffffff;
  let bestLen: u32 = 0;
  for (let e: u32 = 0; e < CERT_COUNT; e++) {
    const word0 = load<u32>(CERT_ENT + (<usize>e << 3));
    const key = CERT_STR + <usize>(word0 & 0xffff);
    const len = word0 >>> 16;
    if (len > subjectLen) continue;
    for (let at: u32 = 0; at + len <= subjectLen; at++) {
      const end = at + len;
      if (end > bestEnd) break;
      if (equalsLower(subjectPtr + <usize>at, key, len)) {
        if (end < bestEnd || len > bestLen) {
          bestProto = load<u32>(CERT_ENT + (<usize>e << 3) + 4);
          bestEnd = end;
          bestLen = len;
        }
        break;
      }
    }
  }
  return bestProto;
}
