// CryNetwork, the UDP game networking of CryEngine titles (nDPI's CryNetwork; crynet capture).
// The byte at 0 is the datagram length minus 10, and fixed fields follow: 0x01 at 16, 0x07 at 20
// and 0x0307 at 24-25 (bytes 3-4 vary between sessions: 08 ED, 0B F6 in the crynet capture).
// One datagram decides.
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_CRYNET } from "../classify/generated/protocols";

const CRY_MIN_LEN: u32 = 26;
const CRY_LENGTH_BIAS: u32 = 10;
const CRY_FLAG: usize = 16;
const CRY_KIND: usize = 20;
const CRY_MAGIC: usize = 24;
const CRY_MAGIC_VALUE: u32 = 0x0307;

export function detectCryNetwork(rec: usize): bool {
  const p = info.payloadPtr;
  const len = info.payloadLen;
  if (len < CRY_MIN_LEN || <u32>load<u8>(p) + CRY_LENGTH_BIAS != len) return false;
  if (load<u8>(p + CRY_FLAG) != 0x01 ||
      load<u8>(p + CRY_KIND) != 0x07 || be16(p + CRY_MAGIC) != CRY_MAGIC_VALUE) return false;
  setDetected(rec, PROTO_CRYNET, 0);
  return true;
}
