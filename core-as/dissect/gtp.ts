// GTP control and charging planes, which nDPI names GTP.GTP_C and GTP.GTP_PRIME (the user plane,
// GTP-U on 2152, is a tunnel: wire/tunnels.ts decapsulates it). A datagram on the protocol's
// port (either end) whose header is consistent with the payload length decides:
// - GTP-C (UDP 2123): GTPv1-C (3GPP TS 29.060 §6: version 1, PT 1, length = bytes after the
//   8-byte header, which then carries 4 optional bytes when E, S or PN is set) or GTPv2-C
//   (TS 29.274 §5.1: version 2, length = bytes after the first 4; with P set another message
//   follows). Message type 0 is reserved in both.
// - GTP' (UDP 3386, TS 32.295 §6.1): version 0 to 2, PT 0, a 6-byte header (20 bytes for v0's
//   long form, flag bit 0), length = bytes after it; one of the message types of §6.2.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_GTP, PROTO_GTP_C, PROTO_GTP_PRIME } from "../classify/generated/protocols";
import { be16 } from "../util/bytes";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const GTP_C_PORT: u32 = 2123;
const GTP_PRIME_PORT: u32 = 3386;

const FLAGS: usize = 0;
const MESSAGE_TYPE: usize = 1;
const LENGTH: usize = 2;
const VERSION_SHIFT: u32 = 5;
const FLAG_PT: u32 = 0x10;

const V1_HEADER_LEN: usize = 8;
const V1_OPTIONAL_FLAGS: u32 = 0x07; // E, S, PN
const V1_OPTIONAL_LEN: u32 = 4;
const V2_FIXED_LEN: usize = 4;
const V2_FLAG_PIGGYBACK: u32 = 0x10;

const PRIME_SHORT_HEADER: usize = 6;
const PRIME_LONG_HEADER: usize = 20;
const PRIME_FLAG_LONG: u32 = 0x01;
const PRIME_SPARE_BITS: u32 = 0x0e; // "111" after PT

export function dissectGtp(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const len = <usize>info.payloadLen;
  if (len < PRIME_SHORT_HEADER) return R_NO;
  if (info.srcPort == GTP_C_PORT || info.dstPort == GTP_C_PORT) {
    if (!isGtpC(info.payloadPtr, len)) return R_NO;
    setDetected(rec, PROTO_GTP, PROTO_GTP_C);
    return R_DONE;
  }
  if (info.srcPort == GTP_PRIME_PORT || info.dstPort == GTP_PRIME_PORT) {
    if (!isGtpPrime(info.payloadPtr, len)) return R_NO;
    setDetected(rec, PROTO_GTP, PROTO_GTP_PRIME);
    return R_DONE;
  }
  return R_NO;
}

function isGtpC(p: usize, len: usize): bool {
  const flags = <u32>load<u8>(p + FLAGS);
  if (load<u8>(p + MESSAGE_TYPE) == 0) return false;
  const declared = <usize>be16(p + LENGTH);
  const version = flags >> VERSION_SHIFT;
  if (version == 1) {
    if ((flags & FLAG_PT) == 0 || len < V1_HEADER_LEN) return false;
    if ((flags & V1_OPTIONAL_FLAGS) != 0 && declared < <usize>V1_OPTIONAL_LEN) return false;
    return declared == len - V1_HEADER_LEN;
  }
  if (version == 2) {
    if ((flags & V2_FLAG_PIGGYBACK) != 0) return declared <= len - V2_FIXED_LEN && declared > 0;
    return declared == len - V2_FIXED_LEN;
  }
  return false;
}

function isGtpPrime(p: usize, len: usize): bool {
  const flags = <u32>load<u8>(p + FLAGS);
  if ((flags >> VERSION_SHIFT) > 2 || (flags & FLAG_PT) != 0 || (flags & PRIME_SPARE_BITS) != PRIME_SPARE_BITS) return false;
  const header = (flags & PRIME_FLAG_LONG) != 0 ? PRIME_LONG_HEADER : PRIME_SHORT_HEADER;
  if (len < header || !isPrimeMessage(<u32>load<u8>(p + MESSAGE_TYPE))) return false;
  return <usize>be16(p + LENGTH) == len - header;
}

/** Echo, Version Not Supported, Node Alive, Redirection and Data Record Transfer (§6.2). */
function isPrimeMessage(type: u32): bool {
  return (type >= 1 && type <= 7) || type == 240 || type == 241;
}
