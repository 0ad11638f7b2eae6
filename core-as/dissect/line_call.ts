// LINE's voice and video calls (LineCall): media relayed over UDP by LINE's own servers, in
// packets with an RTP-like first byte (version bits 2, or 3 in LINE's variant; RFC 3550
// §5.1 layout otherwise, payload encrypted). No public specification: the server's address in
// nDPI's LINE address list (flow/record.ts FLOW_IP_PROTO) and such a first packet decide.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_LINE, PROTO_LINE_CALL } from "../classify/generated/protocols";
import { FLOW_IP_PROTO } from "../flow/record";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const MIN_LEN: usize = 12;

export function dissectLineCall(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP || <u32>load<u16>(rec + FLOW_IP_PROTO) != PROTO_LINE) return R_NO;
  if (<usize>info.payloadLen < MIN_LEN) return R_NO;
  const version = <u32>load<u8>(info.payloadPtr) >> 6;
  if (version < 2) return R_NO;
  setDetected(rec, PROTO_LINE_CALL, 0);
  return R_DONE;
}
