// Elasticsearch transport protocol (node-to-node, TCP 9300). Each message starts with the two
// bytes "ES" and a big-endian 32-bit length of what follows (Elasticsearch TcpHeader). The
// first segment decides, and must hold at least one whole message (nDPI asks the same).
import * as info from "../decode/packet_info";
import { be16, be32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_ELASTICSEARCH } from "../classify/generated/protocols";

const ES_MARKER: u32 = 0x4553; // "ES"
const ES_LENGTH: usize = 2;
const ES_HEADER_LEN: u32 = 6;

export function detectElasticsearch(rec: usize): bool {
  const p = info.payloadPtr;
  const len = info.payloadLen;
  if (len < ES_HEADER_LEN || be16(p) != ES_MARKER) return false;
  // u64 so that a length near 2^32 cannot wrap past the check.
  if (<u64>len < <u64>be32(p + ES_LENGTH) + <u64>ES_HEADER_LEN) return false;
  setDetected(rec, PROTO_ELASTICSEARCH, 0);
  return true;
}
