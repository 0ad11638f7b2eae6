// QUIC over UDP, the way nDPI recognises it (QUIC, id 188), on any port:
// - IETF QUIC v1 (RFC 9000/9001), v2 (RFC 9369), drafts 22-34 and Facebook's mvfst versions:
//   the client's Initial is decrypted (quic_initial.ts) and the TLS ClientHello in its CRYPTO
//   frames, reassembled across frames and packets, gives SNI, ALPN, JA3/JA4
//   (tls_client_hello.ts). An Initial that cannot be decrypted still makes the flow QUIC.
// - Google QUIC: Q024-Q046 carry the CHLO in clear, Q050 in an encrypted Initial, T050/T051 a
//   TLS ClientHello like IETF QUIC (gquic.ts); a server's REJ identifies flows seen from the
//   server side only.
// - Version Negotiation: a server's VN packet, or a client's version of the reserved form
//   0x?a?a?a?a that forces one (RFC 9000 §6, §15), is QUIC ("Ver-Negotiation"); a real Initial
//   that follows still updates the flow.
// - Short headers only (capture started mid-connection): three client packets to port 443 with
//   the fixed bit set (RFC 9000 §17.3) and the same first 8 connection-id bytes.
// - Snapchat multiplexes its calls' RTP/RTCP (RFC 3550) into the QUIC flow: a flow to Snapchat,
//   or one whose hello had no SNI, is watched after the handshake, and an RTP/RTCP packet (first
//   bits 10, and no QUIC version where a long header has it) makes it SnapchatCall.
// Metadata: META_NUM_QUIC_VERSION (the wire version) and META_STR_QUIC_VERSION (nDPI's name of
// it: V-1, V-2, Draft-29, MVFST-22, Q046, T051, Ver-Negotiation).
//
// Per-flow state (the record's FLOW_DISSECTOR_STATE). Before the flow has an owner, other
// undecided dissectors may write there too, so byte 0 holds this dissector's id: finding
// another value means the bytes are not ours and our progress restarts from zero.
//    0  1 owner       QUIC_DISSECTOR_ID
//    1  1 shPackets   client short-header packets seen with the same connection id prefix
//    2  1 slot        reassembly slot + 1 holding this flow's partial CRYPTO stream, 0 none
//    3  1 flags       F_WATCH_RTP: after the handshake, watching for RTP/RTCP (Snapchat calls)
//    4  4 serial      FLOW_SERIAL when the slot was taken (a recycled record does not match)
//    8  8 shDcid      the first short-header packet's connection id prefix
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { writeDecimal } from "../util/text";
import {
  FLOW_APP_PROTO, FLOW_DISSECTOR, FLOW_DISSECTOR_STATE, FLOW_DISSECTOR_STATE_SIZE, FLOW_L7_FLAGS, FLOW_SERIAL,
  L7_DETECTED, L7_DONE,
} from "../flow/record";
import { setDetected } from "../classify/classify";
import { PROTO_QUIC, PROTO_SNAPCHAT, PROTO_SNAPCHAT_CALL } from "../classify/generated/protocols";
import {
  META_NUM_QUIC_VERSION, META_STR_HOST, META_STR_QUIC_VERSION, metaHasString, metaSetNumber, metaSetString,
} from "./meta";
import { R_DONE, R_MATCH, R_MAYBE, R_NO } from "./result";
import { parseClientHello } from "./tls_client_hello";
import { findChlo, isGquicRej, readChlo } from "./gquic";
import {
  CRYPTO_DATA_CAP, CRYPTO_STREAM_SIZE, INITIAL_ABSENT, INITIAL_OPENED, collectCryptoFrames,
  cryptoContiguous, cryptoData, cryptoReset, initialPlain, initialPlainLen, openInitial,
} from "./quic_initial";
import {
  GQUIC_CID_LEN, GQUIC_FLAG_CID, GQUIC_FLAG_VERSION, GQUIC_Q050, QUIC_FIXED_BIT,
  QUIC_LONG_DCID, QUIC_LONG_DCID_LEN, QUIC_LONG_HEADER, QUIC_MAX_CID_LEN, QUIC_MVFST_22,
  QUIC_MVFST_27, QUIC_MVFST_EXP, QUIC_VERSION_1, QUIC_VERSION_2, QUIC_VERSION_NEGOTIATION,
  gquicNumber, initialSalt, isForcedNegotiation, isPlainGquic, quicDraftNumber,
} from "../wire/quic";

/** This dissector's id (registry.ts DISSECTOR_QUIC), the owner tag of its state. */
export const QUIC_DISSECTOR_ID: u32 = 3;

const ST_OWNER: usize = 0;
const STATE_DATA: usize = 1;
const ST_SH_PACKETS: usize = STATE_DATA;
const ST_SLOT: usize = STATE_DATA + 1;
const ST_FLAGS: usize = STATE_DATA + 2;
const ST_SERIAL: usize = 4;
const F_WATCH_RTP: u8 = 1;
const ST_SH_DCID: usize = 8;

/** The flow's state area, zeroed and tagged as ours unless it already is. */
function claimState(rec: usize, id: u32): usize {
  const state = rec + FLOW_DISSECTOR_STATE;
  if (<u32>load<u8>(state + ST_OWNER) != id) {
    memory.fill(state, 0, FLOW_DISSECTOR_STATE_SIZE);
    store<u8>(state + ST_OWNER, <u8>id);
  }
  return state;
}

const HTTPS_PORT: u32 = 443;
/** Client short-header packets to port 443 with one connection id before the flow is QUIC. */
const SH_PACKETS_NEEDED: u32 = 3;
/** Connection id bytes compared (servers choose at least 8 in practice; RFC 9000 §5.1). */
const SH_DCID_PREFIX: usize = 8;
/** Smallest short-header packet considered: first byte, 8-byte id, packet number, 16-byte tag. */
const SH_MIN_LEN: u32 = 26;
/** The TLS handshake message header: type (1), length (3) (RFC 8446 §4). */
const HS_HEADER_LEN: usize = 4;
const RTP_HEADER_LEN: usize = 12;
const RTCP_SR: u32 = 200;
const RTCP_APP: u32 = 204;
/** RFC 9000 §14.1: a client's datagrams carrying Initial packets are at least 1200 bytes. */
const MIN_CLIENT_INITIAL: usize = 1200;
const HS_CLIENT_HELLO: u32 = 1;

export function dissectQuic(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  const owned = <u32>load<u8>(rec + FLOW_DISSECTOR) == QUIC_DISSECTOR_ID;
  const first = <u32>load<u8>(p);
  if (owned && (load<u8>(rec + FLOW_DISSECTOR_STATE + ST_FLAGS) & F_WATCH_RTP) != 0) return watchRtp(rec, p, end);
  if ((first & QUIC_LONG_HEADER) != 0) {
    if (end - p < QUIC_LONG_DCID) return owned ? R_MATCH : R_NO;
    return longHeader(rec, p, end, be32(p + 1), owned, fromClient);
  }
  if (owned) return R_MATCH; // waiting for an Initial (after a VN, or the rest of a ClientHello)
  // gQUIC public header of a client packet: flags with the version bit (Q024..Q043).
  if ((first & GQUIC_FLAG_VERSION) != 0 && (first & QUIC_FIXED_BIT) == 0) {
    const versionAt = p + 1 + ((first & GQUIC_FLAG_CID) != 0 ? GQUIC_CID_LEN : 0);
    if (versionAt + 4 <= end && isPlainGquic(be32(versionAt))) {
      return plainGquic(rec, be32(versionAt), versionAt + 4, end);
    }
  }
  if (info.srcPort == HTTPS_PORT) {
    if (isGquicRej(p, end)) {
      setDetected(rec, PROTO_QUIC, 0); // no version: only clients send it
      return R_DONE;
    }
    return R_MAYBE; // server side of a port-443 flow: wait for the client's packets
  }
  if (info.dstPort == HTTPS_PORT) return shortHeaderHeuristic(rec, p, end);
  return R_NO;
}

function longHeader(rec: usize, p: usize, end: usize, version: u32, owned: bool, fromClient: bool): i32 {
  if (version == QUIC_VERSION_NEGOTIATION) {
    if (!owned && !isVersionNegotiation(p, end)) return R_NO;
    if (!owned) detect(rec, version);
    return R_MATCH;
  }
  if (isForcedNegotiation(version)) {
    if (!owned && !isForcingPacket(p, end)) return R_NO;
    if (!owned) detect(rec, version);
    return R_MATCH;
  }
  if (isPlainGquic(version)) {
    if (owned) return R_MATCH;
    return plainGquic(rec, version, p + 5, end);
  }
  if (initialSalt(version) == 0) {
    if (gquicNumber(version) == 0) return owned ? R_MATCH : R_NO;
    // A gQUIC version whose Initial protection we do not know: QUIC all the same.
    if (!owned) detect(rec, version);
    return R_DONE;
  }
  // Only the client's Initial can be opened (its keys come from the client's connection id).
  if (owned && !fromClient) return R_MATCH;
  const opened = openInitial(p, end, version);
  if (opened == INITIAL_ABSENT) return owned ? R_MATCH : R_MAYBE; // 0-RTT or Handshake first: wait
  if (opened != INITIAL_OPENED) {
    if (owned) return R_MATCH; // keep the ClientHello part already collected
    detect(rec, version);
    return R_DONE; // nDPI stops at an undecryptable Initial: QUIC, no ClientHello
  }
  detect(rec, version);
  if (version == GQUIC_Q050) {
    const chlo = findChlo(initialPlain(), initialPlain() + initialPlainLen());
    if (chlo != 0) readChlo(rec, chlo, initialPlain() + initialPlainLen());
    return afterHello(rec);
  }
  return clientHello(rec, version);
}

/** A VN packet (RFC 9000 §17.2.1): connection ids, then a non-empty list of 4-byte versions. */
function isVersionNegotiation(p: usize, end: usize): bool {
  const dcidLen = <usize>load<u8>(p + QUIC_LONG_DCID_LEN);
  const scidAt = p + QUIC_LONG_DCID + dcidLen;
  if (scidAt >= end) return false;
  const versions = scidAt + 1 + <usize>load<u8>(scidAt);
  return versions < end && ((end - versions) & 3) == 0;
}

/**
 * A client Initial-like packet with a reserved version, sent to force Version Negotiation: the
 * fixed bit set, a v1-sized connection id, and padded like any client Initial (RFC 9000 §14.1:
 * at least 1200 bytes), which tells it from random bytes that happen to match 0x?a?a?a?a.
 */
function isForcingPacket(p: usize, end: usize): bool {
  return (<u32>load<u8>(p) & QUIC_FIXED_BIT) != 0 && <u32>load<u8>(p + QUIC_LONG_DCID_LEN) <= QUIC_MAX_CID_LEN &&
    end - p >= MIN_CLIENT_INITIAL;
}

/** gQUIC up to Q046: the CHLO in clear somewhere after the version. */
function plainGquic(rec: usize, version: u32, from: usize, end: usize): i32 {
  detect(rec, version);
  const chlo = findChlo(from, end);
  if (chlo != 0) readChlo(rec, chlo, end);
  return afterHello(rec);
}

/**
 * The CRYPTO frames of the Initial just opened, added to the flow's stream; once the stream
 * holds a whole ClientHello from offset 0 it goes to the TLS parser.
 */
function clientHello(rec: usize, version: u32): i32 {
  const state = claimState(rec, QUIC_DISSECTOR_ID);
  let stream = slotStream(rec, state);
  const persistent = stream != 0;
  if (!persistent) {
    stream = scratchStream;
    cryptoReset(stream);
  }
  if (!collectCryptoFrames(stream, initialPlain(), initialPlainLen(), gquicNumber(version) != 0)) return finish(rec, R_DONE);
  const have = <usize>cryptoContiguous(stream);
  const data = cryptoData(stream);
  if (have >= HS_HEADER_LEN) {
    if (<u32>load<u8>(data) != HS_CLIENT_HELLO) return finish(rec, R_DONE);
    const total = HS_HEADER_LEN + ((<usize>load<u8>(data + 1) << 16) | (<usize>load<u8>(data + 2) << 8) | <usize>load<u8>(data + 3));
    // A ClientHello larger than the buffer is read as far as it was kept.
    if (have >= min(total, CRYPTO_DATA_CAP)) {
      parseClientHello(rec, data, min(have, total), true);
      finish(rec, R_DONE);
      return afterHello(rec);
    }
  }
  // Incomplete: keep the stream for the next Initial.
  if (!persistent) {
    const slot = takeSlot(rec, state);
    if (slot == 0) return finish(rec, R_DONE);
    memory.copy(slot, scratchStream, CRYPTO_STREAM_SIZE);
  }
  return R_MATCH;
}

/** The hello was read: done, unless the flow may be a Snapchat call (see the top). */
function afterHello(rec: usize): i32 {
  const app = <u32>load<u16>(rec + FLOW_APP_PROTO);
  if (app != PROTO_SNAPCHAT && metaHasString(rec, META_STR_HOST)) return R_DONE;
  const state = claimState(rec, QUIC_DISSECTOR_ID);
  store<u8>(state + ST_FLAGS, load<u8>(state + ST_FLAGS) | F_WATCH_RTP);
  return R_MATCH;
}

/** RTP or RTCP (RFC 3550 §5.1, §6.4): version 2, and an RTCP packet type 200-204 or a 12-byte RTP header. */
function watchRtp(rec: usize, p: usize, end: usize): i32 {
  if (end - p < RTP_HEADER_LEN || (<u32>load<u8>(p) & 0xc0) != 0x80) return R_MATCH;
  // A long header with its fixed bit greased to 0 (RFC 9287) starts so too: known versions are QUIC.
  const version = be32(p + 1);
  if (version == QUIC_VERSION_NEGOTIATION || initialSalt(version) != 0 || gquicNumber(version) != 0) return R_MATCH;
  const second = <u32>load<u8>(p + 1);
  const rtcp = second >= RTCP_SR && second <= RTCP_APP;
  const rtpType = second & 0x7f;
  // RTP payload types 72-76 would collide with RTCP's (RFC 5761 §4).
  if (!rtcp && rtpType >= 72 && rtpType <= 76) return R_MATCH;
  setDetected(rec, PROTO_QUIC, PROTO_SNAPCHAT_CALL);
  return R_DONE;
}

/** nDPI's short-header heuristic for flows whose handshake was not captured. */
function shortHeaderHeuristic(rec: usize, p: usize, end: usize): i32 {
  const first = <u32>load<u8>(p);
  if ((first & QUIC_FIXED_BIT) == 0 || end - p < <usize>SH_MIN_LEN) return R_NO;
  const state = claimState(rec, QUIC_DISSECTOR_ID);
  const seen = <u32>load<u8>(state + ST_SH_PACKETS);
  if (seen == 0) {
    memory.copy(state + ST_SH_DCID, p + 1, SH_DCID_PREFIX);
  } else if (load<u64>(state + ST_SH_DCID) != load<u64>(p + 1)) {
    return R_NO;
  }
  store<u8>(state + ST_SH_PACKETS, <u8>(seen + 1));
  if (seen + 1 < SH_PACKETS_NEEDED) return R_MAYBE;
  setDetected(rec, PROTO_QUIC, 0);
  return R_DONE;
}

/** The flow is QUIC: classification (unless already made) and the version. */
function detect(rec: usize, version: u32): void {
  if ((load<u8>(rec + FLOW_L7_FLAGS) & L7_DETECTED) == 0 || <u32>load<u8>(rec + FLOW_DISSECTOR) != QUIC_DISSECTOR_ID) {
    setDetected(rec, PROTO_QUIC, 0);
  }
  if (version != 0) metaSetNumber(rec, META_NUM_QUIC_VERSION, version);
  const nameLen = versionName(version, nameBuf);
  if (nameLen != 0) metaSetString(rec, META_STR_QUIC_VERSION, nameBuf, nameLen);
}

// --- Version names as nDPI prints them ---------------------------------------------------------
const nameBuf: usize = memory.data(32);
const NAME_V1: usize = memory.data<u8>([0x56, 0x2d, 0x31]); // "V-1"
const NAME_V2: usize = memory.data<u8>([0x56, 0x2d, 0x32]); // "V-2"
const NAME_DRAFT: usize = memory.data<u8>([0x44, 0x72, 0x61, 0x66, 0x74, 0x2d]); // "Draft-"
const NAME_MVFST: usize = memory.data<u8>([0x4d, 0x56, 0x46, 0x53, 0x54, 0x2d]); // "MVFST-"
const NAME_EXP: usize = memory.data<u8>([0x45, 0x58, 0x50]); // "EXP"
const NAME_VN: usize = memory.data<u8>([ // "Ver-Negotiation"
  0x56, 0x65, 0x72, 0x2d, 0x4e, 0x65, 0x67, 0x6f, 0x74, 0x69, 0x61, 0x74, 0x69, 0x6f, 0x6e,
]);

function versionName(version: u32, out: usize): usize {
  if (version == QUIC_VERSION_1) { memory.copy(out, NAME_V1, 3); return 3; }
  if (version == QUIC_VERSION_2) { memory.copy(out, NAME_V2, 3); return 3; }
  if (version == QUIC_VERSION_NEGOTIATION || isForcedNegotiation(version)) { memory.copy(out, NAME_VN, 15); return 15; }
  const draft = quicDraftNumber(version);
  if (draft != 0) {
    memory.copy(out, NAME_DRAFT, 6);
    return 6 + writeDecimal(out + 6, draft);
  }
  if (version == QUIC_MVFST_22 || version == QUIC_MVFST_27 || version == QUIC_MVFST_EXP) {
    memory.copy(out, NAME_MVFST, 6);
    if (version == QUIC_MVFST_EXP) { memory.copy(out + 6, NAME_EXP, 3); return 9; }
    return 6 + writeDecimal(out + 6, version == QUIC_MVFST_22 ? 22 : 27);
  }
  if (gquicNumber(version) != 0) {
    // The four ASCII characters of the version ("Q046", "T051").
    store<u32>(out, bswap<u32>(version));
    return 4;
  }
  return 0;
}

// --- Reassembly slots ---------------------------------------------------------------------------
// A ClientHello spread over several Initial packets is kept between packets in one of a few
// slots, taken from a pool allocated once. A slot belongs to the record and serial it names; it
// is free again when that flow finished dissection, stopped being ours, or its record was
// recycled, so a slot never needs an explicit release when a flow ends.
const SLOTS: u32 = 16;
const SLOT_OWNER: usize = 0;
const SLOT_SERIAL: usize = 4;
const SLOT_STREAM: usize = 8;
const SLOT_SIZE: usize = SLOT_STREAM + CRYPTO_STREAM_SIZE;
let pool: usize = 0;
const scratchStream: usize = memory.data(<i32>CRYPTO_STREAM_SIZE, 8);

function slotAt(index: u32): usize { return pool + <usize>index * SLOT_SIZE; }

/** Whether slot `index` is held by a live flow still being dissected by us. */
function slotInUse(index: u32): bool {
  const slot = slotAt(index);
  const owner = <usize>load<u32>(slot + SLOT_OWNER);
  if (owner == 0) return false;
  const state = owner + FLOW_DISSECTOR_STATE;
  return load<u32>(owner + FLOW_SERIAL) == load<u32>(slot + SLOT_SERIAL) &&
    <u32>load<u8>(owner + FLOW_DISSECTOR) == QUIC_DISSECTOR_ID &&
    (load<u8>(owner + FLOW_L7_FLAGS) & L7_DONE) == 0 &&
    <u32>load<u8>(state) == QUIC_DISSECTOR_ID && <u32>load<u8>(state + ST_SLOT) == index + 1;
}

/** The flow's stream kept from earlier packets, 0 when it has none. */
function slotStream(rec: usize, state: usize): usize {
  const index = <u32>load<u8>(state + ST_SLOT);
  if (index == 0 || pool == 0) return 0;
  const slot = slotAt(index - 1);
  if (<usize>load<u32>(slot + SLOT_OWNER) != rec || load<u32>(slot + SLOT_SERIAL) != load<u32>(state + ST_SERIAL)) {
    store<u8>(state + ST_SLOT, 0);
    return 0;
  }
  return slot + SLOT_STREAM;
}

/** A free slot for the flow (its stream), 0 when all are taken. */
function takeSlot(rec: usize, state: usize): usize {
  if (pool == 0) {
    pool = heap.alloc(<usize>SLOTS * SLOT_SIZE);
    for (let i: u32 = 0; i < SLOTS; i++) store<u32>(slotAt(i) + SLOT_OWNER, 0);
  }
  for (let i: u32 = 0; i < SLOTS; i++) {
    if (slotInUse(i)) continue;
    const slot = slotAt(i);
    store<u32>(slot + SLOT_OWNER, <u32>rec);
    store<u32>(slot + SLOT_SERIAL, load<u32>(rec + FLOW_SERIAL));
    store<u8>(state + ST_SLOT, <u8>(i + 1));
    store<u32>(state + ST_SERIAL, load<u32>(rec + FLOW_SERIAL));
    return slot + SLOT_STREAM;
  }
  return 0;
}

/** Dissection of the flow ends with `result`: its slot, if any, is released. */
function finish(rec: usize, result: i32): i32 {
  const state = claimState(rec, QUIC_DISSECTOR_ID);
  const index = <u32>load<u8>(state + ST_SLOT);
  if (index != 0 && pool != 0) {
    const slot = slotAt(index - 1);
    if (<usize>load<u32>(slot + SLOT_OWNER) == rec) store<u32>(slot + SLOT_OWNER, 0);
    store<u8>(state + ST_SLOT, 0);
  }
  return result;
}
