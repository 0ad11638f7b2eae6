// CNP/IP, the LonWorks control network protocol tunnelled over IP (ISO/IEC 14908-4, UDP 1628 and
// 1629). Every packet starts with a common header: Data Packet Length (16 bits, the whole
// packet), Version (1), Packet Type, Extended Header Size, Protocol Flags, Vendor Code, Session
// ID, Sequence Number and Timestamp. On its ports, a packet whose length field is the datagram's
// and whose version is 1 decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_CNP_IP } from "../classify/generated/protocols";
import { be16 } from "../util/bytes";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const DATA_PORT: u32 = 1628;
const CONFIG_PORT: u32 = 1629;
const PACKET_LENGTH: usize = 0;
const VERSION: usize = 2;
const PACKET_TYPE: usize = 3;
const HEADER_LEN: usize = 20;
const VERSION_1: u8 = 0x01;

export function dissectCnpIp(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP || !onPort(info.srcPort) && !onPort(info.dstPort)) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < HEADER_LEN || <usize>be16(p + PACKET_LENGTH) != len || load<u8>(p + VERSION) != VERSION_1 || load<u8>(p + PACKET_TYPE) == 0) return R_NO;
  setDetected(rec, PROTO_CNP_IP, 0);
  return R_DONE;
}

@inline function onPort(port: u32): bool {
  return port == DATA_PORT || port == CONFIG_PORT;
}
