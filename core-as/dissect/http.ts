// HTTP/1.x (RFC 9112) over TCP, as nDPI reports it: the request's method, Host (nDPI's
// Hostname, which also selects an application from the host list: HTTP.Google), URL (Host +
// request target), User-Agent and request Content-Type; the response's status code, Server
// and Content-Type. A request in absolute form ("GET http://host/ ...", RFC 9112 §3.2.2) is
// HTTP_Proxy, a CONNECT (RFC 9110 §9.3.6) is HTTP_Connect; the clear-text HTTP/2 preface
// (RFC 9113 §3.4) is HTTP2. The risks are in http_risks.ts and http_url_attacks.ts, the
// applications named by the payload in http_apps.ts.
//
// Segments are read one at a time, without reassembly, the way nDPI reads them (the corpus
// shows each of these):
//   - The first request segment must start with a method. If its request line is complete
//     (CRLF in the segment) it must end in "HTTP/1.x"; that also keeps RTSP and SIP requests
//     ("OPTIONS rtsp://... RTSP/1.0") out. A request line split over segments still makes the
//     flow HTTP, but gives no URL, as in nDPI.
//   - The URL is built only when the segment holding the request line also holds the Host
//     header (1kxun.pcap has requests whose Host came a segment later, and no URL). Each new
//     request in the window replaces it (nDPI prints the last one: quickplay.pcap).
//   - Request segments after a request line, until the empty line that ends its header
//     section, are read as header lines (Host, User-Agent... split off by the segmentation); a
//     line cut at the end of a segment counts as it is.
//   - Header lines are recognised anywhere in a segment, the body included (a multipart body's
//     Content-Type is the one nDPI reports: http-crash-content-disposition.pcap).
//   - Only the first segment of a response is read (status line, headers, the first body bytes):
//     a response after a request ends the dissection. A flow may start with the response (a
//     capture started mid-connection): the dissection then waits for the request and the
//     response after it, whose fields replace the first one's (http_starting_with_reply.pcapng).
//   - After the segment that made the flow HTTP, at most EXTRA_PACKETS more packets of the flow
//     (empty ones included) are looked at, nDPI's extra-dissection budget; a response that comes
//     later is not read.
//
// Private state (rec + FLOW_DISSECTOR_STATE, claimed with flow_state.ts when the flow becomes HTTP):
//   0 u8  owner tag (flow_state.ts)
//   1 u8  flags (S_*)
//   4 u32 packets of the flow (both directions) when it became HTTP
import * as info from "../decode/packet_info";
import {
  FLOW_APP_PROTO, FLOW_C2S_PACKETS, FLOW_CATEGORY, FLOW_DISSECTOR, FLOW_DISSECTOR_STATE, FLOW_MASTER_PROTO, FLOW_S2C_PACKETS,
} from "../flow/record";
import { applyHostName, setDetected } from "../classify/classify";
import {
  CATEGORY_CONNECTIVITY_CHECK, PROTO_BITTORRENT, PROTO_HTTP, PROTO_HTTP2, PROTO_HTTP_CONNECT, PROTO_HTTP_PROXY, PROTO_MAPLESTORY,
  PROTO_SOAP,
} from "../classify/generated/protocols";
import { IPPROTO_TCP } from "../wire/transport";
import {
  COLON, SP, STATUS_LINE_MIN, equalsNoCase, findNoCase, indexOf, isDigit, lineEnd, lowerAscii, methodLength,
  nextLine, skipOws, startsWith, startsWithNoCase, trimOwsEnd,
} from "../wire/http";
import {
  META_NUM_HTTP_STATUS, META_STR_CONTENT_TYPE, META_STR_HOST, META_STR_HTTP_METHOD, META_STR_HTTP_SERVER,
  META_STR_REQ_CONTENT_TYPE, META_STR_URL, META_STR_USER_AGENT, metaHasString, metaSetNumber, metaSetString,
} from "./meta";
import { appOfAgent, appOfMediaType, appOfServer, appOfTarget, isConnectivityCheckTarget, isMapleStoryRequest } from "./http_apps";
import {
  checkAuthorization, checkDotPath, checkDownload, checkHeaderName, checkNumericHost, checkResponseContent,
  checkServer, checkStatus, checkUserAgent, flagMissingUserAgent, mediaTypeLength,
} from "./http_risks";
import { checkUrlAttacks } from "./http_url_attacks";
import { STATE_DATA, claimState } from "./flow_state";
import { R_DONE, R_MATCH, R_MAYBE, R_NO } from "./result";

/** A request line was read. */
const S_REQUEST: u8 = 1;
/** The last request's header section ended (its empty line was seen). */
const S_REQ_ENDED: u8 = 2;
/** A status line was read. */
const S_RESPONSE: u8 = 4;
/** The last request came from the engine's client side (fromClient was true for it). */
const S_REQ_FROM_CLIENT: u8 = 8;
/** A request had a User-Agent. */
const S_USER_AGENT: u8 = 16;

/** The state area's tag: this dissector's id (registry.ts DISSECTOR_HTTP). */
const STATE_TAG: u32 = 4;
const STATE_FLAGS: usize = STATE_DATA;
const STATE_START_PACKETS: usize = 4;

/** Packets looked at after the one that made the flow HTTP (nDPI's extra dissection). */
const EXTRA_PACKETS: u32 = 8;
/**
 * First segments shorter than this that are not HTTP are taken for noise before the request
 * (a stray byte or two riding on an ACK: heuristic_tcp_ack_payload.pcap). Three bytes already
 * make a SOCKS5 greeting, which must not lead to HTTP.
 */
const MIN_FIRST_SEGMENT: u32 = 3;
/** ndpiReader keeps at most this many bytes of a URL, agent or server name. */
const FIELD_MAX: usize = 255;
/** Header lines read per segment, at most. */
const MAX_LINES: u32 = 256;

const urlBuf: usize = memory.data(256);
const hostBuf: usize = memory.data(256);

// What the lines of the current segment hold (spans inside the payload; length 0 = absent).
let hostPtr: usize = 0;
let hostLen: usize = 0;
let agentPtr: usize = 0;
let agentLen: usize = 0;
let agentSeen = false;
let typePtr: usize = 0;
let typeLen: usize = 0;
let serverPtr: usize = 0;
let serverLen: usize = 0;
let authPtr: usize = 0;
let authLen: usize = 0;
let dispositionPtr: usize = 0;
let dispositionLen: usize = 0;
let soapAction = false;
let encoded = false;
/** The empty line ending the header section was in the segment; the body starts at bodyPtr. */
let headersEnded = false;
let bodyPtr: usize = 0;

function resetLines(): void {
  hostPtr = 0; hostLen = 0; agentPtr = 0; agentLen = 0; agentSeen = false; typePtr = 0; typeLen = 0;
  serverPtr = 0; serverLen = 0; authPtr = 0; authLen = 0; dispositionPtr = 0; dispositionLen = 0;
  soapAction = false; encoded = false; headersEnded = false; bodyPtr = 0;
}

@inline function capped(len: usize): usize {
  return len < FIELD_MAX ? len : FIELD_MAX;
}

/**
 * Reads the lines from p to the segment's end as header fields (RFC 9112 §5: field-name ":"
 * OWS field-value OWS; names are case-insensitive), noting the ones nDPI reports. The first
 * empty line marks the body's start. A value starting with a control byte is no value.
 */
function readLines(rec: usize, p: usize, end: usize, isRequest: bool): void {
  let ls = p;
  for (let lines: u32 = 0; lines < MAX_LINES && ls < end; lines++) {
    const le = lineEnd(ls, end);
    if (le == ls && !headersEnded) {
      headersEnded = true;
      bodyPtr = nextLine(le, end);
    }
    const colon = indexOf(ls, le, COLON);
    if (colon < le && colon > ls) {
      const value = skipOws(colon + 1, le);
      const valueEnd = trimOwsEnd(value, le);
      const valueLen = value < le && <u32>load<u8>(value) < 0x20 ? <usize>0 : valueEnd - value;
      if (equalsNoCase(ls, colon, "content-type")) {
        if (valueLen > 0) { typePtr = value; typeLen = valueLen; }
      } else if (!headersEnded) {
        if (isRequest) {
          if (equalsNoCase(ls, colon, "host")) { if (hostLen == 0) { hostPtr = value; hostLen = valueLen; } }
          else if (equalsNoCase(ls, colon, "user-agent")) { if (!agentSeen) { agentSeen = true; agentPtr = value; agentLen = valueLen; } }
          else if (equalsNoCase(ls, colon, "authorization")) { authPtr = value; authLen = valueLen; }
          else if (equalsNoCase(ls, colon, "soapaction")) soapAction = true;
          else checkHeaderName(rec, ls, colon, le);
        } else {
          if (equalsNoCase(ls, colon, "server")) { serverPtr = value; serverLen = valueLen; }
          else if (equalsNoCase(ls, colon, "content-disposition")) { dispositionPtr = value; dispositionLen = valueLen; }
          else if (equalsNoCase(ls, colon, "content-encoding")) encoded = valueLen > 0 && !equalsNoCase(value, valueEnd, "identity");
          else checkHeaderName(rec, ls, colon, le);
        }
      }
    }
    const next = nextLine(le, end);
    if (next <= ls) return;
    ls = next;
  }
}

/** An application the payload names wins over one the host list gave (nDPI: HTTP.OCSP for ocsp.pki.goog). */
function setApp(rec: usize, app: u32): void {
  if (app == 0 || <u32>load<u16>(rec + FLOW_APP_PROTO) == app) return;
  setDetected(rec, <u32>load<u16>(rec + FLOW_MASTER_PROTO), app);
}

/** Host without its port (RFC 9110 §7.2: uri-host [":" port]), lower-cased into hostBuf. */
function normaliseHost(p: usize, len: usize): usize {
  const end = p + len;
  let stop = end;
  if (len > 0 && <u32>load<u8>(p) == 0x5b) {
    const close = indexOf(p, end, 0x5d);
    stop = close < end ? close + 1 : end;
  } else {
    stop = indexOf(p, end, COLON);
  }
  const n = capped(stop - p);
  for (let i: usize = 0; i < n; i++) store<u8>(hostBuf + i, <u8>lowerAscii(<u32>load<u8>(p + i)));
  return n;
}

/** The request's Host: nDPI's Hostname, the host-list application and the numeric-host checks. */
function noteHost(rec: usize): void {
  if (hostLen == 0 || metaHasString(rec, META_STR_HOST)) return;
  const n = normaliseHost(hostPtr, hostLen);
  if (n == 0) return;
  metaSetString(rec, META_STR_HOST, hostBuf, n);
  applyHostName(rec);
  // The request goes to the server: its destination is the address the Host should name.
  checkNumericHost(rec, hostBuf, n, info.dstAddr, info.ipVersion);
}

/** Fields of a request's header lines in this segment (its first segment or a continuation). */
function noteRequestFields(rec: usize, flags: u8): u8 {
  noteHost(rec);
  if (agentSeen && (flags & S_USER_AGENT) == 0 && agentLen > 0) {
    flags |= S_USER_AGENT;
    metaSetString(rec, META_STR_USER_AGENT, agentPtr, capped(agentLen));
    checkUserAgent(rec, agentPtr, agentLen);
    if (<u32>load<u16>(rec + FLOW_APP_PROTO) == 0) setApp(rec, appOfAgent(agentPtr, agentLen));
  }
  if (typeLen > 0 && !metaHasString(rec, META_STR_REQ_CONTENT_TYPE)) {
    const n = mediaTypeLength(typePtr, typeLen);
    metaSetString(rec, META_STR_REQ_CONTENT_TYPE, typePtr, capped(n));
    setApp(rec, appOfMediaType(typePtr, n));
  }
  if (authLen > 0) checkAuthorization(rec, authPtr, authLen);
  if (soapAction) setApp(rec, PROTO_SOAP);
  if (headersEnded) {
    flags |= S_REQ_ENDED;
    if ((flags & S_USER_AGENT) == 0) flagMissingUserAgent(rec);
  }
  return flags;
}

/** URL as nDPI prints it: the target itself for CONNECT and absolute-form, else Host + target. */
function noteUrl(rec: usize, master: u32, target: usize, targetLen: usize): void {
  if (hostLen == 0 || targetLen == 0) return;
  let n: usize = 0;
  if (master == PROTO_HTTP_CONNECT || master == PROTO_HTTP_PROXY) {
    n = capped(targetLen);
    memory.copy(urlBuf, target, n);
  } else {
    n = capped(hostLen);
    memory.copy(urlBuf, hostPtr, n);
    const rest = capped(n + targetLen) - n;
    memory.copy(urlBuf + n, target, rest);
    n += rest;
  }
  metaSetString(rec, META_STR_URL, urlBuf, n);
}

/**
 * A segment starting with a method (RFC 9112 §3: method SP request-target SP HTTP-version).
 * Returns the new flags, or -1 when the request line is complete but not HTTP/1.x.
 */
function readRequest(rec: usize, p: usize, end: usize, methodLen: usize, fromClient: bool, flags: u8): i32 {
  const le = lineEnd(p, end);
  const lineComplete = le < end;
  // nDPI tolerates several spaces between method and target (http-manipulated.pcap).
  let target = p + methodLen;
  while (target < le && <u32>load<u8>(target) == SP) target++;
  const targetEnd = indexOf(target, le, SP);
  const targetLen = targetEnd - target;
  const isConnect = startsWith(p, end, "CONNECT ");
  if (lineComplete) {
    if (targetLen == 0 || !startsWith(skipOws(targetEnd, le), le, "HTTP/1.")) return -1;
  } else if (!isConnect && targetLen > 0) {
    // A cut line: the target must still look like an HTTP one ('/' or absolute http).
    const c = lowerAscii(<u32>load<u8>(target));
    if (c != 0x2f && c != 0x68) return -1;
  }
  const absolute = startsWithNoCase(target, targetEnd, "http://") || startsWithNoCase(target, targetEnd, "https://");
  const master: u32 = isConnect ? PROTO_HTTP_CONNECT : absolute ? PROTO_HTTP_PROXY : PROTO_HTTP;
  if (<u32>load<u16>(rec + FLOW_MASTER_PROTO) != master) setDetected(rec, master, <u32>load<u16>(rec + FLOW_APP_PROTO));
  if (!metaHasString(rec, META_STR_HTTP_METHOD)) metaSetString(rec, META_STR_HTTP_METHOD, p, methodLen);

  flags = (flags | S_REQUEST) & ~(S_REQ_ENDED | S_REQ_FROM_CLIENT);
  if (fromClient) flags |= S_REQ_FROM_CLIENT;
  resetLines();
  if (lineComplete) {
    readLines(rec, nextLine(le, end), end, true);
    noteUrl(rec, master, target, targetLen);
    if (!isConnect) {
      checkDotPath(rec, target, targetLen);
      checkUrlAttacks(rec, target, targetLen);
      setApp(rec, appOfTarget(target, targetLen));
    }
  }
  const result = <i32>noteRequestFields(rec, flags);
  if (lineComplete && startsWith(p, end, "GET ") && isMapleStoryRequest(target, targetLen, agentPtr, agentLen, hostPtr, hostLen)) {
    setDetected(rec, PROTO_MAPLESTORY, 0);
  }
  // After the host list named the application: the probe's category wins over the host's.
  if (lineComplete && !isConnect && isConnectivityCheckTarget(target, targetLen)) store<u16>(rec + FLOW_CATEGORY, CATEGORY_CONNECTIVITY_CHECK);
  return result;
}

/** Status code of a status line at p ("HTTP/1.x SP 3DIGIT", RFC 9112 §4), 0 when it is not one. */
function statusOf(p: usize, end: usize): u32 {
  // Only "HTTP/1." is checked, as nDPI does (the version digit may be anything).
  if (end - p < STATUS_LINE_MIN || !startsWith(p, end, "HTTP/1.") || <u32>load<u8>(p + 8) != SP) return 0;
  const a = <u32>load<u8>(p + 9), b = <u32>load<u8>(p + 10), c = <u32>load<u8>(p + 11);
  if (!isDigit(a) || !isDigit(b) || !isDigit(c)) return 0;
  if (end - p > STATUS_LINE_MIN) {
    const after = <u32>load<u8>(p + 12);
    if (after != SP && after != 0x0d && after != 0x0a) return 0;
  }
  return (a - 0x30) * 100 + (b - 0x30) * 10 + (c - 0x30);
}

/** A segment starting with a status line: status, Server, Content-Type and the first body bytes. */
function readResponse(rec: usize, p: usize, end: usize, status: u32): void {
  metaSetNumber(rec, META_NUM_HTTP_STATUS, status);
  checkStatus(rec, status);
  resetLines();
  readLines(rec, nextLine(lineEnd(p, end), end), end, false);
  // A later response replaces an earlier one's fields (a flow that began with a response).
  if (serverLen > 0) {
    metaSetString(rec, META_STR_HTTP_SERVER, serverPtr, capped(serverLen));
    checkServer(rec, serverPtr, serverLen);
    setApp(rec, appOfServer(serverPtr, serverLen));
  }
  let mediaLen: usize = 0;
  if (typeLen > 0) {
    mediaLen = mediaTypeLength(typePtr, typeLen);
    metaSetString(rec, META_STR_CONTENT_TYPE, typePtr, capped(mediaLen));
    setApp(rec, appOfMediaType(typePtr, mediaLen));
  }
  // A compressed body's first bytes say nothing about its type.
  const body = headersEnded && !encoded ? bodyPtr : end;
  checkResponseContent(rec, typePtr, mediaLen, status, body, end - body);
  if (dispositionLen > 0) noteDownload(rec);
}

/** Content-Disposition's filename parameter (RFC 6266 §4.1), quoted or a token. */
function noteDownload(rec: usize): void {
  const end = dispositionPtr + dispositionLen;
  const at = findNoCase(dispositionPtr, end, "filename=");
  if (at == 0) return;
  let name = at + 9;
  let nameEnd: usize;
  if (name < end && <u32>load<u8>(name) == 0x22) {
    name++;
    nameEnd = indexOf(name, end, 0x22);
  } else {
    nameEnd = trimOwsEnd(name, indexOf(name, end, 0x3b));
  }
  if (nameEnd > name) checkDownload(rec, name, nameEnd - name);
}

@inline function flowPackets(rec: usize): u32 {
  return <u32>(load<u64>(rec + FLOW_C2S_PACKETS) + load<u64>(rec + FLOW_S2C_PACKETS));
}

export function dissectHttp(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  let state = rec + FLOW_DISSECTOR_STATE;
  // Nothing is kept while undecided: the first HTTP segment decides. The state area is read
  // only once the flow is ours (only the owner is called then).
  const owned = load<u8>(rec + FLOW_DISSECTOR) != 0;
  let flags = owned ? load<u8>(state + STATE_FLAGS) : <u8>0;
  const started = (flags & (S_REQUEST | S_RESPONSE)) != 0;
  if (started && flowPackets(rec) - load<u32>(state + STATE_START_PACKETS) > EXTRA_PACKETS) return R_DONE;

  const methodLen = methodLength(p, end);
  const status = methodLen == 0 ? statusOf(p, end) : 0;
  if (!started) {
    if (startsWith(p, end, "PRI * HTTP/2.0")) {
      // RFC 9113 §3.4: prior-knowledge HTTP/2; the frames that follow are binary.
      setDetected(rec, PROTO_HTTP2, 0);
      return R_DONE;
    }
    if (methodLen == 0 && status == 0) return info.payloadLen < MIN_FIRST_SEGMENT ? R_MAYBE : R_NO;
  }

  let result = R_MATCH;
  if (methodLen > 0) {
    const next = readRequest(rec, p, end, methodLen, fromClient, flags);
    if (next < 0) {
      if (!started) return R_NO;
    } else {
      flags = <u8>next;
      // A tracker announce (BEP 3) is BitTorrent's, a launcher request MapleStory's; nDPI reads no further.
      if (<u32>load<u16>(rec + FLOW_APP_PROTO) == PROTO_BITTORRENT || <u32>load<u16>(rec + FLOW_MASTER_PROTO) == PROTO_MAPLESTORY) result = R_DONE;
    }
  } else if (status != 0) {
    if (!started) setDetected(rec, PROTO_HTTP, 0);
    readResponse(rec, p, end, status);
    if ((flags & S_REQUEST) != 0) result = R_DONE;
    flags |= S_RESPONSE;
  } else if ((flags & (S_REQUEST | S_REQ_ENDED)) == S_REQUEST && fromClient == ((flags & S_REQ_FROM_CLIENT) != 0)) {
    // More of the request's header section, split off by the segmentation.
    resetLines();
    readLines(rec, p, end, true);
    flags = noteRequestFields(rec, flags);
  }
  if (!started) {
    // The flow is HTTP from this segment on: the state area becomes ours.
    state = claimState(rec, STATE_TAG);
    store<u32>(state + STATE_START_PACKETS, flowPackets(rec));
  }
  store<u8>(state + STATE_FLAGS, flags);
  return result;
}
