// PPP (RFC 1661 §2) and the framings it arrives in: HDLC-like (RFC 1662 §3.1: address 0xFF,
// control 0x03, then the protocol), PPPoE sessions (RFC 2516 §4: 6-byte header, then the PPP
// protocol) and Cisco HDLC (address, control, 2-byte EtherType).
import { be16 } from "../util/bytes";

export const PPP_PROTO_IPV4: u32 = 0x0021;
export const PPP_PROTO_IPV6: u32 = 0x0057;
export const PPP_HDLC_ADDRESS: u32 = 0xff;
export const PPP_HDLC_CONTROL: u32 = 0x03;

export const PPPOE_HEADER_LEN: usize = 6;
export const PPPOE_PPP_PROTO: usize = 6;
export const PPPOE_TOTAL_LEN: usize = 8;

export const CHDLC_PROTO: usize = 2;
export const CHDLC_HEADER_LEN: usize = 4;

/** PPP protocol numbers whose low bit of the first byte is set are sent in one byte (PFC, RFC 1661 §6.5). */
@inline export function pppProtoIsCompressed(ptr: usize): bool {
  return (load<u8>(ptr) & 1) != 0;
}

@inline export function pppoePppProto(ptr: usize): u32 {
  return be16(ptr + PPPOE_PPP_PROTO);
}
