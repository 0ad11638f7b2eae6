// Avast's two protocols nDPI names from the first payload (avast.pcap, avast_securedns.pcapng):
//  - AVAST (TCP, port 80 in the captures): every message starts with the ASCII magic "NOSA"
//    followed by the message length, 16 bits big-endian, counting the whole message (the
//    client's 96-byte hello declares 0x0060, the server's 16-byte answer 0x0010).
//  - AVASTSecureDNS (UDP 443): a DNS message (RFC 1035 §4.1) whose one question asks for
//    "<label>.securedns.avast.com", the DNSCrypt certificate name of Avast's resolver, with the
//    letters' case randomised (the "0x20" trick): the name is compared without case.
// One payload decides; no state.
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_AVAST, PROTO_AVAST_SECUREDNS } from "../classify/generated/protocols";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const NOSA_MAGIC: u32 = 0x4e4f5341; // "NOSA"
const NOSA_LENGTH: usize = 4;
const NOSA_HEADER_LEN: u32 = 6;

// DNS header (RFC 1035 §4.1.1).
const DNS_FLAGS: usize = 2;
const DNS_QDCOUNT: usize = 4;
const DNS_HEADER_LEN: usize = 12;
const DNS_OPCODE_MASK: u32 = 0x7800;
const DNS_MAX_LABEL: u32 = 63;

export function dissectAvast(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = info.payloadLen;
  if (info.l4Proto == IPPROTO_TCP) {
    if (!isNosaMessage(p, len)) return R_NO;
    setDetected(rec, PROTO_AVAST, 0);
    return R_DONE;
  }
  if (!asksSecureDnsName(p, len)) return R_NO;
  setDetected(rec, PROTO_AVAST_SECUREDNS, 0);
  return R_DONE;
}

/** "NOSA", then a length that covers at least the header and at most what the segment holds. */
function isNosaMessage(p: usize, len: u32): bool {
  if (len < NOSA_HEADER_LEN || bswap<u32>(load<u32>(p)) != NOSA_MAGIC) return false;
  const declared = <u32>be16(p + NOSA_LENGTH);
  return declared >= NOSA_HEADER_LEN && declared <= len;
}

/** A standard-query DNS message with one question for <label>.securedns.avast.com. */
function asksSecureDnsName(p: usize, len: u32): bool {
  const end = p + <usize>len;
  if (<usize>len <= DNS_HEADER_LEN) return false;
  if ((<u32>be16(p + DNS_FLAGS) & DNS_OPCODE_MASK) != 0 || be16(p + DNS_QDCOUNT) != 1) return false;
  let at = p + DNS_HEADER_LEN;
  // First label: any name of Avast's choosing (a digit in the captures).
  const first = <u32>load<u8>(at);
  if (first == 0 || first > DNS_MAX_LABEL || at + 1 + <usize>first > end) return false;
  at += 1 + <usize>first;
  at = labelIs(at, end, "securedns");
  if (at == 0) return false;
  at = labelIs(at, end, "avast");
  if (at == 0) return false;
  at = labelIs(at, end, "com");
  return at != 0 && at < end && load<u8>(at) == 0;
}

/** The label at `at` equals `word` (lower-case ASCII) without case: returns the next label's offset, 0 if not. */
function labelIs(at: usize, end: usize, word: string): usize {
  const n = <usize>word.length;
  if (at >= end || <usize>load<u8>(at) != n || at + 1 + n > end) return 0;
  for (let i: usize = 0; i < n; i++) {
    if ((<u32>load<u8>(at + 1 + i) | 0x20) != <u32>word.charCodeAt(<i32>i)) return 0;
  }
  return at + 1 + n;
}
