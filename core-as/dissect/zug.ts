// ZUG, the consensus protocol of the Casper network (UDP): messages start with the bytes
// 0x00 "zUG" and a 0x10 byte (nDPI's ZUG; zug capture). One datagram decides.
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_ZUG } from "../classify/generated/protocols";

const ZUG_MAGIC: u32 = 0x007a5547; // 00 'z' 'U' 'G'
const ZUG_KIND: usize = 4;
const ZUG_KIND_VALUE: u8 = 0x10;
const ZUG_MIN_LEN: u32 = 5;

export function detectZug(rec: usize): bool {
  const p = info.payloadPtr;
  if (info.payloadLen < ZUG_MIN_LEN || be32(p) != ZUG_MAGIC || load<u8>(p + ZUG_KIND) != ZUG_KIND_VALUE) return false;
  setDetected(rec, PROTO_ZUG, 0);
  return true;
}
