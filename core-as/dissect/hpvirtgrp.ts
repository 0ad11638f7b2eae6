// HP_VIRTGRP, as nDPI names it ("HP Virtual Machine Group Management"), over TCP. The flow's
// first payload is a record of type 0x16 whose big-endian 16-bit length at offset 1 counts the
// whole record, followed by a zero byte (hpvirtgrp capture: 16 00 84 00 ... in 132 bytes). A
// TLS record also starts with 0x16 but its bytes 1-2 are the version (0x0301..0x0304), which
// would have to equal the segment length, and byte 3 the high byte of the record length.
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_HPVIRTGRP } from "../classify/generated/protocols";

const HPV_TYPE_HELLO: u8 = 0x16;
const HPV_LENGTH: usize = 1;
const HPV_ZERO: usize = 3;
const HPV_MIN_LEN: u32 = 4;

/** Only the first payload of the flow is looked at (the caller's group runs on it alone). */
export function detectHpVirtGrp(rec: usize): bool {
  const p = info.payloadPtr;
  const len = info.payloadLen;
  if (len < HPV_MIN_LEN || load<u8>(p) != HPV_TYPE_HELLO || load<u8>(p + HPV_ZERO) != 0) return false;
  if (be16(p + HPV_LENGTH) != len) return false;
  setDetected(rec, PROTO_HPVIRTGRP, 0);
  return true;
}
