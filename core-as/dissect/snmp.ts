// SNMP on UDP 161 (agents) and 162 (notification receivers). A message is a BER SEQUENCE
// (X.690 §8.9) of the version INTEGER (0 = v1, 1 = v2c: RFC 1157 §4, RFC 1901 §3; 3 = v3:
// RFC 3412 §6) and, for v1/v2c, the community OCTET STRING and a context-tagged PDU
// (RFC 3416 §3: [0] get ... [8] report). A response carrying a non-zero error-status raises
// nDPI's "Error Code" risk with the info "SNMP Error <status>", so a request's flow stays open
// for the response.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { u8at } from "../util/bytes";
import { writeDecimal } from "../util/text";
import { setDetected, setRisk } from "../classify/classify";
import { PROTO_SNMP } from "../classify/generated/protocols";
import { RISK_ERROR_CODE_DETECTED } from "../classify/generated/risks";
import { FLOW_L7_FLAGS, L7_DETECTED } from "../flow/record";
import { META_STR_RISK_INFO, metaHasString, metaSetString } from "./meta";
import { R_DONE, R_MATCH, R_NO } from "./result";

const PORT_AGENT: u32 = 161;
const PORT_TRAP: u32 = 162;

// X.690 identifier octets used here.
const TAG_INTEGER: u32 = 0x02;
const TAG_OCTET_STRING: u32 = 0x04;
const TAG_SEQUENCE: u32 = 0x30;
const TAG_PDU_FIRST: u32 = 0xa0; // GetRequest-PDU
const TAG_PDU_RESPONSE: u32 = 0xa2;
const TAG_PDU_TRAP_V1: u32 = 0xa4; // RFC 1157 Trap-PDU: no error-status
const TAG_PDU_LAST: u32 = 0xa8; // Report-PDU

const VERSION_V1: u32 = 0;
const VERSION_V2C: u32 = 1;
const VERSION_V3: u32 = 3;

/** The content of the last element readTlv() read. */
let valuePtr: usize = 0;
let valueLen: usize = 0;

const ERROR_PREFIX: usize = memory.data<u8>([0x53, 0x4e, 0x4d, 0x50, 0x20, 0x45, 0x72, 0x72, 0x6f, 0x72, 0x20]); // "SNMP Error "
const ERROR_PREFIX_LEN: usize = 11;
const errorBuf: usize = memory.data(24);

/**
 * Reads the element at p with identifier `tag` (definite lengths only, X.690 §8.1.3, at most 4
 * length octets) and returns where its content starts (valuePtr/valueLen), or 0. The content
 * may run past `end` only for the outer SEQUENCE of a truncated capture (allowTruncated).
 */
function readTlv(p: usize, end: usize, tag: u32, allowTruncated: bool): usize {
  if (p + 2 > end || u8at(p) != tag) return 0;
  let len = <usize>u8at(p + 1);
  let content = p + 2;
  if (len >= 0x80) {
    const octets = len & 0x7f;
    if (octets == 0 || octets > 4 || content + octets > end) return 0;
    len = 0;
    for (let i: usize = 0; i < octets; i++) len = (len << 8) | <usize>u8at(content + i);
    content += octets;
  }
  if (len > end - content && !allowTruncated) return 0;
  valuePtr = content;
  valueLen = len;
  return content;
}

/** A small non-negative INTEGER (X.690 §8.3), or -1. */
function readSmallInteger(p: usize, end: usize): i32 {
  if (readTlv(p, end, TAG_INTEGER, false) == 0 || valueLen == 0 || valueLen > 3) return -1;
  let value: i32 = 0;
  for (let i: usize = 0; i < valueLen; i++) value = (value << 8) | <i32>u8at(valuePtr + i);
  return value;
}

export function dissectSnmp(rec: usize, fromClient: bool): i32 {
  const sport = info.srcPort;
  const dport = info.dstPort;
  if (sport != PORT_AGENT && dport != PORT_AGENT && sport != PORT_TRAP && dport != PORT_TRAP) return R_NO;
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (readTlv(p, end, TAG_SEQUENCE, true) == 0) return R_NO;
  let cursor = valuePtr;
  const version = readSmallInteger(cursor, end);
  if (version != VERSION_V1 && version != VERSION_V2C && version != VERSION_V3) return R_NO;
  cursor = valuePtr + valueLen;
  if (version == VERSION_V3) {
    // msgGlobalData is a SEQUENCE; the rest is protected or scoped, nothing more to read.
    if (readTlv(cursor, end, TAG_SEQUENCE, false) == 0) return R_NO;
    setDetected(rec, PROTO_SNMP, 0);
    return R_DONE;
  }
  if (readTlv(cursor, end, TAG_OCTET_STRING, false) == 0) return R_NO;
  cursor = valuePtr + valueLen;
  if (cursor >= end) return R_NO;
  const pduTag = u8at(cursor);
  if (pduTag < TAG_PDU_FIRST || pduTag > TAG_PDU_LAST) return R_NO;
  const known = (load<u8>(rec + FLOW_L7_FLAGS) & L7_DETECTED) != 0;
  if (!known) setDetected(rec, PROTO_SNMP, 0);
  if (pduTag == TAG_PDU_TRAP_V1 || readTlv(cursor, end, pduTag, true) == 0) return R_DONE;
  // PDU (RFC 3416 §3): request-id, error-status, error-index, variable-bindings.
  if (readTlv(valuePtr, end, TAG_INTEGER, false) == 0) return R_DONE;
  const status = readSmallInteger(valuePtr + valueLen, end);
  if (pduTag == TAG_PDU_RESPONSE) {
    if (status > 0) reportError(rec, <u32>status);
    return R_DONE;
  }
  // A request: its response may carry an error.
  return R_MATCH;
}

function reportError(rec: usize, status: u32): void {
  setRisk(rec, RISK_ERROR_CODE_DETECTED);
  if (metaHasString(rec, META_STR_RISK_INFO)) return;
  memory.copy(errorBuf, ERROR_PREFIX, ERROR_PREFIX_LEN);
  const n = ERROR_PREFIX_LEN + writeDecimal(errorBuf + ERROR_PREFIX_LEN, status);
  metaSetString(rec, META_STR_RISK_INFO, errorBuf, n);
}
