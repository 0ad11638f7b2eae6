// Monero's peer-to-peer network (TCP 18080; the Levin protocol of the CryptoNote/Monero source,
// contrib/epee levin_base.h). Every message starts with a 33-byte header: the signature
// 0x0101010101012101 (8 bytes, little-endian, so 01 21 01 01 01 01 01 01 on the wire), the body
// size (8), have-to-return (1), command (4), return code (4), flags (4) and protocol version (4).
// The signature at the start of a message decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_MONERO } from "../classify/generated/protocols";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const LEVIN_SIGNATURE: u64 = 0x0101010101012101;
const HEADER_LEN: usize = 33;

export function dissectMonero(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  if (<usize>info.payloadLen < HEADER_LEN || load<u64>(p) != LEVIN_SIGNATURE) return R_NO;
  setDetected(rec, PROTO_MONERO, 0);
  return R_DONE;
}
