// DNS message layout (RFC 1035 §4.1): a 12-byte header, then questions and resource records
// whose names are label sequences with compression pointers (§4.1.4). Over TCP each message is
// preceded by a 2-byte length (RFC 1035 §4.2.2).
import { be16 } from "../util/bytes";

export const DNS_ID: usize = 0;
export const DNS_FLAGS: usize = 2;
export const DNS_QDCOUNT: usize = 4;
export const DNS_ANCOUNT: usize = 6;
export const DNS_NSCOUNT: usize = 8;
export const DNS_ARCOUNT: usize = 10;
export const DNS_HEADER_LEN: usize = 12;
export const DNS_TCP_LENGTH_PREFIX: usize = 2;

export const DNS_FLAG_RESPONSE: u32 = 0x8000;
export const DNS_OPCODE_MASK: u32 = 0x7800;
export const DNS_RCODE_MASK: u32 = 0x000f;

export const DNS_TYPE_A: u32 = 1;
export const DNS_TYPE_AAAA: u32 = 28;

/** Question after its name: type (2), class (2). RR after its name: type, class, TTL (4), rdlength (2). */
export const DNS_QUESTION_FIXED: usize = 4;
export const DNS_RR_FIXED: usize = 10;
export const DNS_RR_TTL: usize = 4;
export const DNS_RR_RDLENGTH: usize = 8;

export const DNS_POINTER_MASK: u32 = 0xc0;
export const DNS_MAX_NAME: usize = 253;

@inline export function dnsFlags(msg: usize): u32 { return be16(msg + DNS_FLAGS); }
@inline export function dnsQdCount(msg: usize): u32 { return be16(msg + DNS_QDCOUNT); }
@inline export function dnsAnCount(msg: usize): u32 { return be16(msg + DNS_ANCOUNT); }
@inline export function dnsNsCount(msg: usize): u32 { return be16(msg + DNS_NSCOUNT); }
@inline export function dnsArCount(msg: usize): u32 { return be16(msg + DNS_ARCOUNT); }
