// Ethernet Global Data, GE's producer/consumer exchange for PLCs (UDP 18246). A production
// datagram carries a 32-byte header: PDU type 0x0D, version 0x01, request id, producer id,
// exchange id, timestamp (8), status, configuration signature and a reserved word, then the
// data. The port and that type and version decide.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_EGD } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const EGD_PORT: u32 = 18246;
const PDU_TYPE: usize = 0;
const VERSION: usize = 1;
const HEADER_LEN: usize = 32;
const TYPE_PRODUCTION: u8 = 0x0d;
const VERSION_1: u8 = 0x01;

export function dissectEgd(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP || (info.srcPort != EGD_PORT && info.dstPort != EGD_PORT)) return R_NO;
  const p = info.payloadPtr;
  if (<usize>info.payloadLen < HEADER_LEN || load<u8>(p + PDU_TYPE) != TYPE_PRODUCTION || load<u8>(p + VERSION) != VERSION_1) return R_NO;
  setDetected(rec, PROTO_EGD, 0);
  return R_DONE;
}
