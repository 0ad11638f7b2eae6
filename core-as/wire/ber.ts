// ASN.1 Basic Encoding Rules (ITU-T X.690 §8.1): a value is identifier octets, length octets,
// contents. Kerberos (RFC 4120 §5) and LDAP (RFC 4511 §5.1) messages are BER/DER encoded.
// Only low tag numbers (one identifier octet, X.690 §8.1.2.2) and definite lengths (short form,
// or long form of 1 to 4 octets, §8.1.3.4-5) are read: the protocols read here use no others.
// berHeader/berRead leave the element in module globals (no allocation).

export const BER_CLASS_MASK: u32 = 0xc0;
export const BER_CONSTRUCTED: u32 = 0x20;
export const BER_CLASS_UNIVERSAL: u32 = 0x00;
export const BER_CLASS_APPLICATION: u32 = 0x40;
export const BER_CLASS_CONTEXT: u32 = 0x80;
/** Tag number 31 in the identifier means a multi-octet tag (§8.1.2.4). */
export const BER_HIGH_TAG: u32 = 0x1f;

export const BER_INTEGER: u32 = 0x02;
export const BER_OCTET_STRING: u32 = 0x04;
export const BER_ENUMERATED: u32 = 0x0a;
export const BER_SEQUENCE: u32 = 0x30;
export const BER_GENERAL_STRING: u32 = 0x1b;

/** Identifier octet of the last element read. */
export let berTag: u32 = 0;
/** Its contents: start and declared length (may pass the packet end after berHeader). */
export let berValue: usize = 0;
export let berLength: usize = 0;

/** Constructed context-specific [n] (n < 31). */
@inline export function berContext(n: u32): u32 { return BER_CLASS_CONTEXT | BER_CONSTRUCTED | n; }
/** Constructed application [n] (n < 31). */
@inline export function berApplication(n: u32): u32 { return BER_CLASS_APPLICATION | BER_CONSTRUCTED | n; }

/**
 * Reads the identifier and length octets at p. The contents may extend past `end` (a message
 * cut by the packet end); returns false if the header itself does not fit or is not supported.
 */
export function berHeader(p: usize, end: usize): bool {
  if (p >= end || end - p < 2) return false;
  const tag = <u32>load<u8>(p);
  if ((tag & BER_HIGH_TAG) == BER_HIGH_TAG) return false;
  let len = <usize>load<u8>(p + 1);
  let at = p + 2;
  if (len >= 0x80) {
    const octets = len & 0x7f;
    // 0x80 is the indefinite form, 0xff reserved (§8.1.3.6); more than 4 octets cannot be real.
    if (octets == 0 || octets > 4 || end - at < octets) return false;
    len = 0;
    for (let i: usize = 0; i < octets; i++) len = (len << 8) | <usize>load<u8>(at + i);
    at += octets;
  }
  berTag = tag;
  berValue = at;
  berLength = len;
  return true;
}

/** berHeader, and the contents must lie within `end`. */
export function berRead(p: usize, end: usize): bool {
  return berHeader(p, end) && berLength <= end - berValue;
}

/** End of the element last read. */
@inline export function berEnd(): usize { return berValue + berLength; }

/** Value of the INTEGER element last read (at most 4 contents octets, two's complement). */
export function berInteger(): i32 {
  if (berLength == 0 || berLength > 4) return -1;
  let v: i32 = <i32>(<i8>load<u8>(berValue));
  for (let i: usize = 1; i < berLength; i++) v = (v << 8) | <i32>load<u8>(berValue + i);
  return v;
}

/**
 * Finds the element tagged `tag` among the elements of [p, end) (a SEQUENCE's contents), reading
 * at most `maxElements` of them; leaves it in the globals. False when absent or malformed.
 */
export function berFind(p: usize, end: usize, tag: u32, maxElements: u32): bool {
  let at = p;
  for (let i: u32 = 0; i < maxElements && at < end; i++) {
    if (!berRead(at, end)) return false;
    if (berTag == tag) return true;
    at = berEnd();
  }
  return false;
}
