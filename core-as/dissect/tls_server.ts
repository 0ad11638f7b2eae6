// The server's cleartext handshake: ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3) and, up
// to TLS 1.2, the Certificate message (RFC 5246 §7.4.2) whose first entry is the server's
// X.509 certificate (RFC 5280 §4.1). Extracts what nDPI prints: negotiated version, cipher,
// JA3S, negotiated ALPN; issuer and subject DNs, SANs, validity; and the risks that follow
// (obsolete version, weak cipher, self-signed, expired, about to expire, too long, mismatch).
import { be16 } from "../util/bytes";
import { writeIpv4, writeIpv6 } from "../util/text";
import {
  EXT_ALPN, EXT_SUPPORTED_VERSIONS, HELLO_MAX_SESSION_ID, HELLO_SESSION_ID, HS_HEADER_LEN,
  HS_SERVER_HELLO, VERSION_SSL3, VERSION_TLS12, be24, beginExtensions, extData, extLen, extType, isGrease,
  nextExtension,
} from "../wire/tls";
import { FLOW_APP_PROTO, FLOW_LAST_SEEN } from "../flow/record";
import { applyHostNameOf, setApplication, setRisk } from "../classify/classify";
import { matchCertSubject } from "../classify/host_match";
import { CIPHER_WEAK, cipherClass } from "../classify/generated/tls_ciphers";
import { SHA1_BLOCKED_RISK, isBlockedSha1 } from "../classify/generated/sha1_fingerprints";
import { SHA1_DIGEST_LEN, sha1 } from "../crypto/sha1";
import {
  RISK_TLS_CERTIFICATE_ABOUT_TO_EXPIRE, RISK_TLS_CERTIFICATE_EXPIRED, RISK_TLS_CERTIFICATE_MISMATCH,
  RISK_TLS_CERT_VALIDITY_TOO_LONG, RISK_TLS_OBSOLETE_VERSION, RISK_TLS_SELFSIGNED_CERTIFICATE,
  RISK_TLS_WEAK_CIPHER,
} from "../classify/generated/risks";
import {
  META_NUM_CERT_NOT_AFTER, META_NUM_CERT_NOT_BEFORE, META_NUM_TLS_CIPHER, META_NUM_TLS_VERSION,
  META_STR_HOST, META_STR_JA3S, META_STR_RISK_INFO, META_STR_TLS_ISSUER, META_STR_TLS_NEGOTIATED_ALPN,
  META_STR_TLS_SERVER_NAMES, META_STR_TLS_SUBJECT, metaHasString, metaNumber, metaSetNumber, metaSetString,
  metaStringLen, metaStringPtr,
} from "./meta";
import { JA3_HEX_LEN, fpAddExtension, fpReset, ja3Server } from "./tls_fingerprint";
import {
  DER_BMP_STRING, DER_CONTEXT_CONSTRUCTED, DER_CONTEXT_PRIMITIVE, DER_IA5_STRING, DER_OCTET_STRING,
  DER_OID, DER_PRINTABLE_STRING, DER_SEQUENCE, DER_SET, DER_T61_STRING, DER_UNIVERSAL_STRING,
  DER_UTC_TIME, DER_UTF8_STRING,
  derExpect, derLength, derNext, derRead, derTag, derTimeSeconds, derValue, derValueEquals,
} from "./asn1";

const ja3sBuf: usize = memory.data(<i32>JA3_HEX_LEN);

@inline function lower(c: u32): u32 { return c - 0x41 < 26 ? c | 0x20 : c; }

/**
 * Parses the ServerHello at ptr (its HandshakeType byte) and stores what it negotiated.
 * Returns the version the server chose (supported_versions' choice, else legacy_version), 0 when
 * the message is not a well-formed ServerHello.
 */
export function parseServerHello(rec: usize, ptr: usize, len: usize): u32 {
  if (len < HS_HEADER_LEN || <u32>load<u8>(ptr) != HS_SERVER_HELLO) return 0;
  const body = ptr + HS_HEADER_LEN;
  const declared = <usize>be24(ptr + 1);
  const end = body + (declared < len - HS_HEADER_LEN ? declared : len - HS_HEADER_LEN);
  if (end - body < HELLO_SESSION_ID + 1) return 0;
  const legacyVersion = be16(body);
  const sessionIdLen = <usize>load<u8>(body + HELLO_SESSION_ID);
  if (sessionIdLen > HELLO_MAX_SESSION_ID) return 0;
  let p = body + HELLO_SESSION_ID + 1 + sessionIdLen;
  // cipher_suite(2) legacy_compression_method(1)
  if (p + 3 > end) return 0;
  const cipher = be16(p);
  p += 3;
  fpReset();
  let selected: u32 = 0;
  if (beginExtensions(p, end)) {
    while (nextExtension()) {
      if (!isGrease(extType)) fpAddExtension(extType);
      if (extType == EXT_SUPPORTED_VERSIONS && extLen >= 2) {
        selected = be16(extData); // RFC 8446 §4.2.1: selected_version
      } else if (extType == EXT_ALPN && extLen >= 3) {
        // RFC 7301 §3.1: exactly one name in the server's list.
        const nameLen = <usize>load<u8>(extData + 2);
        if (nameLen > 0 && nameLen + 3 <= extLen) metaSetString(rec, META_STR_TLS_NEGOTIATED_ALPN, extData + 3, nameLen);
      }
    }
  }
  // nDPI keeps the ClientHello's version unless supported_versions selects one (a server that
  // answers a TLS 1.2 hello with legacy_version 1.0 still prints TLSv1.2).
  let version = selected;
  if (version == 0) version = metaNumber(rec, META_NUM_TLS_VERSION);
  if (version == 0) version = legacyVersion;
  metaSetNumber(rec, META_NUM_TLS_VERSION, version);
  metaSetNumber(rec, META_NUM_TLS_CIPHER, cipher);
  metaSetString(rec, META_STR_JA3S, ja3sBuf, ja3Server(legacyVersion, cipher, ja3sBuf));
  if (version >= VERSION_SSL3 && version < VERSION_TLS12) setRisk(rec, RISK_TLS_OBSOLETE_VERSION);
  if (cipherClass(cipher) == CIPHER_WEAK) setRisk(rec, RISK_TLS_WEAK_CIPHER);
  return selected != 0 ? selected : legacyVersion;
}

// --- Certificate -------------------------------------------------------------------------

/** Bytes of a Certificate message needed to read its first certificate (at least 10). */
export function certificatePrefixLen(ptr: usize, len: usize): usize {
  // HandshakeType(1) length(3) certificate_list length(3) first cert length(3) cert DER
  const messageLen = HS_HEADER_LEN + <usize>be24(ptr + 1);
  if (len < 10 || messageLen < 10) return messageLen < 10 ? messageLen : 10;
  const wanted: usize = <usize>be24(ptr + 7) + 10;
  return wanted < messageLen ? wanted : messageLen;
}

const DN_CAP: usize = 2048;
const SAN_CAP: usize = 4096;
const issuerBuf: usize = memory.data(<i32>DN_CAP);
const subjectBuf: usize = memory.data(<i32>DN_CAP);
const sanBuf: usize = memory.data(<i32>SAN_CAP);
let sanLen: usize = 0;
/** id-ce-subjectAltName, 2.5.29.17 (RFC 5280 §4.2.1.6). */
const OID_SUBJECT_ALT_NAME: usize = memory.data<u8>([0x55, 0x1d, 0x11]);
/** nDPI's validity-too-long check follows the CA/Browser 398-day rule, for certificates issued from 2020-09-01. */
const VALIDITY_RULE_START: i64 = 1598918400;
const MAX_VALIDITY_SECONDS: i64 = 398 * 86400;
const ABOUT_TO_EXPIRE_SECONDS: i64 = 30 * 86400;
const MAX_NAME_ATTRIBUTES: u32 = 64;
const MAX_SAN_ENTRIES: u32 = 512;
const MAX_EXTENSIONS: u32 = 64;

/**
 * Parses the Certificate message at ptr (its HandshakeType byte; at least
 * certificatePrefixLen bytes) and stores the first certificate's fields and risks.
 */
export function parseCertificate(rec: usize, ptr: usize, len: usize): void {
  if (len < 10) return;
  const certLen = <usize>be24(ptr + 7);
  const cert = ptr + 10;
  if (certLen != 0 && certLen <= len - 10) checkCertificateSha1(rec, cert, certLen);
  const end = cert + (certLen < len - 10 ? certLen : len - 10);
  // Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, ... }
  if (!derExpect(cert, end, DER_SEQUENCE)) return;
  const certEnd = derNext;
  if (!derExpect(derValue, certEnd, DER_SEQUENCE)) return;
  const tbsEnd = derNext;
  let p = derValue;
  // version [0] EXPLICIT (optional), serialNumber, signature
  if (!derRead(p, tbsEnd)) return;
  if (derTag == (DER_CONTEXT_CONSTRUCTED | 0)) { p = derNext; if (!derRead(p, tbsEnd)) return; }
  p = derNext; // serialNumber
  if (!derRead(p, tbsEnd)) return;
  p = derNext; // signature AlgorithmIdentifier
  if (!derExpect(p, tbsEnd, DER_SEQUENCE)) return;
  const issuerEnd = derNext; // formatName reads on: keep where the issuer ends
  let issuerLen = formatName(derValue, issuerEnd, issuerBuf, 0);
  p = issuerEnd;
  // validity: notBefore, notAfter
  if (!derExpect(p, tbsEnd, DER_SEQUENCE)) return;
  const validityEnd = derNext;
  // nDPI recognises the validity only in its usual form, two UTCTimes (SEQUENCE of 30 bytes);
  // otherwise (a GeneralizedTime, as in AnyDesk's certificates) it prints no validity and no
  // issuer, the issuer's attributes then leading the subject.
  const usualValidity = derLength == 30 && load<u8>(derValue) == <u8>DER_UTC_TIME;
  let notBefore: i64 = -1;
  let notAfter: i64 = -1;
  if (usualValidity && derRead(derValue, validityEnd)) {
    notBefore = derTimeSeconds();
    if (derRead(derNext, validityEnd)) notAfter = derTimeSeconds();
  }
  p = validityEnd;
  if (!derExpect(p, tbsEnd, DER_SEQUENCE)) return;
  const subjectEnd = derNext;
  let subjectLen: usize = 0;
  if (!usualValidity) {
    memory.copy(subjectBuf, issuerBuf, issuerLen);
    subjectLen = issuerLen;
    issuerLen = 0;
  }
  subjectLen = formatName(derValue, subjectEnd, subjectBuf, subjectLen);
  p = subjectEnd;
  sanLen = 0;
  // subjectPublicKeyInfo, then optional [1] [2] unique ids and [3] extensions.
  for (let field: u32 = 0; field < 4 && derRead(p, tbsEnd); field++) {
    p = derNext;
    if (derTag == (DER_CONTEXT_CONSTRUCTED | 3)) {
      readExtensions(derValue, derNext);
      break;
    }
  }
  // nDPI's subject also collects the names inside extensions (a SAN directoryName, the
  // authority's name in authorityKeyIdentifier...): every attribute it knows after the subject.
  subjectLen = appendLaterAttributes(subjectEnd, tbsEnd, subjectLen);
  storeCertificate(rec, issuerLen, subjectLen, notBefore, notAfter);
}

const certSha1: usize = memory.data(<i32>SHA1_DIGEST_LEN);
const sha1Hex: usize = memory.data(<i32>SHA1_DIGEST_LEN * 2);

/**
 * nDPI fingerprints the server certificate by the SHA-1 of its DER bytes (the first entry of
 * the Certificate message, whole) and flags one listed in the reader's -S file; the risk's info
 * is the digest in upper-case hex (tls_malicious_sha1.pcapng: "0DDB34F8...").
 * Once per TLS flow: tls.ts hands over the Certificate message once.
 */
function checkCertificateSha1(rec: usize, cert: usize, certLen: usize): void {
  sha1(cert, certLen, certSha1);
  if (!isBlockedSha1(certSha1)) return;
  setRisk(rec, SHA1_BLOCKED_RISK);
  if (metaHasString(rec, META_STR_RISK_INFO)) return;
  for (let i: usize = 0; i < SHA1_DIGEST_LEN; i++) {
    const b = <u32>load<u8>(certSha1 + i);
    store<u8>(sha1Hex + 2 * i, <u8>upperHexDigit(b >> 4));
    store<u8>(sha1Hex + 2 * i + 1, <u8>upperHexDigit(b & 15));
  }
  metaSetString(rec, META_STR_RISK_INFO, sha1Hex, SHA1_DIGEST_LEN * 2);
}

@inline function upperHexDigit(n: u32): u32 { return n < 10 ? 0x30 + n : 0x37 + n; }

function storeCertificate(rec: usize, issuerLen: usize, subjectLen: usize, notBefore: i64, notAfter: i64): void {
  metaSetString(rec, META_STR_TLS_ISSUER, issuerBuf, issuerLen);
  metaSetString(rec, META_STR_TLS_SUBJECT, subjectBuf, subjectLen);
  if (sanLen != 0) metaSetString(rec, META_STR_TLS_SERVER_NAMES, sanBuf, sanLen);
  if (notBefore >= 0 && notAfter >= 0) {
    metaSetNumber(rec, META_NUM_CERT_NOT_BEFORE, notBefore > 0xffffffff ? 0xffffffff : <u32>notBefore);
    metaSetNumber(rec, META_NUM_CERT_NOT_AFTER, notAfter > 0xffffffff ? 0xffffffff : <u32>notAfter);
    const now = <i64>(load<u64>(rec + FLOW_LAST_SEEN) / 1_000_000);
    if (now < notBefore || now > notAfter) setRisk(rec, RISK_TLS_CERTIFICATE_EXPIRED);
    else if (notAfter - now <= ABOUT_TO_EXPIRE_SECONDS) setRisk(rec, RISK_TLS_CERTIFICATE_ABOUT_TO_EXPIRE);
    if (notBefore >= VALIDITY_RULE_START && notAfter - notBefore > MAX_VALIDITY_SECONDS) setRisk(rec, RISK_TLS_CERT_VALIDITY_TOO_LONG);
  }
  if (issuerLen != 0 && issuerLen == subjectLen && memory.compare(issuerBuf, subjectBuf, issuerLen) == 0) {
    setRisk(rec, RISK_TLS_SELFSIGNED_CERTIFICATE);
  }
  if (sanLen != 0 && !sniMatchesSans(rec)) setRisk(rec, RISK_TLS_CERTIFICATE_MISMATCH);
  // Without an application from the SNI, nDPI tries the certificate's names on the host list,
  // then its certificate list (substrings of the subject DN).
  if (load<u16>(rec + FLOW_APP_PROTO) == 0) applySanHostNames(rec);
  if (load<u16>(rec + FLOW_APP_PROTO) == 0 && subjectLen != 0) {
    const app = matchCertSubject(subjectBuf, <u32>subjectLen);
    if (app != 0) setApplication(rec, app);
  }
}

// --- Distinguished names (RFC 5280 §4.1.2.4) ---------------------------------------------------

/** Short name of the X.520 attribute 2.5.4.<id> nDPI prints, 0 for the ones it leaves out. */
function attributeName(id: u32): u32 {
  // Two ASCII bytes, first in the low byte; a second byte of 0 means a one-letter name.
  switch (id) {
    case 3: return 0x4e43;  // CN
    case 6: return 0x0043;  // C
    case 7: return 0x004c;  // L
    case 8: return 0x5453;  // ST
    case 10: return 0x004f; // O
    case 11: return 0x554f; // OU
  }
  return 0;
}

/**
 * Appends the Name (RDNSequence) in [p, end) to out at `at` as "C=US, O=..., CN=..." with the
 * attributes nDPI keeps; returns the new length.
 */
function formatName(p: usize, end: usize, out: usize, at: usize): usize {
  let n = at;
  let attributes: u32 = 0;
  while (p < end && attributes < MAX_NAME_ATTRIBUTES) {
    if (!derExpect(p, end, DER_SET)) break;
    const setEnd = derNext;
    let q = derValue;
    p = setEnd;
    while (q < setEnd && attributes++ < MAX_NAME_ATTRIBUTES) {
      if (!derExpect(q, setEnd, DER_SEQUENCE)) break;
      const attrEnd = derNext;
      q = attrEnd;
      if (!derExpect(derValue, attrEnd, DER_OID)) continue;
      // id-at: 2.5.4.x encodes as 55 04 x
      let name: u32 = 0;
      if (derLength == 3 && load<u8>(derValue) == 0x55 && load<u8>(derValue + 1) == 0x04) name = attributeName(<u32>load<u8>(derValue + 2));
      if (name == 0 || !derRead(derNext, attrEnd)) continue;
      const valueLen = derLength;
      const nameLen: usize = (name >> 8) == 0 ? 1 : 2;
      if (n + 2 + nameLen + 1 + valueLen > DN_CAP) return n;
      if (n != 0) { store<u8>(out + n++, 0x2c); store<u8>(out + n++, 0x20); }
      store<u8>(out + n++, <u8>name);
      if (nameLen == 2) store<u8>(out + n++, <u8>(name >> 8));
      store<u8>(out + n++, 0x3d);
      memory.copy(out + n, derValue, valueLen);
      n += valueLen;
    }
  }
  return n;
}

// --- Extensions (RFC 5280 §4.2) ------------------------------------------------------------

/** Reads [3] Extensions; SAN names go to sanBuf. */
function readExtensions(p: usize, end: usize): void {
  if (!derExpect(p, end, DER_SEQUENCE)) return;
  const listEnd = derNext;
  let q = derValue;
  for (let i: u32 = 0; i < MAX_EXTENSIONS && q < listEnd; i++) {
    if (!derExpect(q, listEnd, DER_SEQUENCE)) break;
    const extEnd = derNext;
    const ext = derValue;
    q = extEnd;
    if (!derExpect(ext, extEnd, DER_OID) || !derValueEquals(OID_SUBJECT_ALT_NAME, 3)) continue;
    // extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING
    let r = derNext;
    if (!derRead(r, extEnd)) break;
    if (derTag != DER_OCTET_STRING) { r = derNext; if (!derExpect(r, extEnd, DER_OCTET_STRING)) break; }
    readSubjectAltNames(derValue, derNext);
    return;
  }
}

/** GeneralNames (RFC 5280 §4.2.1.6): dNSName [2] and iPAddress [7], ',' separated. */
function readSubjectAltNames(p: usize, end: usize): void {
  if (!derExpect(p, end, DER_SEQUENCE)) return;
  const namesEnd = derNext;
  let q = derValue;
  for (let i: u32 = 0; i < MAX_SAN_ENTRIES && q < namesEnd; i++) {
    if (!derRead(q, namesEnd)) break;
    q = derNext;
    if (derTag == (DER_CONTEXT_PRIMITIVE | 2)) {
      appendSan(derValue, derLength);
    } else if (derTag == (DER_CONTEXT_PRIMITIVE | 7)) {
      const text = sanBuf + SAN_CAP - 48; // scratch at the end, only used when there is room
      if (derLength == 4 && sanLen + 64 < SAN_CAP) appendSan(text, writeIpv4(text, derValue));
      else if (derLength == 16 && sanLen + 64 < SAN_CAP) appendSan(text, writeIpv6(text, derValue));
    } else {
      // Any other form (URI, directoryName, otherName...) ends nDPI's list there.
      return;
    }
  }
}

/** Attribute types are OIDs 2.5.4.x: 06 03 55 04 x (X.690 §8.19). */
const ATTRIBUTE_OID_PREFIX: u32 = 0x04550306; // 06 03 55 04 read little-endian

function isStringTag(tag: u32): bool {
  return tag == DER_UTF8_STRING || tag == DER_PRINTABLE_STRING || tag == DER_T61_STRING ||
    tag == DER_IA5_STRING || tag == DER_BMP_STRING || tag == DER_UNIVERSAL_STRING;
}

/** Appends every "K=V" attribute nDPI prints found in [p, end) to the subject; returns its length. */
function appendLaterAttributes(p: usize, end: usize, subjectLen: usize): usize {
  let n = subjectLen;
  let q = p;
  while (q + 7 <= end) {
    if (load<u32>(q) != ATTRIBUTE_OID_PREFIX) { q++; continue; }
    const name = attributeName(<u32>load<u8>(q + 4));
    if (name == 0 || !derRead(q + 5, end) || !isStringTag(derTag)) { q++; continue; }
    const nameLen: usize = (name >> 8) == 0 ? 1 : 2;
    if (n + 2 + nameLen + 1 + derLength > DN_CAP) break;
    if (n != 0) { store<u8>(subjectBuf + n++, 0x2c); store<u8>(subjectBuf + n++, 0x20); }
    store<u8>(subjectBuf + n++, <u8>name);
    if (nameLen == 2) store<u8>(subjectBuf + n++, <u8>(name >> 8));
    store<u8>(subjectBuf + n++, 0x3d);
    memory.copy(subjectBuf + n, derValue, derLength);
    n += derLength;
    q = derNext;
  }
  return n;
}

/** Appends one name, lowercased as nDPI prints them. */
function appendSan(ptr: usize, len: usize): void {
  if (len == 0 || sanLen + len + 1 > SAN_CAP - 48) return;
  if (sanLen != 0) store<u8>(sanBuf + sanLen++, 0x2c);
  for (let i: usize = 0; i < len; i++) store<u8>(sanBuf + sanLen + i, <u8>lower(<u32>load<u8>(ptr + i)));
  sanLen += len;
}

/** Each SAN in order against the host list (a wildcard's "*." dropped); the first known one wins. */
function applySanHostNames(rec: usize): void {
  let start: usize = 0;
  while (start < sanLen) {
    let stop = start;
    while (stop < sanLen && load<u8>(sanBuf + stop) != 0x2c) stop++;
    let name = sanBuf + start;
    let len = stop - start;
    if (len > 2 && load<u8>(name) == 0x2a && load<u8>(name + 1) == 0x2e) { name += 2; len -= 2; }
    if (len != 0 && applyHostNameOf(rec, name, <u32>len)) return;
    start = stop + 1;
  }
}

// --- Name matching (RFC 6125 §6.4, leniently as nDPI does) --------------------------------------


function equalsIgnoreCase(a: usize, b: usize, len: usize): bool {
  for (let i: usize = 0; i < len; i++) {
    if (lower(<u32>load<u8>(a + i)) != lower(<u32>load<u8>(b + i))) return false;
  }
  return true;
}

/** True when the flow's SNI equals one SAN, or ends with a wildcard SAN's "*" suffix. */
function sniMatchesSans(rec: usize): bool {
  const sniLen = <usize>metaStringLen(rec, META_STR_HOST);
  if (sniLen == 0) return true; // nothing to compare
  const sni = metaStringPtr(rec, META_STR_HOST);
  let start: usize = 0;
  while (start < sanLen) {
    let stop = start;
    while (stop < sanLen && load<u8>(sanBuf + stop) != 0x2c) stop++;
    const san = sanBuf + start;
    const len = stop - start;
    if (len == sniLen && equalsIgnoreCase(san, sni, len)) return true;
    if (len >= 2 && load<u8>(san) == 0x2a) {
      // "*.example.com" matches any name ending in ".example.com"
      const suffix = len - 1;
      if (sniLen > suffix && equalsIgnoreCase(san + 1, sni + sniLen - suffix, suffix)) return true;
    }
    start = stop + 1;
  }
  return false;
}
