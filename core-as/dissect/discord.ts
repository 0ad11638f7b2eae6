// Discord's voice connections (UDP; no public specification beyond Discord's developer
// documentation of "IP discovery"). The client asks its public address with a 74-byte packet:
// type 0x0001, length 70, the SSRC, then the address field; the voice server answers with type
// 0x0002 and the client's address as text. Both sides also send 8-byte keep-alives that start
// 0x1337CAFE. As nDPI, a keep-alive among the flow's first five payloads, or the discovery
// answer as its second payload, decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_DISCORD } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const KEEPALIVE_LEN: usize = 8;
const KEEPALIVE_MAGIC: u32 = 0x1337cafe;
const DISCOVERY_LEN: usize = 74;
const DISCOVERY_ANSWER: u32 = 0x00020046;
const ANSWER_PAYLOAD: u32 = 2;
const LAST_PAYLOAD: u32 = 5;

export function dissectDiscord(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const index = payloadPacketIndex(rec);
  if (index > LAST_PAYLOAD) return R_NO;
  const keepalive = len == KEEPALIVE_LEN && be32(p) == KEEPALIVE_MAGIC;
  const answer = len == DISCOVERY_LEN && index == ANSWER_PAYLOAD && be32(p) == DISCOVERY_ANSWER;
  if (keepalive || answer) {
    setDetected(rec, PROTO_DISCORD, 0);
    return R_DONE;
  }
  return index < LAST_PAYLOAD ? R_MAYBE : R_NO;
}
