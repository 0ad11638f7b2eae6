// DHCP (RFC 2131) on UDP 67/68: a BOOTP message (RFC 951) whose options start with the magic
// cookie 99.130.83.99 (RFC 2131 §3, RFC 2132 §2). From the options (RFC 2132) nDPI keeps the
// Host Name (12) as the flow's host name, the Parameter Request List (55) as the "DHCP
// fingerprint" (the codes in decimal, comma separated) and the Vendor Class Identifier (60).
// The first message decides the flow.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be32, u8at } from "../util/bytes";
import { writeDecimal } from "../util/text";
import { setDetected } from "../classify/classify";
import { PROTO_DHCP } from "../classify/generated/protocols";
import {
  META_STR_DHCP_CLASS, META_STR_DHCP_FINGERPRINT, META_STR_HOST, metaHasString, metaSetString,
} from "./meta";
import { R_DONE, R_NO } from "./result";

const PORT_SERVER: u32 = 67;
const PORT_CLIENT: u32 = 68;

// RFC 2131 §2 Figure 1: op, htype, hlen, hops, xid (4), secs, flags, ciaddr, yiaddr, siaddr,
// giaddr, chaddr (16), sname (64), file (128): 236 bytes, then the options.
const BOOTP_OP: usize = 0;
const BOOTP_HLEN: usize = 2;
const BOOTP_FIXED: usize = 236;
const OP_REQUEST: u32 = 1;
const OP_REPLY: u32 = 2;
const MAGIC_COOKIE: u32 = 0x63825363;
const OPTIONS_START: usize = BOOTP_FIXED + 4;

const OPT_PAD: u32 = 0;
const OPT_HOST_NAME: u32 = 12;
const OPT_PARAMETER_LIST: u32 = 55;
const OPT_VENDOR_CLASS: u32 = 60;
const OPT_MESSAGE_TYPE: u32 = 53;
const OPT_END: u32 = 255;
const MAX_MESSAGE_TYPE: u32 = 18;

/** Options fit in a datagram; a count bounds the walk over crafted ones as well. */
const MAX_OPTIONS: i32 = 256;
/** 255 codes of at most 3 digits and a comma each. */
const fingerprintBuf: usize = memory.data(1024);
const hostBuf: usize = memory.data(256);

export function dissectDhcp(rec: usize, fromClient: bool): i32 {
  const sport = info.srcPort;
  const dport = info.dstPort;
  if (!((sport == PORT_CLIENT && dport == PORT_SERVER) || (sport == PORT_SERVER && dport == PORT_CLIENT))) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < OPTIONS_START) return R_NO;
  const op = u8at(p + BOOTP_OP);
  if ((op != OP_REQUEST && op != OP_REPLY) || u8at(p + BOOTP_HLEN) > 16) return R_NO;
  if (be32(p + BOOTP_FIXED) != MAGIC_COOKIE || !validMessageType(p + OPTIONS_START, p + len)) return R_NO;
  setDetected(rec, PROTO_DHCP, 0);
  readOptions(rec, p + OPTIONS_START, p + len);
  return R_DONE;
}

/**
 * RFC 2131 §3 requires the DHCP Message Type option (53) in every DHCP message: the first
 * one found must hold a known type (1-8 in RFC 2132 §9.6, up to 18 with later RFCs).
 */
function validMessageType(start: usize, end: usize): bool {
  let cursor = start;
  for (let i = 0; i < MAX_OPTIONS && cursor + 2 < end; i++) {
    const code = u8at(cursor);
    if (code == OPT_END) return false;
    if (code == OPT_PAD) { cursor++; continue; }
    const len = <usize>u8at(cursor + 1);
    if (code == OPT_MESSAGE_TYPE) return len == 1 && u8at(cursor + 2) - 1 < MAX_MESSAGE_TYPE;
    cursor += 2 + len;
  }
  return false;
}

function readOptions(rec: usize, start: usize, end: usize): void {
  let cursor = start;
  for (let i = 0; i < MAX_OPTIONS && cursor < end; i++) {
    const code = u8at(cursor);
    if (code == OPT_END) return;
    if (code == OPT_PAD) { cursor++; continue; }
    if (cursor + 2 > end) return;
    const len = <usize>u8at(cursor + 1);
    const value = cursor + 2;
    // nDPI stops at the first empty option (e.g. Rapid Commit, RFC 4039): what follows it is
    // not reported, so it is not read here either.
    if (len == 0 || value + len > end) return;
    if (code == OPT_HOST_NAME) storeHostName(rec, value, len);
    else if (code == OPT_PARAMETER_LIST) storeFingerprint(rec, value, len);
    else if (code == OPT_VENDOR_CLASS && !metaHasString(rec, META_STR_DHCP_CLASS)) metaSetString(rec, META_STR_DHCP_CLASS, value, len);
    cursor = value + len;
  }
}

/** nDPI keeps host names in lower case. */
function storeHostName(rec: usize, value: usize, len: usize): void {
  if (len == 0 || metaHasString(rec, META_STR_HOST)) return;
  for (let i: usize = 0; i < len; i++) {
    const c = u8at(value + i);
    store<u8>(hostBuf + i, <u8>(c - 0x41 < 26 ? c + 0x20 : c));
  }
  metaSetString(rec, META_STR_HOST, hostBuf, len);
}

function storeFingerprint(rec: usize, value: usize, len: usize): void {
  if (len == 0 || metaHasString(rec, META_STR_DHCP_FINGERPRINT)) return;
  let n: usize = 0;
  for (let i: usize = 0; i < len; i++) {
    if (i > 0) store<u8>(fingerprintBuf + n++, 0x2c);
    n += writeDecimal(fingerprintBuf + n, u8at(value + i));
  }
  metaSetString(rec, META_STR_DHCP_FINGERPRINT, fingerprintBuf, n);
}
