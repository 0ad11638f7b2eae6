// A small bounded DER reader (ITU-T X.690 §8.1, §10): one TLV at a time, definite lengths of
// at most 4 length octets, single-octet tags. Enough for X.509 certificates (RFC 5280 §4.1).
// derRead() never reads outside [p, end) and results live in module globals (no allocation).

export const DER_BOOLEAN: u32 = 0x01;
export const DER_INTEGER: u32 = 0x02;
export const DER_BIT_STRING: u32 = 0x03;
export const DER_OCTET_STRING: u32 = 0x04;
export const DER_OID: u32 = 0x06;
export const DER_UTF8_STRING: u32 = 0x0c;
export const DER_PRINTABLE_STRING: u32 = 0x13;
export const DER_T61_STRING: u32 = 0x14;
export const DER_IA5_STRING: u32 = 0x16;
export const DER_UTC_TIME: u32 = 0x17;
export const DER_GENERALIZED_TIME: u32 = 0x18;
export const DER_UNIVERSAL_STRING: u32 = 0x1c;
export const DER_BMP_STRING: u32 = 0x1e;
export const DER_SEQUENCE: u32 = 0x30;
export const DER_SET: u32 = 0x31;
/** Context-specific constructed [n]: 0xa0 | n; primitive [n]: 0x80 | n. */
export const DER_CONTEXT_CONSTRUCTED: u32 = 0xa0;
export const DER_CONTEXT_PRIMITIVE: u32 = 0x80;

/** Tag of the last element read. */
export let derTag: u32 = 0;
/** Its contents (value octets). */
export let derValue: usize = 0;
export let derLength: usize = 0;
/** First octet after the element. */
export let derNext: usize = 0;

/** Reads the TLV at p. False when it is malformed or runs past end (X.690 §8.1.3). */
export function derRead(p: usize, end: usize): bool {
  if (p >= end || end - p < 2) return false;
  const tag = <u32>load<u8>(p);
  if ((tag & 0x1f) == 0x1f) return false; // high-tag-number form: not used by X.509
  let q = p + 1;
  let length = <usize>load<u8>(q++);
  if (length >= 0x80) {
    const octets = length & 0x7f;
    // 0x80 is the indefinite form, forbidden in DER (§10.1); more than 4 octets cannot fit.
    if (octets == 0 || octets > 4 || end - q < octets) return false;
    length = 0;
    for (let i: usize = 0; i < octets; i++) length = (length << 8) | <usize>load<u8>(q++);
  }
  if (length > end - q) return false;
  derTag = tag;
  derValue = q;
  derLength = length;
  derNext = q + length;
  return true;
}

/** Reads the TLV at p and checks its tag. */
export function derExpect(p: usize, end: usize, tag: u32): bool {
  return derRead(p, end) && derTag == tag;
}

/** True when the contents of the last element equal the given bytes (e.g. an OID). */
export function derValueEquals(bytes: usize, len: usize): bool {
  return derLength == len && memory.compare(derValue, bytes, len) == 0;
}

@inline function digits2(p: usize): i32 {
  const hi = <i32>load<u8>(p) - 0x30;
  const lo = <i32>load<u8>(p + 1) - 0x30;
  if (<u32>hi > 9 || <u32>lo > 9) return -1;
  return hi * 10 + lo;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (civil-from-days inverse). */
function daysFromCivil(year: i32, month: i32, day: i32): i64 {
  const y = <i64>(month <= 2 ? year - 1 : year);
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  const m = <i64>month;
  const doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + <i64>day - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Seconds since the epoch of the UTCTime or GeneralizedTime just read (RFC 5280 §4.1.2.5:
 * UTCTime YYMMDDHHMMSSZ with YY >= 50 meaning 19YY; GeneralizedTime YYYYMMDDHHMMSSZ).
 * Returns -1 when malformed.
 */
export function derTimeSeconds(): i64 {
  let p = derValue;
  let year: i32;
  if (derTag == DER_UTC_TIME) {
    if (derLength < 12) return -1;
    const yy = digits2(p);
    if (yy < 0) return -1;
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    p += 2;
  } else if (derTag == DER_GENERALIZED_TIME) {
    if (derLength < 14) return -1;
    const hi = digits2(p);
    const lo = digits2(p + 2);
    if (hi < 0 || lo < 0) return -1;
    year = hi * 100 + lo;
    p += 4;
  } else {
    return -1;
  }
  const month = digits2(p);
  const day = digits2(p + 2);
  const hour = digits2(p + 4);
  const minute = digits2(p + 6);
  const second = digits2(p + 8);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return -1;
  return daysFromCivil(year, month, day) * 86400 + <i64>(hour * 3600 + minute * 60 + second);
}
