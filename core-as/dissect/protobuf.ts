// Protocol Buffers messages sent bare over TCP or UDP (protobuf.dev/programming-guides/encoding):
// a message is a run of records, each a varint key (field number << 3 | wire type) and a value:
// VARINT (0) one varint, I64 (1) 8 bytes, LEN (2) a varint length then that many bytes, I32 (5)
// 4 bytes. The group types 3 and 4 are deprecated and 6, 7 are undefined; field number 0 is
// invalid and field numbers stop at 2^29 - 1.
//
// There is no header, so the flow is judged on how well its payloads parse, as nDPI does: the
// first records of each payload are walked (at most MAX_RECORDS). Eight records, one of them a
// LEN, decide; over UDP not before the third payload, since an RTP header parses as a few
// records too and RTP needs its first packets to decide (false_positives.pcapng). From the 4th
// payload on, two records are enough. A record that breaks the encoding (bad key, zero or
// huge length, fixed-size value past the end) gives up on the flow; a payload that ends inside
// a varint waits for the next, until the LAST_PAYLOAD-th. No state: the payload index is the
// flow's count of payload packets.
import * as info from "../decode/packet_info";
import { IPPROTO_TCP } from "../wire/transport";
import { setDetected } from "../classify/classify";
import { PROTO_PROTOBUF } from "../classify/generated/protocols";
import { payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const WIRE_VARINT: u32 = 0;
const WIRE_I64: u32 = 1;
const WIRE_LEN: u32 = 2;
const WIRE_I32: u32 = 5;
const I64_SIZE: usize = 8;
const I32_SIZE: usize = 4;
const MAX_FIELD: u64 = 0x1fffffff;
/** protobuf.dev: "the maximum size of any single serialized message is 2 GiB". */
const MAX_LEN: u64 = 0x7fffffff;
/** A 64-bit varint takes at most 10 bytes. */
const MAX_VARINT_BYTES: usize = 10;

const MAX_RECORDS: u32 = 32;
const RECORDS_TO_DECIDE: u32 = 8;
const RECORDS_LATER: u32 = 2;
const FIRST_UDP_DECISION: u32 = 3;
const PAYLOADS_FOR_FEWER: u32 = 4;
const LAST_PAYLOAD: u32 = 8;

/** readVarint's results (module state: the hot path allocates nothing). */
let varintValue: u64 = 0;
let varintEnd: usize = 0;

/** Reads the varint at offset `at` of the payload; false when the payload ends inside it. */
function readVarint(p: usize, len: usize, at: usize): bool {
  let value: u64 = 0;
  for (let i: usize = 0; i < MAX_VARINT_BYTES; i++) {
    if (at + i >= len) return false;
    const b = <u64>load<u8>(p + at + i);
    value |= (b & 0x7f) << (<u64>i * 7);
    if ((b & 0x80) == 0) {
      varintValue = value;
      varintEnd = at + i + 1;
      return true;
    }
  }
  return false;
}

export function dissectProtobuf(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const payloads = payloadPacketIndex(rec);
  let at: usize = 0;
  let records: u32 = 0;
  let lenRecords: u32 = 0;
  while (records < MAX_RECORDS) {
    if (!readVarint(p, len, at)) break;
    const key = varintValue;
    at = varintEnd;
    const wire = <u32>(key & 7);
    const field = key >> 3;
    if (field == 0 || field > MAX_FIELD) return R_NO;
    if (wire == WIRE_VARINT) {
      if (!readVarint(p, len, at)) return R_NO;
      at = varintEnd;
    } else if (wire == WIRE_I64) {
      if (at + I64_SIZE > len) return R_NO;
      at += I64_SIZE;
    } else if (wire == WIRE_LEN) {
      if (!readVarint(p, len, at)) break;
      const valueLen = varintValue;
      if (valueLen == 0 || valueLen > MAX_LEN) return R_NO;
      // at stays below 2^32: the payload is under 64 KiB and valueLen under 2^31.
      at = varintEnd + <usize>valueLen;
      lenRecords++;
    } else if (wire == WIRE_I32) {
      if (at + I32_SIZE > len) return R_NO;
      at += I32_SIZE;
    } else {
      return R_NO;
    }
    records++;
  }
  const enoughRecords = records >= RECORDS_TO_DECIDE && lenRecords > 0 &&
    (info.l4Proto == IPPROTO_TCP || payloads >= FIRST_UDP_DECISION);
  if (enoughRecords || (payloads >= PAYLOADS_FOR_FEWER && records >= RECORDS_LATER)) {
    setDetected(rec, PROTO_PROTOBUF, 0);
    return R_DONE;
  }
  // A LEN value running past the payload's end (at > len) is not taken as a message split
  // over segments: too short a walk to judge, and random bytes do that easily.
  return at <= len && records > 0 && payloads < LAST_PAYLOAD ? R_MAYBE : R_NO;
}
