// Spotify. Two signatures, one payload each:
// - UDP: the desktop client's LAN discovery broadcast, from and to port 57621, starting with
//   "SpotUdp".
// - TCP: the access-point connection opens with the client's hello: a big-endian 16-bit
//   version (4), a big-endian 32-bit length counting the whole message, then a protobuf
//   ClientHello whose first field is build_info (field 10, length-delimited: tag 0x52) whose
//   own first field is product (field 10, varint: tag 0x50).
import * as info from "../decode/packet_info";
import { be16, be32 } from "../util/bytes";
import { startsWith } from "../util/ascii";
import { setDetected } from "../classify/classify";
import { PROTO_SPOTIFY } from "../classify/generated/protocols";

const SPOTIFY_DISCOVERY_PORT: u32 = 57621;
const SPOTIFY_DISCOVERY_MAGIC = "SpotUdp";
const AP_VERSION_VALUE: u32 = 0x0004;
const AP_LENGTH: usize = 2;
const AP_BUILD_INFO_TAG: usize = 6;
const AP_PRODUCT_TAG: usize = 8;
const AP_MIN_LEN: u32 = 9;

export function detectSpotifyUdp(rec: usize): bool {
  const p = info.payloadPtr;
  if (info.srcPort != SPOTIFY_DISCOVERY_PORT || info.dstPort != SPOTIFY_DISCOVERY_PORT) return false;
  if (!startsWith(p, p + <usize>info.payloadLen, SPOTIFY_DISCOVERY_MAGIC)) return false;
  setDetected(rec, PROTO_SPOTIFY, 0);
  return true;
}

export function detectSpotifyTcp(rec: usize): bool {
  const p = info.payloadPtr;
  const len = info.payloadLen;
  if (len < AP_MIN_LEN || be16(p) != AP_VERSION_VALUE || be32(p + AP_LENGTH) != len) return false;
  if (load<u8>(p + AP_BUILD_INFO_TAG) != 0x52 || load<u8>(p + AP_PRODUCT_TAG) != 0x50) return false;
  setDetected(rec, PROTO_SPOTIFY, 0);
  return true;
}
