// rsh, the BSD remote shell (rshd(8); the protocol of RFC 1282's rlogin family), on TCP 514. The
// client first sends the port for standard error as ASCII digits and a NUL (just a NUL for
// none), then three NUL-terminated strings: the local user, the remote user and the command.
// The flow is RSH when its first client packet is the port and a later one the three strings.
//
// State (in the group area (group.ts) of `groupId`, RSH_STATE_SIZE bytes at `slotOffset`): a
// flag set by the port packet.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_RSH } from "../classify/generated/protocols";
import { isDigit, isPrintable } from "../util/ascii";
import { IPPROTO_TCP } from "../wire/transport";
import { claimGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const RSH_PORT: u32 = 514;
const MAX_PORT_DIGITS: usize = 5;
const MAX_PACKETS: u32 = 4;

const PORT_SEEN: usize = 0;
export const RSH_STATE_SIZE: usize = 1;

export function dissectRsh(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  if (info.l4Proto != IPPROTO_TCP || info.dstPort != RSH_PORT && info.srcPort != RSH_PORT) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const index = payloadPacketIndex(rec);
  if (index == 1) {
    if (!fromClient || !isPortPacket(p, len)) return R_NO;
    const state = claimGroupState(rec, groupId);
    if (state == 0) return R_NO; // another undecided group holds the area
    store<u8>(state + slotOffset + PORT_SEEN, 1);
    return R_MAYBE;
  }
  if (index > MAX_PACKETS) return R_NO;
  const state = claimGroupState(rec, groupId);
  if (state == 0 || load<u8>(state + slotOffset + PORT_SEEN) == 0) return R_NO;
  if (!fromClient) return R_MAYBE; // a server byte (NUL: accepted) may come first
  if (!isThreeStrings(p, len)) return R_NO;
  setDetected(rec, PROTO_RSH, 0);
  return R_DONE;
}

function isPortPacket(p: usize, len: usize): bool {
  if (len == 0 || len > MAX_PORT_DIGITS + 1 || load<u8>(p + len - 1) != 0) return false;
  for (let i: usize = 0; i + 1 < len; i++) if (!isDigit(<u32>load<u8>(p + i))) return false;
  return true;
}

/** Three NUL-terminated printable strings filling the packet; the users are not empty. */
function isThreeStrings(p: usize, len: usize): bool {
  let at: usize = 0;
  for (let field = 0; field < 3; field++) {
    const start = at;
    while (at < len && load<u8>(p + at) != 0) {
      if (!isPrintable(<u32>load<u8>(p + at))) return false;
      at++;
    }
    if (at >= len || (field < 2 && at == start)) return false;
    at++; // the NUL
  }
  return at == len;
}
