// Gnutella framing (The Gnutella Protocol Specification v0.6, the RFC-Gnutella draft) and the
// Gnutella2 UDP transceiver header (Gnutella2 specification, "UDP Transceiver").
import { le32 } from "../util/bytes";

// v0.6 §3.2 handshake lines (TCP). v0.4 servents answered "GNUTELLA OK".
export const GNUTELLA_CONNECT = "GNUTELLA CONNECT/";
export const GNUTELLA_RESPONSE = "GNUTELLA/";
export const GNUTELLA_OK = "GNUTELLA OK";
export const GNUTELLA_USER_AGENT = "User-Agent:";

// v0.6 §2.2.1 message header: Message ID (16), Payload Type (1), TTL (1), Hops (1),
// Payload Length (4, little-endian), then the payload.
export const GNUTELLA_GUID: usize = 0;
export const GNUTELLA_TYPE: usize = 16;
export const GNUTELLA_TTL: usize = 17;
export const GNUTELLA_HOPS: usize = 18;
export const GNUTELLA_PAYLOAD_LENGTH: usize = 19;
export const GNUTELLA_HEADER_LEN: usize = 23;
/** Payload type 0x44: a DHT (Mojito, the Kademlia of LimeWire and gtk-gnutella) message. */
export const GNUTELLA_TYPE_DHT: u32 = 0x44;

// G2 UDP transceiver: "GND", flags (1), sequence (2), part (1), count (1); count 0 = an ack.
export const G2_UDP_TAG = "GND";
export const G2_UDP_PART: usize = 6;
export const G2_UDP_COUNT: usize = 7;
export const G2_UDP_HEADER_LEN: usize = 8;

@inline export function gnutellaType(p: usize): u32 { return <u32>load<u8>(p + GNUTELLA_TYPE); }
@inline export function gnutellaPayloadLength(p: usize): u32 { return le32(p + GNUTELLA_PAYLOAD_LENGTH); }
