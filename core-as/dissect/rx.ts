// Rx, the RPC protocol of AFS over UDP (ports 7000-7009; "RX Protocol Specification", OpenAFS
// rx/rx_packet.h wire header). Every packet starts with a 28-byte header, big-endian: epoch,
// connection id (its low 2 bits the call channel), call number, sequence, serial, type (1 DATA
// .. 13 VERSION), flags, user status, security index, checksum/spare and service id. The header
// alone is thin evidence, so the flow is Rx when, on the AFS ports, its first packet is answered
// by one with a valid header of the same connection (epoch and connection id).
//
// State (in the group area (group.ts) of `groupId`, RX_STATE_SIZE bytes at `slotOffset`): the
// first packet's epoch and connection id.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_RX } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { claimGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const EPOCH: usize = 0;
const CONNECTION_ID: usize = 4;
const TYPE: usize = 20;
const SECURITY_INDEX: usize = 23;
const HEADER_LEN: usize = 28;
const MAX_TYPE: u32 = 13;
/** rxnull, rxvab (retired), rxkad, rxgk. */
const MAX_SECURITY_INDEX: u32 = 4;
/** The call channel bits of the connection id (big-endian, so the last byte's low bits). */
const CHANNEL_MASK_LE: u32 = 0x03000000;

const SAVED_EPOCH: usize = 0;
const SAVED_CID: usize = 4;
export const RX_STATE_SIZE: usize = 8;

export function dissectRx(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  if (info.l4Proto != IPPROTO_UDP || !isAfsPort(info.srcPort) && !isAfsPort(info.dstPort)) return R_NO;
  const p = info.payloadPtr;
  if (<usize>info.payloadLen < HEADER_LEN) return R_NO;
  const type = <u32>load<u8>(p + TYPE);
  if (type == 0 || type > MAX_TYPE || <u32>load<u8>(p + SECURITY_INDEX) > MAX_SECURITY_INDEX) return R_NO;
  const epoch = load<u32>(p + EPOCH);
  const cid = load<u32>(p + CONNECTION_ID) & ~CHANNEL_MASK_LE;
  if (epoch == 0) return R_NO;
  const index = payloadPacketIndex(rec);
  if (index > 2) return R_NO;
  const state = claimGroupState(rec, groupId);
  if (state == 0) return R_NO; // another undecided group holds the area
  const slot = state + slotOffset;
  if (index == 1) {
    if (!fromClient) return R_NO;
    store<u32>(slot + SAVED_EPOCH, epoch);
    store<u32>(slot + SAVED_CID, cid);
    return R_MAYBE;
  }
  if (fromClient || load<u32>(slot + SAVED_EPOCH) != epoch || load<u32>(slot + SAVED_CID) != cid) return R_NO;
  setDetected(rec, PROTO_RX, 0);
  return R_DONE;
}

/** The AFS services: file server 7000 .. remote system 7009. */
@inline function isAfsPort(port: u32): bool {
  return port >= 7000 && port <= 7009;
}
