// NetEase's games (Lost Light, Badlanders, Naraka: Bladepoint), UDP. No public specification:
// nDPI recognises the first payload by one of three shapes: a 12-byte datagram from the client
// with 0x01 first, 0x01D0 at offset 2 and 0x01010100 at offset 8 (little-endian); 30 bytes or
// more starting 0xB3AF8DE8 (big-endian, Lost Light); over 30 bytes starting 0x0C080807
// (little-endian, Naraka) (netease_games.pcapng).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be32, le16, le32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_NETEASE_GAMES } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const HELLO_LEN: usize = 12;
const HELLO_KIND: u32 = 0x01;
const HELLO_TAG: usize = 2;
const HELLO_TAG_VALUE: u32 = 0x01d0;
const HELLO_TAIL: usize = 8;
const HELLO_TAIL_VALUE: u32 = 0x01010100;
const LOST_LIGHT_MIN_LEN: usize = 30;
const LOST_LIGHT_MAGIC: u32 = 0xb3af8de8;
const NARAKA_MIN_LEN: usize = 31;
const NARAKA_MAGIC: u32 = 0x0c080807;

export function dissectNeteaseGames(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const hello = len == HELLO_LEN && fromClient && <u32>load<u8>(p) == HELLO_KIND &&
    le16(p + HELLO_TAG) == HELLO_TAG_VALUE && le32(p + HELLO_TAIL) == HELLO_TAIL_VALUE;
  const lostLight = len >= LOST_LIGHT_MIN_LEN && be32(p) == LOST_LIGHT_MAGIC;
  const naraka = len >= NARAKA_MIN_LEN && le32(p) == NARAKA_MAGIC;
  if (!hello && !lostLight && !naraka) return R_NO;
  setDetected(rec, PROTO_NETEASE_GAMES, 0);
  return R_DONE;
}
