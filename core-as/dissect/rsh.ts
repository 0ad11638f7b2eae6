// rsh, the BSD remote shell (rshd(8); the protocol of RFC 1282's rlogin family), on TCP 514. The
// client first sends the port for standard error as ASCII digits and a NUL (just a NUL for
// none), then three NUL-terminated strings: the local user, the remote user and the command.
// The flow is RSH when its first client packet is the port and a later one the three strings.
// The remote user and the command travel in clear: nDPI's Clear-Text Credentials risk, with the
// info "User '<remote user>' executing '<command>'".
//
// State (in the group area (group.ts) of `groupId`, RSH_STATE_SIZE bytes at `slotOffset`): a
// flag set by the port packet.
import * as info from "../decode/packet_info";
import { setDetected, setRisk } from "../classify/classify";
import { RISK_CLEAR_TEXT_CREDENTIALS } from "../classify/generated/risks";
import { META_STR_RISK_INFO, metaSetString } from "./meta";
import { PROTO_RSH } from "../classify/generated/protocols";
import { isDigit, isPrintable, literalBytes } from "../util/ascii";
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
  setRisk(rec, RISK_CLEAR_TEXT_CREDENTIALS);
  describeCommand(rec, p, len);
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

const MAX_INFO_PART: usize = 96;
const infoBuf: usize = memory.data(<i32>(2 * <i32>MAX_INFO_PART + 32));

/** "User '<remote user>' executing '<command>'" from the checked three strings. */
function describeCommand(rec: usize, p: usize, len: usize): void {
  let remote: usize = 0;
  while (load<u8>(p + remote) != 0) remote++;
  remote++;
  let command = remote;
  while (load<u8>(p + command) != 0) command++;
  const remoteLen = command - remote;
  command++;
  const commandLen = len - 1 - command;
  let at: usize = 0;
  at += copyText(infoBuf + at, "User '");
  at += copyBytes(infoBuf + at, p + remote, remoteLen);
  at += copyText(infoBuf + at, "' executing '");
  at += copyBytes(infoBuf + at, p + command, commandLen);
  store<u8>(infoBuf + at++, 0x27); // '
  metaSetString(rec, META_STR_RISK_INFO, infoBuf, at);
}

function copyText(out: usize, lit: string): usize {
  const n = <usize>lit.length;
  memory.copy(out, literalBytes(lit), n);
  return n;
}

function copyBytes(out: usize, p: usize, len: usize): usize {
  const n = min(len, MAX_INFO_PART);
  memory.copy(out, p, n);
  return n;
}
