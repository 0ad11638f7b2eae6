// ISO transport over TCP: a TPKT (RFC 1006 §6: version 3, reserved 0, 16-bit length of the
// whole packet) carrying an ISO 8073 / X.224 TPDU (length indicator, then the TPDU code in the
// high nibble). The industrial protocols of TCP port 102 (S7comm, S7comm-plus, MMS) ride in its
// Data TPDUs (code 0xF0, §13.7: LI = 2, then one byte with EOT and the TPDU number).
import { be16 } from "../util/bytes";

export const TPKT_VERSION: u8 = 3;
export const TPKT_LENGTH: usize = 2;
export const TPKT_HEADER_LEN: usize = 4;
export const COTP_LI: usize = TPKT_HEADER_LEN;
export const COTP_CODE: usize = TPKT_HEADER_LEN + 1;
export const COTP_CODE_DT: u32 = 0xf0;
export const COTP_CODE_CR: u32 = 0xe0;
export const COTP_CODE_CC: u32 = 0xd0;
/** LI of a Data TPDU in class 0 (code and EOT/number). */
const COTP_DT_LI: u32 = 2;

/** A TPKT (whole in the segment or continued in the next ones) holding a TPDU: its code, else 0. */
export function cotpCode(p: usize, len: usize): u32 {
  if (len < TPKT_HEADER_LEN + 2 || load<u8>(p) != TPKT_VERSION || load<u8>(p + 1) != 0) return 0;
  const tpkt = <usize>be16(p + TPKT_LENGTH);
  const li = <usize>load<u8>(p + COTP_LI);
  if (tpkt < TPKT_HEADER_LEN + 2 || li + 1 > tpkt - TPKT_HEADER_LEN) return 0;
  return <u32>load<u8>(p + COTP_CODE) & 0xf0;
}

/**
 * Offset of the user data of a TPKT holding a class 0 Data TPDU, or 0 when the packet is not one
 * or carries no data (at least one byte of it is in the segment).
 */
export function cotpDataOffset(p: usize, len: usize): usize {
  if (cotpCode(p, len) != COTP_CODE_DT || <u32>load<u8>(p + COTP_LI) != COTP_DT_LI) return 0;
  const data = TPKT_HEADER_LEN + 1 + <usize>COTP_DT_LI;
  return <usize>be16(p + TPKT_LENGTH) > data && len > data ? data : 0;
}
