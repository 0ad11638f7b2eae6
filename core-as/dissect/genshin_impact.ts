// Genshin Impact (miHoYo) game traffic over UDP (KCP-based). The client opens with a 20-byte
// handshake: 0x000000FF, 0x00000000, a 4-byte token, 0x499602D2 (1234567890) and 0xFFFFFFFF
// (big-endian words). Only the flow's first payload is looked at.
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_GENSHIN_IMPACT } from "../classify/generated/protocols";

const GI_MIN_LEN: u32 = 20;
const GI_OPEN: u32 = 0x000000ff;
const GI_MAGIC: usize = 12;
const GI_MAGIC_VALUE: u32 = 0x499602d2;
const GI_END: usize = 16;

export function detectGenshinImpact(rec: usize): bool {
  const p = info.payloadPtr;
  if (info.payloadLen < GI_MIN_LEN || be32(p) != GI_OPEN || be32(p + 4) != 0) return false;
  if (be32(p + GI_MAGIC) != GI_MAGIC_VALUE || be32(p + GI_END) != 0xffffffff) return false;
  setDetected(rec, PROTO_GENSHIN_IMPACT, 0);
  return true;
}
