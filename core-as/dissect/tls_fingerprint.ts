// TLS fingerprints as nDPI prints them:
// - JA3 (Salesforce): MD5 of "SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats",
//   decimal values, lists joined by '-', GREASE values (RFC 8701) left out; JA3S (server):
//   MD5 of "SSLVersion,Cipher,Extensions".
// - JA4 (FoxIO): "<t|q><version><d|i><ciphers:2><extensions:2><alpn first+last>_<sha256/12 of
//   the sorted cipher list>_<sha256/12 of the sorted extension list without SNI and ALPN, then
//   '_' and the signature algorithms in their order>". Where nDPI departs from FoxIO's text we
//   follow nDPI's output (checked against the .out files): 'i' only when the SNI is an IP
//   address (an absent SNI gives 'd'), the version is the numerically highest
//   supported_versions entry (Fizz's 0xfb1a wins and prints "00"), and an empty list hashes
//   the empty string instead of printing zeros.
// The parsers fill the lists below (static memory, nothing allocated); one ClientHello or
// ServerHello is fingerprinted at a time.
import { md5 } from "../crypto/md5";
import { sha256 } from "../crypto/sha256";
import { hexEncode } from "../crypto/hex";
import { writeDecimal } from "../util/text";
import { isBlockedJa3 } from "../classify/generated/ja3_fingerprints";
import {
  EXT_ALPN, EXT_SERVER_NAME, VERSION_DTLS10, VERSION_DTLS12, VERSION_DTLS13, VERSION_SSL3,
  VERSION_TLS10, VERSION_TLS11, VERSION_TLS12, VERSION_TLS13,
} from "../wire/tls";

/**
 * At most this many ciphers or extensions per hello; a hello with more gets no fingerprint
 * (nDPI prints none for ja3_lots_of_cipher_suites' 350 suites, and does for 91).
 */
export const FP_MAX_ITEMS: u32 = 128;
export const JA3_HEX_LEN: usize = 32;
export const JA4_MAX_LEN: usize = 36;

const ciphers: usize = memory.data(<i32>FP_MAX_ITEMS * 2, 2);
const extensions: usize = memory.data(<i32>FP_MAX_ITEMS * 2, 2);
const groups: usize = memory.data(<i32>FP_MAX_ITEMS * 2, 2);
const pointFormats: usize = memory.data(<i32>FP_MAX_ITEMS * 2, 2);
const sigAlgs: usize = memory.data(<i32>FP_MAX_ITEMS * 2, 2);
/** Scratch for sorting and for the text that is hashed. */
const sorted: usize = memory.data(<i32>FP_MAX_ITEMS * 2, 2);
const TEXT_CAP: usize = 4096;
const text: usize = memory.data(<i32>TEXT_CAP);
const digest: usize = memory.data(32, 8);

let cipherCount: u32 = 0;
let extensionCount: u32 = 0;
let groupCount: u32 = 0;
let pointFormatCount: u32 = 0;
let sigAlgCount: u32 = 0;
let overflow: bool = false;

/** Starts a new hello: all lists empty. */
export function fpReset(): void {
  cipherCount = 0; extensionCount = 0; groupCount = 0; pointFormatCount = 0; sigAlgCount = 0;
  overflow = false;
}

@inline function push(list: usize, count: u32, value: u32): u32 {
  if (count >= FP_MAX_ITEMS) { overflow = true; return count; }
  store<u16>(list + (<usize>count << 1), <u16>value);
  return count + 1;
}

// The callers pass GREASE-free values only.
export function fpAddCipher(v: u32): void { cipherCount = push(ciphers, cipherCount, v); }
export function fpAddExtension(v: u32): void { extensionCount = push(extensions, extensionCount, v); }
export function fpAddGroup(v: u32): void { groupCount = push(groups, groupCount, v); }
export function fpAddPointFormat(v: u32): void { pointFormatCount = push(pointFormats, pointFormatCount, v); }
export function fpAddSigAlg(v: u32): void { sigAlgCount = push(sigAlgs, sigAlgCount, v); }
/** False when a list overflowed: nDPI prints no fingerprint then. */
export function fpValid(): bool { return !overflow; }
export function fpCipherCount(): u32 { return cipherCount; }
export function fpExtensionCount(): u32 { return extensionCount; }

// --- JA3 / JA3S -----------------------------------------------------------------------------

/** Appends "v1-v2-..." (decimal) at text+n, bounded by TEXT_CAP; returns the new length. */
function appendDecimalList(n: usize, list: usize, count: u32): usize {
  for (let i: u32 = 0; i < count; i++) {
    if (n + 7 > TEXT_CAP) break;
    if (i > 0) store<u8>(text + n++, 0x2d);
    n += writeDecimal(text + n, <u32>load<u16>(list + (<usize>i << 1)));
  }
  return n;
}

@inline function appendComma(n: usize): usize {
  if (n < TEXT_CAP) store<u8>(text + n++, 0x2c);
  return n;
}

/** JA3 of the ClientHello whose lists were filled: 32 hex digits at out. */
export function ja3Client(version: u32, out: usize): usize {
  let n = writeDecimal(text, version);
  n = appendComma(n);
  n = appendDecimalList(n, ciphers, cipherCount);
  n = appendComma(n);
  n = appendDecimalList(n, extensions, extensionCount);
  n = appendComma(n);
  n = appendDecimalList(n, groups, groupCount);
  n = appendComma(n);
  n = appendDecimalList(n, pointFormats, pointFormatCount);
  md5(text, n, digest);
  return hexEncode(digest, 16, out);
}

/** True when the JA3 just computed by ja3Client is on the reader's list of malicious fingerprints. */
export function ja3IsBlocked(): bool { return isBlockedJa3(digest); }

/** JA3S of the ServerHello: its version, chosen cipher and extension list. */
export function ja3Server(version: u32, cipher: u32, out: usize): usize {
  let n = writeDecimal(text, version);
  n = appendComma(n);
  n += writeDecimal(text + n, cipher);
  n = appendComma(n);
  n = appendDecimalList(n, extensions, extensionCount);
  md5(text, n, digest);
  return hexEncode(digest, 16, out);
}

// --- JA4 ------------------------------------------------------------------------------------

/** JA4's two version characters. */
function versionCode(version: u32): u32 {
  // Returned as two ASCII bytes, first in the low byte.
  switch (version) {
    case VERSION_TLS13: return 0x3331; // "13"
    case VERSION_TLS12: return 0x3231;
    case VERSION_TLS11: return 0x3131;
    case VERSION_TLS10: return 0x3031;
    case VERSION_SSL3: return 0x3373;  // "s3"
    case 0x0002: return 0x3273;        // "s2"
    case VERSION_DTLS10: return 0x3164; // "d1"
    case VERSION_DTLS12: return 0x3264;
    case VERSION_DTLS13: return 0x3364;
  }
  return 0x3030; // "00"
}

@inline function twoDigits(out: usize, value: u32): void {
  const v = value > 99 ? 99 : value;
  store<u8>(out, <u8>(0x30 + v / 10));
  store<u8>(out + 1, <u8>(0x30 + v % 10));
}

/** Insertion sort of count u16 values copied from list into `sorted` (count <= FP_MAX_ITEMS). */
function sortInto(list: usize, count: u32, skipSniAlpn: bool): u32 {
  let kept: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const v = <u32>load<u16>(list + (<usize>i << 1));
    if (skipSniAlpn && (v == EXT_SERVER_NAME || v == EXT_ALPN)) continue;
    let j = kept;
    while (j > 0 && <u32>load<u16>(sorted + (<usize>(j - 1) << 1)) > v) {
      store<u16>(sorted + (<usize>j << 1), load<u16>(sorted + (<usize>(j - 1) << 1)));
      j--;
    }
    store<u16>(sorted + (<usize>j << 1), <u16>v);
    kept++;
  }
  return kept;
}

/** Appends "xxxx,yyyy" (4 lowercase hex digits each) at text+n; returns the new length. */
function appendHexList(n: usize, list: usize, count: u32): usize {
  for (let i: u32 = 0; i < count; i++) {
    if (n + 5 > TEXT_CAP) break;
    if (i > 0) store<u8>(text + n++, 0x2c);
    const v = <u32>load<u16>(list + (<usize>i << 1));
    store<u8>(digest, <u8>(v >> 8));
    store<u8>(digest + 1, <u8>v);
    n += hexEncode(digest, 2, text + n);
  }
  return n;
}

/** First 12 hex digits of SHA-256 over text[0, n) at out. */
function hash12(n: usize, out: usize): void {
  sha256(text, n, digest);
  hexEncode(digest, 6, out);
}

/**
 * JA4 of the ClientHello whose lists were filled. `version` is the highest supported_versions
 * entry (else the legacy version); alpnFirst/alpnLast are the first ALPN value's first and last
 * bytes (0 when there is none). Writes JA4_MAX_LEN bytes at out; returns the length.
 */
export function ja4Client(out: usize, isQuic: bool, version: u32, sniIsIp: bool, alpnFirst: u32, alpnLast: u32): usize {
  store<u8>(out, isQuic ? 0x71 : 0x74); // 'q' / 't'
  store<u16>(out + 1, <u16>versionCode(version));
  store<u8>(out + 3, sniIsIp ? 0x69 : 0x64); // 'i' / 'd'
  twoDigits(out + 4, cipherCount);
  twoDigits(out + 6, extensionCount);
  store<u8>(out + 8, <u8>(alpnFirst == 0 ? 0x30 : alpnFirst));
  store<u8>(out + 9, <u8>(alpnLast == 0 ? 0x30 : alpnLast));
  store<u8>(out + 10, 0x5f);
  const sortedCiphers = sortInto(ciphers, cipherCount, false);
  hash12(appendHexList(0, sorted, sortedCiphers), out + 11);
  store<u8>(out + 23, 0x5f);
  const sortedExtensions = sortInto(extensions, extensionCount, true);
  let n = appendHexList(0, sorted, sortedExtensions);
  if (sigAlgCount > 0 && n < TEXT_CAP) {
    store<u8>(text + n++, 0x5f);
    n = appendHexList(n, sigAlgs, sigAlgCount);
  }
  hash12(n, out + 24);
  return JA4_MAX_LEN;
}
