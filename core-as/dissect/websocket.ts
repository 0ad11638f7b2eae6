// WebSocket frames (RFC 6455 §5.2) on a TCP connection whose HTTP opening handshake was not seen
// (the HTTP dissector names flows that start with the Upgrade request). A frame starts with
// FIN, three reserved bits (0 without extensions), the opcode (1 text, 2 binary, 8 close,
// 9 ping, 10 pong), then MASK and the 7-bit payload length (126: 16-bit length follows, 127:
// 64-bit), the 4-byte masking key when MASK is set, and the payload. A packet that is exactly one
// whole final frame of those opcodes decides (control frames carry at most 125 bytes, §5.5).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_WEBSOCKET } from "../classify/generated/protocols";
import { be16, be32 } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const FIN: u32 = 0x80;
const RSV_BITS: u32 = 0x70;
const OPCODE_MASK: u32 = 0x0f;
const MASK_BIT: u32 = 0x80;
const LEN_MASK: u32 = 0x7f;
const LEN_16: u32 = 126;
const LEN_64: u32 = 127;
const MASKING_KEY_LEN: usize = 4;
const MAX_CONTROL_PAYLOAD: usize = 125;

export function dissectWebsocket(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < 2) return R_NO;
  const first = <u32>load<u8>(p);
  const opcode = first & OPCODE_MASK;
  if ((first & FIN) == 0 || (first & RSV_BITS) != 0 || !isOpcode(opcode)) return R_NO;
  const second = <u32>load<u8>(p + 1);
  let header: usize = 2;
  let payload: usize = <usize>(second & LEN_MASK);
  if (payload == <usize>LEN_16) {
    if (len < 4) return R_NO;
    payload = <usize>be16(p + 2);
    header = 4;
  } else if (payload == <usize>LEN_64) {
    if (len < 10 || be32(p + 2) != 0) return R_NO;
    payload = <usize>be32(p + 6);
    header = 10;
  }
  if ((second & MASK_BIT) != 0) header += MASKING_KEY_LEN;
  if (opcode >= 8 && payload > MAX_CONTROL_PAYLOAD) return R_NO;
  if (payload == 0 && opcode < 8) return R_NO; // an empty data frame says too little
  if (header > len || len - header != payload) return R_NO;
  setDetected(rec, PROTO_WEBSOCKET, 0);
  return R_DONE;
}

@inline function isOpcode(opcode: u32): bool {
  return opcode == 1 || opcode == 2 || (opcode >= 8 && opcode <= 10);
}
