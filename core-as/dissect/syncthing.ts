// Syncthing's local discovery (Syncthing documentation, "Local Discovery Protocol v4"): devices
// announce themselves by UDP broadcast / multicast to port 21027 with a packet that starts with
// the magic 0x2EA7D90B (big-endian) followed by a protobuf Announce message. The magic decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_SYNCTHING } from "../classify/generated/protocols";
import { be32 } from "../util/bytes";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const ANNOUNCE_MAGIC: u32 = 0x2ea7d90b;
const MIN_LEN: usize = 8;

export function dissectSyncthing(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP || <usize>info.payloadLen < MIN_LEN || be32(info.payloadPtr) != ANNOUNCE_MAGIC) return R_NO;
  setDetected(rec, PROTO_SYNCTHING, 0);
  return R_DONE;
}
