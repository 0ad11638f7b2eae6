// OICQ, the UDP protocol of the QQ messenger (port 8000). A datagram is framed by STX (0x02)
// and ETX (0x03) and starts with a fixed header: protocol version (2 bytes), command (2),
// sequence number (2), then the sender's QQ number (4). One packet decides: no state.
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_OICQ } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

const OICQ_STX: u8 = 0x02;
const OICQ_ETX: u8 = 0x03;
const OICQ_VERSION: usize = 1;
const OICQ_COMMAND: usize = 3;
const OICQ_NUMBER: usize = 7;
/** STX, version, command, sequence, QQ number, ETX. */
const OICQ_MIN_LEN: usize = 12;
/** Commands in use are small numbers; a larger one is not this protocol. */
const OICQ_MAX_COMMAND: u32 = 0x0400;

export function dissectOicq(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < OICQ_MIN_LEN || load<u8>(p) != OICQ_STX || load<u8>(p + len - 1) != OICQ_ETX) return R_NO;
  const command = be16(p + OICQ_COMMAND);
  if (be16(p + OICQ_VERSION) == 0 || command == 0 || command >= OICQ_MAX_COMMAND) return R_NO;
  if (load<u32>(p + OICQ_NUMBER) == 0) return R_NO; // every message names its sender's QQ number
  setDetected(rec, PROTO_OICQ, 0);
  return R_DONE;
}
