// NetBIOS over TCP/UDP (RFC 1001, RFC 1002): the name service on UDP 137 (§4.2), the datagram
// service on UDP 138 (§4.4) and the session service on TCP 139 (§4.3). The name a packet
// carries (the question or record name; a datagram's source name) becomes the flow's host
// name, decoded from the "first level encoding" (RFC 1001 §14.1) as nDPI prints it: the first
// 15 characters (the 16th is the name's type suffix), cut at a NUL, trailing blanks removed,
// lower case. A datagram carrying SMB is NetBIOS.SMBv1, an unsafe protocol.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be16, u8at } from "../util/bytes";
import { IPPROTO_TCP, IPPROTO_UDP } from "../wire/transport";
import { setDetected, setRisk } from "../classify/classify";
import { PROTO_NETBIOS, PROTO_SMBV1 } from "../classify/generated/protocols";
import { RISK_UNSAFE_PROTOCOL } from "../classify/generated/risks";
import { META_STR_HOST, metaHasString, metaSetString } from "./meta";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const PORT_NAME: u32 = 137;
const PORT_DATAGRAM: u32 = 138;
const PORT_SESSION: u32 = 139;

// Name service header (RFC 1002 §4.2.1.1): NAME_TRN_ID, flags (R, OPCODE, NM_FLAGS, RCODE),
// QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT; the first name follows.
const NS_FLAGS: usize = 2;
const NS_QDCOUNT: usize = 4;
const NS_HEADER_LEN: usize = 12;
const NS_OPCODE_SHIFT: u32 = 11;
const NS_OPCODE_MASK: u32 = 0xf;
/** Largest count a real name service packet carries in one section. */
const NS_MAX_COUNT: u32 = 8;

// Datagram header (RFC 1002 §4.4.1): MSG_TYPE, FLAGS, DGM_ID, SOURCE_IP, SOURCE_PORT, then for
// the direct/broadcast types DGM_LENGTH, PACKET_OFFSET, SOURCE_NAME, DESTINATION_NAME, data.
const DGM_SOURCE_NAME: usize = 14;
const DGM_DIRECT_UNIQUE: u32 = 0x10;
const DGM_QUERY_NEGATIVE: u32 = 0x16;
const DGM_BROADCAST: u32 = 0x12;

// Session packet header (RFC 1002 §4.3.1): TYPE, FLAGS, LENGTH (17 bits with the flags' low bit).
const SS_HEADER_LEN: usize = 4;
const SS_REQUEST: u32 = 0x81;
const SS_KEEP_ALIVE: u32 = 0x85;

/** A compressed-format NetBIOS name: length byte 32, then 32 encoded characters (§4.1). */
const ENCODED_NAME_LEN: u32 = 32;
const NAME_CHARS: usize = 15;

const nameBuf: usize = memory.data(16);

export function dissectNetbios(rec: usize, fromClient: bool): i32 {
  const sport = info.srcPort;
  const dport = info.dstPort;
  if (info.l4Proto == IPPROTO_UDP) {
    // Requests go to the service's port; a flow first seen from it (a response, or a
    // datagram sent from 138 elsewhere) is left to the port guess, as nDPI does.
    if (dport == PORT_NAME) return nameService(rec);
    if (dport == PORT_DATAGRAM) return datagramService(rec);
    return R_NO;
  }
  if (info.l4Proto == IPPROTO_TCP && (dport == PORT_SESSION || sport == PORT_SESSION)) return sessionService(rec);
  return R_NO;
}

function nameService(rec: usize): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < NS_HEADER_LEN) return R_NO;
  const opcode = (be16(p + NS_FLAGS) >> NS_OPCODE_SHIFT) & NS_OPCODE_MASK;
  // §4.2.1.1: 0 query, 5 registration, 6 release, 7 WACK, 8 and 9 refresh.
  if (opcode != 0 && (opcode < 5 || opcode > 9)) return R_NO;
  let records: u32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const count = be16(p + NS_QDCOUNT + (i << 1));
    if (count > NS_MAX_COUNT) return R_NO;
    records += count;
  }
  if (records == 0) return R_NO;
  setDetected(rec, PROTO_NETBIOS, 0);
  storeName(rec, p + NS_HEADER_LEN, p + len);
  return R_DONE;
}

function datagramService(rec: usize): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < 1) return R_NO;
  const type = u8at(p);
  if (type < DGM_DIRECT_UNIQUE || type > DGM_QUERY_NEGATIVE) return R_NO;
  if (type > DGM_BROADCAST) {
    setDetected(rec, PROTO_NETBIOS, 0);
    return R_DONE;
  }
  // Direct and broadcast datagrams carry the SMB mailslot messages of the browser protocol
  // (MS-BRWS): nDPI labels them NetBIOS.SMBv1, an unsafe protocol, whatever the user data.
  setDetected(rec, PROTO_NETBIOS, PROTO_SMBV1);
  setRisk(rec, RISK_UNSAFE_PROTOCOL);
  if (len > DGM_SOURCE_NAME) storeName(rec, p + DGM_SOURCE_NAME, p + len);
  return R_DONE;
}

/** Session service: only its own control packets; session messages are SMB's to recognise. */
function sessionService(rec: usize): i32 {
  const len = <usize>info.payloadLen;
  if (len < SS_HEADER_LEN) return R_MAYBE;
  const p = info.payloadPtr;
  const type = u8at(p);
  if (type < SS_REQUEST || type > SS_KEEP_ALIVE || (u8at(p + 1) & 0xfe) != 0) return R_NO;
  const declared = (<usize>(u8at(p + 1) & 1) << 16) | <usize>be16(p + 2);
  if (declared + SS_HEADER_LEN < len) return R_NO;
  if (type == SS_REQUEST && declared < 2 * (1 + <usize>ENCODED_NAME_LEN + 1)) return R_NO;
  setDetected(rec, PROTO_NETBIOS, 0);
  return R_DONE;
}

/**
 * Decodes the encoded name at p (RFC 1001 §14.1: each byte as two letters 'A'+nibble) into the
 * flow's host name, unless it has one. A name that is not in the compressed 32-character form
 * gives none; decoding stops at the first character pair that is not an encoding.
 */
function storeName(rec: usize, p: usize, end: usize): void {
  if (p >= end || u8at(p) != ENCODED_NAME_LEN) return;
  let n: usize = 0;
  let cut = false;
  for (let i: usize = 0; i < NAME_CHARS; i++) {
    const at = p + 1 + (i << 1);
    if (at + 2 > end) break;
    const hi = u8at(at) - 0x41;
    const lo = u8at(at + 1) - 0x41;
    if (hi > 15 || lo > 15) break;
    const c = (hi << 4) | lo;
    if (c == 0) cut = true;
    if (cut) continue;
    store<u8>(nameBuf + n++, <u8>(c - 0x41 < 26 ? c + 0x20 : c));
  }
  while (n > 0 && load<u8>(nameBuf + n - 1) == 0x20) n--;
  if (n > 0 && !metaHasString(rec, META_STR_HOST)) metaSetString(rec, META_STR_HOST, nameBuf, n);
}
