// Hands a flow's packets to the dissectors until its protocol and metadata are known, or
// MAX_DPI_PACKETS packets carried payload (nDPI's reader stops at 32, pcaps README). After
// that a packet costs one flag test here.
import * as info from "../decode/packet_info";
import {
  CONF_DPI, FLOW_CONFIDENCE, FLOW_DISSECTOR, FLOW_DPI_PACKETS, FLOW_EXCLUDED, FLOW_L7_FLAGS, L7_DONE,
} from "../flow/record";
import { IPPROTO_TCP, IPPROTO_UDP } from "../wire/transport";
import { classifyTelegramByAddress, guessUndetected } from "../classify/classify";
import { EVENT_FLOW_DETECTED, emitEvent } from "../flow/events";
import { R_DONE, R_MATCH, R_NO } from "./result";
import { DISSECTOR_COUNT, ON_TCP, ON_UDP, dissectorTransports, releaseDissector, runDissector } from "./registry";
import { checkPayloadRisks, endPayloadRisks } from "../classify/payload_risks";

export const MAX_DPI_PACKETS: u32 = 32;

export function inspectPacket(id: u32, rec: usize, fromClient: bool): void {
  if (info.payloadLen == 0) return;
  if ((load<u8>(rec + FLOW_L7_FLAGS) & L7_DONE) != 0) {
    // nDPI goes on inspecting a flow it could not classify: its payload is still judged
    // (checkPayloadRisks stops after its own few packets).
    if (load<u8>(rec + FLOW_CONFIDENCE) != CONF_DPI) checkPayloadRisks(rec, fromClient);
    return;
  }
  const dpiPackets = <u32>load<u8>(rec + FLOW_DPI_PACKETS) + 1;
  store<u8>(rec + FLOW_DPI_PACKETS, <u8>dpiPackets);
  const finish = dissect(rec, fromClient) || dpiPackets >= MAX_DPI_PACKETS || classifyTelegramByAddress(rec);
  // The payload's own statistics, judged with what the dissectors made of this packet.
  checkPayloadRisks(rec, fromClient);
  if (finish) {
    finishDissection(id, rec);
    endPayloadRisks(rec, true);
  }
}

/** Offers the packet to the owning dissector or to every candidate; true when dissection is over. */
function dissect(rec: usize, fromClient: bool): bool {
  const owner = <u32>load<u8>(rec + FLOW_DISSECTOR);
  if (owner != 0) {
    const result = runDissector(owner, rec, fromClient);
    return result == R_DONE || result == R_NO;
  }
  const transport = info.l4Proto == IPPROTO_TCP ? ON_TCP : info.l4Proto == IPPROTO_UDP ? ON_UDP : 0;
  let excluded = load<u64>(rec + FLOW_EXCLUDED);
  let candidates: u32 = 0;
  for (let dissector: u32 = 1; dissector < DISSECTOR_COUNT; dissector++) {
    if ((excluded & (<u64>1 << dissector)) != 0 || (dissectorTransports(dissector) & transport) == 0) continue;
    const result = runDissector(dissector, rec, fromClient);
    if (result == R_NO) {
      // Stored at once: a later dissector offered this packet can see that this one gave up
      // (flow_state.ts tryClaimState frees the state area it may have tagged).
      excluded |= <u64>1 << dissector;
      store<u64>(rec + FLOW_EXCLUDED, excluded);
      continue;
    }
    candidates++;
    if (result == R_MATCH || result == R_DONE) {
      store<u8>(rec + FLOW_DISSECTOR, <u8>dissector);
      store<u64>(rec + FLOW_EXCLUDED, excluded);
      return result == R_DONE;
    }
  }
  store<u64>(rec + FLOW_EXCLUDED, excluded);
  return candidates == 0;
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
