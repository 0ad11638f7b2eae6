// Kerberos V5 (RFC 4120) on UDP/TCP 88. A message is an ASN.1 [APPLICATION n] element (§5.10)
// whose SEQUENCE carries pvno = 5 and msg-type = n; over TCP it is preceded by a 4-byte length
// (§7.2.2). The flow is Kerberos when its first payload packet is such a message, complete in
// that packet (nDPI does not reassemble: a first segment of a longer message leaves the flow to
// the port guess, as in its results).
//
// nDPI's info field is "<realm>\<client name>" in lower case, a trailing '$' (machine account)
// removed: from the request's req-body (AS-REQ: realm and cname; TGS-REQ: realm only, §5.4.1),
// and on TCP, when the request gave no client name, from the reply's crealm/cname (§5.4.2).
//
// State (flow_state.ts, after the owner byte):
//   1  1 flags   HAVE_NAME: the info has its client name
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { FLOW_DISSECTOR } from "../flow/record";
import {
  BER_GENERAL_STRING, BER_INTEGER, BER_SEQUENCE, berApplication, berContext, berEnd, berFind, berInteger, berLength, berRead, berTag, berValue,
} from "../wire/ber";
import { setDetected } from "../classify/classify";
import { PROTO_KERBEROS } from "../classify/generated/protocols";
import { META_STR_INFO, metaSetString, metaStringLen, metaStringPtr } from "./meta";
import { STATE_DATA, claimState } from "./flow_state";
import { R_DONE, R_MATCH, R_NO } from "./result";

const ID: u32 = 22; // DISSECTOR_KERBEROS (registry.ts)

const TCP_LENGTH_PREFIX: usize = 4;
const PVNO: i32 = 5;

// Message types (RFC 4120 §5.10 and the ASN.1 module, §A).
const KRB_AS_REQ: u32 = 10;
const KRB_AS_REP: u32 = 11;
const KRB_TGS_REQ: u32 = 12;
const KRB_TGS_REP: u32 = 13;
const KRB_AP_REQ: u32 = 14;
const KRB_AP_REP: u32 = 15;
const KRB_SAFE: u32 = 20;
const KRB_PRIV: u32 = 21;
const KRB_CRED: u32 = 22;
const KRB_ERROR: u32 = 30;

// KDC-REQ ::= SEQUENCE { pvno [1], msg-type [2], padata [3] OPTIONAL, req-body [4] } (§5.4.1)
const KDC_REQ_PVNO: u32 = 1;
const KDC_REQ_MSG_TYPE: u32 = 2;
const KDC_REQ_BODY: u32 = 4;
// KDC-REQ-BODY ::= SEQUENCE { kdc-options [0], cname [1] OPTIONAL, realm [2], ... }
const REQ_BODY_CNAME: u32 = 1;
const REQ_BODY_REALM: u32 = 2;
// KDC-REP ::= SEQUENCE { pvno [0], msg-type [1], padata [2] OPTIONAL, crealm [3], cname [4], ... } (§5.4.2)
// and every other message starts pvno [0], msg-type [1] (§5.5-§5.9).
const PVNO_TAG: u32 = 0;
const MSG_TYPE_TAG: u32 = 1;
const KDC_REP_CREALM: u32 = 3;
const KDC_REP_CNAME: u32 = 4;
// PrincipalName ::= SEQUENCE { name-type [0], name-string [1] SEQUENCE OF KerberosString } (§5.2.2)
const PRINCIPAL_NAME_STRING: u32 = 1;

const MAX_FIELDS: u32 = 16;
const MAX_NAME_PARTS: u32 = 8;
const MAX_PART: usize = 120;

const STATE_FLAGS: usize = STATE_DATA;
const HAVE_NAME: u8 = 1;

const infoBuf: usize = memory.data(2 * <i32>MAX_PART + 2);

function isMessageType(n: u32): bool {
  return (n >= KRB_AS_REQ && n <= KRB_AP_REP) || (n >= KRB_SAFE && n <= KRB_CRED) || n == KRB_ERROR;
}

/** Reads INTEGER [tag] among the elements of [p, end); -1 when absent or malformed. */
function contextInteger(p: usize, end: usize, tag: u32): i32 {
  if (!berFind(p, end, berContext(tag), MAX_FIELDS)) return -1;
  if (!berRead(berValue, berEnd()) || berTag != BER_INTEGER) return -1;
  return berInteger();
}

export function dissectKerberos(rec: usize, fromClient: bool): i32 {
  const owned = <u32>load<u8>(rec + FLOW_DISSECTOR) == ID;
  let p = info.payloadPtr;
  let end = p + <usize>info.payloadLen;
  if (info.l4Proto == IPPROTO_TCP) {
    if (end - p < TCP_LENGTH_PREFIX || <usize>be32(p) != end - p - TCP_LENGTH_PREFIX) return owned ? R_MATCH : R_NO;
    p += TCP_LENGTH_PREFIX;
  }
  // The message: [APPLICATION n] { SEQUENCE { ... } }, complete in this packet.
  if (!berRead(p, end)) return owned ? R_MATCH : R_NO;
  const type = berTag & 0x1f;
  if (berTag != berApplication(type) || !isMessageType(type)) return owned ? R_MATCH : R_NO;
  if (!berRead(berValue, berEnd()) || berTag != BER_SEQUENCE) return owned ? R_MATCH : R_NO;
  const fields = berValue;
  const fieldsEnd = berEnd();
  const isRequest = type == KRB_AS_REQ || type == KRB_TGS_REQ;
  const pvno = contextInteger(fields, fieldsEnd, isRequest ? KDC_REQ_PVNO : PVNO_TAG);
  const msgType = contextInteger(fields, fieldsEnd, isRequest ? KDC_REQ_MSG_TYPE : MSG_TYPE_TAG);
  if (pvno != PVNO || msgType != <i32>type) return owned ? R_MATCH : R_NO;

  if (!owned) setDetected(rec, PROTO_KERBEROS, 0);
  const state = claimState(rec, ID);
  if (isRequest) {
    if (metaStringLen(rec, META_STR_INFO) == 0) readRequest(rec, state, fields, fieldsEnd, type);
    // Over UDP the exchange is one datagram each way: nothing more to wait for after a TGS-REQ.
    if ((load<u8>(state + STATE_FLAGS) & HAVE_NAME) != 0 || info.l4Proto != IPPROTO_TCP) return R_DONE;
    return R_MATCH;
  }
  if (type == KRB_AS_REP || type == KRB_TGS_REP) {
    if ((load<u8>(state + STATE_FLAGS) & HAVE_NAME) == 0) readReply(rec, state, fields, fieldsEnd);
    return R_DONE;
  }
  return owned ? R_DONE : R_MATCH;
}

/** AS-REQ/TGS-REQ: realm and (if present) cname of the req-body. */
function readRequest(rec: usize, state: usize, p: usize, end: usize, type: u32): void {
  if (!berFind(p, end, berContext(KDC_REQ_BODY), MAX_FIELDS)) return;
  if (!berRead(berValue, berEnd()) || berTag != BER_SEQUENCE) return;
  const body = berValue;
  const bodyEnd = berEnd();
  let n = realmAt(body, bodyEnd, REQ_BODY_REALM);
  if (n == 0) return;
  if (type == KRB_AS_REQ) n = appendName(state, body, bodyEnd, REQ_BODY_CNAME, n);
  metaSetString(rec, META_STR_INFO, infoBuf, n);
}

/** AS-REP/TGS-REP: crealm and cname, when the request gave no client name. */
function readReply(rec: usize, state: usize, p: usize, end: usize): void {
  let n: usize = 0;
  const known = metaStringLen(rec, META_STR_INFO);
  if (known != 0) {
    n = <usize>known < MAX_PART ? <usize>known : MAX_PART;
    memory.copy(infoBuf, metaStringPtr(rec, META_STR_INFO), n);
  } else {
    n = realmAt(p, end, KDC_REP_CREALM);
    if (n == 0) return;
  }
  const withName = appendName(state, p, end, KDC_REP_CNAME, n);
  if (withName != n || known == 0) metaSetString(rec, META_STR_INFO, infoBuf, withName);
}

/** Copies the Realm (GeneralString) in field [tag] to infoBuf, lower case; returns its length. */
function realmAt(p: usize, end: usize, tag: u32): usize {
  if (!berFind(p, end, berContext(tag), MAX_FIELDS)) return 0;
  if (!berRead(berValue, berEnd()) || berTag != BER_GENERAL_STRING) return 0;
  return copyPart(infoBuf, berValue, berLength);
}

/**
 * Appends "\<name>" to the `n` bytes in infoBuf from the PrincipalName in field [tag]: its last
 * component (a service principal "host/name" gives "name"), lower case, without a trailing '$'.
 */
function appendName(state: usize, p: usize, end: usize, tag: u32, n: usize): usize {
  if (!berFind(p, end, berContext(tag), MAX_FIELDS)) return n;
  if (!berRead(berValue, berEnd()) || berTag != BER_SEQUENCE) return n;
  if (!berFind(berValue, berEnd(), berContext(PRINCIPAL_NAME_STRING), 2)) return n;
  if (!berRead(berValue, berEnd()) || berTag != BER_SEQUENCE) return n;
  let at = berValue;
  const partsEnd = berEnd();
  let last: usize = 0;
  let lastLen: usize = 0;
  for (let i: u32 = 0; i < MAX_NAME_PARTS && at < partsEnd; i++) {
    if (!berRead(at, partsEnd)) break;
    if (berTag == BER_GENERAL_STRING && berLength > 0) { last = berValue; lastLen = berLength; }
    at = berEnd();
  }
  if (lastLen > 0 && load<u8>(last + lastLen - 1) == 0x24) lastLen--; // '$'
  if (lastLen == 0) return n;
  store<u8>(infoBuf + n, 0x5c); // '\'
  store<u8>(state + STATE_FLAGS, load<u8>(state + STATE_FLAGS) | HAVE_NAME);
  return n + 1 + copyPart(infoBuf + n + 1, last, lastLen);
}

/** Lower-case copy of at most MAX_PART bytes; bytes that are not printable become '?'. */
function copyPart(out: usize, p: usize, len: usize): usize {
  const n = len < MAX_PART ? len : MAX_PART;
  for (let i: usize = 0; i < n; i++) {
    let c = <u32>load<u8>(p + i);
    if (c - 0x41 < 26) c += 0x20;
    else if (c - 0x20 >= 0x5f) c = 0x3f;
    store<u8>(out + i, <u8>c);
  }
  return n;
}
