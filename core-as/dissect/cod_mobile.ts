// Call of Duty: Mobile (UDP; no public specification). As nDPI: a 12-byte ping whose last four
// bytes are "ping", on port 7500; or a game message over 350 bytes starting 0xCE that names a
// loadout ("LOC_PREFAB_LOADOUTNAME_1"), among the flow's first four payloads (codm.pcap).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { contains, startsWith } from "../util/ascii";
import { setDetected } from "../classify/classify";
import { PROTO_COD_MOBILE } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const PING_PORT: u32 = 7500;
const PING_LEN: usize = 12;
const PING_TEXT: usize = 8;
const GAME_MIN_LEN: usize = 351;
const GAME_KIND: u32 = 0xce;
const LAST_PAYLOAD: u32 = 4;

export function dissectCodMobile(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const end = p + len;
  const ping = len == PING_LEN && (info.srcPort == PING_PORT || info.dstPort == PING_PORT) && startsWith(p + PING_TEXT, end, "ping");
  const game = len >= GAME_MIN_LEN && <u32>load<u8>(p) == GAME_KIND && contains(p, end, "LOC_PREFAB_LOADOUTNAME_1");
  if (ping || game) {
    setDetected(rec, PROTO_COD_MOBILE, 0);
    return R_DONE;
  }
  return payloadPacketIndex(rec) < LAST_PAYLOAD ? R_MAYBE : R_NO;
}
