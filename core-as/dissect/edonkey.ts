// eDonkey2000 / eMule client and server messages over TCP (eMule protocol specification, Kulbak
// & Bickson 2005, §"Header"): a protocol byte (0xE3 eDonkey, 0xC5 eMule extensions, 0xD4
// zlib-packed), the size of the rest of the message (32 bits, little-endian, opcode included) and
// the opcode. A first message that fills the packet exactly decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_EDONKEY } from "../classify/generated/protocols";
import { le32 } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const PROTOCOL: usize = 0;
const SIZE: usize = 1;
const HEADER_LEN: usize = 5;
const EDONKEY: u8 = 0xe3;
const EMULE: u8 = 0xc5;
const PACKED: u8 = 0xd4;

export function dissectEdonkey(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < HEADER_LEN + 1) return R_NO;
  const protocol = load<u8>(p + PROTOCOL);
  if (protocol != EDONKEY && protocol != EMULE && protocol != PACKED) return R_NO;
  if (<usize>le32(p + SIZE) != len - HEADER_LEN) return R_NO;
  setDetected(rec, PROTO_EDONKEY, 0);
  return R_DONE;
}
