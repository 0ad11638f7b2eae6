// ATG, the serial command protocol of automatic tank gauges (Veeder-Root TLS-300/350 "Serial
// Interface Manual", computer format), exposed on TCP port 10001. A command is SOH (0x01), 'I'
// (inquiry) or 'S' (set), a three-digit function code and a two-digit tank or sensor number,
// e.g. "\x01I20100" (in-tank inventory, all tanks); the gauge answers with SOH, the echoed
// command and the report, ended by ETX. On the port, a first packet opening so decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_ATG } from "../classify/generated/protocols";
import { isDigit } from "../util/ascii";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const ATG_PORT: u32 = 10001;
const SOH: u8 = 0x01;
const COMMAND: usize = 1;
const CODE: usize = 2;
const CODE_DIGITS: usize = 5;

export function dissectAtg(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP || (info.srcPort != ATG_PORT && info.dstPort != ATG_PORT)) return R_NO;
  const p = info.payloadPtr;
  let at = p;
  const end = p + <usize>info.payloadLen;
  if (end - at < CODE + CODE_DIGITS || load<u8>(at) != SOH) return R_NO;
  // The gauge's answer puts CR LF between SOH and the echoed command.
  if (load<u8>(at + 1) == 0x0d && end - at >= CODE + CODE_DIGITS + 2 && load<u8>(at + 2) == 0x0a) at += 2;
  const command = <u32>load<u8>(at + COMMAND) & ~0x20; // 'i' / 's' are the display-format twins
  if (command != 0x49 && command != 0x53) return R_NO;
  for (let i: usize = 0; i < CODE_DIGITS; i++) {
    if (!isDigit(<u32>load<u8>(at + CODE + i))) return R_NO;
  }
  setDetected(rec, PROTO_ATG, 0);
  return R_DONE;
}
