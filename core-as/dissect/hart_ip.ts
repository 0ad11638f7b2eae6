// HART-IP, the HART protocol over UDP and TCP (port 5094; FieldComm Group HCF_SPEC-085 §7).
// Every message starts with an 8-byte header: Version (1 or 2), Message Type (0 request,
// 1 response, 2 publish, 3 error, 15 NAK), Message ID (0 session initiate, 1 session close,
// 2 keep-alive, 3 token-passing PDU, 4 direct PDU, 5 read audit log), Status, Sequence Number
// (16 bits) and Byte Count (16 bits, the whole message, header included). A first message with
// such a header whose byte count is the datagram's decides; on TCP, where an 8-byte header
// with a length is common (Diameter's looks alike), only on port 5094.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_HART_IP } from "../classify/generated/protocols";
import { be16 } from "../util/bytes";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const HART_IP_PORT: u32 = 5094;
const VERSION: usize = 0;
const MESSAGE_TYPE: usize = 1;
const MESSAGE_ID: usize = 2;
const BYTE_COUNT: usize = 6;
const HEADER_LEN: usize = 8;
const MAX_MESSAGE_ID: u32 = 5;
const TYPE_NAK: u32 = 15;

export function dissectHartIp(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < HEADER_LEN) return R_NO;
  const version = <u32>load<u8>(p + VERSION);
  const type = <u32>load<u8>(p + MESSAGE_TYPE);
  if (version < 1 || version > 2 || (type > 3 && type != TYPE_NAK) || <u32>load<u8>(p + MESSAGE_ID) > MAX_MESSAGE_ID) return R_NO;
  const count = <usize>be16(p + BYTE_COUNT);
  if (info.l4Proto == IPPROTO_UDP) {
    if (count != len) return R_NO;
  } else if (count < HEADER_LEN || count > len || (info.srcPort != HART_IP_PORT && info.dstPort != HART_IP_PORT)) {
    return R_NO;
  }
  setDetected(rec, PROTO_HART_IP, 0);
  return R_DONE;
}
