// UltraSurf, a censorship-circumvention proxy (TCP). No public specification: as nDPI, the flow's
// first payload starts with the eight bytes CC 1C 30 41 5B A4 38 66 (ultrasurf.pcap).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_ULTRASURF } from "../classify/generated/protocols";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const MIN_LEN: usize = 8;
const MAGIC_HIGH: u32 = 0xcc1c3041;
const MAGIC_LOW: u32 = 0x5ba43866;

export function dissectUltrasurf(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  if (info.l4Proto != IPPROTO_TCP || <usize>info.payloadLen < MIN_LEN || be32(p) != MAGIC_HIGH || be32(p + 4) != MAGIC_LOW) return R_NO;
  setDetected(rec, PROTO_ULTRASURF, 0);
  return R_DONE;
}
