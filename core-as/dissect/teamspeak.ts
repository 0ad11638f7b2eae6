// TeamSpeak 3 voice servers (UDP 9987). A client opens the connection with the "init1"
// handshake, the one packet whose 8-byte MAC field is the ASCII text "TS3INIT1" (client
// header: MAC, packet id, client id, then the packet type, 8 = Init1, with the unencrypted
// flag 0x80): that text at the start of a datagram decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_TEAMSPEAK } from "../classify/generated/protocols";
import { startsWith } from "../util/ascii";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const INIT_MAC = "TS3INIT1";
const TYPE: usize = 12;
const TYPE_MASK: u32 = 0x0f;
const TYPE_INIT1: u32 = 8;
const HEADER_LEN: usize = 13;

export function dissectTeamspeak(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < HEADER_LEN || !startsWith(p, p + len, INIT_MAC) || (<u32>load<u8>(p + TYPE) & TYPE_MASK) != TYPE_INIT1) return R_NO;
  setDetected(rec, PROTO_TEAMSPEAK, 0);
  return R_DONE;
}
