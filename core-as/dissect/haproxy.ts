// The PROXY protocol of HAProxy (haproxy.org, doc/proxy-protocol.txt), which a load balancer
// sends at the start of a TCP connection before the client's own bytes, to pass the original
// addresses: version 1 is a text line "PROXY TCP4 | TCP6 | UNKNOWN ..." CRLF (§2.1); version 2
// starts with the 12-byte signature 0D 0A 0D 0A 00 0D 0A 51 55 49 54 0A, then the version 2 in
// the high nibble of the next byte (§2.2). Either at the start of the flow decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_HAPROXY } from "../classify/generated/protocols";
import { startsWith } from "../util/ascii";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const V2_SIGNATURE = "\r\n\r\n\0\r\nQUIT\n";
const V2_SIGNATURE_LEN: usize = 12;
const V2_HEADER_LEN: usize = 16;

export function dissectHaproxy(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP || !fromClient) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const end = p + len;
  const v1 = startsWith(p, end, "PROXY TCP4 ") || startsWith(p, end, "PROXY TCP6 ") || startsWith(p, end, "PROXY UNKNOWN");
  const v2 = len >= V2_HEADER_LEN && startsWith(p, end, V2_SIGNATURE) && (load<u8>(p + V2_SIGNATURE_LEN) & 0xf0) == 0x20;
  if (!v1 && !v2) return R_NO;
  setDetected(rec, PROTO_HAPROXY, 0);
  return R_DONE;
}
