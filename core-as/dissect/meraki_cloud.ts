// Cisco Meraki devices' tunnel to the Meraki cloud (UDP 7351): every datagram, both ways, starts
// with the four bytes FE F7 28 91. On that port those bytes decide (nDPI's MerakiCloud).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_MERAKI_CLOUD } from "../classify/generated/protocols";
import { be32 } from "../util/bytes";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const MERAKI_PORT: u32 = 7351;
const MAGIC: u32 = 0xfef72891;
const MIN_LEN: usize = 8;

export function dissectMerakiCloud(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP || (info.srcPort != MERAKI_PORT && info.dstPort != MERAKI_PORT)) return R_NO;
  if (<usize>info.payloadLen < MIN_LEN || be32(info.payloadPtr) != MAGIC) return R_NO;
  setDetected(rec, PROTO_MERAKI_CLOUD, 0);
  return R_DONE;
}
