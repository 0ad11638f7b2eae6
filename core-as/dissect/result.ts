// What a dissector says about a packet of a flow it is offered.
/** Not this protocol: the flow is never offered to this dissector again. */
export const R_NO: i32 = 0;
/** Cannot tell yet: offer the next packet. */
export const R_MAYBE: i32 = 1;
/** Recognised (the dissector called setDetected); it wants later packets for more metadata. */
export const R_MATCH: i32 = 2;
/** Recognised, and nothing more to extract: later packets only update counters. */
export const R_DONE: i32 = 3;
