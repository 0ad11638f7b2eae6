// The 32 bytes of per-flow dissector state (flow/record.ts FLOW_DISSECTOR_STATE) belong to the
// dissector that owns the flow; before one does, several undecided dissectors may be offered the
// same packets. A dissector that keeps state while undecided claims the area with its id in
// byte 0: finding another id there means someone else wrote it, and its own progress restarts
// from zero instead of reading foreign bytes.
//
// claimState always takes the area. tryClaimState is the polite form for dissectors that can
// wait: it leaves an area tagged by another dissector that is still undecided on the flow
// (its bit in FLOW_EXCLUDED is clear), so that two undecided dissectors do not wipe each
// other's progress on every packet and neither ever decides.
import {
  FLOW_DISSECTOR_STATE, FLOW_DISSECTOR_STATE_SIZE, FLOW_EXCLUDED, FLOW_L7_FLAGS, L7_DETECTED,
} from "../flow/record";

export const STATE_OWNER: usize = 0;
/** First byte a dissector may use after claimState. */
export const STATE_DATA: usize = 1;

/** The flow's state area, zeroed and tagged with `id` unless it already carries that tag. */
export function claimState(rec: usize, id: u32): usize {
  const state = rec + FLOW_DISSECTOR_STATE;
  if (<u32>load<u8>(state + STATE_OWNER) != id) {
    memory.fill(state, 0, FLOW_DISSECTOR_STATE_SIZE);
    store<u8>(state + STATE_OWNER, <u8>id);
  }
  return state;
}

/**
 * The flow's state area for `id`, as claimState, or 0 while another undecided dissector holds
 * it. A detected flow's area is always taken: only its owner is still called.
 */
export function tryClaimState(rec: usize, id: u32): usize {
  const state = rec + FLOW_DISSECTOR_STATE;
  const holder = <u32>load<u8>(state + STATE_OWNER);
  if (holder != id && holder != 0 && (load<u8>(rec + FLOW_L7_FLAGS) & L7_DETECTED) == 0 && holderUndecided(rec, holder)) return 0;
  return claimState(rec, id);
}

/** Is the dissector (or group) that tagged the area still offered the flow? */
function holderUndecided(rec: usize, holder: u32): bool {
  const excluded = load<u64>(rec + FLOW_EXCLUDED);
  if (holder == GROUP_TEXT) return (excluded & GROUP_TEXT_MEMBERS) != GROUP_TEXT_MEMBERS;
  const id = holder & 0x3f;
  return (excluded & (<u64>1 << id)) == 0;
}

/**
 * FTP, SMTP, IMAP and POP3 are all offered the first lines of the same flows and each needs
 * two of them (a server line and a client line) to decide: they share one claim, each with
 * its own flags byte, so that they do not reset each other's progress.
 */
export const GROUP_TEXT: u32 = 0x80 | 26;
export const TEXT_FTP_FLAGS: usize = STATE_DATA;
export const TEXT_SMTP_FLAGS: usize = STATE_DATA + 1;
export const TEXT_IMAP_FLAGS: usize = STATE_DATA + 2;
export const TEXT_POP3_FLAGS: usize = STATE_DATA + 3;
/** Their dissector ids (registry.ts DISSECTOR_FTP .. DISSECTOR_POP3) as FLOW_EXCLUDED bits. */
const GROUP_TEXT_MEMBERS: u64 = (<u64>1 << 26) | (<u64>1 << 27) | (<u64>1 << 28) | (<u64>1 << 29);
