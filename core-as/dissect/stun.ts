// STUN and TURN (RFC 8489, RFC 8656; RFC 3489 "classic" STUN) over UDP and TCP, and what a
// call carries on the same 5-tuple after its STUN exchange (ICE, RFC 8445): DTLS (RFC 5764
// DTLS-SRTP), RTP/RTCP, TURN ChannelData. The flow is STUN from its first valid message; the
// next packets (nDPI looks at 7 in all) are read for:
//  - the application: WhatsApp's, Microsoft's and Zoom's own attributes; the REALM (the flow's
//    host name) of the big TURN services; endpoints cached from other STUN flows of the same
//    call (stun_cache.ts); the server address in nDPI's IP lists. The first one found stays.
//    (Google's GOOG-NETWORK-INFO says nothing: every libwebrtc client sends it.)
//  - the first mapped address (nDPI's "Mapped IP/Port");
//  - a change of protocol: DTLS makes the flow DTLS of the same application (the DTLS
//    dissector then reads the handshake), RTP makes it SRTP of the application, or STUN.RTP
//    without one. RTCP changes nothing.
//
// Per-flow state (flow_state.ts layout, owner byte first):
//   1  1 flags      ST_DETECTED, ST_DTLS_MODE
//   2  1 packets    packets read since detection
//   4  2 app        application found (0 none)
//   8 16 dtls       the DTLS dissector's state once the flow turned DTLS (dtls.ts)
import * as info from "../decode/packet_info";
import { be16, u8at } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import {
  ADDR_FAMILY_IPV4, ADDR_FAMILY_IPV6, ATTR_MAPPED_ADDRESS, ATTR_XOR_MAPPED_ADDRESS, ATTR_XOR_MAPPED_ADDRESS_OLD,
  ATTR_MS_IMPLEMENTATION_VERSION, ATTR_MS_SERVICE_QUALITY, ATTR_REALM,
  ATTR_WHATSAPP_FIRST, ATTR_WHATSAPP_LAST, ATTR_ZOOM_CLASSIC, CHANNEL_DATA_HEADER_LEN, CHANNEL_FIRST, CHANNEL_LAST,
  STUN_ATTR_HEADER_LEN, STUN_COOKIE, STUN_FRAME_PREFIX, STUN_MAGIC_COOKIE, STUN_HEADER_LEN, STUN_TYPE_RESERVED_BITS, isClassicType,
  stunHasCookie, stunLength, stunType,
} from "../wire/stun";
import {
  FLOW_CLI_ADDR, FLOW_CLI_PORT, FLOW_DISSECTOR_STATE, FLOW_IP_PROTO, FLOW_SRV_ADDR, FLOW_SRV_PORT,
} from "../flow/record";
import { setDetected } from "../classify/classify";
import * as P from "../classify/generated/protocols";
import { META_STR_HOST, META_STR_STUN_MAPPED, metaHasString, metaSetString } from "./meta";
import { writeDecimal, writeIpv4, writeIpv6 } from "../util/text";
import { STATE_OWNER, claimState } from "./flow_state";
import { stunCacheFind, stunCacheStore } from "./stun_cache";
import { RTP_DATA, noteStreamContent, rtpPacketKind } from "./rtp";
import { DTLS_STATE_SIZE, dtlsDatagram, isDtlsRecord, releaseDtlsState } from "./dtls";
import { R_DONE, R_MATCH, R_MAYBE, R_NO } from "./result";

/** This dissector's id in the registry (flow_state.ts tags the state with it). */
const OWNER_ID: u32 = 11;

const ST_FLAGS: usize = 1;
const ST_PACKETS: usize = 2;
const ST_APP: usize = 4;
const ST_DTLS: usize = 8;

const ST_DETECTED: u8 = 1;
const ST_DTLS_MODE: u8 = 2;

/** nDPI reads this many packets of a STUN flow (the .out files' DPI packets). */
const MAX_PACKETS: u32 = 7;
/** Messages of one TCP segment looked at. */
const MAX_MESSAGES: i32 = 8;
const MAX_ATTRIBUTES: i32 = 64;
/** nDPI keeps host names in an 80-byte buffer. */
const MAX_HOST_LEN: usize = 79;

const hostBuf: usize = memory.data(80);

/** Application found in the last message parsed, 0 if none. */
let foundApp: u32 = 0;
/** The message whose attributes are being read (its cookie and transaction id unmask XOR addresses). */
let messageStart: usize = 0;
/** "ip:port" of a mapped address, IPv6 in brackets: at most 1 + 39 + 2 + 5 bytes. */
const addressBuf: usize = memory.data(64);
const xorBuf: usize = memory.data(16);

export function dissectStun(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const isTcp = info.l4Proto == IPPROTO_TCP;
  const state = rec + FLOW_DISSECTOR_STATE;
  const flags = <u32>load<u8>(state + STATE_OWNER) == OWNER_ID ? load<u8>(state + ST_FLAGS) : 0;
  if ((flags & ST_DETECTED) == 0) {
    // Not ours yet: the state area may hold another undecided dissector's bytes.
    if (!readMessages(rec, p, len, isTcp)) return isTcp && len < STUN_HEADER_LEN ? R_MAYBE : R_NO;
    claimState(rec, OWNER_ID);
    store<u8>(state + ST_FLAGS, ST_DETECTED);
    store<u8>(state + ST_PACKETS, 1);
    setDetected(rec, P.PROTO_STUN, 0);
    resolveApp(rec, state);
    return R_MATCH;
  }
  if ((flags & ST_DTLS_MODE) != 0) {
    // DTLS-SRTP: the media that follows the handshake tells the stream content; ICE's
    // consent checks (RFC 7675) are still STUN and may bring the mapped address.
    if (rtpPacketKind(p, len) == RTP_DATA) noteStreamContent(rec, p);
    else if (!isTcp && !metaHasString(rec, META_STR_STUN_MAPPED)) readMessages(rec, p, len, false);
    return dtlsDatagram(rec, fromClient, p, len, state + ST_DTLS, true);
  }
  const packets = <u32>load<u8>(state + ST_PACKETS) + 1;
  store<u8>(state + ST_PACKETS, <u8>packets);
  if (!readMessages(rec, p, len, isTcp) && !isTcp) {
    // Not STUN: what the call carries next on the same ports.
    let inner = p;
    let innerLen = len;
    const first = len > 0 ? u8at(p) : 0;
    if (first >= CHANNEL_FIRST && first <= CHANNEL_LAST && len >= CHANNEL_DATA_HEADER_LEN) {
      inner = p + CHANNEL_DATA_HEADER_LEN;
      innerLen = len - CHANNEL_DATA_HEADER_LEN;
    }
    if (isDtlsRecord(inner, innerLen)) return switchToDtls(rec, fromClient, state, inner, innerLen);
    if (rtpPacketKind(inner, innerLen) == RTP_DATA) {
      noteStreamContent(rec, inner);
      const app = <u32>load<u16>(state + ST_APP);
      if (app != 0) setDetected(rec, P.PROTO_SRTP, app);
      else setDetected(rec, P.PROTO_STUN, P.PROTO_RTP);
      return R_DONE;
    }
  }
  resolveApp(rec, state);
  return packets >= MAX_PACKETS ? R_DONE : R_MATCH;
}

/** Dissection of the flow is over: a flow that turned DTLS may hold a certificate buffer. */
export function releaseStun(rec: usize): void {
  const state = rec + FLOW_DISSECTOR_STATE;
  if (<u32>load<u8>(state + STATE_OWNER) == OWNER_ID && (load<u8>(state + ST_FLAGS) & ST_DTLS_MODE) != 0) {
    releaseDtlsState(state + ST_DTLS);
  }
}

/** The flow turns DTLS, of the same application; the DTLS dissector reads this and the next datagrams. */
function switchToDtls(rec: usize, fromClient: bool, state: usize, p: usize, len: usize): i32 {
  const app = <u32>load<u16>(state + ST_APP);
  store<u8>(state + ST_FLAGS, load<u8>(state + ST_FLAGS) | ST_DTLS_MODE);
  memory.fill(state + ST_DTLS, 0, DTLS_STATE_SIZE);
  setDetected(rec, P.PROTO_DTLS, app);
  return dtlsDatagram(rec, fromClient, p, len, state + ST_DTLS, true);
}

/**
 * The flow's application, once found, stays; until then, in nDPI's order: what this flow's
 * messages say, the endpoints' cache, the server address. Every endpoint of a flow with an
 * application goes into the cache (a flow looks the cache up only while it has none, so it
 * never finds its own entries).
 */
function resolveApp(rec: usize, state: usize): void {
  if (load<u16>(state + ST_APP) != 0) return;
  let app = foundApp;
  if (app == 0) app = stunCacheFind(rec + FLOW_CLI_ADDR, <u32>load<u16>(rec + FLOW_CLI_PORT));
  if (app == 0) app = stunCacheFind(rec + FLOW_SRV_ADDR, <u32>load<u16>(rec + FLOW_SRV_PORT));
  if (app == 0) app = appOfServerAddress(<u32>load<u16>(rec + FLOW_IP_PROTO));
  if (app == 0) return;
  store<u16>(state + ST_APP, <u16>app);
  setDetected(rec, P.PROTO_STUN, app);
  stunCacheStore(rec + FLOW_CLI_ADDR, <u32>load<u16>(rec + FLOW_CLI_PORT), app);
  stunCacheStore(rec + FLOW_SRV_ADDR, <u32>load<u16>(rec + FLOW_SRV_PORT), app);
}

/** The call application of a STUN server in nDPI's IP lists. */
function appOfServerAddress(ipProto: u32): u32 {
  switch (ipProto) {
    case P.PROTO_GOOGLE: return P.PROTO_GOOGLE_CALL;
    case P.PROTO_TELEGRAM: return P.PROTO_TELEGRAM_VOIP;
    case P.PROTO_VIBER: return P.PROTO_VIBER_VOIP;
    case P.PROTO_WHATSAPP: return P.PROTO_WHATSAPP_CALL;
  }
  return 0;
}

/**
 * Reads the STUN message(s) of the payload, collecting the host name and `foundApp`. Returns
 * false when the payload is not STUN. A datagram holds exactly one message; a TCP segment one
 * or more, plain or RFC 4571-framed, the last possibly cut.
 */
function readMessages(rec: usize, p: usize, len: usize, isTcp: bool): bool {
  foundApp = 0;
  if (!isTcp) return readMessage(rec, p, len, true) != 0;
  let cursor = p;
  const end = p + len;
  let messages = 0;
  for (; messages < MAX_MESSAGES && cursor < end; messages++) {
    let used = readMessage(rec, cursor, end - cursor, false);
    if (used == 0 && end - cursor > STUN_FRAME_PREFIX) {
      const framed = readMessage(rec, cursor + STUN_FRAME_PREFIX, end - cursor - STUN_FRAME_PREFIX, false);
      if (framed != 0 && <usize>be16(cursor) == framed) used = framed + STUN_FRAME_PREFIX;
    }
    if (used == 0) break;
    cursor += used;
  }
  return messages > 0;
}

/**
 * Validates the message at p and reads its attributes. Returns its length (header and
 * attributes), or 0 when it is not STUN. `exact`: the message must fill `avail` (UDP).
 * Messages with the magic cookie are accepted with a body length that is not a multiple of 4
 * (WhatsApp pads nothing); classic RFC 3489 messages need one of its six types and attributes
 * that tile the body.
 */
function readMessage(rec: usize, p: usize, avail: usize, exact: bool): usize {
  if (avail < STUN_HEADER_LEN) return 0;
  const type = stunType(p);
  if ((type & STUN_TYPE_RESERVED_BITS) != 0) return 0;
  let total = STUN_HEADER_LEN + <usize>stunLength(p);
  const modern = stunHasCookie(p);
  if (exact ? total != avail : total > avail) {
    // A TCP segment may end inside a message: with the cookie, read what is there.
    if (exact || !modern) return 0;
    total = avail;
  }
  // Over TCP only RFC 5389+ messages: 20 bytes of a classic header are too easily matched.
  if (!exact && !modern) return 0;
  if (!modern && (!isClassicType(type) || (total & 3) != 0 || !walkAttributes(rec, p + STUN_HEADER_LEN, p + total, false, false))) return 0;
  messageStart = p;
  walkAttributes(rec, p + STUN_HEADER_LEN, p + total, true, modern);
  return total;
}

/**
 * Goes over the attributes in [p, end): returns true when they tile it exactly. `read`: hand
 * each complete one to readAttribute (a last one cut short is dropped).
 */
function walkAttributes(rec: usize, p: usize, end: usize, read: bool, modern: bool): bool {
  let cursor = p;
  for (let i = 0; i < MAX_ATTRIBUTES && cursor + STUN_ATTR_HEADER_LEN <= end; i++) {
    const valueLen = <usize>be16(cursor + 2);
    const value = cursor + STUN_ATTR_HEADER_LEN;
    if (value + valueLen > end) return false;
    if (read) readAttribute(rec, be16(cursor), value, valueLen, modern);
    cursor = value + ((valueLen + 3) & ~3);
  }
  return cursor == end;
}

function readAttribute(rec: usize, attr: u32, value: usize, len: usize, modern: bool): void {
  if (attr == ATTR_XOR_MAPPED_ADDRESS || attr == ATTR_XOR_MAPPED_ADDRESS_OLD) readMappedAddress(rec, value, len, true);
  else if (attr == ATTR_MAPPED_ADDRESS) readMappedAddress(rec, value, len, false);
  else if (attr >= ATTR_WHATSAPP_FIRST && attr <= ATTR_WHATSAPP_LAST) noteApp(P.PROTO_WHATSAPP_CALL);
  else if (attr == ATTR_ZOOM_CLASSIC && !modern) noteApp(P.PROTO_ZOOM);
  else if (attr == ATTR_MS_IMPLEMENTATION_VERSION || attr == ATTR_MS_SERVICE_QUALITY) noteApp(P.PROTO_SKYPE_TEAMS_CALL);
  else if (attr == ATTR_REALM && len > 0) readRealm(rec, value, len);
}

@inline function noteApp(app: u32): void {
  if (foundApp == 0) foundApp = app;
}

/**
 * The first MAPPED-ADDRESS (RFC 8489 §14.1) or XOR-MAPPED-ADDRESS (§14.2) is the flow's
 * "Mapped IP/Port" (ntopng's protos.stun.mapped_ip_address): reserved (1), family (1), port (2),
 * address; the XOR form masks the port with the cookie's top 16 bits, the address with the
 * cookie (IPv4) or the cookie and transaction id (IPv6).
 */
function readMappedAddress(rec: usize, value: usize, len: usize, xored: bool): void {
  if (len < 8 || metaHasString(rec, META_STR_STUN_MAPPED)) return;
  const family = u8at(value + 1);
  const addrLen: usize = family == ADDR_FAMILY_IPV4 ? 4 : family == ADDR_FAMILY_IPV6 ? 16 : 0;
  if (addrLen == 0 || len < 4 + addrLen) return;
  let port = be16(value + 2);
  for (let i: usize = 0; i < addrLen; i++) {
    const mask = xored ? u8at(messageStart + STUN_COOKIE + i) : 0;
    store<u8>(xorBuf + i, <u8>(u8at(value + 4 + i) ^ mask));
  }
  if (xored) port ^= STUN_MAGIC_COOKIE >> 16;
  let n: usize = 0;
  if (addrLen == 4) {
    n = writeIpv4(addressBuf, xorBuf);
  } else {
    store<u8>(addressBuf, 0x5b);
    n = 1 + writeIpv6(addressBuf + 1, xorBuf);
    store<u8>(addressBuf + n++, 0x5d);
  }
  store<u8>(addressBuf + n++, 0x3a);
  n += writeDecimal(addressBuf + n, port);
  metaSetString(rec, META_STR_STUN_MAPPED, addressBuf, n);
}

/** The REALM (RFC 8489 §14.9) is the flow's host name, in lower case; the big services' realms name their call application. */
function readRealm(rec: usize, value: usize, len: usize): void {
  const n = len < MAX_HOST_LEN ? len : MAX_HOST_LEN;
  for (let i: usize = 0; i < n; i++) {
    const c = u8at(value + i);
    store<u8>(hostBuf + i, <u8>(c - 0x41 < 26 ? c + 0x20 : c));
  }
  if (!metaHasString(rec, META_STR_HOST)) metaSetString(rec, META_STR_HOST, hostBuf, n);
  if (contains(hostBuf, n, "google.com")) noteApp(P.PROTO_GOOGLE_CALL);
  else if (contains(hostBuf, n, "facebook")) noteApp(P.PROTO_FACEBOOK_VOIP);
  else if (contains(hostBuf, n, "telegram")) noteApp(P.PROTO_TELEGRAM_VOIP);
  else if (contains(hostBuf, n, "viber")) noteApp(P.PROTO_VIBER_VOIP);
  else if (contains(hostBuf, n, "stripcdn.com")) noteApp(P.PROTO_ADULT_CONTENT);
}

function contains(p: usize, len: usize, word: string): bool {
  const n = <usize>word.length;
  if (len < n) return false;
  for (let at: usize = 0; at + n <= len; at++) {
    let i: usize = 0;
    while (i < n && <u32>load<u8>(p + at + i) == <u32>word.charCodeAt(<i32>i)) i++;
    if (i == n) return true;
  }
  return false;
}
