// DTLS (RFC 6347, RFC 9147) over UDP, on its own or after a call's STUN exchange (stun.ts hands
// its datagrams here). A datagram of well-formed DTLS records decides the flow. The handshake
// is TLS's with a longer message header (12 bytes: sequence and fragment fields) and, in the
// ClientHello, a cookie: the ClientHello, ServerHello and the first certificate are rewritten
// in TLS's layout and read by the TLS dissector's parsers (JA3/JA4, SNI, ALPN, version,
// cipher, JA3S, certificate names, the application by certificate, risks), then adjusted the
// way nDPI prints DTLS: JA4 starts "d" and the DTLS version ("d1", "d2"; "s3" for 0x0100).
// A Certificate message split over datagrams is gathered in a buffer allocated once per flow
// (up to the first certificate) and freed when dissection ends.
//
// State (DTLS_STATE_SIZE bytes, at stateArea(rec) or inside the STUN dissector's state):
//   0  1 flags      F_CLIENT_HELLO, F_SERVER_HELLO, F_CERTIFICATE, F_ENCRYPTED
//   1  1 packets    datagrams read
//   4  4 certBuf    gathering buffer (0 none): the Certificate message in TLS layout
//   8  4 certHave   bytes of the message body gathered from offset 0
//  12  4 certWant   bytes of the body needed (up to the end of the first certificate)
import * as info from "../decode/packet_info";
import { be16, u8at } from "../util/bytes";
import {
  CT_ALERT, CT_APPLICATION_DATA, CT_CHANGE_CIPHER_SPEC, CT_HANDSHAKE, HELLO_SESSION_ID, HS_CERTIFICATE,
  HS_CLIENT_HELLO, HS_HEADER_LEN, HS_SERVER_HELLO, VERSION_DTLS10, VERSION_DTLS12, VERSION_DTLS13,
  VERSION_TLS12, ALERT_LEVEL_FATAL, be24,
} from "../wire/tls";
import {
  CT_TLS12_CID, DTLS_HS_FRAGMENT_LENGTH, DTLS_HS_FRAGMENT_OFFSET, DTLS_HS_HEADER_LEN, DTLS_HS_LENGTH,
  DTLS_RECORD_EPOCH, DTLS_RECORD_HEADER_LEN, DTLS_VERSION_BAD, dtlsRecordLength, dtlsRecordVersion,
} from "../wire/dtls";
import { FLOW_DISSECTOR_STATE, FLOW_RISKS } from "../flow/record";
import { setDetected, setRisk } from "../classify/classify";
import { PROTO_DTLS } from "../classify/generated/protocols";
import {
  RISK_TLS_ALPN_SNI_MISMATCH, RISK_TLS_FATAL_ALERT, RISK_TLS_MISSING_SNI, RISK_TLS_NOT_CARRYING_HTTPS,
  RISK_TLS_OBSOLETE_VERSION, RISK_TLS_SELFSIGNED_CERTIFICATE,
} from "../classify/generated/risks";
import {
  META_STR_JA4, META_STR_RISK_INFO, metaHasString, metaSetString, metaStringLen, metaStringPtr,
} from "./meta";
import { parseClientHello, writeTlsVersionName } from "./tls_client_hello";
import { parseCertificate, parseServerHello } from "./tls_server";
import { STATE_OWNER, claimState } from "./flow_state";
import { R_DONE, R_MATCH, R_NO } from "./result";

/** This dissector's id in the registry (flow_state.ts tags the state with it). */
const OWNER_ID: u32 = 20;
export const DTLS_STATE_SIZE: usize = 16;
/** Where the standalone dissector keeps its state in the flow's area (4-byte aligned). */
const STATE_AT: usize = 4;

const S_FLAGS: usize = 0;
const S_PACKETS: usize = 1;
const S_CERT_BUF: usize = 4;
const S_CERT_HAVE: usize = 8;
const S_CERT_WANT: usize = 12;

const F_CLIENT_HELLO: u8 = 1;
const F_SERVER_HELLO: u8 = 2;
const F_CERTIFICATE: u8 = 4;
const F_ENCRYPTED: u8 = 8;

/** Datagrams read before giving up on the rest of the handshake (nDPI: 17 with STUN's). */
const MAX_PACKETS: u32 = 16;
const MAX_RECORDS: i32 = 32;
const MAX_MESSAGES: i32 = 16;
/** Hellos bigger than this are cut (their parsers keep what is complete). */
const HELLO_CAP: usize = 8192;
/** The certificate gathered: nDPI reads the first one; bigger ones are cut. */
const CERT_CAP: usize = 16384;

const helloBuf: usize = memory.data(<i32>HELLO_CAP);

/** A datagram made of DTLS records: known content types and versions, lengths that tile it. */
export function isDtlsRecord(p: usize, len: usize): bool {
  if (len < DTLS_RECORD_HEADER_LEN) return false;
  let cursor = p;
  const end = p + len;
  for (let i = 0; i < MAX_RECORDS && cursor < end; i++) {
    if (end - cursor < DTLS_RECORD_HEADER_LEN) return false;
    const type = u8at(cursor);
    if (type < CT_CHANGE_CIPHER_SPEC || type > CT_TLS12_CID) return false;
    const version = dtlsRecordVersion(cursor);
    if (version != VERSION_DTLS10 && version != VERSION_DTLS12 && version != DTLS_VERSION_BAD) return false;
    const body = cursor + DTLS_RECORD_HEADER_LEN;
    const bodyLen = dtlsRecordLength(cursor);
    if (bodyLen > end - body) return false;
    cursor = body + bodyLen;
  }
  return cursor == end;
}

export function dissectDtls(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const area = rec + FLOW_DISSECTOR_STATE;
  if (<u32>load<u8>(area + STATE_OWNER) != OWNER_ID) {
    if (!isDtlsRecord(p, len)) return R_NO;
    claimState(rec, OWNER_ID);
    setDetected(rec, PROTO_DTLS, 0);
  }
  return dtlsDatagram(rec, fromClient, p, len, area + STATE_AT, false);
}

/** Dissection of the flow is over: frees the certificate buffer of the standalone dissector's state. */
export function releaseDtls(rec: usize): void {
  const area = rec + FLOW_DISSECTOR_STATE;
  if (<u32>load<u8>(area + STATE_OWNER) == OWNER_ID) releaseDtlsState(area + STATE_AT);
}

/** Frees what the state at `st` allocated (also called by the STUN dissector for its flows). */
export function releaseDtlsState(st: usize): void {
  const buf = <usize>load<u32>(st + S_CERT_BUF);
  if (buf != 0) heap.free(buf);
  store<u32>(st + S_CERT_BUF, 0);
}

/**
 * Reads the records of one datagram of a DTLS flow; non-DTLS datagrams (SRTP, STUN) are passed
 * over. `viaStun`: the flow began with STUN (DTLS-SRTP of a call, RFC 5764): nDPI raises no
 * missing-SNI or no-ALPN risk there (call peers send neither), nor self-signed (below).
 */
export function dtlsDatagram(rec: usize, fromClient: bool, p: usize, len: usize, st: usize, viaStun: bool): i32 {
  const risksBefore = load<u64>(rec + FLOW_RISKS);
  const packets = <u32>load<u8>(st + S_PACKETS) + 1;
  store<u8>(st + S_PACKETS, <u8>packets);
  if (isDtlsRecord(p, len)) {
    let cursor = p;
    const end = p + len;
    for (let i = 0; i < MAX_RECORDS && cursor < end; i++) {
      const type = u8at(cursor);
      const body = cursor + DTLS_RECORD_HEADER_LEN;
      const bodyLen = dtlsRecordLength(cursor);
      const epoch = be16(cursor + DTLS_RECORD_EPOCH);
      if (epoch != 0 || type == CT_APPLICATION_DATA || type == CT_TLS12_CID) {
        store<u8>(st + S_FLAGS, load<u8>(st + S_FLAGS) | F_ENCRYPTED);
      } else if (type == CT_HANDSHAKE) {
        readHandshake(rec, st, body, body + bodyLen);
      } else if (type == CT_ALERT && bodyLen >= 2 && u8at(body) == ALERT_LEVEL_FATAL) {
        setRisk(rec, RISK_TLS_FATAL_ALERT);
      }
      cursor = body + bodyLen;
    }
  }
  if (viaStun) {
    let spared = (<u64>1 << RISK_TLS_MISSING_SNI) | (<u64>1 << RISK_TLS_NOT_CARRYING_HTTPS) | (<u64>1 << RISK_TLS_ALPN_SNI_MISMATCH);
    // Self-signed certificates are the rule between call peers (RFC 8827 §6.5 checks them
    // against the signalled fingerprint): spared once the client's hello showed a call; a
    // server seen alone is flagged, as the ground truth has it.
    if ((load<u8>(st + S_FLAGS) & F_CLIENT_HELLO) != 0) spared |= <u64>1 << RISK_TLS_SELFSIGNED_CERTIFICATE;
    store<u64>(rec + FLOW_RISKS, (load<u64>(rec + FLOW_RISKS) & ~spared) | (risksBefore & spared));
  }
  const flags = load<u8>(st + S_FLAGS);
  const done = (flags & F_SERVER_HELLO) != 0 && (flags & (F_CERTIFICATE | F_ENCRYPTED)) != 0;
  if (done || packets >= MAX_PACKETS) {
    releaseDtlsState(st);
    return R_DONE;
  }
  return R_MATCH;
}

/** The handshake messages (or fragments) of one record body. */
function readHandshake(rec: usize, st: usize, p: usize, end: usize): void {
  let cursor = p;
  for (let i = 0; i < MAX_MESSAGES && end - cursor >= DTLS_HS_HEADER_LEN; i++) {
    const type = u8at(cursor);
    const length = <usize>be24(cursor + DTLS_HS_LENGTH);
    const offset = <usize>be24(cursor + DTLS_HS_FRAGMENT_OFFSET);
    let fragLen = <usize>be24(cursor + DTLS_HS_FRAGMENT_LENGTH);
    const body = cursor + DTLS_HS_HEADER_LEN;
    if (fragLen > end - body) fragLen = end - body;
    const flags = load<u8>(st + S_FLAGS);
    if (type == HS_CLIENT_HELLO && offset == 0 && (flags & F_CLIENT_HELLO) == 0) {
      store<u8>(st + S_FLAGS, flags | F_CLIENT_HELLO);
      readClientHello(rec, body, fragLen, length);
    } else if (type == HS_SERVER_HELLO && offset == 0 && (flags & F_SERVER_HELLO) == 0) {
      store<u8>(st + S_FLAGS, flags | F_SERVER_HELLO);
      const n = tlsLayout(HS_SERVER_HELLO, body, fragLen < HELLO_CAP - HS_HEADER_LEN ? fragLen : HELLO_CAP - HS_HEADER_LEN, length);
      parseServerHello(rec, helloBuf, n);
    } else if (type == HS_CERTIFICATE && (flags & F_CERTIFICATE) == 0) {
      gatherCertificate(rec, st, body, fragLen, offset, length);
    }
    cursor = body + fragLen;
  }
}

/** Writes a TLS handshake header (type, 24-bit length) and the body into helloBuf; returns the length. */
function tlsLayout(type: u32, body: usize, bodyLen: usize, declared: usize): usize {
  store<u8>(helloBuf, <u8>type);
  store<u8>(helloBuf + 1, <u8>(declared >> 16));
  store<u8>(helloBuf + 2, <u8>(declared >> 8));
  store<u8>(helloBuf + 3, <u8>declared);
  memory.copy(helloBuf + HS_HEADER_LEN, body, bodyLen);
  return HS_HEADER_LEN + bodyLen;
}

/** RFC 6347 §4.2.1: the ClientHello without its cookie is a TLS ClientHello. */
function readClientHello(rec: usize, body: usize, avail: usize, declared: usize): void {
  // client_version(2) random(32) session_id<0..32> cookie<0..2^8-1> ...
  if (avail < HELLO_SESSION_ID + 1) return;
  const version = be16(body);
  const cookieAt = HELLO_SESSION_ID + 1 + <usize>u8at(body + HELLO_SESSION_ID);
  if (cookieAt + 1 > avail) return;
  const cookieLen: usize = 1 + <usize>u8at(body + cookieAt);
  if (cookieAt + cookieLen > avail || declared < cookieAt + cookieLen) return;
  let rest = avail - cookieAt - cookieLen;
  if (cookieAt + rest > HELLO_CAP - HS_HEADER_LEN) rest = HELLO_CAP - HS_HEADER_LEN - cookieAt;
  const n = tlsLayout(HS_CLIENT_HELLO, body, cookieAt, declared - cookieLen);
  memory.copy(helloBuf + n, body + cookieAt + cookieLen, rest);
  if (!parseClientHello(rec, helloBuf, n + rest, false)) return;
  fixJa4(rec, version);
  if (version < VERSION_TLS12) {
    // 0x0100, OpenSSL's pre-standard DTLS: nDPI reports it as an obsolete version.
    setRisk(rec, RISK_TLS_OBSOLETE_VERSION);
    if (!metaHasString(rec, META_STR_RISK_INFO)) metaSetString(rec, META_STR_RISK_INFO, helloBuf, writeTlsVersionName(helloBuf, version, 32));
  }
}

/** JA4 of a DTLS ClientHello: protocol "d" and the DTLS version code. */
function fixJa4(rec: usize, version: u32): void {
  if (metaStringLen(rec, META_STR_JA4) < 3) return;
  const ja4 = metaStringPtr(rec, META_STR_JA4);
  store<u8>(ja4, 0x64); // 'd'
  let code: u32 = 0x3030; // "00"
  if (version == VERSION_DTLS10) code = 0x3164; // "d1"
  else if (version == VERSION_DTLS12) code = 0x3264; // "d2"
  else if (version == VERSION_DTLS13) code = 0x3364; // "d3"
  else if (version == DTLS_VERSION_BAD) code = 0x3373; // "s3", as nDPI prints it
  store<u16>(ja4 + 1, <u16>code);
}

/**
 * Copies the fragment [offset, offset+len) of a Certificate message into the flow's buffer;
 * once the body is there up to the end of the first certificate, parses it and frees the buffer.
 * Fragments are used in order from offset 0 (a later one waits for a retransmission).
 */
function gatherCertificate(rec: usize, st: usize, frag: usize, len: usize, offset: usize, declared: usize): void {
  let buf = <usize>load<u32>(st + S_CERT_BUF);
  if (buf == 0) {
    if (offset != 0 || len < 6) return;
    // certificate_list length (3), first certificate length (3), its DER.
    let want: usize = 6 + <usize>be24(frag + 3);
    if (want > declared) want = declared;
    if (want > CERT_CAP - HS_HEADER_LEN) want = CERT_CAP - HS_HEADER_LEN;
    if (len >= want && want <= HELLO_CAP - HS_HEADER_LEN) {
      // The whole first certificate is in this fragment: no buffer needed.
      parseCertificate(rec, helloBuf, tlsLayout(HS_CERTIFICATE, frag, want, declared));
      store<u8>(st + S_FLAGS, load<u8>(st + S_FLAGS) | F_CERTIFICATE);
      return;
    }
    buf = heap.alloc(HS_HEADER_LEN + want);
    store<u32>(st + S_CERT_BUF, <u32>buf);
    store<u32>(st + S_CERT_HAVE, 0);
    store<u32>(st + S_CERT_WANT, <u32>want);
  }
  const have = <usize>load<u32>(st + S_CERT_HAVE);
  const want = <usize>load<u32>(st + S_CERT_WANT);
  if (offset > have || offset + len <= have) return;
  const from = have - offset;
  let copy = len - from;
  if (have + copy > want) copy = want - have;
  memory.copy(buf + HS_HEADER_LEN + have, frag + from, copy);
  store<u32>(st + S_CERT_HAVE, <u32>(have + copy));
  if (have + copy < want) return;
  store<u8>(buf, <u8>HS_CERTIFICATE);
  store<u8>(buf + 1, <u8>(declared >> 16));
  store<u8>(buf + 2, <u8>(declared >> 8));
  store<u8>(buf + 3, <u8>declared);
  parseCertificate(rec, buf, HS_HEADER_LEN + want);
  store<u8>(st + S_FLAGS, load<u8>(st + S_FLAGS) | F_CERTIFICATE);
  releaseDtlsState(st);
}
