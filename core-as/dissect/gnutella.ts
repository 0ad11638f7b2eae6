// Gnutella (v0.6 and its UDP extensions) and Gnutella2's UDP transport.
//
// TCP: a connection opens with the handshake (spec v0.6 §3.2): "GNUTELLA CONNECT/<version>"
// from the connecting servent, "GNUTELLA/0.6 <code>" (v0.4: "GNUTELLA OK") back. The
// connecting servent's User-Agent header is kept, as nDPI shows it.
// UDP: a datagram with the G2 transceiver header ("GND"), or a Gnutella message of payload
// type 0x44 (DHT) whose header length agrees with the datagram.
//
// The first payload packet decides, as in nDPI: its results (gnutella.pcap) leave flows that
// start with a UDP ping (type 0x00) undetected even when DHT messages follow, so pings and
// other message types are not taken as evidence.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { IPPROTO_TCP } from "../wire/transport";
import { setDetected } from "../classify/classify";
import { PROTO_GNUTELLA } from "../classify/generated/protocols";
import { lineEnd, nextLine, skipBlanks, startsWith, startsWithCi } from "../util/ascii";
import {
  G2_UDP_COUNT, G2_UDP_HEADER_LEN, G2_UDP_PART, G2_UDP_TAG, GNUTELLA_CONNECT, GNUTELLA_HEADER_LEN, GNUTELLA_OK,
  GNUTELLA_RESPONSE, GNUTELLA_TYPE_DHT, GNUTELLA_USER_AGENT, gnutellaPayloadLength, gnutellaType,
} from "../wire/gnutella";
import { META_STR_USER_AGENT, metaSetString } from "./meta";
import { R_DONE, R_NO } from "./result";

/** Header lines looked at for the User-Agent. */
const MAX_HEADER_LINES: u32 = 64;
const MAX_USER_AGENT: usize = 256;

export function dissectGnutella(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (info.l4Proto == IPPROTO_TCP) {
    if (startsWith(p, end, GNUTELLA_CONNECT)) {
      setDetected(rec, PROTO_GNUTELLA, 0);
      keepUserAgent(rec, p, end);
      return R_DONE;
    }
    if (startsWith(p, end, GNUTELLA_RESPONSE) || startsWith(p, end, GNUTELLA_OK)) {
      setDetected(rec, PROTO_GNUTELLA, 0);
      return R_DONE;
    }
    return R_NO;
  }
  if (isG2Datagram(p, end) || isDhtMessage(p, end)) {
    setDetected(rec, PROTO_GNUTELLA, 0);
    return R_DONE;
  }
  return R_NO;
}

/** "GND", then a part number from 1 to the part count (count 0: an acknowledgement). */
function isG2Datagram(p: usize, end: usize): bool {
  if (end - p < G2_UDP_HEADER_LEN || !startsWith(p, end, G2_UDP_TAG)) return false;
  const part = <u32>load<u8>(p + G2_UDP_PART);
  const count = <u32>load<u8>(p + G2_UDP_COUNT);
  return part >= 1 && (count == 0 || part <= count);
}

/** A whole Gnutella message of payload type DHT: header and payload length fill the datagram. */
function isDhtMessage(p: usize, end: usize): bool {
  if (end - p < GNUTELLA_HEADER_LEN) return false;
  return gnutellaType(p) == GNUTELLA_TYPE_DHT &&
    <usize>gnutellaPayloadLength(p) == end - p - GNUTELLA_HEADER_LEN;
}

/** The User-Agent header of the handshake's header lines (v0.6 §3.2, HTTP-style lines). */
function keepUserAgent(rec: usize, p: usize, end: usize): void {
  let line = nextLine(p, end);
  for (let i: u32 = 0; i < MAX_HEADER_LINES && line < end; i++) {
    const eol = lineEnd(line, end);
    if (eol == line) return; // the empty line ends the headers
    if (startsWithCi(line, eol, GNUTELLA_USER_AGENT)) {
      const value = skipBlanks(line + <usize>GNUTELLA_USER_AGENT.length, eol);
      const len = eol - value;
      metaSetString(rec, META_STR_USER_AGENT, value, len < MAX_USER_AGENT ? len : MAX_USER_AGENT);
      return;
    }
    line = nextLine(line, end);
  }
}
