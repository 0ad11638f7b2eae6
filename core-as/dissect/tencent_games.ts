// Tencent's games (Honor of Kings, PUBG Mobile, Call of Duty Mobile's Tencent servers), TCP. No
// public specification: nDPI recognises the first payload, over 50 bytes, by one of five
// openings (big-endian words): 0x3366000B with 0x000B at offset 4; 0x4366AA00 with 0x10E68601
// at offset 12; 0xAA000000 with 0x10E68601 at offset 10; a zero word, the 16-bit length of the
// rest (payload - 4) and 0x7801 (a zlib stream's header); 0x4215F787 with two zero bytes at
// offset 6 (tencent_games.pcap).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be16, be32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_TENCENTGAMES } from "../classify/generated/protocols";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const MIN_LEN: usize = 51;
const SIGNATURE_10E68601: u32 = 0x10e68601;
const ZLIB_HEADER: u32 = 0x7801;

export function dissectTencentGames(rec: usize, fromClient: bool): i32 {
  const len = <usize>info.payloadLen;
  if (info.l4Proto != IPPROTO_TCP || len < MIN_LEN) return R_NO;
  if (!isTencentGames(info.payloadPtr, len)) return R_NO;
  setDetected(rec, PROTO_TENCENTGAMES, 0);
  return R_DONE;
}

function isTencentGames(p: usize, len: usize): bool {
  const first = be32(p);
  if (first == 0x3366000b) return be16(p + 4) == 0x000b;
  if (first == 0x4366aa00) return be32(p + 12) == SIGNATURE_10E68601;
  if (first == 0xaa000000) return be32(p + 10) == SIGNATURE_10E68601;
  if (first == 0x4215f787) return be16(p + 6) == 0;
  return be16(p) == 0 && <usize>be16(p + 2) == len - 4 && be16(p + 4) == ZLIB_HEADER;
}
