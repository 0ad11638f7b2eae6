// DNS, and the two protocols that reuse its message format on their own ports: mDNS (RFC 6762,
// UDP 5353) and LLMNR (RFC 4795, UDP 5355). Extracts the first question's name (nDPI's
// Hostname/SNI), its type, the response code and the first A/AAAA answer (nDPI's info field).
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { writeIpv4, writeIpv6 } from "../util/text";
import {
  DNS_HEADER_LEN, DNS_MAX_NAME, DNS_OPCODE_MASK, DNS_POINTER_MASK, DNS_QUESTION_FIXED,
  DNS_RCODE_MASK, DNS_RR_FIXED, DNS_RR_RDLENGTH, DNS_TCP_LENGTH_PREFIX, DNS_TYPE_A, DNS_TYPE_AAAA,
  DNS_FLAG_RESPONSE, dnsAnCount, dnsFlags, dnsNsCount, dnsQdCount,
} from "../wire/dns";
import { IPPROTO_TCP } from "../wire/transport";
import { FLOW_L7_FLAGS, L7_DETECTED } from "../flow/record";
import { applyHostName, setDetected, setRisk } from "../classify/classify";
import { PROTO_DNS, PROTO_LLMNR, PROTO_MDNS } from "../classify/generated/protocols";
import { RISK_INVALID_CHARACTERS } from "../classify/generated/risks";
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
const NO_ADDRESS: usize = memory.data<u8>([0x30, 0x2e, 0x30, 0x2e, 0x30, 0x2e, 0x30]); // "0.0.0.0"
let nameLen: usize = 0;
let nameInvalid: bool = false;
/** Where the name's encoding ended in the message (after its first pointer, if any). */
let nameEnd: usize = 0;

/** Valid in host names: letters, digits, '-', '_' and '.'; anything else prints as '?' (as nDPI). */
@inline function isHostChar(c: u32): bool {
  return (c - 0x61 < 26) || (c - 0x41 < 26) || (c - 0x30 < 10) || c == 0x2d || c == 0x5f;
}

/**
 * Decodes the name at p in the message [msg, end). Follows compression pointers only backwards
 * and at most MAX_NAME_HOPS labels/pointers, so pointer loops end. Returns false when malformed.
 */
function readName(msg: usize, p: usize, end: usize): bool {
  nameLen = 0;
  nameInvalid = false;
  nameEnd = 0;
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
    if ((len & DNS_POINTER_MASK) != 0) return false; // 0x40/0x80: extended labels, unsupported
    if (cursor + 1 + <usize>len > end) return false;
    if (nameLen != 0 && nameLen < DNS_MAX_NAME) store<u8>(nameBuf + nameLen++, 0x2e);
    for (let i: usize = 1; i <= <usize>len; i++) {
      if (nameLen >= DNS_MAX_NAME) break;
      const c = <u32>load<u8>(cursor + i);
      if (!isHostChar(c)) nameInvalid = true;
      store<u8>(nameBuf + nameLen++, isHostChar(c) ? <u8>c : 0x3f);
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
  if ((flags & DNS_OPCODE_MASK) >> 11 > 6 || questions > MAX_QUESTIONS ||
      (!isResponse && proto != PROTO_MDNS && (questions == 0 || answers > MAX_RECORDS)) ||
      answers > MAX_RECORDS || dnsNsCount(msg) > MAX_RECORDS) {
    return R_NO;
  }
  // Header plausible: this is the protocol, whatever the rest holds.
  if ((load<u8>(rec + FLOW_L7_FLAGS) & L7_DETECTED) == 0) setDetected(rec, proto, 0);
  let p = msg + DNS_HEADER_LEN;
  if (questions > 0 && readName(msg, p, end)) {
    p = nameEnd;
    if (!metaHasString(rec, META_STR_HOST)) {
      metaSetString(rec, META_STR_HOST, nameBuf, nameLen);
      if (nameInvalid) {
        metaSetNumber(rec, META_NUM_DNS_INVALID_CHARS, 1);
        setRisk(rec, RISK_INVALID_CHARACTERS);
      }
      applyHostName(rec);
    }
    if (end - p >= DNS_QUESTION_FIXED) metaSetNumber(rec, META_NUM_DNS_QUERY_TYPE, be16(p));
    p += DNS_QUESTION_FIXED;
    for (let q: u32 = 1; q < questions && p < end; q++) {
      if (!readName(msg, p, end)) break;
      p = nameEnd + DNS_QUESTION_FIXED;
    }
  }
  if (!isResponse) {
    // A query: the answer (if the flow has one) carries the rest. LLMNR and mDNS queries are done.
    return proto == PROTO_DNS ? R_MATCH : R_DONE;
  }
  metaSetNumber(rec, META_NUM_DNS_RCODE, (flags & DNS_RCODE_MASK) + 1);
  readFirstAddress(rec, msg, p, end, answers);
  return R_DONE;
}

/** nDPI's info field: the first A or AAAA answer; "0.0.0.0" when the response has none. */
function readFirstAddress(rec: usize, msg: usize, p: usize, end: usize, answers: u32): void {
  for (let a: u32 = 0; a < answers && p < end; a++) {
    if (!readName(msg, p, end)) break;
    p = nameEnd;
    if (end - p < DNS_RR_FIXED) break;
    const type = be16(p);
    const rdLength = <usize>be16(p + DNS_RR_RDLENGTH);
    const rdata = p + DNS_RR_FIXED;
    if (end - rdata < rdLength) break;
    if (type == DNS_TYPE_A && rdLength == 4) {
      metaSetString(rec, META_STR_INFO, infoBuf, writeIpv4(infoBuf, rdata));
      return;
    }
    if (type == DNS_TYPE_AAAA && rdLength == 16) {
      metaSetString(rec, META_STR_INFO, infoBuf, writeIpv6(infoBuf, rdata));
      return;
    }
    p = rdata + rdLength;
  }
  if (!metaHasString(rec, META_STR_INFO)) {
    metaSetString(rec, META_STR_INFO, NO_ADDRESS, 7);
  }
}
