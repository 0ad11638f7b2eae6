// MPLS label stack entry (RFC 3032 §2.1): label 20 bits, TC 3 bits, S (bottom of stack) 1 bit,
// TTL 8 bits. The payload carries no type: the first nibble after the stack tells IPv4 or IPv6.
import { be32 } from "../util/bytes";

export const MPLS_ENTRY_LEN: usize = 4;
export const MPLS_BOTTOM_OF_STACK: u32 = 0x100;

@inline export function mplsIsBottom(entry: usize): bool {
  return (be32(entry) & MPLS_BOTTOM_OF_STACK) != 0;
}
