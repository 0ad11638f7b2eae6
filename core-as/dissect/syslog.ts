// Syslog on any port, over UDP (RFC 5426) or TCP (RFC 6587). Every message starts with its
// PRI part, "<" 1-3 digits ">" with a value of at most 191 (RFC 5424 §6.2.1; RFC 3164 §4.1.1),
// followed by printable text (the RFC 5424 version or an RFC 3164 timestamp or host). Over TCP
// a message may be preceded by its length in octet-counting framing (RFC 6587 §3.4.1).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { u8at } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { setDetected } from "../classify/classify";
import { PROTO_SYSLOG } from "../classify/generated/protocols";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const MAX_PRIORITY: u32 = 191;
/** Digits of an octet count (RFC 6587 MSG-LEN); messages are far shorter than 10^9 octets. */
const MAX_LENGTH_DIGITS: usize = 9;

@inline function isDigit(c: u32): bool { return c - 0x30 < 10; }

export function dissectSyslog(rec: usize, fromClient: bool): i32 {
  let p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (info.l4Proto == IPPROTO_TCP && p < end && isDigit(u8at(p))) {
    // Octet-counting framing: MSG-LEN SP SYSLOG-MSG.
    let digits: usize = 0;
    while (p < end && isDigit(u8at(p)) && digits <= MAX_LENGTH_DIGITS) { p++; digits++; }
    if (p >= end) return R_MAYBE;
    if (digits > MAX_LENGTH_DIGITS || u8at(p) != 0x20) return R_NO;
    p++;
  }
  if (end - p < 4) return info.l4Proto == IPPROTO_TCP && end == p ? R_MAYBE : R_NO;
  if (u8at(p) != 0x3c) return R_NO;
  let priority: u32 = 0;
  let digits: usize = 0;
  let q = p + 1;
  while (q < end && digits < 4 && isDigit(u8at(q))) {
    priority = priority * 10 + (u8at(q) - 0x30);
    q++;
    digits++;
  }
  if (digits == 0 || digits > 3 || priority > MAX_PRIORITY) return R_NO;
  if (q + 1 >= end || u8at(q) != 0x3e) return R_NO;
  const next = u8at(q + 1);
  if (next < 0x20 || next > 0x7e) return R_NO;
  setDetected(rec, PROTO_SYSLOG, 0);
  return R_DONE;
}
