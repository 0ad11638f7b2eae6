// The flow risks nDPI derives from an HTTP/1.x exchange (ids and names: risks.json; the
// conditions: ../shared/ndpi/risks_notes.md and what nDPI's results show on the corpus), and
// the risk-info text that goes with each ("Found host 1.2.3.4", "HTTP Error Code 404"...).
// A risk's text is kept only when the risk is new, as nDPI keeps the first reason.
import { setRisk } from "../classify/classify";
import {
  RISK_BINARY_APPLICATION_TRANSFER, RISK_BINARY_DATA_TRANSFER, RISK_CLEAR_TEXT_CREDENTIALS,
  RISK_ERROR_CODE_DETECTED, RISK_HTTP_OBSOLETE_SERVER, RISK_HTTP_SUSPICIOUS_CONTENT,
  RISK_HTTP_SUSPICIOUS_HEADER, RISK_HTTP_SUSPICIOUS_USER_AGENT, RISK_NUMERIC_IP_HOST, RISK_POSSIBLE_EXPLOIT,
} from "../classify/generated/risks";
import { FLOW_RISKS } from "../flow/record";
import { writeDecimal, writeIpv4, writeIpv6 } from "../util/text";
import {
  COLON, DOT, SEMICOLON, SP, equalsNoCase, isAlpha, isDigit, isPrintable, isUpperAlpha, lowerAscii,
  startsWith, startsWithNoCase,
} from "../wire/http";
import { META_STR_RISK_INFO, metaSetString, metaStringLen, metaStringPtr } from "./meta";

/** Longest risk-info text kept per flow (the rest is cut). */
const RISK_INFO_MAX: usize = 255;
const infoBuf: usize = memory.data(256);
/** The text being composed for one risk. */
const msgBuf: usize = memory.data(128);
const MSG_MAX: usize = 127;
let msgLen: usize = 0;

// --- Composing risk texts --------------------------------------------------------------------

@inline function msgReset(): void { msgLen = 0; }

function msgText(s: string): void {
  const n = <usize>s.length;
  for (let i: usize = 0; i < n && msgLen < MSG_MAX; i++) store<u8>(msgBuf + msgLen++, <u8>s.charCodeAt(<i32>i));
}

function msgBytes(p: usize, n: usize): void {
  const room = MSG_MAX - msgLen;
  const kept = n < room ? n : room;
  memory.copy(msgBuf + msgLen, p, kept);
  msgLen += kept;
}

function msgNumber(value: u32): void {
  if (MSG_MAX - msgLen >= 10) msgLen += writeDecimal(msgBuf + msgLen, value);
}

function msgHexByte(b: u32): void {
  const HEX = "0123456789ABCDEF";
  if (MSG_MAX - msgLen < 2) return;
  store<u8>(msgBuf + msgLen++, <u8>HEX.charCodeAt(<i32>(b >> 4)));
  store<u8>(msgBuf + msgLen++, <u8>HEX.charCodeAt(<i32>(b & 15)));
}

@inline function hasRisk(rec: usize, risk: u32): bool {
  return (load<u64>(rec + FLOW_RISKS) & (<u64>1 << risk)) != 0;
}

/** Sets `risk` with the composed text appended to the flow's risk info (" / " between texts). */
function raise(rec: usize, risk: u32): void {
  if (hasRisk(rec, risk)) return;
  setRisk(rec, risk);
  const oldLen = <usize>metaStringLen(rec, META_STR_RISK_INFO);
  let n: usize = 0;
  if (oldLen > 0) {
    n = oldLen < RISK_INFO_MAX ? oldLen : RISK_INFO_MAX;
    memory.copy(infoBuf, metaStringPtr(rec, META_STR_RISK_INFO), n);
    if (msgLen > 0 && RISK_INFO_MAX - n >= 3) {
      store<u8>(infoBuf + n, 0x20); store<u8>(infoBuf + n + 1, 0x2f); store<u8>(infoBuf + n + 2, 0x20);
      n += 3;
    }
  }
  const room = RISK_INFO_MAX - n;
  const kept = msgLen < room ? msgLen : room;
  memory.copy(infoBuf + n, msgBuf, kept);
  n += kept;
  if (n > oldLen) metaSetString(rec, META_STR_RISK_INFO, infoBuf, n);
}

// --- Request checks -------------------------------------------------------------------------

/** Parses a dotted-quad IPv4 literal [p, end) into 4 bytes at out. */
function parseIpv4(p: usize, end: usize, out: usize): bool {
  let part: u32 = 0;
  let digits: u32 = 0;
  let parts: usize = 0;
  for (let q = p; q <= end; q++) {
    const c = q < end ? <u32>load<u8>(q) : DOT;
    if (isDigit(c)) {
      part = part * 10 + (c - 0x30);
      if (++digits > 3 || part > 255) return false;
    } else if (c == DOT) {
      if (digits == 0 || parts == 4) return false;
      store<u8>(out + parts++, <u8>part);
      part = 0; digits = 0;
    } else {
      return false;
    }
  }
  return parts == 4;
}

const hostAddr: usize = memory.data(16);

/**
 * The Host names an address literal: risk "numeric IP host" ("Found host <host>"); when that
 * address is not the one the request was sent to, the header is suspicious too
 * ("Expected <server>, found <host>"). `host` is the name without its port; `server` the request's
 * destination address (4 or 16 bytes by `ipVersion`). Returns true for an address literal.
 */
export function checkNumericHost(rec: usize, host: usize, hostLen: usize, server: usize, ipVersion: u32): bool {
  const end = host + hostLen;
  const isV4 = hostLen >= 7 && isDigit(<u32>load<u8>(host)) && parseIpv4(host, end, hostAddr);
  const isV6 = !isV4 && hostLen >= 4 && <u32>load<u8>(host) == 0x5b && <u32>load<u8>(end - 1) == 0x5d;
  if (!isV4 && !isV6) return false;
  msgReset(); msgText("Found host "); msgBytes(host, hostLen);
  raise(rec, RISK_NUMERIC_IP_HOST);
  if (!isV4) return true;
  if (ipVersion == 4 && load<u32>(server) == load<u32>(hostAddr)) return true;
  msgReset(); msgText("Expected ");
  if (ipVersion == 4) msgLen += writeIpv4(msgBuf + msgLen, server);
  else msgLen += writeIpv6(msgBuf + msgLen, server);
  msgText(", found "); msgBytes(host, hostLen);
  raise(rec, RISK_HTTP_SUSPICIOUS_HEADER);
  return true;
}

/** nDPI's User-Agent heuristics (risks_notes.md, "HTTP User-Agent"). */
export function checkUserAgent(rec: usize, ua: usize, len: usize): void {
  const end = ua + len;
  if (startsWithNoCase(ua, end, "jndi:ldap://")) {
    // Log4Shell: the agent string is a JNDI lookup.
    msgReset(); msgText("Suspicious Log4J");
    raise(rec, RISK_POSSIBLE_EXPLOIT);
    return;
  }
  if (len > 12) {
    let upper: usize = 0;
    let allAlpha = true;
    for (let q = ua; q < end; q++) {
      const c = <u32>load<u8>(q);
      if (!isAlpha(c)) { allAlpha = false; break; }
      if (isUpperAlpha(c)) upper++;
    }
    // A long run of letters only, many upper case: a random token, not a product name.
    if (allAlpha && upper * 5 >= len) {
      msgReset(); msgText("UA "); msgBytes(ua, len);
      raise(rec, RISK_HTTP_SUSPICIOUS_USER_AGENT);
      return;
    }
  }
  let odd = startsWith(ua, end, "<?");
  let braces = false;
  for (let q = ua; q < end && !odd; q++) {
    const c = <u32>load<u8>(q);
    if (c == 0x24) odd = true; // '$'
    else if (c == 0x7b || c == 0x7d) braces = true;
    else if (c == COLON && q > ua && end - q >= 3 && <u32>load<u8>(q + 1) == 0x2f && <u32>load<u8>(q + 2) == 0x2f) {
      // "://" that does not end "http" or "https": a URL smuggled into the agent.
      const before = lowerAscii(<u32>load<u8>(q - 1));
      if (before != 0x70 && before != 0x73) odd = true;
    }
  }
  if (odd) {
    msgReset(); msgText("UA "); msgBytes(ua, len);
    raise(rec, RISK_HTTP_SUSPICIOUS_USER_AGENT);
    return;
  }
  if (braces || len < 4 || len > 256 || startsWithNoCase(ua, end, "test")) {
    msgReset(); msgText("Suspicious Log4J");
    raise(rec, RISK_HTTP_SUSPICIOUS_USER_AGENT);
  }
}

/** The request's header section ended without a User-Agent. */
export function flagMissingUserAgent(rec: usize): void {
  msgReset(); msgText("Empty or missing User-Agent");
  raise(rec, RISK_HTTP_SUSPICIOUS_USER_AGENT);
}

/** RFC 7617: the Basic scheme sends the password in clear (base64 only). */
export function checkAuthorization(rec: usize, value: usize, len: usize): void {
  if (!startsWithNoCase(value, value + len, "basic ")) return;
  msgReset(); msgText("Found credentials in HTTP Auth Line");
  raise(rec, RISK_CLEAR_TEXT_CREDENTIALS);
}

/**
 * Header names that malware beacons send with host facts (architecture, cores, memory, OS,
 * root, uuid...); nDPI flags a request carrying one ("Found <line>").
 */
export function checkHeaderName(rec: usize, line: usize, nameEnd: usize, lineEnd: usize): void {
  const n = nameEnd - line;
  if (n == 0 || n > 11) return;
  let odd = false;
  switch (<u32>load<u8>(line)) {
    case 0x41: odd = equalsNoCase(line, nameEnd, "arch"); break;
    case 0x43: odd = equalsNoCase(line, nameEnd, "cores"); break;
    case 0x4d: odd = equalsNoCase(line, nameEnd, "mem"); break;
    case 0x4f: odd = equalsNoCase(line, nameEnd, "os") || equalsNoCase(line, nameEnd, "osname") || equalsNoCase(line, nameEnd, "osversion"); break;
    case 0x52: odd = equalsNoCase(line, nameEnd, "root"); break;
    case 0x53: odd = n == 1; break;
    case 0x54: odd = equalsNoCase(line, nameEnd, "tls_version"); break;
    case 0x55: odd = equalsNoCase(line, nameEnd, "uuid"); break;
    case 0x58: odd = equalsNoCase(line, nameEnd, "x-hire-me"); break;
  }
  if (!odd) return;
  msgReset(); msgText("Found "); msgBytes(line, lineEnd - line);
  raise(rec, RISK_HTTP_SUSPICIOUS_HEADER);
}

// --- Response checks ------------------------------------------------------------------------

/** RFC 9110 §15.5/§15.6: 4xx and 5xx are errors. */
export function checkStatus(rec: usize, status: u32): void {
  if (status < 400 || status > 599) return;
  msgReset(); msgText("HTTP Error Code "); msgNumber(status);
  raise(rec, RISK_ERROR_CODE_DETECTED);
}

/** Reads "a.b[.c]" at p; returns a*1000000 + b*1000 + c, or -1 when there is no "a.b". */
function readVersion(p: usize, end: usize): i32 {
  let value: i32 = 0;
  let parts: i32 = 0;
  let q = p;
  while (parts < 3) {
    if (q >= end || !isDigit(<u32>load<u8>(q))) break;
    let part: i32 = 0;
    while (q < end && isDigit(<u32>load<u8>(q)) && part < 100000) part = part * 10 + <i32>(<u32>load<u8>(q++) - 0x30);
    value = value * 1000 + (part < 999 ? part : 999);
    parts++;
    if (q >= end || <u32>load<u8>(q) != DOT) break;
    q++;
  }
  if (parts < 2) return -1;
  while (parts++ < 3) value *= 1000;
  return value;
}

/**
 * The Server header: Apache before 2.4 and nginx before 1.20 are out of support ("Obsolete
 * <name> server <version>"); bytes that are not printable ASCII make the header suspicious.
 */
export function checkServer(rec: usize, server: usize, len: usize): void {
  const end = server + len;
  if (len <= 7) return;
  let nameLen: usize = 0;
  let minimum: i32 = 0;
  if (startsWith(server, end, "Apache/")) { nameLen = 6; minimum = 2004000; }
  else if (startsWith(server, end, "nginx/")) { nameLen = 5; minimum = 1020000; }
  if (nameLen > 0) {
    const version = readVersion(server + nameLen + 1, end);
    if (version >= 0 && version < minimum) {
      let vEnd = server + nameLen + 1;
      while (vEnd < end && <u32>load<u8>(vEnd) != SP) vEnd++;
      msgReset(); msgText("Obsolete "); msgBytes(server, nameLen); msgText(" server ");
      msgBytes(server + nameLen + 1, vEnd - (server + nameLen + 1));
      raise(rec, RISK_HTTP_OBSOLETE_SERVER);
    }
  }
  for (let q = server; q < end; q++) {
    if (!isPrintable(<u32>load<u8>(q))) {
      msgReset(); msgText("Suspicious Agent");
      raise(rec, RISK_HTTP_SUSPICIOUS_HEADER);
      return;
    }
  }
}

/** application/<subtype>: the subtypes that carry programs (Windows PE, Java classes). */
function executableSubtype(sub: usize, end: usize): bool {
  return equalsNoCase(sub, end, "x-msdownload") || equalsNoCase(sub, end, "x-dosexec") ||
    equalsNoCase(sub, end, "x-msdos-program") || equalsNoCase(sub, end, "vnd.microsoft.portable-executable") ||
    equalsNoCase(sub, end, "java-vm");
}

/**
 * The response's media type and the first bytes of its body (when the segment holds them):
 * executables ("Found mime exe <subtype>", a body starting with the DOS "MZ" header), opaque
 * binary downloads ("Found binary mime octet-stream"), and text types whose body is not text
 * ("Susp content <first 4 bytes in hex>").
 */
export function checkResponseContent(rec: usize, type: usize, typeLen: usize, status: u32, body: usize, bodyLen: usize): void {
  const end = type + typeLen;
  if (startsWithNoCase(type, end, "application/")) {
    const sub = type + 12;
    if (executableSubtype(sub, end)) {
      msgReset(); msgText("Found mime exe "); msgBytes(sub, end - sub);
      raise(rec, RISK_BINARY_APPLICATION_TRANSFER);
      // A Java class fetched over HTTP is the second step of a Log4Shell attack.
      if (equalsNoCase(sub, end, "java-vm")) { msgReset(); msgText("Suspicious Log4J"); raise(rec, RISK_POSSIBLE_EXPLOIT); }
    } else if (equalsNoCase(sub, end, "octet-stream")) {
      msgReset(); msgText("Found binary mime octet-stream");
      if (status >= 400) msgText(" (attempt)");
      raise(rec, RISK_BINARY_DATA_TRANSFER);
    }
  }
  if (bodyLen >= 2 && <u32>load<u8>(body) == 0x4d && <u32>load<u8>(body + 1) == 0x5a) {
    msgReset(); msgText("Found DOS/Windows Exe");
    raise(rec, RISK_BINARY_APPLICATION_TRANSFER);
  } else if (bodyLen >= 4 && startsWithNoCase(type, end, "text/")) {
    let binary = false;
    for (let i: usize = 0; i < 4; i++) {
      const c = <u32>load<u8>(body + i);
      if (!isPrintable(c) && c != 0x0d && c != 0x0a && c != 0x09) binary = true;
    }
    if (binary) {
      msgReset(); msgText("Susp content ");
      for (let i: usize = 0; i < 4; i++) msgHexByte(<u32>load<u8>(body + i));
      raise(rec, RISK_HTTP_SUSPICIOUS_CONTENT);
    }
  }
}

/**
 * Content-Disposition (RFC 6266) names a file: a download ("File download <name>"); a Windows
 * executable name makes it an application transfer.
 */
export function checkDownload(rec: usize, name: usize, len: usize): void {
  msgReset(); msgText("File download "); msgBytes(name, len);
  raise(rec, RISK_BINARY_DATA_TRANSFER);
  const end = name + len;
  if (len > 4 && <u32>load<u8>(end - 4) == DOT &&
      (equalsNoCase(end - 3, end, "exe") || equalsNoCase(end - 3, end, "msi") || equalsNoCase(end - 3, end, "scr"))) {
    msgReset();
    raise(rec, RISK_BINARY_APPLICATION_TRANSFER);
  }
}

/** A request target whose path starts with a dot file ("/.env", "/.git/config"). */
export function checkDotPath(rec: usize, target: usize, len: usize): void {
  if (len < 2 || <u32>load<u8>(target) != 0x2f || <u32>load<u8>(target + 1) != DOT) return;
  msgReset(); msgText("URL starting with dot");
  raise(rec, RISK_POSSIBLE_EXPLOIT);
}

/** Media type of a Content-Type value: up to its parameters (RFC 9110 §8.3.1), trimmed. */
export function mediaTypeLength(value: usize, len: usize): usize {
  let n: usize = 0;
  while (n < len && <u32>load<u8>(value + n) != SEMICOLON) n++;
  while (n > 0 && (<u32>load<u8>(value + n - 1) == SP || <u32>load<u8>(value + n - 1) == 0x09)) n--;
  return n;
}
