// BitTorrent: the peer wire handshake over TCP (BEP 3), whose info_hash nDPI prints as
// "BT Hash"; over UDP the DHT (BEP 5), uTP (BEP 29), the tracker protocol (BEP 15) and Local
// Service Discovery (BEP 14).
//
// One datagram is enough for the DHT (a bencoded dictionary with the KRPC "y" key), a tracker
// connect request (its 64-bit magic) and an LSD announce. A uTP header alone is 20 bytes of
// weak evidence, so uTP needs UTP_PACKETS datagrams that agree: valid headers (version 1, a
// known type, a well-formed extension chain, a receive window below UTP_MAX_WINDOW) on one
// connection (ids within one of each other: the two ends use id and id + 1), whose timestamps
// and sequence numbers move forward per direction - or a SYN answered by a STATE that
// acknowledges it. Like nDPI, no info_hash is read from inside uTP.
//
// While undecided a flow's 32-byte dissector state may be written by other candidates (a uTP
// SYN, 0x41, also looks like a QUIC short header), so a uTP candidate keeps its progress in a
// table of its own: UTP_SLOTS entries, chosen by the flow record's address and owned by
// (record, serial). A flow that finds its entry taken by another starts counting again.
// Entry layout, after the owner (record address u32, serial u32):
//   +0 1 utpPackets   agreeing datagrams so far
//   +1 1 utpFlags     U_* below
//   +2 2 connectionId of the first datagram
//   +4 2 synSeq       seq_nr of the SYN, when the first datagram was one
//   +8 4 lastTs[0]    timestamp of the last datagram client -> server
//  +12 4 lastTs[1]    server -> client
//  +16 2 lastSeq[0]   seq_nr of the last datagram client -> server
//  +18 2 lastSeq[1]   server -> client
import * as info from "../decode/packet_info";
import { IPPROTO_TCP } from "../wire/transport";
import { FLOW_MASTER_PROTO, FLOW_RECORD_SIZE, FLOW_SERIAL } from "../flow/record";
import { be32 } from "../util/bytes";
import { startsWith } from "../util/ascii";
import { hexEncode } from "../crypto/hex";
import { setDetected } from "../classify/classify";
import { PROTO_BITTORRENT } from "../classify/generated/protocols";
import {
  BT_INFO_HASH, BT_INFO_HASH_LEN, BT_PSTR, BT_PSTR_LEN, KRPC_TYPE_KEY, LSD_SEARCH, TRACKER_ACTION,
  TRACKER_CONNECT_LEN, TRACKER_PROTOCOL_ID_HIGH, TRACKER_PROTOCOL_ID_LOW, UTP_EXTENSION, UTP_HEADER_LEN,
  UTP_MAX_EXTENSION, UTP_ST_STATE, UTP_ST_SYN, UTP_VERSION, utpAckNr, utpConnectionId, utpSeqNr, utpTimestamp,
  utpType, utpVersion, utpWindow,
} from "../wire/bittorrent";
import { META_STR_BT_HASH, metaSetString } from "./meta";
import { R_DONE, R_MATCH, R_MAYBE, R_NO } from "./result";

const UTP_SLOTS: u32 = 256;
const SLOT_REC: usize = 0;
const SLOT_SERIAL: usize = 4;
const SLOT_STATE: usize = 8;
const SLOT_SIZE: usize = 32;
const UTP_COUNT: usize = 0;
const UTP_FLAGS: usize = 1;
const UTP_CONN: usize = 2;
const UTP_SYN_SEQ: usize = 4;
const UTP_LAST_TS: usize = 8;
const UTP_LAST_SEQ: usize = 16;
const utpTable: usize = memory.data(<i32>(<usize>UTP_SLOTS * SLOT_SIZE), 16);
const U_FIRST_WAS_SYN: u8 = 1;
const U_SEEN_DIR0: u8 = 2;
const U_SEEN_DIR1: u8 = 4;

/** Agreeing uTP datagrams needed without a SYN/STATE exchange. */
const UTP_PACKETS: u32 = 3;
/** A sender adds one to seq_nr per data packet: a capture may miss some, not this many. */
const UTP_MAX_SEQ_STEP: u32 = 64;
/**
 * wnd_size is the receive buffer in bytes (libutp offers 1 MiB); 256 MiB is beyond any real
 * one, and a random 32-bit field is above it 15 times in 16.
 */
const UTP_MAX_WINDOW: u32 = 0x10000000;
/** Extension headers followed at most (two kinds are defined). */
const UTP_MAX_EXTENSIONS: u32 = 4;
const hashHex: usize = memory.data(<i32>BT_INFO_HASH_LEN * 2);

export function dissectBittorrent(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (info.l4Proto == IPPROTO_TCP) return peerWire(rec, p, end);
  if (isKrpc(p, end) || isTrackerConnect(p, end) || startsWith(p, end, LSD_SEARCH)) {
    setDetected(rec, PROTO_BITTORRENT, 0);
    return R_DONE;
  }
  return utp(rec, fromClient, p, end);
}

/** BEP 3: the first payload of either side is the handshake; its info_hash is kept. */
function peerWire(rec: usize, p: usize, end: usize): i32 {
  const isHandshake = end - p >= 1 + <usize>BT_PSTR_LEN && <u32>load<u8>(p) == BT_PSTR_LEN &&
    startsWith(p + 1, end, BT_PSTR);
  if (<u32>load<u16>(rec + FLOW_MASTER_PROTO) != PROTO_BITTORRENT) {
    if (!isHandshake) return R_NO;
    setDetected(rec, PROTO_BITTORRENT, 0);
  }
  if (isHandshake && end - p >= BT_INFO_HASH + BT_INFO_HASH_LEN) {
    metaSetString(rec, META_STR_BT_HASH, hashHex, hexEncode(p + BT_INFO_HASH, BT_INFO_HASH_LEN, hashHex));
    return R_DONE;
  }
  // A handshake cut short: the peer's answer carries the same info_hash.
  return R_MATCH;
}

/**
 * BEP 5: a KRPC message is a bencoded dictionary ("d" ... "e") with a key "y" whose value is
 * "q", "r" or "e". Keys are sorted, so "y" is near the end; the whole datagram is searched.
 */
function isKrpc(p: usize, end: usize): bool {
  if (end - p < 8 || load<u8>(p) != 0x64 || load<u8>(end - 1) != 0x65) return false;
  const keyLen = <usize>KRPC_TYPE_KEY.length;
  for (let at = p + 1; at + keyLen < end; at++) {
    if (load<u8>(at) != 0x31 || !startsWith(at, end, KRPC_TYPE_KEY)) continue;
    const kind = load<u8>(at + keyLen);
    if (kind == 0x71 || kind == 0x72 || kind == 0x65) return true;
  }
  return false;
}

/** BEP 15: the connect request opens with the protocol's 64-bit magic and action 0. */
function isTrackerConnect(p: usize, end: usize): bool {
  return end - p >= TRACKER_CONNECT_LEN && be32(p) == TRACKER_PROTOCOL_ID_HIGH &&
    be32(p + 4) == TRACKER_PROTOCOL_ID_LOW && be32(p + TRACKER_ACTION) == 0;
}

/** BEP 29 header check: version 1, a known type, an extension chain that fits. */
function utpHeaderValid(p: usize, end: usize): bool {
  if (end - p < UTP_HEADER_LEN || utpVersion(p) != UTP_VERSION || utpType(p) > UTP_ST_SYN) return false;
  if (utpWindow(p) >= UTP_MAX_WINDOW) return false;
  let ext = <u32>load<u8>(p + UTP_EXTENSION);
  let at = p + UTP_HEADER_LEN;
  for (let i: u32 = 0; ext != 0; i++) {
    if (ext > UTP_MAX_EXTENSION || i >= UTP_MAX_EXTENSIONS || end - at < 2) return false;
    const len = <usize>load<u8>(at + 1);
    ext = <u32>load<u8>(at);
    at += 2 + len;
    if (at > end) return false;
  }
  // STATE and SYN carry no data (BEP 29 "ST_STATE ... does not have any payload").
  const type = utpType(p);
  return (type != UTP_ST_STATE && type != UTP_ST_SYN) || at == end;
}

/** The flow's uTP progress (SLOT_STATE - SLOT_SIZE bytes), zeroed when the entry was another flow's. */
function utpEntry(rec: usize): usize {
  const slot = utpTable + ((rec / FLOW_RECORD_SIZE) & (<usize>UTP_SLOTS - 1)) * SLOT_SIZE;
  const serial = load<u32>(rec + FLOW_SERIAL);
  if (<usize>load<u32>(slot + SLOT_REC) != rec || load<u32>(slot + SLOT_SERIAL) != serial) {
    memory.fill(slot, 0, SLOT_SIZE);
    store<u32>(slot + SLOT_REC, <u32>rec);
    store<u32>(slot + SLOT_SERIAL, serial);
  }
  return slot + SLOT_STATE;
}

function utp(rec: usize, fromClient: bool, p: usize, end: usize): i32 {
  if (!utpHeaderValid(p, end)) return R_NO;
  const st = utpEntry(rec);
  const count = <u32>load<u8>(st + UTP_COUNT);
  let flags = load<u8>(st + UTP_FLAGS);
  const conn = utpConnectionId(p);
  const dirBit: u8 = fromClient ? U_SEEN_DIR0 : U_SEEN_DIR1;
  const tsAt = st + UTP_LAST_TS + (fromClient ? 0 : 4);
  const seqAt = st + UTP_LAST_SEQ + (fromClient ? 0 : 2);
  const ts = utpTimestamp(p);
  const seq = utpSeqNr(p);
  if (count == 0) {
    store<u16>(st + UTP_CONN, <u16>conn);
    if (utpType(p) == UTP_ST_SYN) {
      flags |= U_FIRST_WAS_SYN;
      store<u16>(st + UTP_SYN_SEQ, <u16>seq);
    }
  } else {
    const first = <u32>load<u16>(st + UTP_CONN);
    const apart = (conn - first) & 0xffff;
    if (apart != 0 && apart != 1 && apart != 0xffff) return R_NO;
    // Per direction the microsecond clock moves forward (modulo its wrap).
    if ((flags & dirBit) != 0) {
      if (ts - load<u32>(tsAt) >= 0x80000000) return R_NO;
      if (((seq - <u32>load<u16>(seqAt)) & 0xffff) > UTP_MAX_SEQ_STEP) return R_NO;
    }
    if ((flags & U_FIRST_WAS_SYN) != 0 && utpType(p) == UTP_ST_STATE && (flags & dirBit) == 0 &&
        utpAckNr(p) == <u32>load<u16>(st + UTP_SYN_SEQ)) {
      setDetected(rec, PROTO_BITTORRENT, 0);
      return R_DONE;
    }
  }
  store<u8>(st + UTP_FLAGS, flags | dirBit);
  store<u32>(tsAt, ts);
  store<u16>(seqAt, <u16>seq);
  store<u8>(st + UTP_COUNT, <u8>(count + 1));
  if (count + 1 >= UTP_PACKETS) {
    setDetected(rec, PROTO_BITTORRENT, 0);
    return R_DONE;
  }
  return R_MAYBE;
}
