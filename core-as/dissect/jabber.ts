// Jabber / XMPP over TCP (RFC 6120 §4.2): a client opens its stream with an optional XML
// declaration ("<?xml version=...") and a <stream:stream ...> element that declares the
// streams namespace, xmlns:stream='http://etherx.jabber.org/streams'. Either order of quotes.
// A stream addressed to im.truphone.com is TruPhone's service (nDPI's subprotocol).
//
// nDPI also names Jabber the binary push connections seen on TCP 5223 to Huawei's servers
// (jabber capture, cloudflare-warp capture). Their records are a type byte and a big-endian
// 16-bit length counting the whole record: the client opens with a 0x25 record, the server
// answers with 0x26, then both exchange 0x30 records. The flow is Jabber when that sequence
// is seen from its first payload on.
//
// Like nDPI, the dissector looks at the first payloads only: XML by the third, the binary
// sequence by the fifth.
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { startsWith } from "../util/ascii";
import { FLOW_DPI_PACKETS } from "../flow/record";
import { setDetected } from "../classify/classify";
import { PROTO_JABBER, PROTO_TRUPHONE } from "../classify/generated/protocols";
import { STATE_DATA, tryClaimState } from "./flow_state";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const XML_DECLARATION = "<?xml version=";
const STREAM_OPEN = "<stream:stream ";
/** Where the namespace search starts (as nDPI: past the declaration's first 13 bytes). */
const NAMESPACE_FROM: usize = 13;
const NS_SINGLE = "xmlns:stream='http://etherx.jabber.org/streams'";
const NS_DOUBLE = "xmlns:stream=\"http://etherx.jabber.org/streams\"";
const TRUPHONE_SINGLE = "='im.truphone.com'";
const TRUPHONE_DOUBLE = "=\"im.truphone.com\"";
/** nDPI waits for the XML stream over the first two payloads and gives up on the third. */
const XML_PAYLOADS: u32 = 3;
const BINARY_LAST_PAYLOAD: u32 = 5;

const REC_CLIENT_OPEN: u8 = 0x25;
const REC_SERVER_OPEN: u8 = 0x26;
const REC_DATA: u8 = 0x30;
const REC_LENGTH: usize = 1;
const REC_HEADER_LEN: u32 = 3;

/** State flags: the client's 0x25 record was the first payload; the server answered 0x26. */
const STATE_FLAGS: usize = STATE_DATA;
const SAW_CLIENT_OPEN: u8 = 1;
const SAW_SERVER_OPEN: u8 = 2;

export function dissectJabber(rec: usize, fromClient: bool, id: u32): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const payloads = <u32>load<u8>(rec + FLOW_DPI_PACKETS);
  if (payloads > BINARY_LAST_PAYLOAD) return R_NO;
  if (opensXmppStream(p, p + len)) {
    const truphone = contains(p + NAMESPACE_FROM, p + len, TRUPHONE_SINGLE) || contains(p + NAMESPACE_FROM, p + len, TRUPHONE_DOUBLE);
    setDetected(rec, truphone ? PROTO_TRUPHONE : PROTO_JABBER, 0);
    return R_DONE;
  }
  const progress = binaryProgress(rec, id, fromClient, payloads, p, len);
  if (progress == R_DONE) {
    setDetected(rec, PROTO_JABBER, 0);
    return R_DONE;
  }
  if (progress == R_MAYBE || payloads < XML_PAYLOADS) return R_MAYBE;
  return R_NO;
}

function opensXmppStream(p: usize, end: usize): bool {
  if (end - p <= NAMESPACE_FROM) return false;
  if (!startsWith(p, end, XML_DECLARATION) && !startsWith(p, end, STREAM_OPEN)) return false;
  return contains(p + NAMESPACE_FROM, end, NS_SINGLE) || contains(p + NAMESPACE_FROM, end, NS_DOUBLE);
}

function contains(p: usize, end: usize, lit: string): bool {
  const n = <usize>lit.length;
  for (let at = p; at + n <= end; at++) {
    if (startsWith(at, end, lit)) return true;
  }
  return false;
}

/** A record whose 16-bit length is at least its header and at most the payload. */
function isRecord(p: usize, len: usize, type: u8, exact: bool): bool {
  if (len < <usize>REC_HEADER_LEN || load<u8>(p) != type) return false;
  const declared = <usize>be16(p + REC_LENGTH);
  return exact ? declared == len : declared >= <usize>REC_HEADER_LEN && declared <= len;
}

/** R_DONE: the binary sequence is complete; R_MAYBE: under way; R_NO: not this sequence. */
function binaryProgress(rec: usize, id: u32, fromClient: bool, payloads: u32, p: usize, len: usize): i32 {
  const state = tryClaimState(rec, id);
  if (state == 0) return R_NO;
  const flags = load<u8>(state + STATE_FLAGS);
  if (payloads == 1) {
    if (!fromClient || !isRecord(p, len, REC_CLIENT_OPEN, true)) return R_NO;
    store<u8>(state + STATE_FLAGS, SAW_CLIENT_OPEN);
    return R_MAYBE;
  }
  if ((flags & SAW_CLIENT_OPEN) == 0) return R_NO;
  if ((flags & SAW_SERVER_OPEN) == 0) {
    if (!fromClient && isRecord(p, len, REC_SERVER_OPEN, true)) store<u8>(state + STATE_FLAGS, flags | SAW_SERVER_OPEN);
    // The client's open record may be sent again before the answer (retransmission).
    else if (!fromClient || !isRecord(p, len, REC_CLIENT_OPEN, true)) return R_NO;
    return R_MAYBE;
  }
  if (isRecord(p, len, REC_DATA, false)) return R_DONE;
  // A repeated open record in either direction keeps the sequence alive.
  return isRecord(p, len, fromClient ? REC_CLIENT_OPEN : REC_SERVER_OPEN, true) ? R_MAYBE : R_NO;
}
