// One captured frame through the core: decode, find the flow, account it, purge idle flows.
import { DECODED, decodeFrame } from "./decode/packet";
import * as info from "./decode/packet_info";
import { accountPacket, findOrCreate, lastFromClient, recordPtr, sweepIdle } from "./flow/table";
import { inspectPacket } from "./dissect/dispatch";
import {
  SKIP_FLOW_TABLE_FULL, STAT_BYTES, STAT_PACKETS, STAT_PACKETS_IN_FLOWS, STAT_TUNNELLED_PACKETS,
  add, bump,
} from "./stats";

/**
 * Packet time never goes backwards: a frame stamped earlier than one already seen is taken at
 * the latest time seen, as nDPI's reader and ntopng keep their clocks. Flow durations and idle
 * purging then agree with theirs on captures whose timestamps jump back.
 */
let clockUs: u64 = 0;

export function resetClock(): void { clockUs = 0; }

export function processFrame(linkType: u32, frame: usize, capturedLen: u32, wireLen: u32, stampUs: u64): void {
  const tsUs = stampUs > clockUs ? stampUs : clockUs;
  clockUs = tsUs;
  bump(STAT_PACKETS);
  add(STAT_BYTES, wireLen);
  const result = decodeFrame(linkType, frame, capturedLen);
  if (result == DECODED) {
    const id = findOrCreate(tsUs);
    if (id == 0xffffffff) {
      bump(SKIP_FLOW_TABLE_FULL);
    } else {
      accountPacket(id, tsUs, capturedLen);
      inspectPacket(id, recordPtr(id), lastFromClient);
      bump(STAT_PACKETS_IN_FLOWS);
      if (info.tunnel != info.TUNNEL_NONE) bump(STAT_TUNNELLED_PACKETS);
    }
  } else {
    bump(result);
  }
  sweepIdle(tsUs);
}
