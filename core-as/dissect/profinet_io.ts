// PROFINET IO's context management (IEC 61158-6-10 §4.10; PNIO-CM, UDP 34964) runs over DCE/RPC
// connectionless (The Open Group DCE 1.1 RPC, ch. 12: an 80-byte header, RPC version 4, packet
// type 0..10, flags, the data representation (byte 4: 0x10 little-endian integers, 0x00 big),
// then the object, interface and activity UUIDs). A datagram whose interface UUID is one of
// PROFINET IO's (DEA0000x-6C97-11D1-8271-00A02442DF7D: x = 1 device, 2 controller, 3
// supervisor, 4 parameter server) is nDPI's DCERPC.PROFINET_IO.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_DCERPC, PROTO_PROFINET_IO } from "../classify/generated/protocols";
import { be16, be32, le16, le32 } from "../util/bytes";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const RPC_VERSION: usize = 0;
const PACKET_TYPE: usize = 1;
const DATA_REP: usize = 4;
const INTERFACE_UUID: usize = 24;
const HEADER_LEN: usize = 80;
const CL_VERSION: u8 = 4;
const MAX_PACKET_TYPE: u8 = 10;
const LITTLE_ENDIAN: u32 = 0x10;

// PROFINET IO interface UUIDs: time_low DEA0000x, time_mid 6C97, time_hi 11D1, then the bytes.
const TIME_LOW_BASE: u32 = 0xdea00000;
const TIME_MID: u32 = 0x6c97;
const TIME_HI: u32 = 0x11d1;
const CLOCK_AND_NODE_HI: u32 = 0x827100a0; // 82 71 00 A0
const NODE_LO: u32 = 0x2442df7d; // 24 42 DF 7D

export function dissectProfinetIo(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  if (<usize>info.payloadLen < HEADER_LEN || load<u8>(p + RPC_VERSION) != CL_VERSION || load<u8>(p + PACKET_TYPE) > MAX_PACKET_TYPE) return R_NO;
  const little = (<u32>load<u8>(p + DATA_REP) & 0xf0) == LITTLE_ENDIAN;
  const uuid = p + INTERFACE_UUID;
  const timeLow = little ? le32(uuid) : be32(uuid);
  const timeMid = little ? le16(uuid + 4) : be16(uuid + 4);
  const timeHi = little ? le16(uuid + 6) : be16(uuid + 6);
  if ((timeLow & 0xfffffff0) != TIME_LOW_BASE || (timeLow & 0x0f) < 1 || (timeLow & 0x0f) > 4) return R_NO;
  if (timeMid != TIME_MID || timeHi != TIME_HI || be32(uuid + 8) != CLOCK_AND_NODE_HI || be32(uuid + 12) != NODE_LO) return R_NO;
  setDetected(rec, PROTO_DCERPC, PROTO_PROFINET_IO);
  return R_DONE;
}
