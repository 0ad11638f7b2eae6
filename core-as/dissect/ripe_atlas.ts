// RIPE Atlas probes' UDP measurement packets (the "Magellan" tool): a 25-byte payload that
// starts with "MGLNDD" (nDPI's RipeAtlas). One datagram decides.
import * as info from "../decode/packet_info";
import { startsWith } from "../util/ascii";
import { setDetected } from "../classify/classify";
import { PROTO_RIPE_ATLAS } from "../classify/generated/protocols";

const ATLAS_PAYLOAD_LEN: u32 = 25;
const ATLAS_MAGIC = "MGLNDD";

export function detectRipeAtlas(rec: usize): bool {
  const p = info.payloadPtr;
  if (info.payloadLen != ATLAS_PAYLOAD_LEN || !startsWith(p, p + <usize>info.payloadLen, ATLAS_MAGIC)) return false;
  setDetected(rec, PROTO_RIPE_ATLAS, 0);
  return true;
}
