// AMQP 0-9-1 (AMQP 0-9-1 specification §4.2.2, §4.2.3), over TCP (5672). A connection opens with
// the protocol header "AMQP" 0 0 9 1; then every frame is: type (1 method, 2 content header,
// 3 content body, 8 heartbeat), channel (16 bits), payload size (32 bits), the payload and the
// frame-end octet 0xCE. Method and header frames start with a class id (§1.4: 10 connection,
// 20 channel, 30 access, 40 exchange, 50 queue, 60 basic, 85 confirm, 90 tx). A packet that
// starts with the protocol header, or with a whole frame of a known kind ended by 0xCE, decides
// (captures may start mid-connection).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_AMQP } from "../classify/generated/protocols";
import { startsWith } from "../util/ascii";
import { be16, be32 } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const PROTOCOL_HEADER = "AMQP";
const PROTOCOL_HEADER_LEN: usize = 8;
const TYPE: usize = 0;
const SIZE: usize = 3;
const FRAME_HEADER_LEN: usize = 7;
const CLASS_ID: usize = 7;
const FRAME_END: u8 = 0xce;
const TYPE_METHOD: u32 = 1;
const TYPE_HEADER: u32 = 2;
const TYPE_BODY: u32 = 3;
const TYPE_HEARTBEAT: u32 = 8;

export function dissectAmqp(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (!isProtocolHeader(p, len) && !isFrame(p, len)) return R_NO;
  setDetected(rec, PROTO_AMQP, 0);
  return R_DONE;
}

/** "AMQP", 0, then the protocol id and version (0-9-1 sends 0 9 1; 1.0 sends its own ids). */
function isProtocolHeader(p: usize, len: usize): bool {
  return len == PROTOCOL_HEADER_LEN && startsWith(p, p + len, PROTOCOL_HEADER) && load<u8>(p + 4) <= 3;
}

function isFrame(p: usize, len: usize): bool {
  if (len < FRAME_HEADER_LEN + 1) return false;
  const type = <u32>load<u8>(p + TYPE);
  const size = <usize>be32(p + SIZE);
  if (size > len - FRAME_HEADER_LEN - 1 || load<u8>(p + FRAME_HEADER_LEN + size) != FRAME_END) return false;
  if (type == TYPE_HEARTBEAT) return size == 0;
  if (type == TYPE_BODY) return size > 0;
  if (type != TYPE_METHOD && type != TYPE_HEADER) return false;
  return size >= 4 && isClassId(be16(p + CLASS_ID));
}

function isClassId(id: u32): bool {
  return id == 10 || id == 20 || id == 30 || id == 40 || id == 50 || id == 60 || id == 85 || id == 90;
}
