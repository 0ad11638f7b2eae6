// Hands a flow's packets to the dissectors until its protocol and metadata are known, or
// MAX_DPI_PACKETS packets carried payload (nDPI's reader stops at 32, pcaps README). After
// that a packet costs one flag test here.
import * as info from "../decode/packet_info";
import {
  FLOW_DISSECTOR, FLOW_DPI_PACKETS, FLOW_EXCLUDED, FLOW_L7_FLAGS, L7_DONE,
} from "../flow/record";
import { IPPROTO_TCP, IPPROTO_UDP } from "../wire/transport";
import { guessUndetected } from "../classify/classify";
import { EVENT_FLOW_DETECTED, emitEvent } from "../flow/events";
import { R_DONE, R_MATCH, R_NO } from "./result";
import { DISSECTOR_COUNT, ON_TCP, ON_UDP, dissectorTransports, releaseDissector, runDissector } from "./registry";

export const MAX_DPI_PACKETS: u32 = 32;

export function inspectPacket(id: u32, rec: usize, fromClient: bool): void {
  const flags = load<u8>(rec + FLOW_L7_FLAGS);
  if ((flags & L7_DONE) != 0 || info.payloadLen == 0) return;
  const dpiPackets = <u32>load<u8>(rec + FLOW_DPI_PACKETS) + 1;
  store<u8>(rec + FLOW_DPI_PACKETS, <u8>dpiPackets);
  const owner = <u32>load<u8>(rec + FLOW_DISSECTOR);
  if (owner != 0) {
    const result = runDissector(owner, rec, fromClient);
    if (result == R_DONE || result == R_NO || dpiPackets >= MAX_DPI_PACKETS) finishDissection(id, rec);
    return;
  }
  const transport = info.l4Proto == IPPROTO_TCP ? ON_TCP : info.l4Proto == IPPROTO_UDP ? ON_UDP : 0;
  let excluded = load<u64>(rec + FLOW_EXCLUDED);
  let candidates: u32 = 0;
  for (let id: u32 = 1; id < DISSECTOR_COUNT; id++) {
    if ((excluded & (<u64>1 << id)) != 0 || (dissectorTransports(id) & transport) == 0) continue;
    const result = runDissector(id, rec, fromClient);
    if (result == R_NO) {
      // Stored at once: a later dissector offered this packet can see that this one gave up
      // (flow_state.ts tryClaimState frees the state area it may have tagged).
      excluded |= <u64>1 << id;
      store<u64>(rec + FLOW_EXCLUDED, excluded);
      continue;
    }
    candidates++;
    if (result == R_MATCH || result == R_DONE) {
      store<u8>(rec + FLOW_DISSECTOR, <u8>id);
      store<u64>(rec + FLOW_EXCLUDED, excluded);
      if (result == R_DONE) finishDissection(id, rec);
      return;
    }
  }
  store<u64>(rec + FLOW_EXCLUDED, excluded);
  if (candidates == 0 || dpiPackets >= MAX_DPI_PACKETS) finishDissection(id, rec);
}

/**
 * No more dissection for this flow; an undecided one gets nDPI's guesses. Emits the flow's
 * flow_detected event (once): the moment ntopng runs its protocol-detected checks.
 */
export function finishDissection(id: u32, rec: usize): void {
  if ((load<u8>(rec + FLOW_L7_FLAGS) & L7_DONE) != 0) return;
  store<u8>(rec + FLOW_L7_FLAGS, load<u8>(rec + FLOW_L7_FLAGS) | L7_DONE);
  releaseDissector(<u32>load<u8>(rec + FLOW_DISSECTOR), rec);
  guessUndetected(rec);
  emitEvent(EVENT_FLOW_DETECTED, id, rec);
}
