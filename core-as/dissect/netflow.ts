// Flow export over UDP: Cisco NetFlow v1, v5, v7 and v9 (RFC 3954) and IPFIX (RFC 7011). The
// header starts with the 16-bit version and a 16-bit count: for NetFlow, records (1-30 in a
// packet, as nDPI accepts), which for v1, v5 and v7 have a fixed size (48, 48 and 52 bytes
// after a 16-, 24- and 24-byte header) so the packet length must match; for IPFIX, the
// message length, which must be the payload's. Then the export time, UNIX seconds (offset 8;
// IPFIX offset 4), must be plausible: from 2000 on (NetFlow v1 may send 0), and not after the
// packet was captured (nDPI compares with its wall clock, which for a capture file is later).
// The flow's first payload decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be16, be32 } from "../util/bytes";
import { FLOW_LAST_SEEN } from "../flow/record";
import { setDetected } from "../classify/classify";
import { PROTO_NETFLOW } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";

const MIN_LEN: usize = 24;
const COUNT: usize = 2;
const NETFLOW_TIME: usize = 8;
const IPFIX_TIME: usize = 4;
const MAX_RECORDS: u32 = 30;
const IPFIX: u32 = 10;
/** 2000-01-01T00:00:00Z. */
const EARLIEST_EXPORT: u32 = 946684800;
const US_PER_S: u64 = 1000000;

export function detectNetflow(rec: usize): bool {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (info.l4Proto != IPPROTO_UDP || len < MIN_LEN) return false;
  const version = be16(p);
  const count = be16(p + COUNT);
  let timeAt = NETFLOW_TIME;
  if (version == IPFIX) {
    if (<usize>count != len) return false;
    timeAt = IPFIX_TIME;
  } else {
    if (version != 1 && version != 5 && version != 7 && version != 9) return false;
    if (count == 0 || count > MAX_RECORDS) return false;
    const expected = fixedLength(version, <usize>count);
    if (expected != 0 && expected != len) return false;
  }
  const exported = be32(p + timeAt);
  const captured = load<u64>(rec + FLOW_LAST_SEEN) / US_PER_S;
  if (!((version == 1 && exported == 0) || (exported >= EARLIEST_EXPORT && <u64>exported <= captured))) return false;
  setDetected(rec, PROTO_NETFLOW, 0);
  return true;
}

/** Header plus records for the fixed-layout versions; 0 for v9 (its records follow templates). */
function fixedLength(version: u32, count: usize): usize {
  if (version == 1) return 16 + count * 48;
  if (version == 5) return 24 + count * 48;
  if (version == 7) return 24 + count * 52;
  return 0;
}
