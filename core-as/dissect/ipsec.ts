// IPsec key exchange and NAT traversal on UDP: ISAKMP/IKEv1 (RFC 2408 §3.1) and IKEv2 (RFC 7296
// §3.1) share a 28-byte header whose Length field is the whole message; on UDP 4500 IKE follows
// a 4-byte zero Non-ESP Marker and other datagrams are ESP (RFC 3948 §2.1-2.2: SPI, sequence
// number). ESP and AH themselves (IP protocols 50/51) are named by classify.ts.
//
// As nDPI does, a header that is well-formed in its version, exchange type and length but has
// an unknown next-payload type or reserved flag bits set still makes the flow IPSec, with the
// Malformed Packet risk. One packet decides: no state.
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { literalBytes } from "../util/ascii";
import { setDetected, setRisk } from "../classify/classify";
import { PROTO_IPSEC } from "../classify/generated/protocols";
import { RISK_MALFORMED_PACKET } from "../classify/generated/risks";
import { META_STR_RISK_INFO, metaHasString, metaSetString } from "./meta";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const PORT_IKE: u32 = 500;
const PORT_NAT_T: u32 = 4500;

// IKE header (RFC 7296 §3.1; the same layout in RFC 2408 §3.1).
const IKE_SPI_I: usize = 0;
const IKE_NEXT_PAYLOAD: usize = 16;
const IKE_VERSION: usize = 17;
const IKE_EXCHANGE: usize = 18;
const IKE_FLAGS: usize = 19;
const IKE_LENGTH: usize = 24;
const IKE_HEADER_LEN: usize = 28;
const NON_ESP_MARKER_LEN: usize = 4;
/** ESP header: SPI, sequence number (RFC 4303 §2), then at least an IV or some payload. */
const ESP_MIN_LEN: usize = 16;

const VERSION_IKEV1: u32 = 0x10;
const VERSION_IKEV2: u32 = 0x20;
/** RFC 2408 §3.1: Encryption, Commit, Authentication Only; the rest must be zero. */
const IKEV1_FLAGS: u32 = 0x07;
/** RFC 7296 §3.1: Initiator, Version, Response; the rest must be zero. */
const IKEV2_FLAGS: u32 = 0x38;

const INVALID_HEADER = "Invalid IPSec/ISAKMP Header";

/** RFC 2408 §3.1 exchange types 1-5, and the IPsec DOI's Quick Mode / New Group (RFC 2409 §9). */
function isIkev1Exchange(t: u32): bool { return (t >= 1 && t <= 5) || t == 32 || t == 33; }
/** IKE_SA_INIT (34) to INFORMATIONAL (37), then the IANA registry's later types up to 44. */
function isIkev2Exchange(t: u32): bool { return t >= 34 && t <= 44; }

/** RFC 2408 §3.1 payload types 0-13, NAT-D/NAT-OA (RFC 3947 §3), private use 128-255. */
function isIkev1Payload(t: u32): bool { return t <= 13 || t == 20 || t == 21 || t >= 128; }
/** RFC 7296 §3.2: none (0), 33-48, later IANA types up to 54, private use 128-255. */
function isIkev2Payload(t: u32): bool { return t == 0 || (t >= 33 && t <= 54) || t >= 128; }

export function dissectIpsec(rec: usize, fromClient: bool): i32 {
  let p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  const natT = info.srcPort == PORT_NAT_T || info.dstPort == PORT_NAT_T;
  // NAT-keepalive (RFC 3948 §2.3): one 0xFF byte, says nothing yet.
  if (natT && end - p == 1 && load<u8>(p) == 0xff) return R_MAYBE;
  if (natT && end - p >= NON_ESP_MARKER_LEN && load<u32>(p) == 0) {
    p += NON_ESP_MARKER_LEN;
  } else if (natT && isEsp(p, end)) {
    setDetected(rec, PROTO_IPSEC, 0);
    return R_DONE;
  }
  if (end - p < IKE_HEADER_LEN || <usize>be32(p + IKE_LENGTH) != end - p) return R_NO;
  if (load<u64>(p + IKE_SPI_I) == 0) return R_NO; // the initiator's SPI is never zero
  const version = <u32>load<u8>(p + IKE_VERSION) & 0xf0;
  const exchange = <u32>load<u8>(p + IKE_EXCHANGE);
  const flags = <u32>load<u8>(p + IKE_FLAGS);
  const next = <u32>load<u8>(p + IKE_NEXT_PAYLOAD);
  let wellFormed: bool;
  if (version == VERSION_IKEV1 && isIkev1Exchange(exchange)) {
    wellFormed = (flags & ~IKEV1_FLAGS) == 0 && isIkev1Payload(next);
  } else if (version == VERSION_IKEV2 && isIkev2Exchange(exchange)) {
    wellFormed = (flags & ~IKEV2_FLAGS) == 0 && isIkev2Payload(next);
  } else {
    return R_NO;
  }
  // Off the IKE ports only a clean header counts: the checks above are all there is to go on.
  if (!wellFormed && info.srcPort != PORT_IKE && info.dstPort != PORT_IKE && !natT) return R_NO;
  setDetected(rec, PROTO_IPSEC, 0);
  if (!wellFormed) {
    setRisk(rec, RISK_MALFORMED_PACKET);
    if (!metaHasString(rec, META_STR_RISK_INFO)) {
      metaSetString(rec, META_STR_RISK_INFO, literalBytes(INVALID_HEADER), INVALID_HEADER.length);
    }
  }
  return R_DONE;
}

/** ESP in UDP (RFC 3948 §2.1): a non-zero SPI, a non-zero sequence number and some payload. */
function isEsp(p: usize, end: usize): bool {
  return end - p >= ESP_MIN_LEN && load<u32>(p) != 0 && load<u32>(p + 4) != 0;
}

