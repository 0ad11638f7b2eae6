// The ntop.* host module lives in ../ntop.ts (document 004: the sandbox subset, every other
// documented function raising "not available in the flowscope sandbox").
export { ntopModule, NTOPNG_DIRS, type NtopContext } from '../ntop.ts';
