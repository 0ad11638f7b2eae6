// The operations of the host function (sandbox.ts #host), by number: the Lua sources of this
// folder interpolate them, so that both sides read one table. Module functions (ntop.*,
// interface.*) are numbered from FIRST_MODULE_OP on.
export const HOST_OP = {
  /** Was the error being handled an abort? (pcall wrappers, lockdown.ts) */
  ABORTED: 1,
  /** Charge n instructions to the run (lockdown.ts: work done inside C functions). */
  CHARGE: 2,
  /** The traceback of an error, with the host's frames trimmed (flow_api.ts msgh). */
  TRACEBACK: 3,
  /** The current flow's metadata tables (flow.http() and the others). */
  FLOW_META: 4,
  /** The current flow's full Flow::lua table (flow.getFullInfo()). */
  FLOW_INFO: 5,
  /** The current flow's status ids and score. */
  FLOW_STATUS: 6,
  /** Turn the count hook on for the running thread (the gate's enable function, gate.ts). */
  GATE: 7,
  /** Join a gated chunk's counter upvalues to the gate owner's. */
  JOIN: 8,
} as const;

export const FIRST_MODULE_OP = 16;
