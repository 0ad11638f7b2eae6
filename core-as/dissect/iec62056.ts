// IEC 62056 (DLMS/COSEM), the electricity meter data exchange, over TCP or UDP (port 4059). Two
// framings carry it on IP:
// - the HDLC frame of IEC 62056-46 §6.4: flag 0x7E, a frame format field whose top nibble is
//   0xA (format type 3) and whose low 11 bits are the frame's length without the flags, ...,
//   flag 0x7E;
// - the wrapper of IEC 62056-47 §5: version 0x0001, source and destination wPort, then the
//   length of the APDU that follows (8 header bytes), the APDU starting with one of the
//   COSEM tags of IEC 62056-5-3 §8 (xDLMS-APDU).
// A first packet that is one whole frame of either decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_IEC62056 } from "../classify/generated/protocols";
import { be16 } from "../util/bytes";
import { R_DONE, R_NO } from "./result";

const HDLC_FLAG: u8 = 0x7e;
const HDLC_FORMAT: usize = 1;
const HDLC_FORMAT_TYPE3: u32 = 0xa0;
const HDLC_LENGTH_MASK: u32 = 0x07ff;
/** Flags, format field, addresses, control and the header check sequence at least. */
const HDLC_MIN_LEN: usize = 9;

const WRAPPER_VERSION: usize = 0;
const WRAPPER_LENGTH: usize = 6;
const WRAPPER_HEADER_LEN: usize = 8;

export function dissectIec62056(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (!isHdlcFrame(p, len) && !isWrapped(p, len)) return R_NO;
  setDetected(rec, PROTO_IEC62056, 0);
  return R_DONE;
}

function isHdlcFrame(p: usize, len: usize): bool {
  if (len < HDLC_MIN_LEN || load<u8>(p) != HDLC_FLAG || load<u8>(p + len - 1) != HDLC_FLAG) return false;
  const format = be16(p + HDLC_FORMAT);
  return ((format >> 8) & 0xf0) == HDLC_FORMAT_TYPE3 && <usize>(format & HDLC_LENGTH_MASK) == len - 2;
}

function isWrapped(p: usize, len: usize): bool {
  if (len <= WRAPPER_HEADER_LEN || be16(p + WRAPPER_VERSION) != 1) return false;
  return <usize>be16(p + WRAPPER_LENGTH) == len - WRAPPER_HEADER_LEN && isApduTag(<u32>load<u8>(p + WRAPPER_HEADER_LEN));
}

/** AARQ/AARE/RLRQ/RLRE (0x60..0x63), the get/set/action/event/exception APDUs (0xC0..0xC7,
 *  0xD8), and the ciphered forms (0xC8..0xCF, 0xD0..0xD7, 0xDB..0xDF). */
function isApduTag(tag: u32): bool {
  return (tag >= 0x60 && tag <= 0x63) || (tag >= 0xc0 && tag <= 0xd8) || (tag >= 0xdb && tag <= 0xdf);
}
