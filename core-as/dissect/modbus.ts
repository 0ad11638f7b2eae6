// Modbus/TCP (Modbus Messaging on TCP/IP Implementation Guide v1.0b §3.1.3) on TCP 502: each
// ADU starts with the MBAP header: transaction id (2), protocol id (2, 0 = Modbus), length (2,
// the bytes that follow: unit id and PDU), unit id (1); the PDU starts with a function code,
// 1-127 (a response with bit 7 set is an exception, Modbus Application Protocol v1.1b3 §7).
// The header is too plain to recognise elsewhere: off port 502 the flow is not looked at.
// One packet decides: no state.
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_MODBUS } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

const PORT_MODBUS: u32 = 502;
const MBAP_PROTOCOL: usize = 2;
const MBAP_LENGTH: usize = 4;
const MBAP_HEADER_LEN: usize = 7;
const MAX_ADUS: u32 = 16;

export function dissectModbus(rec: usize, fromClient: bool): i32 {
  if (info.srcPort != PORT_MODBUS && info.dstPort != PORT_MODBUS) return R_NO;
  let p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  // Every ADU in the segment must fit exactly: requests may be pipelined.
  for (let i: u32 = 0; i < MAX_ADUS && p < end; i++) {
    if (end - p < MBAP_HEADER_LEN + 1 || be16(p + MBAP_PROTOCOL) != 0) return R_NO;
    const length = <usize>be16(p + MBAP_LENGTH);
    // unit id + function code at least; a PDU is at most 253 bytes (§4.1).
    if (length < 2 || length > 254 || length + 6 > end - p) return R_NO;
    if ((<u32>load<u8>(p + MBAP_HEADER_LEN) & 0x7f) == 0) return R_NO;
    p += 6 + length;
  }
  if (p != end) return R_NO;
  setDetected(rec, PROTO_MODBUS, 0);
  return R_DONE;
}
