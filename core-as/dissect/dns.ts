// DNS, and the two protocols that reuse its message format on their own ports: mDNS (RFC 6762,
// UDP 5353) and LLMNR (RFC 4795, UDP 5355). Extracts the first question's name (nDPI's
// Hostname/SNI), its type, the response code and the first A/AAAA answer (nDPI's info field).
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { writeIpv4, writeIpv6 } from "../util/text";
import { startsWith } from "../util/ascii";
import {
  DNS_HEADER_LEN, DNS_MAX_NAME, DNS_OPCODE_MASK, DNS_POINTER_MASK, DNS_QUESTION_FIXED,
  DNS_RCODE_MASK, DNS_RR_FIXED, DNS_RR_RDLENGTH, DNS_TCP_LENGTH_PREFIX, DNS_TYPE_A, DNS_TYPE_AAAA,
  DNS_FLAG_RESPONSE, DNS_RR_TTL, dnsAnCount, dnsFlags, dnsNsCount, dnsQdCount,
} from "../wire/dns";
import { IPPROTO_TCP } from "../wire/transport";
import { FLOW_L7_FLAGS, L7_DETECTED } from "../flow/record";
import { applyHostName, setDetected, setRisk } from "../classify/classify";
import { PROTO_DNS, PROTO_LLMNR, PROTO_MDNS } from "../classify/generated/protocols";
import {
  RISK_DNS_FRAGMENTED, RISK_DNS_LARGE_PACKET, RISK_DNS_SUSPICIOUS_TRAFFIC, RISK_ERROR_CODE_DETECTED, RISK_INVALID_CHARACTERS, RISK_MALFORMED_PACKET,
  RISK_MINOR_ISSUES,
} from "../classify/generated/risks";
import {
  META_NUM_DNS_INVALID_CHARS, META_NUM_DNS_QUERY_TYPE, META_NUM_DNS_RCODE, META_STR_HOST, META_STR_INFO,
  metaHasString, metaSetNumber, metaSetString,
} from "./meta";
import { R_DONE, R_MATCH, R_MAYBE, R_NO } from "./result";

const PORT_DNS: u32 = 53;
const PORT_MDNS: u32 = 5353;
const PORT_LLMNR: u32 = 5355;
/** nDPI accepts at most this many questions in a query. */
const MAX_QUESTIONS: u32 = 16;
const MAX_RECORDS: u32 = 64;
const MAX_NAME_HOPS: i32 = 64;

/** The decoded name of the last readName() (at most DNS_MAX_NAME bytes). */
const nameBuf: usize = memory.data(256);
const infoBuf: usize = memory.data(64);
/** nDPI's host name buffer holds 80 bytes with the terminating NUL. */
const HOST_NAME_KEEP: usize = 79;
/** First labels longer than this make a query suspicious (risks_notes.md). */
const LONG_LABEL: u32 = 48;
/** DNS over UDP beyond this size is a "large packet" (RFC 1035 §4.2.1's limit without EDNS). */
const DNS_LARGE_PACKET: usize = 512;
const NO_ADDRESS: usize = memory.data<u8>([0x30, 0x2e, 0x30, 0x2e, 0x30, 0x2e, 0x30]); // "0.0.0.0"
let nameLen: usize = 0;
let nameInvalid: bool = false;
/** The last readName() met a label longer than 63 bytes (RFC 1035 §2.3.4) or past the message end. */
let nameLengthBad: bool = false;
/** Length of the name's first label (RISK_DNS_SUSPICIOUS_TRAFFIC looks at it). */
let firstLabelLen: u32 = 0;
/** Where the name's encoding ended in the message (after its first pointer, if any). */
let nameEnd: usize = 0;

/** Kept in host names: lower-case letters, digits, '-', '_' and '.' (upper case is lowered). */
@inline function isHostChar(c: u32): bool {
  return (c - 0x61 < 26) || (c - 0x30 < 10) || c == 0x2d || c == 0x5f;
}

/**
 * A name byte as nDPI prints it: lower-cased; other printable ASCII becomes '_', anything
 * else '?'. Either kind of replacement marks the name as carrying invalid characters.
 */
@inline function printableNameByte(c: u32): u32 {
  const lower = c - 0x41 < 26 ? c | 0x20 : c;
  if (isHostChar(lower)) return lower;
  nameInvalid = true;
  return c >= 0x21 && c <= 0x7e ? 0x5f : 0x3f;
}

/**
 * Decodes the name at p in the message [msg, end). Follows compression pointers only backwards
 * and at most MAX_NAME_HOPS labels/pointers, so pointer loops end. Returns false when malformed.
 */
function readName(msg: usize, p: usize, end: usize): bool {
  nameLen = 0;
  nameInvalid = false;
  nameLengthBad = false;
  nameEnd = 0;
  firstLabelLen = 0;
  let cursor = p;
  for (let hops = 0; hops < MAX_NAME_HOPS; hops++) {
    if (cursor >= end) return false;
    const len = <u32>load<u8>(cursor);
    if (len == 0) {
      if (nameEnd == 0) nameEnd = cursor + 1;
      return true;
    }
    if ((len & DNS_POINTER_MASK) == DNS_POINTER_MASK) {
      if (cursor + 2 > end) return false;
      const target = msg + <usize>(be16(cursor) & 0x3fff);
      if (nameEnd == 0) nameEnd = cursor + 2;
      if (target >= cursor) return false; // forward or self pointer: a loop or garbage
      cursor = target;
      continue;
    }
    // 0x40/0x80: extended labels, unsupported; nDPI calls such a name (or one running past the
    // message) an "Invalid DNS Query Lenght", a malformed packet.
    if ((len & DNS_POINTER_MASK) != 0 || cursor + 1 + <usize>len > end) {
      nameLengthBad = true;
      return false;
    }
    if (nameLen != 0 && nameLen < DNS_MAX_NAME) store<u8>(nameBuf + nameLen++, 0x2e);
    if (firstLabelLen == 0) firstLabelLen = len;
    for (let i: usize = 1; i <= <usize>len; i++) {
      if (nameLen >= DNS_MAX_NAME) break;
      store<u8>(nameBuf + nameLen++, <u8>printableNameByte(<u32>load<u8>(cursor + i)));
    }
    cursor += 1 + <usize>len;
  }
  return false;
}

function protocolOfPorts(sport: u32, dport: u32): u32 {
  if (sport == PORT_DNS || dport == PORT_DNS) return PROTO_DNS;
  if (dport == PORT_MDNS || sport == PORT_MDNS) return PROTO_MDNS;
  if (dport == PORT_LLMNR || sport == PORT_LLMNR) return PROTO_LLMNR;
  return 0;
}

export function dissectDns(rec: usize, fromClient: bool): i32 {
  const proto = protocolOfPorts(info.srcPort, info.dstPort);
  if (proto == 0) return R_NO;
  let msg = info.payloadPtr;
  let end = msg + <usize>info.payloadLen;
  if (info.l4Proto == IPPROTO_TCP) {
    if (end - msg < DNS_TCP_LENGTH_PREFIX + DNS_HEADER_LEN) return R_MAYBE;
    const declared = <usize>be16(msg);
    msg += DNS_TCP_LENGTH_PREFIX;
    if (declared < end - msg) end = msg + declared;
  }
  if (end - msg < DNS_HEADER_LEN) return R_NO;
  const flags = dnsFlags(msg);
  const questions = dnsQdCount(msg);
  const answers = dnsAnCount(msg);
  const isResponse = (flags & DNS_FLAG_RESPONSE) != 0;
  const detected = (load<u8>(rec + FLOW_L7_FLAGS) & L7_DETECTED) != 0;
  if (detected && proto == PROTO_DNS && !isResponse && !isPlainQueryHeader(flags, questions, answers, dnsNsCount(msg))) {
    // A later query of a DNS flow whose header makes no sense: nDPI's "Invalid DNS Header".
    setRisk(rec, RISK_MALFORMED_PACKET);
    return R_MATCH;
  }
  if ((flags & DNS_OPCODE_MASK) >> 11 > 6 || questions > MAX_QUESTIONS ||
      (!isResponse && proto != PROTO_MDNS && (questions == 0 || answers > MAX_RECORDS)) ||
      answers > MAX_RECORDS || dnsNsCount(msg) > MAX_RECORDS) {
    return R_NO;
  }
  // Header plausible: this is the protocol, whatever the rest holds.
  if (!detected) setDetected(rec, proto, 0);
  // A DNS message in a fragmented IP datagram (risks_notes.md; the first fragment is the one read).
  if (info.ipFragmented && proto == PROTO_DNS) setRisk(rec, RISK_DNS_FRAGMENTED);
  let p = msg + DNS_HEADER_LEN;
  const named = questions > 0 && readName(msg, p, end);
  if (questions > 0 && !named && nameLengthBad && proto == PROTO_DNS) {
    setRisk(rec, RISK_MALFORMED_PACKET);
    if (nameInvalid) setRisk(rec, RISK_INVALID_CHARACTERS);
  }
  if (named) {
    p = nameEnd;
    // nDPI reports the latest query of the flow (a reused port carries several).
    if (!isResponse || !metaHasString(rec, META_STR_HOST)) storeQueryName(rec, proto);
    if (end - p >= DNS_QUESTION_FIXED) {
      const type = be16(p);
      metaSetNumber(rec, META_NUM_DNS_QUERY_TYPE, type);
      if (isObsoleteRecordType(type)) setRisk(rec, RISK_DNS_SUSPICIOUS_TRAFFIC);
    }
    p += DNS_QUESTION_FIXED;
    for (let q: u32 = 1; q < questions && p < end; q++) {
      if (!readName(msg, p, end)) break;
      p = nameEnd + DNS_QUESTION_FIXED;
    }
  }
  if (info.l4Proto != IPPROTO_TCP && end - msg > DNS_LARGE_PACKET) setRisk(rec, RISK_DNS_LARGE_PACKET);
  if (!isResponse) {
    // A query: the answer (if the flow has one) carries the rest. LLMNR and mDNS queries are done.
    return proto == PROTO_DNS ? R_MATCH : R_DONE;
  }
  const rcode = flags & DNS_RCODE_MASK;
  metaSetNumber(rec, META_NUM_DNS_RCODE, rcode + 1);
  if (rcode != 0 && proto == PROTO_DNS) setRisk(rec, RISK_ERROR_CODE_DETECTED);
  readAnswers(rec, msg, p, end, answers, questions == 0, proto);
  return R_DONE;
}

/**
 * Walks the answers: nDPI's info field is the first A or AAAA address ("0.0.0.0" when none);
 * a response without a question (mDNS announcements) is named by its first answer; a zero TTL
 * is a minor issue (risks_notes.md).
 */
function readAnswers(rec: usize, msg: usize, p: usize, end: usize, answers: u32, nameFromAnswer: bool, proto: u32): void {
  let addressFound = false;
  for (let a: u32 = 0; a < answers && p < end; a++) {
    if (!readName(msg, p, end)) break;
    if (a == 0 && nameFromAnswer && !metaHasString(rec, META_STR_HOST)) storeQueryName(rec, proto);
    p = nameEnd;
    if (end - p < DNS_RR_FIXED) break;
    const type = be16(p);
    const ttl = (be16(p + DNS_RR_TTL) << 16) | be16(p + DNS_RR_TTL + 2);
    if (ttl == 0 && proto == PROTO_DNS) setRisk(rec, RISK_MINOR_ISSUES);
    const rdLength = <usize>be16(p + DNS_RR_RDLENGTH);
    const rdata = p + DNS_RR_FIXED;
    if (end - rdata < rdLength) break;
    if (!addressFound && type == DNS_TYPE_A && rdLength == 4) {
      metaSetString(rec, META_STR_INFO, infoBuf, writeIpv4(infoBuf, rdata));
      addressFound = true;
    } else if (!addressFound && type == DNS_TYPE_AAAA && rdLength == 16) {
      metaSetString(rec, META_STR_INFO, infoBuf, writeIpv6(infoBuf, rdata));
      addressFound = true;
    }
    p = rdata + rdLength;
  }
  if (!addressFound && !metaHasString(rec, META_STR_INFO)) metaSetString(rec, META_STR_INFO, NO_ADDRESS, 7);
}

/**
 * The decoded name becomes the flow's host name. nDPI keeps the last HOST_NAME_KEEP bytes of a
 * longer name (the registered domain is at the end). Invalid characters and an over-long first
 * label of a DNS query are risks (risks_notes.md).
 */
function storeQueryName(rec: usize, proto: u32): void {
  const skip = nameLen > HOST_NAME_KEEP ? nameLen - HOST_NAME_KEEP : 0;
  metaSetString(rec, META_STR_HOST, nameBuf + skip, nameLen - skip);
  if (nameInvalid) {
    metaSetNumber(rec, META_NUM_DNS_INVALID_CHARS, 1);
    setRisk(rec, RISK_INVALID_CHARACTERS);
  }
  if (proto == PROTO_DNS && firstLabelLen > LONG_LABEL && !endsWithExemptSuffix()) setRisk(rec, RISK_DNS_SUSPICIOUS_TRAFFIC);
  applyHostName(rec);
}

/**
 * A query header nDPI accepts on a DNS flow (RFC 1035 §4.1.1): neither AA nor TC set (they only
 * mean something in a response), at most MAX_QUESTIONS questions, no answer and no authority
 * record. The bits were read from fuzz-2006-06-26-2594.pcap, whose later queries nDPI calls
 * "Invalid DNS Header" exactly when one of these fails.
 */
const DNS_FLAGS_AA_TC: u32 = 0x0600;
function isPlainQueryHeader(flags: u32, questions: u32, answers: u32, authority: u32): bool {
  return (flags & DNS_FLAGS_AA_TC) == 0 && questions <= MAX_QUESTIONS && answers == 0 && authority == 0;
}

/** Record types nDPI calls obsolete (risks_notes.md, "Obsolete DNS record type"). */
function isObsoleteRecordType(type: u32): bool {
  switch (type) {
    case 3: case 4: case 7: case 8: case 9: case 10: case 11: case 13: case 14: case 17: case 19:
    case 20: case 21: case 22: case 23: case 24: case 25: case 26: case 27: case 30: case 31:
    case 32: case 34: case 38: case 40: case 42: case 56: case 57: case 58: case 99: case 100:
    case 101: case 102: case 103: case 104: case 105: case 106: case 107: case 253: case 254:
    case 259:
      return true;
  }
  return false;
}

/** Long first labels are normal under these domains (risks_notes.md). */
function endsWithExemptSuffix(): bool {
  return nameEndsWith("multi.surbl.org") || nameEndsWith("spamhaus.org") || nameEndsWith("rackcdn.com") ||
    nameEndsWith("akamaiedge.net") || nameEndsWith("mx-verification.google.com") || nameEndsWith("amazonaws.com");
}

function nameEndsWith(suffix: string): bool {
  const len = <usize>suffix.length;
  return nameLen >= len && startsWith(nameBuf + nameLen - len, nameBuf + nameLen, suffix);
}
