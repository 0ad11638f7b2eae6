// BFCP, the Binary Floor Control Protocol of conferences (RFC 8855, formerly RFC 4582), over TCP
// or UDP. Every message starts with a 12-byte common header (§5.1): version (3 bits: 1 on
// reliable transports, 2 on UDP), the R and F flags, 3 reserved bits (zero), the primitive
// (1..17, §5.1 Table 1), the payload length in 4-octet units, then the Conference ID (32 bits),
// Transaction ID and User ID (16 bits each). The header alone is weak evidence, so the flow is
// BFCP when its first message is answered (§8: a response carries its request's Conference ID
// and Transaction ID) by a message with a valid header.
//
// State (in the group area (group.ts) of `groupId`, BFCP_STATE_SIZE bytes at `slotOffset`): the
// direction of the first message (1 client, 2 server), its Conference ID and Transaction ID.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_BFCP } from "../classify/generated/protocols";
import { claimGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const VERSION_FLAGS: usize = 0;
const PRIMITIVE: usize = 1;
const CONFERENCE_ID: usize = 4;
const TRANSACTION_ID: usize = 8;
const HEADER_LEN: usize = 12;
const VERSION_SHIFT: u32 = 5;
const RESERVED_BITS: u32 = 0x07;
const MAX_PRIMITIVE: u32 = 17;
/** Messages one side may send before the other answers. */
const MAX_WAIT: u32 = 4;

const FIRST_FROM: usize = 0;
const CONFERENCE: usize = 1;
const TRANSACTION: usize = 5;
export const BFCP_STATE_SIZE: usize = 7;

export function dissectBfcp(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  const p = info.payloadPtr;
  if (<usize>info.payloadLen < HEADER_LEN) return R_NO;
  const flags = <u32>load<u8>(p + VERSION_FLAGS);
  const version = flags >> VERSION_SHIFT;
  const primitive = <u32>load<u8>(p + PRIMITIVE);
  if (version < 1 || version > 2 || (flags & RESERVED_BITS) != 0 || primitive == 0 || primitive > MAX_PRIMITIVE) return R_NO;
  const conference = load<u32>(p + CONFERENCE_ID);
  const transaction = load<u16>(p + TRANSACTION_ID);
  const from: u8 = fromClient ? 1 : 2;
  const state = claimGroupState(rec, groupId);
  if (state == 0) return R_NO; // another undecided group holds the area
  const slot = state + slotOffset;
  if (payloadPacketIndex(rec) == 1) {
    // The flow opens with a BFCP message.
    store<u8>(slot + FIRST_FROM, from);
    store<u32>(slot + CONFERENCE, conference);
    store<u16>(slot + TRANSACTION, transaction);
    return R_MAYBE;
  }
  const firstFrom = load<u8>(slot + FIRST_FROM);
  if (firstFrom == 0) return R_NO;
  // A retransmission or another request: wait a little for the answer.
  if (firstFrom == from) return payloadPacketIndex(rec) < MAX_WAIT ? R_MAYBE : R_NO;
  if (load<u32>(slot + CONFERENCE) != conference || load<u16>(slot + TRANSACTION) != transaction) return R_NO;
  setDetected(rec, PROTO_BFCP, 0);
  return R_DONE;
}
