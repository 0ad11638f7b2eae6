// The dissectors, by id. A flow is offered to each in id order until one recognises it; that
// one then owns the flow. Ids are bits of the record's `excluded` mask, so at most 63.
// To add one: a DISSECTOR_ id, a line in runDissector, and its transports in dissectorTransports.
import { R_NO } from "./result";
import { dissectDns } from "./dns";
import { dissectTls, releaseTls } from "./tls";

export const DISSECTOR_NONE: u32 = 0;
export const DISSECTOR_DNS: u32 = 1;
export const DISSECTOR_TLS: u32 = 2;
/** One past the highest id. */
export const DISSECTOR_COUNT: u32 = 3;

export const ON_TCP: u32 = 1;
export const ON_UDP: u32 = 2;

export function runDissector(id: u32, rec: usize, fromClient: bool): i32 {
  switch (id) {
    case DISSECTOR_DNS: return dissectDns(rec, fromClient);
    case DISSECTOR_TLS: return dissectTls(rec, fromClient);
  }
  return R_NO;
}

export function dissectorTransports(id: u32): u32 {
  switch (id) {
    case DISSECTOR_DNS: return ON_TCP | ON_UDP;
    case DISSECTOR_TLS: return ON_TCP;
  }
  return 0;
}

/**
 * Dissection of the flow is over (done, 32 packets, or the flow ended; may be called more than
 * once): the owner gives back what it allocated for the flow.
 */
export function releaseDissector(id: u32, rec: usize): void {
  switch (id) {
    case DISSECTOR_TLS: releaseTls(rec); break;
  }
}
