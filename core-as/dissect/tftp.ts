// TFTP (RFC 1350, options RFC 2347) over UDP. Every packet starts with a 2-byte big-endian opcode:
// 1 RRQ and 2 WRQ (file name, NUL, transfer mode "netascii" / "octet" / "mail" in any case, NUL,
// then RFC 2347 option/value pairs), 3 DATA (block number, up to 512 bytes or the negotiated
// block size), 4 ACK (block number, 4 bytes in all), 5 ERROR (code 0-8, message, NUL) and 6
// OACK (option/value pairs, each NUL-terminated).
//
// A request (usually to port 69) or an option acknowledgement is TFTP at once. The transfer
// itself runs between two other ports and is only DATA, ACK and ERROR packets with 16-bit block
// numbers: the flow is TFTP after four such packets, each block the same as the previous
// packet's or the next one (the four packets nDPI needs; tftp.pcap: DATA 1, ACK 1, DATA 2,
// ACK 2, or ACK 0, DATA 1, DATA 1 again, ACK 1).
//
// State (in the group area (group.ts) of `groupId`, TFTP_STATE_SIZE bytes at `slotOffset`): the
// transfer packets seen and the last block number.
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { isPrintable, startsWithCi } from "../util/ascii";
import { setDetected } from "../classify/classify";
import { PROTO_TFTP } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { claimGroupState } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const OP_RRQ: u32 = 1;
const OP_WRQ: u32 = 2;
const OP_DATA: u32 = 3;
const OP_ACK: u32 = 4;
const OP_ERROR: u32 = 5;
const OP_OACK: u32 = 6;
const OPCODE_LEN: usize = 2;
const BLOCK: usize = 2;
const ACK_LEN: usize = 4;
/** RFC 2348: block sizes up to 65464 bytes. */
const MAX_DATA_LEN: usize = 4 + 65464;
/** RFC 2347 added error code 8 (option negotiation refused). */
const MAX_ERROR_CODE: u32 = 8;
const TRANSFER_PACKETS: u32 = 4;

const SEEN: usize = 0;
const LAST_BLOCK: usize = 1;
export const TFTP_STATE_SIZE: usize = 3;

export function dissectTftp(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (info.l4Proto != IPPROTO_UDP || len < OPCODE_LEN + 1) return R_NO;
  const opcode = be16(p);
  if (opcode == OP_RRQ || opcode == OP_WRQ) return decided(rec, isRequest(p + OPCODE_LEN, p + len));
  if (opcode == OP_OACK) return decided(rec, isOptionList(p + OPCODE_LEN, p + len));
  if (opcode != OP_DATA && opcode != OP_ACK && opcode != OP_ERROR) return R_NO;
  if (!isTransferPacket(opcode, p, len)) return R_NO;
  const state = claimGroupState(rec, groupId);
  if (state == 0) return R_NO; // another undecided group holds the area
  const slot = state + slotOffset;
  const seen = <u32>load<u8>(slot + SEEN);
  if (opcode != OP_ERROR) {
    const block = be16(p + BLOCK);
    if (seen > 0) {
      const step = (block - <u32>load<u16>(slot + LAST_BLOCK)) & 0xffff;
      if (step > 1) return R_NO;
    }
    store<u16>(slot + LAST_BLOCK, <u16>block);
  }
  if (seen + 1 >= TRANSFER_PACKETS) return decided(rec, true);
  store<u8>(slot + SEEN, <u8>(seen + 1));
  return R_MAYBE;
}

function decided(rec: usize, yes: bool): i32 {
  if (!yes) return R_NO;
  setDetected(rec, PROTO_TFTP, 0);
  return R_DONE;
}

/** DATA within the largest block size, ACK of exactly 4 bytes, ERROR with a known code and a NUL-terminated message. */
function isTransferPacket(opcode: u32, p: usize, len: usize): bool {
  if (opcode == OP_ACK) return len == ACK_LEN;
  if (opcode == OP_DATA) return len >= ACK_LEN && len <= MAX_DATA_LEN;
  return len > ACK_LEN && be16(p + BLOCK) <= MAX_ERROR_CODE && load<u8>(p + len - 1) == 0;
}

/** A non-empty file name, a known transfer mode, then any option/value pairs. */
function isRequest(p: usize, end: usize): bool {
  const name = stringEnd(p, end);
  if (name == 0 || name == p) return false;
  const mode = name + 1;
  const modeEnd = stringEnd(mode, end);
  if (modeEnd == 0 || !isTransferMode(mode, modeEnd)) return false;
  return modeEnd + 1 == end || isOptionList(modeEnd + 1, end);
}

function isTransferMode(p: usize, end: usize): bool {
  const n = end - p;
  return (n == 8 && startsWithCi(p, end, "netascii")) || (n == 5 && startsWithCi(p, end, "octet")) ||
    (n == 4 && startsWithCi(p, end, "mail"));
}

/** One or more option/value pairs of non-empty NUL-terminated strings, filling [p, end). */
function isOptionList(p: usize, end: usize): bool {
  if (p >= end) return false;
  let strings: u32 = 0;
  while (p < end) {
    const stop = stringEnd(p, end);
    if (stop == 0 || stop == p) return false;
    p = stop + 1;
    strings++;
  }
  return (strings & 1) == 0;
}

/** Where the printable string at p ends (its NUL), or 0 when a non-printable byte or the end comes first. */
function stringEnd(p: usize, end: usize): usize {
  for (let q = p; q < end; q++) {
    const c = <u32>load<u8>(q);
    if (c == 0) return q;
    if (!isPrintable(c)) return 0;
  }
  return 0;
}
