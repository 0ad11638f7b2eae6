// The TLS ClientHello (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2), shared by the TLS-over-TCP
// dissector and the QUIC one (the ClientHello inside QUIC CRYPTO frames, RFC 9001 §4).
// Extracts what nDPI prints: SNI (RFC 6066 §3) as the flow's host name, the advertised ALPN
// list (RFC 7301), supported_versions (RFC 8446 §4.2.1) by name, JA3 and JA4, and the
// ClientHello risks (missing SNI, no ALPN, uncommon ALPN, numeric SNI, ALPN without SNI, ESNI).
//
// Call parseClientHello after setDetected (the SNI is matched against the host list on top of
// the flow's master protocol). It reads only inside [ptr, ptr+len): a message cut short keeps
// what was complete.
import { be16 } from "../util/bytes";
import {
  EXT_ALPN, EXT_EC_POINT_FORMATS, EXT_ENCRYPTED_CLIENT_HELLO, EXT_ENCRYPTED_SERVER_NAME,
  EXT_QUIC_TRANSPORT_PARAMETERS, EXT_SERVER_NAME, EXT_SIGNATURE_ALGORITHMS, EXT_SUPPORTED_GROUPS, EXT_SUPPORTED_VERSIONS,
  HELLO_MAX_SESSION_ID, HELLO_SESSION_ID, HS_CLIENT_HELLO, HS_HEADER_LEN, SNI_HOST_NAME,
  VERSION_DTLS10, VERSION_DTLS12, VERSION_DTLS13, VERSION_SSL3, VERSION_TLS10, VERSION_TLS11,
  VERSION_TLS12, VERSION_TLS13, VERSION_TLS13_FIZZ, be24, beginExtensions, extData, extLen, extType, isGrease,
  nextExtension,
} from "../wire/tls";
import { FLOW_CLI_PORT, FLOW_SRV_PORT } from "../flow/record";
import { applyHostName, setRisk } from "../classify/classify";
import { readQuicTransportParameters } from "./quic_initial";
import {
  RISK_MALICIOUS_FINGERPRINT, RISK_NUMERIC_IP_HOST, RISK_TLS_ALPN_SNI_MISMATCH, RISK_TLS_MISSING_SNI, RISK_TLS_NOT_CARRYING_HTTPS,
  RISK_TLS_OBSOLETE_VERSION, RISK_TLS_SUSPICIOUS_ESNI_USAGE, RISK_TLS_UNCOMMON_ALPN,
} from "../classify/generated/risks";
import {
  META_NUM_TLS_VERSION, META_STR_HOST, META_STR_JA3C, META_STR_JA4, META_STR_TLS_ALPN,
  META_STR_TLS_VERSIONS, metaHasString, metaNumber, metaSetNumber, metaSetString,
} from "./meta";
import {
  JA3_HEX_LEN, JA4_MAX_LEN, fpAddCipher, fpAddExtension, fpAddGroup, fpAddPointFormat, fpAddSigAlg,
  fpReset, fpValid, ja3Client, ja3IsBlocked, ja4Client,
} from "./tls_fingerprint";

/** nDPI keeps host names in an 80-byte buffer: at most 79 characters (see the .out files). */
const MAX_HOST_LEN: usize = 79;
const ALPN_CAP: usize = 512;
const VERSIONS_CAP: usize = 256;

const hostBuf: usize = memory.data(<i32>MAX_HOST_LEN + 1);
const alpnBuf: usize = memory.data(<i32>ALPN_CAP);
const versionsBuf: usize = memory.data(<i32>VERSIONS_CAP);
const ja3Buf: usize = memory.data(<i32>JA3_HEX_LEN);
const ja4Buf: usize = memory.data(<i32>JA4_MAX_LEN);

let hostLen: usize = 0;
let alpnLen: usize = 0;
let alpnPresent: bool = false;
let alpnHttp: bool = false;
let alpnUncommon: bool = false;
let alpnFirstChar: u32 = 0;
let alpnLastChar: u32 = 0;
let versionsLen: usize = 0;
let maxVersion: u32 = 0;
let sniPresent: bool = false;
let esniPresent: bool = false;
let echPresent: bool = false;
/** The flow and transport of the hello being parsed (for the QUIC transport parameters). */
let helloRec: usize = 0;
let helloIsQuic: bool = false;
/** draft-ietf-quic-tls before version 1 numbered quic_transport_parameters 0xffa5. */
const EXT_QUIC_TRANSPORT_PARAMETERS_DRAFT: u32 = 0xffa5;

/**
 * Parses the ClientHello handshake message at ptr (starting at its HandshakeType byte, as it
 * lies in a TLS record or a QUIC CRYPTO stream), stores its metadata and risks in the flow.
 * Returns false when it is not a ClientHello or too short to hold the fixed fields.
 */
export function parseClientHello(rec: usize, ptr: usize, len: usize, isQuic: bool): bool {
  if (len < HS_HEADER_LEN || <u32>load<u8>(ptr) != HS_CLIENT_HELLO) return false;
  const body = ptr + HS_HEADER_LEN;
  const declared = <usize>be24(ptr + 1);
  const end = body + (declared < len - HS_HEADER_LEN ? declared : len - HS_HEADER_LEN);
  // legacy_version(2) random(32) legacy_session_id<0..32>
  if (end - body < HELLO_SESSION_ID + 1) return false;
  const legacyVersion = be16(body);
  const sessionIdLen = <usize>load<u8>(body + HELLO_SESSION_ID);
  if (sessionIdLen > HELLO_MAX_SESSION_ID) return false;
  let p = body + HELLO_SESSION_ID + 1 + sessionIdLen;
  // cipher_suites<2..2^16-2>
  if (p + 2 > end) return false;
  const suitesLen = <usize>be16(p);
  p += 2;
  if ((suitesLen & 1) != 0 || p + suitesLen > end) return false;
  resetHello();
  helloRec = rec;
  helloIsQuic = isQuic;
  for (let q = p; q < p + suitesLen; q += 2) {
    const suite = be16(q);
    if (!isGrease(suite)) fpAddCipher(suite);
  }
  p += suitesLen;
  // legacy_compression_methods<1..2^8-1>
  if (p + 1 > end) return false;
  const compressionLen = <usize>load<u8>(p);
  p += 1 + compressionLen;
  if (p > end) return false;
  // A hello that breaks these vectors' bounds still names the flow TLS, but nDPI prints no
  // fingerprint for it: an empty compression list, or a stray byte where extensions would start.
  let malformed = compressionLen == 0 || end - p == 1;
  // extensions<8..2^16-1>; absent in old ClientHellos (RFC 5246 §7.4.1.2 allows that).
  if (beginExtensions(p, end)) {
    while (nextExtension()) {
      if (!isGrease(extType)) fpAddExtension(extType);
      readExtension(extType, extData, extData + extLen);
    }
  }
  storeHello(rec, legacyVersion, isQuic, !malformed);
  return true;
}

function resetHello(): void {
  fpReset();
  hostLen = 0; alpnLen = 0; alpnPresent = false; alpnHttp = false; alpnUncommon = false;
  alpnFirstChar = 0; alpnLastChar = 0; versionsLen = 0; maxVersion = 0;
  sniPresent = false; esniPresent = false; echPresent = false;
}

function readExtension(type: u32, p: usize, end: usize): void {
  switch (type) {
    case EXT_SERVER_NAME: readServerName(p, end); break;
    case EXT_SUPPORTED_GROUPS: {
      if (p + 2 > end) break;
      const listEnd = min(p + 2 + <usize>be16(p), end);
      for (let q = p + 2; q + 2 <= listEnd; q += 2) {
        const group = be16(q);
        if (!isGrease(group)) fpAddGroup(group);
      }
      break;
    }
    case EXT_EC_POINT_FORMATS: {
      if (p + 1 > end) break;
      const listEnd = min(p + 1 + <usize>load<u8>(p), end);
      for (let q = p + 1; q < listEnd; q++) fpAddPointFormat(<u32>load<u8>(q));
      break;
    }
    case EXT_SIGNATURE_ALGORITHMS: {
      if (p + 2 > end) break;
      const listEnd = min(p + 2 + <usize>be16(p), end);
      for (let q = p + 2; q + 2 <= listEnd; q += 2) {
        const alg = be16(q);
        if (!isGrease(alg)) fpAddSigAlg(alg);
      }
      break;
    }
    case EXT_ALPN: readAlpn(p, end); break;
    case EXT_SUPPORTED_VERSIONS: {
      if (p + 1 > end) break;
      const listEnd = min(p + 1 + <usize>load<u8>(p), end);
      for (let q = p + 1; q + 2 <= listEnd; q += 2) {
        const version = be16(q);
        if (versionsLen != 0 && versionsLen < VERSIONS_CAP) store<u8>(versionsBuf + versionsLen++, 0x3b);
        versionsLen += writeTlsVersionName(versionsBuf + versionsLen, version, VERSIONS_CAP - versionsLen);
        if (!isGrease(version) && version > maxVersion) maxVersion = version;
      }
      break;
    }
    case EXT_ENCRYPTED_SERVER_NAME: esniPresent = true; break;
    case EXT_QUIC_TRANSPORT_PARAMETERS:
    case EXT_QUIC_TRANSPORT_PARAMETERS_DRAFT:
      // RFC 9001 §8.2: QUIC's own parameters (Chrome's user agent among them).
      if (helloIsQuic) readQuicTransportParameters(helloRec, p, end - p);
      break;
    case EXT_ENCRYPTED_CLIENT_HELLO: echPresent = true; break;
  }
}

/** RFC 6066 §3: ServerNameList of (NameType, HostName); the first host_name is the SNI. */
function readServerName(p: usize, end: usize): void {
  if (p + 2 > end) return;
  const listEnd = min(p + 2 + <usize>be16(p), end);
  let q = p + 2;
  while (q + 3 <= listEnd) {
    const nameType = <u32>load<u8>(q);
    const nameLen = <usize>be16(q + 1);
    const name = q + 3;
    if (name + nameLen > listEnd) return;
    if (nameType == SNI_HOST_NAME) {
      if (nameLen == 0) return;
      sniPresent = true;
      hostLen = nameLen < MAX_HOST_LEN ? nameLen : MAX_HOST_LEN;
      for (let i: usize = 0; i < hostLen; i++) {
        const c = <u32>load<u8>(name + i);
        store<u8>(hostBuf + i, <u8>(c - 0x41 < 26 ? c | 0x20 : c));
      }
      return;
    }
    q = name + nameLen;
  }
}

/** RFC 7301 §3.1: ProtocolNameList of non-empty opaque names, joined with ';' as nDPI prints. */
function readAlpn(p: usize, end: usize): void {
  alpnPresent = true;
  if (p + 2 > end) return;
  const listEnd = min(p + 2 + <usize>be16(p), end);
  let q = p + 2;
  let first = true;
  while (q + 1 <= listEnd) {
    const nameLen = <usize>load<u8>(q);
    const name = q + 1;
    if (nameLen == 0 || name + nameLen > listEnd) break;
    if (first) {
      // nDPI's JA4 takes the first two characters of the advertised list as it prints it
      // ("h2;http/1.1" -> "h2", "http/1.1" -> "ht"), and the first and '0' when the whole list
      // is two characters ("h2" -> "h0"); FoxIO's text says first and last character.
      alpnFirstChar = <u32>load<u8>(name);
      alpnLastChar = nameLen >= 2 ? <u32>load<u8>(name + 1) : 0;
      first = false;
    }
    if (isHttpAlpn(name, nameLen)) alpnHttp = true;
    if (!isCommonAlpn(name, nameLen)) alpnUncommon = true;
    if (alpnLen + nameLen + 1 <= ALPN_CAP) {
      if (alpnLen != 0) store<u8>(alpnBuf + alpnLen++, 0x3b);
      memory.copy(alpnBuf + alpnLen, name, nameLen);
      alpnLen += nameLen;
    }
    q = name + nameLen;
  }
  if (alpnLen <= 2) alpnLastChar = 0x30;
  if (first) alpnUncommon = true; // an empty list: nothing a client would really offer
}

// --- ALPN classes -----------------------------------------------------------------------------

/** ALPN ids from IANA's registry (and the drafts' h3-/hq- forms) that nDPI does not flag. */
const COMMON_ALPNS = "http/0.9 http/1.0 http/1.1 spdy/1 spdy/2 spdy/3 spdy/3.1 stun.turn stun.nat-discovery h2 h2c webrtc c-webrtc ftp imap pop3 managesieve coap xmpp-client xmpp-server acme-tls/1 mqtt dot ntske/1 sunrpc h3 smb irc nntp nnsp doq sip/2 tds/8.0 dicom h2-fb h1q-fb hq-interop";
const COMMON_ALPN_PREFIXES = "h2- h3- hq- doq-";

function startsWithAscii(p: usize, len: usize, s: string, from: i32, to: i32): bool {
  const n = <usize>(to - from);
  if (len < n) return false;
  for (let i: usize = 0; i < n; i++) {
    if (<u32>load<u8>(p + i) != <u32>s.charCodeAt(from + <i32>i)) return false;
  }
  return true;
}

function inWordList(p: usize, len: usize, list: string, prefix: bool): bool {
  let from: i32 = 0;
  const total = list.length;
  while (from < total) {
    let to = from;
    while (to < total && list.charCodeAt(to) != 0x20) to++;
    if ((prefix || <usize>(to - from) == len) && startsWithAscii(p, len, list, from, to)) return true;
    from = to + 1;
  }
  return false;
}

function isCommonAlpn(p: usize, len: usize): bool {
  return inWordList(p, len, COMMON_ALPNS, false) || inWordList(p, len, COMMON_ALPN_PREFIXES, true);
}

/** HTTP over TLS or QUIC: a server name is expected with these (RFC 9110 §4.3.4). */
function isHttpAlpn(p: usize, len: usize): bool {
  const c = <u32>load<u8>(p);
  return (c == 0x68 && len >= 2) /* h2, h3, http/, hq */ || startsWithAscii(p, len, "spdy/", 0, 5);
}

// --- Results -----------------------------------------------------------------------------------

/** A dotted IPv4 address or an IPv6 literal: nDPI's "Numeric Hostname/SNI". */
function isNumericHost(p: usize, len: usize): bool {
  if (len == 0) return false;
  let dots: u32 = 0;
  let colons: u32 = 0;
  let digitsOnly = true;
  for (let i: usize = 0; i < len; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x2e) dots++;
    else if (c == 0x3a) colons++;
    else if (c - 0x30 >= 10) {
      const lower = c | 0x20;
      if (lower - 0x61 >= 6) return false;
      digitsOnly = false;
    }
  }
  return (dots == 3 && colons == 0 && digitsOnly) || colons >= 2;
}

function storeHello(rec: usize, legacyVersion: u32, isQuic: bool, wellFormed: bool): void {
  const sniIsIp = sniPresent && isNumericHost(hostBuf, hostLen);
  if (sniPresent && !metaHasString(rec, META_STR_HOST)) {
    metaSetString(rec, META_STR_HOST, hostBuf, hostLen);
    applyHostName(rec);
  }
  if (alpnLen != 0 && !metaHasString(rec, META_STR_TLS_ALPN)) metaSetString(rec, META_STR_TLS_ALPN, alpnBuf, alpnLen);
  if (versionsLen != 0 && !metaHasString(rec, META_STR_TLS_VERSIONS)) metaSetString(rec, META_STR_TLS_VERSIONS, versionsBuf, versionsLen);
  // The version nDPI prints until a ServerHello says otherwise (QUIC always runs TLS 1.3).
  if (metaNumber(rec, META_NUM_TLS_VERSION) == 0) metaSetNumber(rec, META_NUM_TLS_VERSION, isQuic ? VERSION_TLS13 : legacyVersion);
  if (wellFormed && fpValid()) {
    metaSetString(rec, META_STR_JA3C, ja3Buf, ja3Client(legacyVersion, ja3Buf));
    if (ja3IsBlocked()) setRisk(rec, RISK_MALICIOUS_FINGERPRINT);
    const ja4Version = maxVersion != 0 ? maxVersion : legacyVersion;
    metaSetString(rec, META_STR_JA4, ja4Buf, ja4Client(ja4Buf, isQuic, ja4Version, sniIsIp, alpnFirstChar, alpnLastChar));
  }
  // Risks (thresholds as the .out files show them): the missing-SNI and no-ALPN checks apply
  // from TLS 1.2 on; older clients predate both extensions in practice.
  if (!isQuic && legacyVersion >= VERSION_SSL3 && legacyVersion < VERSION_TLS12) setRisk(rec, RISK_TLS_OBSOLETE_VERSION);
  // The ground truth shows this one only for servers on the HTTPS port.
  if (sniIsIp && (isQuic || onHttpsPort(rec))) setRisk(rec, RISK_NUMERIC_IP_HOST);
  if (alpnUncommon) setRisk(rec, RISK_TLS_UNCOMMON_ALPN);
  if (esniPresent && sniPresent) setRisk(rec, RISK_TLS_SUSPICIOUS_ESNI_USAGE);
  if (legacyVersion >= VERSION_TLS12 || isQuic) {
    if (!sniPresent && !esniPresent && !echPresent) {
      setRisk(rec, RISK_TLS_MISSING_SNI);
      if (alpnHttp) setRisk(rec, RISK_TLS_ALPN_SNI_MISMATCH);
    }
    if (!alpnPresent && !isQuic) setRisk(rec, RISK_TLS_NOT_CARRYING_HTTPS);
  }
}

const PORT_HTTPS: u32 = 443;

function onHttpsPort(rec: usize): bool {
  return <u32>load<u16>(rec + FLOW_SRV_PORT) == PORT_HTTPS || <u32>load<u16>(rec + FLOW_CLI_PORT) == PORT_HTTPS;
}

// --- Version names ------------------------------------------------------------------------

function writeAscii(out: usize, s: string, room: usize): usize {
  const n = <usize>s.length < room ? <usize>s.length : room;
  for (let i: usize = 0; i < n; i++) store<u8>(out + i, <u8>s.charCodeAt(<i32>i));
  return n;
}

/** A TLS/DTLS version as nDPI names it ("TLSv1.2", "GREASE", "TLS (0100)"); returns the length. */
export function writeTlsVersionName(out: usize, version: u32, room: usize): usize {
  if (isGrease(version)) return writeAscii(out, "GREASE", room);
  switch (version) {
    case VERSION_SSL3: return writeAscii(out, "SSLv3", room);
    case VERSION_TLS10: return writeAscii(out, "TLSv1", room);
    case VERSION_TLS11: return writeAscii(out, "TLSv1.1", room);
    case VERSION_TLS12: return writeAscii(out, "TLSv1.2", room);
    case VERSION_TLS13: return writeAscii(out, "TLSv1.3", room);
    case VERSION_TLS13_FIZZ: return writeAscii(out, "TLSv1.3 (Fizz)", room);
    case VERSION_DTLS10: return writeAscii(out, "DTLSv1.0", room);
    case VERSION_DTLS12: return writeAscii(out, "DTLSv1.2", room);
    case VERSION_DTLS13: return writeAscii(out, "DTLSv1.3", room);
  }
  // RFC 8446 drafts announced 0x7f00 | draft number.
  if ((version >> 8) == 0x7f) return writeAscii(out, "TLSv1.3 (draft)", room);
  if (room < 10) return 0;
  let n = writeAscii(out, "TLS (", room);
  for (let shift: i32 = 12; shift >= 0; shift -= 4) {
    const nibble = (version >> <u32>shift) & 0xf;
    store<u8>(out + n++, <u8>(nibble < 10 ? 0x30 + nibble : 0x37 + nibble));
  }
  store<u8>(out + n++, 0x29);
  return n;
}
