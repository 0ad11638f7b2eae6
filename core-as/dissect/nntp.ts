// NNTP, the Network News Transfer Protocol (RFC 3977; nDPI's Usenet), over TCP (119, 563 with
// TLS). The server greets first with 200 (posting allowed) or 201 (no posting) (§5.1.1); the
// client then sends commands (§3.1: a keyword, arguments, CRLF). The flow is Usenet once such a
// greeting is followed by a client line starting with an NNTP command keyword.
//
// State (in the group area (group.ts) of `groupId`, NNTP_STATE_SIZE bytes at `slotOffset`): a
// flag set by the greeting.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_USENET } from "../classify/generated/protocols";
import { inWordList, startsWith, tokenEnd } from "../util/ascii";
import { IPPROTO_TCP } from "../wire/transport";
import { claimGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

/** RFC 3977 §7-§8 and the commands of RFC 4643 (AUTHINFO), 4644 (streaming), 2980 (X*). */
const COMMANDS = "MODE CAPABILITIES AUTHINFO GROUP LISTGROUP LIST ARTICLE HEAD BODY STAT NEXT LAST NEWGROUPS NEWNEWS POST IHAVE OVER XOVER HDR XHDR DATE HELP QUIT CHECK TAKETHIS STARTTLS XPAT";
/** Client lines before the first command (none are expected). */
const MAX_PACKETS: u32 = 6;

const GREETED: usize = 0;
export const NNTP_STATE_SIZE: usize = 1;

export function dissectNntp(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  const index = payloadPacketIndex(rec);
  if (index == 1) {
    if (fromClient || !(startsWith(p, end, "200 ") || startsWith(p, end, "201 "))) return R_NO;
    const state = claimGroupState(rec, groupId);
    if (state == 0) return R_NO; // another undecided group holds the area
    store<u8>(state + slotOffset + GREETED, 1);
    return R_MAYBE;
  }
  if (index > MAX_PACKETS) return R_NO;
  const state = claimGroupState(rec, groupId);
  if (state == 0 || load<u8>(state + slotOffset + GREETED) == 0) return R_NO;
  if (!fromClient) return R_MAYBE;
  const word = tokenEnd(p, end);
  if (!inWordList(p, word - p, COMMANDS)) return R_NO;
  setDetected(rec, PROTO_USENET, 0);
  return R_DONE;
}
