// Apache Thrift RPC messages (Thrift protocol specifications, thrift/doc/specs): a call starts
// with the message header of one of two encodings:
// - binary, strict (thrift-binary-protocol.md): 0x80 0x01 (version 1), 0x00, the message type
//   (1 call, 2 reply, 3 exception, 4 oneway), the name's length (32 bits) and the name;
//   optionally preceded by the framed transport's 32-bit frame length;
// - compact (thrift-compact-protocol.md): 0x82, then type << 5 | version 1, the sequence id
//   and the name's length as varints, and the name (Jaeger's agent on UDP 6831 uses it).
// A header whose method name is printable and lies in the packet decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_APACHE_THRIFT } from "../classify/generated/protocols";
import { isPrintable } from "../util/ascii";
import { be32 } from "../util/bytes";
import { R_DONE, R_NO } from "./result";

const BINARY_HEADER_LEN: usize = 8;
const FRAME_LEN: usize = 4;
const COMPACT_ID: u8 = 0x82;
const COMPACT_VERSION: u32 = 1;
const MAX_VARINT_BYTES: u32 = 5;
const MAX_NAME: usize = 256;

export function dissectThrift(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (!isBinaryMessage(p, end) && !(end - p > FRAME_LEN && isBinaryMessage(p + FRAME_LEN, end)) && !isCompactMessage(p, end)) return R_NO;
  setDetected(rec, PROTO_APACHE_THRIFT, 0);
  return R_DONE;
}

function isBinaryMessage(p: usize, end: usize): bool {
  if (end - p < BINARY_HEADER_LEN || load<u8>(p) != 0x80 || load<u8>(p + 1) != 0x01 || load<u8>(p + 2) != 0) return false;
  const type = load<u8>(p + 3);
  if (type < 1 || type > 4) return false;
  const nameLen = <usize>be32(p + 4);
  return printableName(p + BINARY_HEADER_LEN, nameLen, end);
}

function isCompactMessage(p: usize, end: usize): bool {
  if (end - p < 4 || load<u8>(p) != COMPACT_ID) return false;
  const typeVersion = <u32>load<u8>(p + 1);
  const type = typeVersion >> 5;
  if ((typeVersion & 0x1f) != COMPACT_VERSION || type < 1 || type > 4) return false;
  let at = p + 2;
  // sequence id, then the name's length: unsigned varints (7 bits a byte, high bit = more)
  for (let field = 0; field < 2; field++) {
    let value: usize = 0;
    let shift: usize = 0;
    let n: u32 = 0;
    while (true) {
      if (at >= end || n >= MAX_VARINT_BYTES) return false;
      const b = <usize>load<u8>(at++);
      value |= (b & 0x7f) << shift;
      shift += 7;
      n++;
      if ((b & 0x80) == 0) break;
    }
    if (field == 1) return printableName(at, value, end);
  }
  return false;
}

function printableName(name: usize, len: usize, end: usize): bool {
  if (len == 0 || len > MAX_NAME || len > end - name) return false;
  for (let i: usize = 0; i < len; i++) {
    if (!isPrintable(<u32>load<u8>(name + i))) return false;
  }
  return true;
}
