// LDAP (RFC 4511 §4.1.1) over TCP, and connectionless over UDP (CLDAP, RFC 1798): every message
// is a BER SEQUENCE { messageID INTEGER (0..maxInt), protocolOp [APPLICATION n], controls }.
// The first payload packet must start such a message; its contents may continue in later
// segments. A first packet that is something else (a SASL-wrapped, encrypted bind) leaves the
// flow to the port guess, as in nDPI's results. One packet decides: no state.
import * as info from "../decode/packet_info";
import {
  BER_CLASS_APPLICATION, BER_CLASS_MASK, BER_CONSTRUCTED, BER_INTEGER, BER_SEQUENCE, berHeader,
  berInteger, berLength, berTag, berValue,
} from "../wire/ber";
import { setDetected } from "../classify/classify";
import { PROTO_LDAP } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

/** RFC 4511 §4.2-§4.14 protocolOp tags: constructed except UnbindRequest [2], DelRequest [10], AbandonRequest [16]. */
function isProtocolOp(tag: u32): bool {
  if ((tag & BER_CLASS_MASK) != BER_CLASS_APPLICATION) return false;
  const n = tag & 0x1f;
  const constructed = (tag & BER_CONSTRUCTED) != 0;
  if (n == 2 || n == 10 || n == 16) return !constructed;
  return constructed && n <= 25 && (n < 17 || n == 19 || n >= 23);
}

export function dissectLdap(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (!berHeader(p, end) || berTag != BER_SEQUENCE) return R_NO;
  // messageID: a non-negative INTEGER of 1 to 4 octets, wholly in this packet.
  if (!berHeader(berValue, end) || berTag != BER_INTEGER || berLength == 0 || berLength > 4 || berLength > end - berValue) return R_NO;
  if (berInteger() < 0) return R_NO;
  if (!berHeader(berValue + berLength, end) || !isProtocolOp(berTag)) return R_NO;
  setDetected(rec, PROTO_LDAP, 0);
  return R_DONE;
}
