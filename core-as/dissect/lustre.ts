// Lustre's network layer (LNet) over TCP, port 988 (Lustre source, lnet/include/uapi
// lnet-idl.h: the socket LND). A connection opens with the acceptor's request, magic
// LNET_PROTO_ACCEPTOR_MAGIC 0xACCE7100, then the socket LND hello with LNET_PROTO_TCP_MAGIC
// 0x45726963 ("Eric"), both little-endian on the wire; later messages start with a ksock
// message type (0xC0 NOOP, 0xC1 LNET) and three zero bytes. On port 988 one of those decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_LUSTRE } from "../classify/generated/protocols";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const LUSTRE_PORT: u32 = 988;
const ACCEPTOR_MAGIC: u32 = 0xacce7100;
const TCP_MAGIC: u32 = 0x45726963;
const KSOCK_MSG_NOOP: u32 = 0xc0;
const KSOCK_MSG_LNET: u32 = 0xc1;
const MIN_LEN: usize = 16;

export function dissectLustre(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP || (info.srcPort != LUSTRE_PORT && info.dstPort != LUSTRE_PORT)) return R_NO;
  const p = info.payloadPtr;
  if (<usize>info.payloadLen < MIN_LEN) return R_NO;
  const first = load<u32>(p); // little-endian, as LNet writes it
  if (first != ACCEPTOR_MAGIC && first != TCP_MAGIC && first != KSOCK_MSG_NOOP && first != KSOCK_MSG_LNET) return R_NO;
  setDetected(rec, PROTO_LUSTRE, 0);
  return R_DONE;
}
