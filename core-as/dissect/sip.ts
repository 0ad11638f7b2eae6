// SIP (RFC 3261) on any port, UDP or TCP. A message starts with a Status-Line, "SIP/2.0" SP
// Status-Code (§7.2), or a Request-Line, Method SP Request-URI (§7.1) whose URI is a sip:,
// sips: (§19.1) or tel: (RFC 3966) URI. Methods: RFC 3261's six and the extensions' PRACK
// (RFC 3262), SUBSCRIBE and NOTIFY (RFC 6665), PUBLISH (RFC 3903), INFO (RFC 6086), REFER
// (RFC 3515), MESSAGE (RFC 3428) and UPDATE (RFC 3311). CRLF keep-alives (RFC 5626 §3.5.1)
// are skipped. One message decides the flow; on ports 5060/5061 a few are read before giving up.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { u8at } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_SIP } from "../classify/generated/protocols";
import { FLOW_DPI_PACKETS } from "../flow/record";
import { R_DONE, R_MAYBE, R_NO } from "./result";

/** Packets of a flow on SIP's ports read before giving up. */
const SIP_PORT_PACKETS: u32 = 4;

/** The method names, each followed by the SP that ends it, concatenated; lengths below. */
const METHODS: usize = memory.data<u8>([
  // "INVITE " "ACK " "OPTIONS " "BYE " "CANCEL " "REGISTER " "PRACK " "SUBSCRIBE " "NOTIFY "
  // "PUBLISH " "INFO " "REFER " "MESSAGE " "UPDATE "
  0x49, 0x4e, 0x56, 0x49, 0x54, 0x45, 0x20,
  0x41, 0x43, 0x4b, 0x20,
  0x4f, 0x50, 0x54, 0x49, 0x4f, 0x4e, 0x53, 0x20,
  0x42, 0x59, 0x45, 0x20,
  0x43, 0x41, 0x4e, 0x43, 0x45, 0x4c, 0x20,
  0x52, 0x45, 0x47, 0x49, 0x53, 0x54, 0x45, 0x52, 0x20,
  0x50, 0x52, 0x41, 0x43, 0x4b, 0x20,
  0x53, 0x55, 0x42, 0x53, 0x43, 0x52, 0x49, 0x42, 0x45, 0x20,
  0x4e, 0x4f, 0x54, 0x49, 0x46, 0x59, 0x20,
  0x50, 0x55, 0x42, 0x4c, 0x49, 0x53, 0x48, 0x20,
  0x49, 0x4e, 0x46, 0x4f, 0x20,
  0x52, 0x45, 0x46, 0x45, 0x52, 0x20,
  0x4d, 0x45, 0x53, 0x53, 0x41, 0x47, 0x45, 0x20,
  0x55, 0x50, 0x44, 0x41, 0x54, 0x45, 0x20,
]);
const METHOD_LENGTHS: usize = memory.data<u8>([7, 4, 8, 4, 7, 9, 6, 10, 7, 8, 5, 6, 8, 7]);
const METHOD_COUNT: usize = 14;

/** "SIP/2.0 " */
const STATUS_PREFIX: usize = memory.data<u8>([0x53, 0x49, 0x50, 0x2f, 0x32, 0x2e, 0x30, 0x20]);
const STATUS_PREFIX_LEN: usize = 8;

@inline function lower(c: u32): u32 { return c - 0x41 < 26 ? c + 0x20 : c; }

function startsWith(p: usize, end: usize, text: usize, len: usize): bool {
  if (end - p < len) return false;
  for (let i: usize = 0; i < len; i++) if (u8at(p + i) != u8at(text + i)) return false;
  return true;
}

/** A sip:, sips: or tel: URI scheme at p (schemes are case-insensitive, RFC 3261 §19.1.4). */
function isSipUri(p: usize, end: usize): bool {
  if (end - p < 4) return false;
  const a = lower(u8at(p)), b = lower(u8at(p + 1)), c = lower(u8at(p + 2)), d = u8at(p + 3);
  if (a == 0x73 && b == 0x69 && c == 0x70) return d == 0x3a || (lower(d) == 0x73 && end - p > 4 && u8at(p + 4) == 0x3a);
  return a == 0x74 && b == 0x65 && c == 0x6c && d == 0x3a;
}

export function dissectSip(rec: usize, fromClient: bool): i32 {
  // On SIP's ports a damaged first message does not end the search (nDPI reads a few).
  const onSipPort = isSipPort(info.srcPort) || isSipPort(info.dstPort);
  const patience = onSipPort && <u32>load<u8>(rec + FLOW_DPI_PACKETS) < SIP_PORT_PACKETS ? R_MAYBE : R_NO;
  let p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  while (p < end && (u8at(p) == 0x0d || u8at(p) == 0x0a)) p++;
  if (p == end) return R_MAYBE;
  if (startsWith(p, end, STATUS_PREFIX, STATUS_PREFIX_LEN)) {
    setDetected(rec, PROTO_SIP, 0);
    return R_DONE;
  }
  let method = METHODS;
  for (let i: usize = 0; i < METHOD_COUNT; i++) {
    const len = <usize>load<u8>(METHOD_LENGTHS + i);
    if (startsWith(p, end, method, len)) {
      if (!isSipUri(p + len, end)) return patience;
      setDetected(rec, PROTO_SIP, 0);
      return R_DONE;
    }
    method += len;
  }
  return patience;
}

/** 5060 and 5061 (SIP over TLS), RFC 3261 §19.1.2. */
@inline function isSipPort(port: u32): bool { return port == 5060 || port == 5061; }
