// Heroes of the Storm, Blizzard's game, on Blizzard's UDP game ports 1119 and 3724. No public
// specification: every datagram of its game sessions carries a 16-bit field at offset 14
// holding 0x4000 or 0x4010 (a flags word, observed in both directions). On those ports a
// datagram of at least 20 bytes with it decides (nDPI's Heroes_of_the_Storm; Battle.net's other
// UDP exchanges there are a few bytes long).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_HOTS } from "../classify/generated/protocols";
import { be16 } from "../util/bytes";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const FLAGS: usize = 14;
const MIN_LEN: usize = 20;

export function dissectHeroesOfTheStorm(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP || (!isBlizzardPort(info.srcPort) && !isBlizzardPort(info.dstPort))) return R_NO;
  if (<usize>info.payloadLen < MIN_LEN) return R_NO;
  const flags = be16(info.payloadPtr + FLAGS);
  if (flags != 0x4000 && flags != 0x4010) return R_NO;
  setDetected(rec, PROTO_HOTS, 0);
  return R_DONE;
}

@inline function isBlizzardPort(port: u32): bool {
  return port == 1119 || port == 3724;
}
