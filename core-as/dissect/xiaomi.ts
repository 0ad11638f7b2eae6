// Xiaomi's push/messaging connection (TCP 5222, MiPush). Every message starts with a 12-byte
// header: the magic 0xC2FE0005, a big-endian 32-bit payload length (the message is exactly
// header + length), and 0x00020016; the client's messages then carry, from offset 16, a list of
// (type, length) byte pairs with values: type 0x3a is the server the client was told to use,
// "host" or "host:port", which nDPI reports as the flow's host name. Types 0x08 and 0x28 are
// two-byte markers without a value. One segment decides.
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { copyLower } from "../util/ascii";
import { setDetected } from "../classify/classify";
import { PROTO_XIAOMI } from "../classify/generated/protocols";
import { META_STR_HOST, metaHasString, metaSetString } from "./meta";

const XM_MAGIC: u32 = 0xc2fe0005;
const XM_LENGTH: usize = 4;
const XM_KIND: usize = 8;
const XM_KIND_VALUE: u32 = 0x00020016;
const XM_HEADER_LEN: u32 = 12;
const XM_TLV_START: usize = 16;
const XM_TLV_SERVER: u32 = 0x3a;
const XM_MARKER_A: u32 = 0x08;
const XM_MARKER_B: u32 = 0x28;
const XM_SERVER_PORT: u32 = 5222;

const hostBuf: usize = memory.data(256);

export function detectXiaomi(rec: usize): bool {
  const p = info.payloadPtr;
  const len = info.payloadLen;
  if (len < XM_HEADER_LEN || be32(p) != XM_MAGIC || be32(p + XM_KIND) != XM_KIND_VALUE) return false;
  if (<u64>be32(p + XM_LENGTH) + <u64>XM_HEADER_LEN != <u64>len) return false;
  setDetected(rec, PROTO_XIAOMI, 0);
  // The value lists of the client and the server differ: only the client's is read.
  if (info.dstPort == XM_SERVER_PORT) readServerName(rec, p, <usize>len);
  return true;
}

function readServerName(rec: usize, p: usize, len: usize): void {
  let at = XM_TLV_START;
  while (at + 1 < len) {
    const type = <u32>load<u8>(p + at);
    const valueLen = <usize>load<u8>(p + at + 1);
    at += 2;
    if (type == XM_MARKER_A || type == XM_MARKER_B) continue;
    if (at + valueLen >= len) return;
    if (type == XM_TLV_SERVER && valueLen > 0 && !metaHasString(rec, META_STR_HOST)) {
      let n: usize = 0;
      while (n < valueLen && load<u8>(p + at + n) != 0x3a /* : */) n++;
      if (n > 0) metaSetString(rec, META_STR_HOST, hostBuf, copyLower(hostBuf, p + at, n));
      return;
    }
    at += valueLen;
  }
}
