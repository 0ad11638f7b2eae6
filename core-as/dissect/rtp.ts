// RTP and RTCP (RFC 3550) over UDP, or over TCP with RFC 4571 framing, on ports above the
// well-known range (§11: dynamic ports negotiated out of band). A packet is RTCP when its second byte is a control packet type
// (192-223, the range RFC 5761 §4 keeps apart from RTP's payload types) and its first part fits;
// RTCP is the flow's protocol after two such packets starting with an SR or RR (§6.1: every
// compound packet starts with one). RTP needs two packets of the same stream in one
// direction: same SSRC, same payload type, sequence numbers a little apart (§5.1);
// one packet of random bytes passes the header checks too easily. The payload type gives nDPI's
// "Stream Content".
//
// Per-flow state (flow_state.ts layout, owner byte first), while undecided:
//   1  1 seen       bit 0: an RTP packet from the client, bit 1: from the server, bit 2: an RTCP packet
//   2  1 probes     packets that were neither
//   4  4 ssrc[2]    SSRC of the last RTP packet, client then server (8 bytes)
//  12  2 seq[2]     its sequence number (4 bytes)
//  16  1 pt[2]      its payload type (2 bytes)
import * as info from "../decode/packet_info";
import { be16, be32, u8at } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { setDetected } from "../classify/classify";
import { PROTO_RTCP, PROTO_RTP } from "../classify/generated/protocols";
import { tryClaimState } from "./flow_state";
import { META_NUM_STREAM_CONTENT, metaSetNumber } from "./meta";
import { R_DONE, R_MAYBE, R_NO } from "./result";

/** This dissector's id in the registry (flow_state.ts tags the state with it). */
const OWNER_ID: u32 = 12;

const ST_SEEN: usize = 1;
const ST_SSRC: usize = 4;
const ST_SEQ: usize = 12;
const ST_PT: usize = 16;

export const RTP_NONE: u32 = 0;
export const RTP_DATA: u32 = 1;
export const RTP_CONTROL: u32 = 2;
const STREAM_AUDIO: u32 = 1;
const STREAM_VIDEO: u32 = 2;

// RTP fixed header (RFC 3550 §5.1): V P X CC | M PT | sequence | timestamp | SSRC | CSRC list.
const RTP_FIXED: usize = 12;
const RTP_SEQ: usize = 2;
const RTP_SSRC: usize = 8;
// RTCP header (§6.4.1): V P RC | PT | length in 32-bit words minus one.
const RTCP_HEADER: usize = 8;
const RTCP_SR: u32 = 200;
const RTCP_RR: u32 = 201;
/** RFC 5761 §4: packet types 192-223 are RTCP's; RTP payload types 64-95 are not used beside them. */
const RTCP_FIRST_TYPE: u32 = 192;
const RTCP_LAST_TYPE: u32 = 223;
const PT_RTCP_CLASH_FIRST: u32 = 64;
const PT_RTCP_CLASH_LAST: u32 = 95;
const SEEN_RTCP: u8 = 4;
/** Sequence numbers of two packets of one stream, allowing for a few lost. */
const MAX_SEQ_GAP: u32 = 4;
/** A call may start with a few tiny NAT keep-alives before RTP; anything bigger is another protocol. */
const MAX_PROBES: u32 = 4;
const MAX_PROBE_LEN: usize = 16;
const ST_OTHER: usize = 2;
const MIN_PORT: u32 = 1024;
const TCP_FRAME_PREFIX: usize = 2;

/** What the packet at p looks like: RTP_DATA, RTP_CONTROL or RTP_NONE. */
export function rtpPacketKind(p: usize, len: usize): u32 {
  if (len < RTCP_HEADER || (u8at(p) >> 6) != 2) return RTP_NONE;
  const second = u8at(p + 1);
  if (second >= RTCP_FIRST_TYPE && second <= RTCP_LAST_TYPE) {
    const first = (<usize>be16(p + 2) + 1) << 2;
    return first <= len ? RTP_CONTROL : RTP_NONE;
  }
  const pt = second & 0x7f;
  if (pt >= PT_RTCP_CLASH_FIRST && pt <= PT_RTCP_CLASH_LAST) return RTP_NONE;
  const headerLen = RTP_FIXED + (<usize>(u8at(p) & 0x0f) << 2);
  return len >= headerLen ? RTP_DATA : RTP_NONE;
}

/**
 * nDPI's Stream Content of an RTP payload type: the static types of RFC 3551 §6 (audio up to
 * 23; 25, 26, 28, 31-34 video) and the dynamic ones the ground truth shows as audio: 111 (Opus
 * in WebRTC offers), 118 (a VoLTE capture) and 120 (WhatsApp calls). 0: unknown.
 */
export function rtpStreamContent(payloadType: u32): u32 {
  if (payloadType <= 23 || payloadType == 111 || payloadType == 118 || payloadType == 120) return STREAM_AUDIO;
  if (payloadType == 25 || payloadType == 26 || payloadType == 28 || (payloadType >= 31 && payloadType <= 34)) return STREAM_VIDEO;
  return 0;
}

/** Records the stream content of the RTP packet at p (rtpPacketKind said RTP_DATA). */
export function noteStreamContent(rec: usize, p: usize): void {
  const content = rtpStreamContent(u8at(p + 1) & 0x7f);
  if (content != 0) metaSetNumber(rec, META_NUM_STREAM_CONTENT, content);
}

/**
 * An SR or RR whose length holds its report blocks (§6.4.1: SR = 6 + 6 x RC words after the
 * first, RR = 1 + 6 x RC; profile extensions may follow).
 */
function isReport(p: usize): bool {
  const type = u8at(p + 1);
  const count = <usize>(u8at(p) & 0x1f);
  const words = <usize>be16(p + 2);
  if (type == RTCP_SR) return words >= 6 + 6 * count;
  return type == RTCP_RR && words >= 1 + 6 * count;
}

export function dissectRtp(rec: usize, fromClient: bool): i32 {
  if (info.srcPort < MIN_PORT || info.dstPort < MIN_PORT) return R_NO;
  let p = info.payloadPtr;
  let len = <usize>info.payloadLen;
  if (info.l4Proto == IPPROTO_TCP) {
    // RFC 4571 §2: each packet preceded by its 16-bit length.
    if (len < TCP_FRAME_PREFIX || <usize>be16(p) + TCP_FRAME_PREFIX > len) return R_NO;
    len = <usize>be16(p);
    p += TCP_FRAME_PREFIX;
  }
  const kind = rtpPacketKind(p, len);
  // Undecided, RTP waits rather than wipe another undecided dissector's progress.
  const state = tryClaimState(rec, OWNER_ID);
  if (state == 0) return kind == RTP_NONE ? R_NO : R_MAYBE;
  if (kind == RTP_NONE) {
    const probes = <u32>load<u8>(state + ST_OTHER) + 1;
    store<u8>(state + ST_OTHER, <u8>probes);
    return len <= MAX_PROBE_LEN && probes < MAX_PROBES ? R_MAYBE : R_NO;
  }
  if (kind == RTP_CONTROL) {
    if (!isReport(p)) return R_MAYBE;
    const seen = load<u8>(state + ST_SEEN);
    if ((seen & SEEN_RTCP) != 0) {
      setDetected(rec, PROTO_RTCP, 0);
      return R_DONE;
    }
    store<u8>(state + ST_SEEN, seen | SEEN_RTCP);
    return R_MAYBE;
  }
  const side: usize = fromClient ? 0 : 1;
  const bit: u8 = fromClient ? 1 : 2;
  const ssrc = be32(p + RTP_SSRC);
  const seq = be16(p + RTP_SEQ);
  const pt = u8at(p + 1) & 0x7f;
  const seen = load<u8>(state + ST_SEEN);
  if ((seen & bit) != 0) {
    const lastSsrc = load<u32>(state + ST_SSRC + (side << 2));
    const lastSeq = <u32>load<u16>(state + ST_SEQ + (side << 1));
    const lastPt = <u32>load<u8>(state + ST_PT + side);
    const gap = (seq - lastSeq) & 0xffff;
    if (lastSsrc == ssrc && lastPt == pt && gap != 0 && gap <= MAX_SEQ_GAP) {
      setDetected(rec, PROTO_RTP, 0);
      noteStreamContent(rec, p);
      return R_DONE;
    }
  }
  store<u8>(state + ST_SEEN, seen | bit);
  store<u32>(state + ST_SSRC + (side << 2), ssrc);
  store<u16>(state + ST_SEQ + (side << 1), <u16>seq);
  store<u8>(state + ST_PT + side, <u8>pt);
  return R_MAYBE;
}
