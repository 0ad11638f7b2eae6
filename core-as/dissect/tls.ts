// TLS over TCP (RFC 8446, RFC 5246), and nDPI's TLS-based masters chosen by port (IMAPS 993,
// POPS 995, SMTPS 465; DNS over TLS on 853 as the application DoH_DoT).
//
// Records (RFC 8446 §5.1) may be split over TCP segments and handshake messages over records
// (§5.1: "Handshake messages MAY be coalesced ... or fragmented across several records").
// Per direction the stream is followed in TCP sequence order; record headers are read as a
// small state machine and the bodies of handshake records feed a handshake-message buffer
// (heap, allocated once per flow on the first handshake record, HS_CAP bytes per direction,
// freed when dissection ends). Messages wholly inside one segment are parsed in place.
// Out-of-order segments are not reordered: a segment after a gap is dropped and the direction
// waits for the missing bytes (as nDPI does; if they never come, the direction is not read any
// more); segments that overlap what was already seen (retransmissions) contribute only their
// new bytes. A direction whose bytes stop making sense as records resumes at the next segment
// that begins with a record header.
//
// Per-flow state at rec + FLOW_DISSECTOR_STATE (32 bytes):
//    0  4 ctx          handshake buffers (0 until the first handshake record)
//    4  4 cliNextSeq   next expected TCP sequence number, client -> server
//    8  4 srvNextSeq
//   12  1 flags        F_* below
//   13  1 lost         bit per direction: the stream is lost until a segment starts a record
//   14  1 shFrom       direction that sent the ServerHello + 1 (0 = none yet)
//   15  1 (reserved)
//   16  8 client record state: remaining body bytes (u16), record type (u8, 0 = reading a
//         header), header bytes held (u8), up to 4 header bytes
//   24  8 server record state
//
// ctx, per direction (client first): held (u32), skip (u32), HS_CAP bytes of message buffer.
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import {
  FLOW_APP_PROTO, FLOW_CLI_PORT, FLOW_DISSECTOR_STATE, FLOW_DISSECTOR_STATE_SIZE, FLOW_L7_FLAGS, FLOW_SRV_PORT, L7_DETECTED,
} from "../flow/record";
import { IPPROTO_TCP, TCP_ACK, TCP_PSH } from "../wire/transport";
import {
  ALERT_BODY_LEN, ALERT_LEVEL_FATAL, CT_ALERT, CT_APPLICATION_DATA, CT_CHANGE_CIPHER_SPEC,
  CT_HANDSHAKE, CT_HEARTBEAT, HS_CERTIFICATE, HS_CLIENT_HELLO, HS_HEADER_LEN, HS_SERVER_HELLO,
  HS_SERVER_HELLO_DONE, TLS_MAX_PLAINTEXT, TLS_RECORD_HEADER_LEN, VERSION_TLS12, be24,
  isPlausibleRecordHeader,
} from "../wire/tls";
import { setDetected, setRisk } from "../classify/classify";
import {
  PROTO_ANYDESK, PROTO_DOH_DOT, PROTO_MAIL_IMAPS, PROTO_MAIL_POPS, PROTO_MAIL_SMTPS, PROTO_TLS,
} from "../classify/generated/protocols";
import { RISK_DESKTOP_OR_FILE_SHARING_SESSION, RISK_TLS_FATAL_ALERT } from "../classify/generated/risks";
import { R_DONE, R_MATCH, R_MAYBE, R_NO } from "./result";
import { parseClientHello } from "./tls_client_hello";
import { certificatePrefixLen, parseCertificate, parseServerHello } from "./tls_server";
import { ooklaOverTls } from "./ookla";

const ST_CTX: usize = 0;
const ST_NEXT_SEQ: usize = 4;   // + 4 * direction
const ST_FLAGS: usize = 12;
const ST_LOST: usize = 13;
const ST_SH_FROM: usize = 14;
const ST_RECORD: usize = 16;    // + 8 * direction
// Record state fields.
const REC_REMAINING: usize = 0;
const REC_TYPE: usize = 2;
const REC_HAVE: usize = 3;
const REC_HEADER: usize = 4;

const F_CLI_SEQ: u8 = 1;
const F_SRV_SEQ: u8 = 2;
const F_SEEN_CH: u8 = 4;
const F_SEEN_SH: u8 = 8;
const F_CERT: u8 = 16;
const F_CLI_CCS: u8 = 32;
const F_SRV_CCS: u8 = 64;
const F_DONE: u8 = 128;

/** Room for one handshake message's needed bytes: a full record's worth. */
const HS_CAP: usize = TLS_MAX_PLAINTEXT + TLS_RECORD_HEADER_LEN;
/**
 * Per direction: bytes held, bytes to skip, and a buffer allocated only when a message must
 * wait for more bytes (most hellos fit in one segment and are parsed in place), sized to the
 * message and grown up to HS_CAP. So thousands of concurrent handshakes cost a few dozen
 * bytes each, not a record's worth.
 */
const DIR_HELD: usize = 0;
const DIR_SKIP: usize = 4;
const DIR_BUF_PTR: usize = 8;
const DIR_BUF_CAP: usize = 12;
const DIR_SIZE: usize = 16;
const BUF_FIRST_CAP: usize = 2048;

const PORT_IMAPS: u32 = 993;
const PORT_POPS: u32 = 995;
const PORT_SMTPS: u32 = 465;
const PORT_DOT: u32 = 853;

/** A record header split over segments is assembled here. */
const header: usize = memory.data(8);

@inline function state(rec: usize): usize { return rec + FLOW_DISSECTOR_STATE; }

/** The direction's bit in ST_LOST. */
@inline function dirBit(dir: usize): u8 { return dir == 0 ? 1 : 2; }

@inline function flags(rec: usize): u8 { return load<u8>(state(rec) + ST_FLAGS); }
@inline function setFlag(rec: usize, f: u8): void { store<u8>(state(rec) + ST_FLAGS, flags(rec) | f); }

export function dissectTls(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const dir: usize = fromClient ? 0 : 1;
  const st = state(rec);
  if ((load<u8>(rec + FLOW_L7_FLAGS) & L7_DETECTED) == 0) {
    // Offered a new flow: its first payload must begin with a record header (at least its
    // type and version when the segment is shorter than a header).
    if (isZeroPadding()) return R_MAYBE;
    if (info.payloadLen < 3) return startsLikeRecord(info.payloadPtr, <usize>info.payloadLen) ? R_MAYBE : R_NO;
    if (!startsLikeRecord(info.payloadPtr, <usize>info.payloadLen)) return R_NO;
    // Undecided dissectors may have used the state area meanwhile: start from zero.
    memory.fill(st, 0, FLOW_DISSECTOR_STATE_SIZE);
    detect(rec);
  }
  if (isZeroPadding()) return result(rec);
  let p = info.payloadPtr;
  let len = <usize>info.payloadLen;
  // Follow the direction's stream in sequence order (RFC 9293 §3.4).
  const seqFlag: u8 = dir == 0 ? F_CLI_SEQ : F_SRV_SEQ;
  const seqAt = st + ST_NEXT_SEQ + (dir << 2);
  const seq = info.tcpSeq;
  if ((flags(rec) & seqFlag) == 0) {
    setFlag(rec, seqFlag);
  } else {
    const delta = <i32>(seq - load<u32>(seqAt));
    if (delta < 0) {
      const seen = <usize>(-delta);
      if (seen >= len) return result(rec); // a retransmission of what was seen
      p += seen;
      len -= seen;
    } else if (delta > 0) {
      // Bytes are missing before this segment: as nDPI, wait for them (a segment that arrives
      // early is dropped; if they never come, this direction is not read any more).
      return result(rec);
    }
  }
  store<u32>(seqAt, seq + <u32>(p - info.payloadPtr) + <u32>len);
  const lostBit = dirBit(dir);
  if ((load<u8>(st + ST_LOST) & lostBit) != 0) {
    resetDirection(rec, dir);
    if (!startsLikeRecord(p, len)) {
      store<u8>(st + ST_LOST, load<u8>(st + ST_LOST) | lostBit);
      return result(rec);
    }
    store<u8>(st + ST_LOST, load<u8>(st + ST_LOST) & ~lostBit);
  }
  feedRecords(rec, dir, p, p + len);
  return result(rec);
}

/** A whole plausible header, or a shorter segment that begins like one. */
function startsLikeRecord(p: usize, len: usize): bool {
  if (len >= TLS_RECORD_HEADER_LEN) return isPlausibleRecordHeader(p);
  if (len == 0) return false;
  const type = <u32>load<u8>(p);
  if (type < CT_CHANGE_CIPHER_SPEC || type > CT_HEARTBEAT) return false;
  return (len < 2 || load<u8>(p + 1) == 3) && (len < 3 || load<u8>(p + 2) <= 4);
}

/** Most bytes a padding-only ACK carries in the captures (Ethernet minimum-frame filler). */
const MAX_PADDING_PAYLOAD: u32 = 8;

/**
 * A bare ACK whose few payload bytes are all zero: frame padding some stacks or capture points
 * count as TCP payload. No record starts with 0, and the real data may reuse those sequence
 * numbers, so such a segment is passed over as if it carried nothing.
 */
function isZeroPadding(): bool {
  if (info.payloadLen > MAX_PADDING_PAYLOAD || (info.tcpFlags & TCP_ACK) == 0 || (info.tcpFlags & TCP_PSH) != 0) return false;
  for (let i: usize = 0; i < <usize>info.payloadLen; i++) {
    if (load<u8>(info.payloadPtr + i) != 0) return false;
  }
  return true;
}

@inline function result(rec: usize): i32 {
  return (flags(rec) & F_DONE) != 0 ? R_DONE : R_MATCH;
}

/** nDPI names TLS on the mail ports after the mail protocol, and on 853 as DNS over TLS. */
function detect(rec: usize): void {
  const cli = <u32>load<u16>(rec + FLOW_CLI_PORT);
  const srv = <u32>load<u16>(rec + FLOW_SRV_PORT);
  let master = PROTO_TLS;
  let app: u32 = 0;
  if (srv == PORT_IMAPS || cli == PORT_IMAPS) master = PROTO_MAIL_IMAPS;
  else if (srv == PORT_POPS || cli == PORT_POPS) master = PROTO_MAIL_POPS;
  else if (srv == PORT_SMTPS || cli == PORT_SMTPS) master = PROTO_MAIL_SMTPS;
  else if (srv == PORT_DOT || cli == PORT_DOT) app = PROTO_DOH_DOT;
  setDetected(rec, master, app);
}

/** Forget a direction's partial record and message (after a gap in its stream). */
function resetDirection(rec: usize, dir: usize): void {
  store<u64>(state(rec) + ST_RECORD + (dir << 3), 0);
  const ctx = <usize>load<u32>(state(rec) + ST_CTX);
  if (ctx != 0) store<u64>(ctx + dir * DIR_SIZE + DIR_HELD, 0); // held and skip; the buffer stays
}

// --- Record layer (RFC 8446 §5.1) -------------------------------------------------------------

function feedRecords(rec: usize, dir: usize, p: usize, end: usize): void {
  const rs = state(rec) + ST_RECORD + (dir << 3);
  // Each pass consumes at least one byte or returns.
  while (p < end) {
    let type = <u32>load<u8>(rs + REC_TYPE);
    if (type == 0) {
      const have = <usize>load<u8>(rs + REC_HAVE);
      let hdr = p;
      if (have != 0 || end - p < TLS_RECORD_HEADER_LEN) {
        const take = min(TLS_RECORD_HEADER_LEN - have, end - p);
        if (have + take < TLS_RECORD_HEADER_LEN) {
          memory.copy(rs + REC_HEADER + have, p, take);
          store<u8>(rs + REC_HAVE, <u8>(have + take));
          return;
        }
        memory.copy(header, rs + REC_HEADER, have);
        memory.copy(header + have, p, take);
        hdr = header;
        p += take;
      } else {
        p += TLS_RECORD_HEADER_LEN;
      }
      store<u8>(rs + REC_HAVE, 0);
      if (!isPlausibleRecordHeader(hdr)) {
        // Not a record boundary: this direction is lost until a segment starts a record.
        store<u8>(state(rec) + ST_LOST, load<u8>(state(rec) + ST_LOST) | dirBit(dir));
        return;
      }
      type = <u32>load<u8>(hdr);
      const bodyLen = be16(hdr + 3);
      if (bodyLen == 0) continue;
      store<u16>(rs + REC_REMAINING, <u16>bodyLen);
      store<u8>(rs + REC_TYPE, <u8>type);
      recordStart(rec, dir, type, bodyLen);
      continue;
    }
    const remaining = <usize>load<u16>(rs + REC_REMAINING);
    const take = min(remaining, end - p);
    recordBody(rec, dir, type, p, take, remaining);
    p += take;
    if (take == remaining) store<u8>(rs + REC_TYPE, 0);
    else store<u16>(rs + REC_REMAINING, <u16>(remaining - take));
  }
}

function recordStart(rec: usize, dir: usize, type: u32, bodyLen: u32): void {
  if (type == CT_APPLICATION_DATA) {
    // Encrypted data: a flow picked up mid-stream, or a handshake that is over (TLS 1.3 also
    // wraps its later handshake in these). A client's 0-RTT data before the ServerHello is not the end.
    const f = flags(rec);
    if ((f & F_SEEN_SH) != 0 || (f & F_SEEN_CH) == 0) setFlag(rec, F_DONE);
  } else if (type == CT_CHANGE_CIPHER_SPEC) {
    // RFC 5246 §7.1: what follows in this direction is encrypted.
    setFlag(rec, dir == 0 ? F_CLI_CCS : F_SRV_CCS);
    if ((flags(rec) & F_SEEN_SH) != 0 && dir == 1) setFlag(rec, F_DONE);
  }
  void bodyLen;
}

function recordBody(rec: usize, dir: usize, type: u32, p: usize, len: usize, remaining: usize): void {
  const encrypted = (flags(rec) & (dir == 0 ? F_CLI_CCS : F_SRV_CCS)) != 0;
  if (encrypted) return;
  if (type == CT_HANDSHAKE) {
    feedHandshake(rec, dir, p, len, len == remaining);
  } else if (type == CT_ALERT && remaining == ALERT_BODY_LEN && len == ALERT_BODY_LEN) {
    // RFC 8446 §6: AlertLevel, AlertDescription; only a cleartext alert is exactly 2 bytes.
    if (<u32>load<u8>(p) == ALERT_LEVEL_FATAL) setRisk(rec, RISK_TLS_FATAL_ALERT);
  }
}

// --- Handshake messages (RFC 8446 §4) -----------------------------------------------------------

function context(rec: usize): usize {
  let ctx = <usize>load<u32>(state(rec) + ST_CTX);
  if (ctx == 0) {
    ctx = heap.alloc(DIR_SIZE * 2);
    memory.fill(ctx, 0, DIR_SIZE * 2);
    store<u32>(state(rec) + ST_CTX, <u32>ctx);
  }
  return ctx;
}

/** Dissection of the flow is over: give the buffers back (called once or more, by the registry). */
export function releaseTls(rec: usize): void {
  const ctx = <usize>load<u32>(state(rec) + ST_CTX);
  if (ctx != 0) {
    for (let dir: usize = 0; dir < 2; dir++) {
      const buf = <usize>load<u32>(ctx + dir * DIR_SIZE + DIR_BUF_PTR);
      if (buf != 0) heap.free(buf);
    }
    heap.free(ctx);
    store<u32>(state(rec) + ST_CTX, 0);
  }
}

/** How many bytes of the message at p (avail >= 4 held) must be seen before it is parsed. */
function neededLen(p: usize, avail: usize): usize {
  const total = HS_HEADER_LEN + <usize>be24(p + 1);
  switch (<u32>load<u8>(p)) {
    case HS_CLIENT_HELLO:
    case HS_SERVER_HELLO:
    case HS_SERVER_HELLO_DONE:
      return total;
    case HS_CERTIFICATE:
      return certificatePrefixLen(p, avail);
  }
  return HS_HEADER_LEN; // not read: skipped once its header is known
}

/** The direction's buffer with room for `size` bytes (allocated or grown on demand, at most HS_CAP). */
function directionBuffer(dc: usize, size: usize): usize {
  let buf = <usize>load<u32>(dc + DIR_BUF_PTR);
  let cap = <usize>load<u32>(dc + DIR_BUF_CAP);
  if (size <= cap) return buf;
  let grown = cap == 0 ? BUF_FIRST_CAP : cap;
  while (grown < size) grown <<= 1;
  if (grown > HS_CAP) grown = HS_CAP;
  buf = buf == 0 ? heap.alloc(grown) : heap.realloc(buf, grown);
  store<u32>(dc + DIR_BUF_PTR, <u32>buf);
  store<u32>(dc + DIR_BUF_CAP, <u32>grown);
  return buf;
}

/**
 * Handshake bytes of a record (its last chunk when recordEnds). Like nDPI, messages are parsed
 * once their record is complete (a ServerHello in a record cut short by the capture is not
 * read); a message that continues in the next record waits in the buffer for it.
 */
function feedHandshake(rec: usize, dir: usize, p: usize, n: usize, recordEnds: bool): void {
  const dc = context(rec) + dir * DIR_SIZE;
  while (n > 0) {
    const skip = <usize>load<u32>(dc + DIR_SKIP);
    if (skip > 0) {
      const take = min(skip, n);
      store<u32>(dc + DIR_SKIP, <u32>(skip - take));
      p += take;
      n -= take;
      continue;
    }
    let held = <usize>load<u32>(dc + DIR_HELD);
    if (held == 0 && recordEnds && n >= HS_HEADER_LEN) {
      const need = neededLen(p, n);
      const total = HS_HEADER_LEN + <usize>be24(p + 1);
      if (need <= n) {
        // The whole needed part is in this chunk: parse in place.
        handleMessage(rec, dir, p, need);
        const consumed = min(total, n);
        store<u32>(dc + DIR_SKIP, <u32>(total - consumed));
        p += consumed;
        n -= consumed;
        continue;
      }
      if (need > HS_CAP) {
        store<u32>(dc + DIR_SKIP, <u32>total);
        continue;
      }
    }
    const take = min(n, HS_CAP - held);
    const buf = directionBuffer(dc, held + take);
    memory.copy(buf + held, p, take);
    held += take;
    p += take;
    n -= take;
    // Parse what the buffer now completes; each pass consumes a message or stops.
    while ((n == 0 && recordEnds) || held == HS_CAP) {
      if (held < HS_HEADER_LEN) break;
      const need = neededLen(buf, held);
      const total = HS_HEADER_LEN + <usize>be24(buf + 1);
      if (need > HS_CAP) {
        store<u32>(dc + DIR_SKIP, <u32>(total - held));
        held = 0;
        break;
      }
      if (held < need) break;
      handleMessage(rec, dir, buf, need);
      if (held >= total) {
        memory.copy(buf, buf + total, held - total);
        held -= total;
      } else {
        store<u32>(dc + DIR_SKIP, <u32>(total - held));
        held = 0;
      }
    }
    store<u32>(dc + DIR_HELD, <u32>held);
  }
}

function handleMessage(rec: usize, dir: usize, p: usize, len: usize): void {
  handleMessageKind(rec, dir, p, len);
  // nDPI flags AnyDesk's TLS sessions (found by its certificate or host names) as desktop sharing.
  if (<u32>load<u16>(rec + FLOW_APP_PROTO) == <u32>PROTO_ANYDESK) setRisk(rec, RISK_DESKTOP_OR_FILE_SHARING_SESSION);
}

function handleMessageKind(rec: usize, dir: usize, p: usize, len: usize): void {
  const f = flags(rec);
  switch (<u32>load<u8>(p)) {
    case HS_CLIENT_HELLO: {
      if ((f & F_SEEN_CH) != 0) return;
      setFlag(rec, F_SEEN_CH);
      parseClientHello(rec, p, len, false);
      return;
    }
    case HS_SERVER_HELLO: {
      if ((f & F_SEEN_SH) != 0) return;
      const version = parseServerHello(rec, p, len);
      if (version == 0) return;
      setFlag(rec, F_SEEN_SH);
      store<u8>(state(rec) + ST_SH_FROM, <u8>(dir + 1));
      // From TLS 1.3 on (and its drafts) everything after the ServerHello is encrypted.
      if (version > VERSION_TLS12 && (version >> 8) != 0xfe) {
        setFlag(rec, F_DONE);
        if ((f & F_SEEN_CH) != 0) ooklaOverTls(rec);
      }
      return;
    }
    case HS_CERTIFICATE: {
      // Only the server's certificate (the side that sent the ServerHello), not a client's.
      if ((f & F_CERT) != 0 || <usize>load<u8>(state(rec) + ST_SH_FROM) != dir + 1) return;
      setFlag(rec, F_CERT | F_DONE);
      parseCertificate(rec, p, len);
      if ((f & F_SEEN_CH) != 0) ooklaOverTls(rec);
      return;
    }
    case HS_SERVER_HELLO_DONE: {
      if ((f & F_SEEN_SH) != 0) setFlag(rec, F_DONE);
      return;
    }
  }
}
