// Linux "cooked" capture headers (LINKTYPE_LINUX_SLL 113 and LINKTYPE_LINUX_SLL2 276, as
// documented at tcpdump.org/linktypes). Both carry the EtherType of the payload.
import { be16 } from "../util/bytes";

export const SLL_PROTOCOL: usize = 14;
export const SLL_HEADER_LEN: usize = 16;
export const SLL2_PROTOCOL: usize = 0;
export const SLL2_HEADER_LEN: usize = 20;

@inline export function sllProtocol(ptr: usize): u32 { return be16(ptr + SLL_PROTOCOL); }
@inline export function sll2Protocol(ptr: usize): u32 { return be16(ptr + SLL2_PROTOCOL); }
