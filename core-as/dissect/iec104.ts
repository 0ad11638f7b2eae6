// IEC 60870-5-104 (IEC 104) on TCP 2404: a segment carries one or more APDUs, each an APCI
// (start byte 0x68, APDU length 4..253, four control octets) and, for I-format, an ASDU. The
// control field's format (IEC 60870-5-104 §5): I-format when bit 0 of the first octet is 0,
// S-format 0x01 0x00, U-format 0x03 with exactly one of STARTDT/STOPDT/TESTFR act or con set
// and zero octets after. The header is too plain to recognise elsewhere: off port 2404 the
// flow is not looked at. One packet decides: no state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_IEC60870 } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

const PORT_IEC104: u32 = 2404;
const APCI_START: u8 = 0x68;
const APCI_LEN: usize = 2;
const CONTROL_LEN: usize = 4;
const MAX_APDU_LEN: usize = 253;
const MAX_APDUS: u32 = 32;

function isControlField(c: usize, length: usize): bool {
  const first = <u32>load<u8>(c);
  if ((first & 0x01) == 0) return length > CONTROL_LEN; // I-format carries an ASDU
  if (first == 0x01) return load<u8>(c + 1) == 0 && length == CONTROL_LEN; // S-format
  // U-format: one function bit among bits 2..7.
  const functions = first >> 2;
  return (first & 0x03) == 0x03 && functions != 0 && (functions & (functions - 1)) == 0 &&
    load<u8>(c + 1) == 0 && load<u16>(c + 2) == 0 && length == CONTROL_LEN;
}

export function dissectIec104(rec: usize, fromClient: bool): i32 {
  if (info.srcPort != PORT_IEC104 && info.dstPort != PORT_IEC104) return R_NO;
  let p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  for (let i: u32 = 0; i < MAX_APDUS && p < end; i++) {
    if (end - p < APCI_LEN + CONTROL_LEN || load<u8>(p) != APCI_START) return R_NO;
    const length = <usize>load<u8>(p + 1);
    if (length < CONTROL_LEN || length > MAX_APDU_LEN || length > end - p - APCI_LEN) return R_NO;
    if (!isControlField(p + APCI_LEN, length)) return R_NO;
    p += APCI_LEN + length;
  }
  if (p != end) return R_NO;
  setDetected(rec, PROTO_IEC60870, 0);
  return R_DONE;
}
