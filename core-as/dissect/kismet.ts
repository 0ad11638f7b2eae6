// Kismet's client/server protocol (Kismet "legacy" server, TCP 2501): a line-oriented text
// protocol in which the server starts with the banner line "*KISMET: <version> <start time>
// <server name> ..." and then sends "*<SENTENCE>: ..." lines; clients send "!<id> <command>".
// The banner at the start of a packet decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_KISMET } from "../classify/generated/protocols";
import { startsWith } from "../util/ascii";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

export function dissectKismet(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  if (!startsWith(p, p + <usize>info.payloadLen, "*KISMET: ")) return R_NO;
  setDetected(rec, PROTO_KISMET, 0);
  return R_DONE;
}
