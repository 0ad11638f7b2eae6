// World of Warcraft's world-server connection (TCP, 3724 and others). Its first message is a
// greeting in clear: a 16-bit big-endian length, then the NUL-terminated text "WORLD OF
// WARCRAFT CONNECTION - SERVER TO CLIENT" (the client answers "... - CLIENT TO SERVER";
// newer servers append " - V2"), that many bytes. The flow's first payload decides, from
// either side (wow.pcap: nDPI's WorldOfWarcraft).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { startsWith } from "../util/ascii";
import { setDetected } from "../classify/classify";
import { PROTO_WORLDOFWARCRAFT } from "../classify/generated/protocols";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const GREETING_LENGTH_SIZE: usize = 2;
const GREETING_PREFIX = "WORLD OF WARCRAFT CONNECTION - ";

export function dissectWorldOfWarcraft(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (info.l4Proto != IPPROTO_TCP || len < GREETING_LENGTH_SIZE) return R_NO;
  // The length counts the text; it may end in a later segment but never before this one does.
  if (<usize>be16(p) < len - GREETING_LENGTH_SIZE || !startsWith(p + GREETING_LENGTH_SIZE, p + len, GREETING_PREFIX)) return R_NO;
  setDetected(rec, PROTO_WORLDOFWARCRAFT, 0);
  return R_DONE;
}
