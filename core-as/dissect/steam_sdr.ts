// Valve's Steam Datagram Relay (Steamworks "Steam Datagram Relay"; relays on UDP 27015-27200):
// clients measure their latency to the relays with ping datagrams whose bytes 2..7 are the
// ASCII text "sdping" (after a one-byte type and a flags byte). That text decides (nDPI's
// SteamDatagramRelay).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_VALVE_SDR } from "../classify/generated/protocols";
import { startsWith } from "../util/ascii";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const PING_TEXT_AT: usize = 2;
const MIN_LEN: usize = 16;

export function dissectSteamSdr(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < MIN_LEN || !startsWith(p + PING_TEXT_AT, p + len, "sdping")) return R_NO;
  setDetected(rec, PROTO_VALVE_SDR, 0);
  return R_DONE;
}
