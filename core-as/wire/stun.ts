// STUN message layout (RFC 8489 §5, formerly RFC 5389 and, without the magic cookie, RFC 3489
// §11.1): type (2, the two top bits zero), length of the attributes (2), magic cookie (4),
// transaction id (12); attributes are type (2), length (2), value padded to 4 bytes (§14).
// Over TCP a message may be framed with a 2-byte length (RFC 4571 §2, used by ICE-TCP,
// RFC 6544 §3). TURN's ChannelData messages (RFC 8656 §12.4) share the 5-tuple: channel number
// 0x4000-0x4FFF (2), length (2), data.
import { be16, be32 } from "../util/bytes";

export const STUN_HEADER_LEN: usize = 20;
export const STUN_TYPE: usize = 0;
export const STUN_LENGTH: usize = 2;
export const STUN_COOKIE: usize = 4;
export const STUN_MAGIC_COOKIE: u32 = 0x2112a442;
export const STUN_TYPE_RESERVED_BITS: u32 = 0xc000;
export const STUN_ATTR_HEADER_LEN: usize = 4;
export const STUN_FRAME_PREFIX: usize = 2;

export const CHANNEL_DATA_HEADER_LEN: usize = 4;
export const CHANNEL_FIRST: u32 = 0x40;
export const CHANNEL_LAST: u32 = 0x4f;

// RFC 3489 §11.1 message types (the only ones of the classic protocol).
export const CLASSIC_BINDING_REQUEST: u32 = 0x0001;
export const CLASSIC_BINDING_RESPONSE: u32 = 0x0101;
export const CLASSIC_BINDING_ERROR: u32 = 0x0111;
export const CLASSIC_SECRET_REQUEST: u32 = 0x0002;
export const CLASSIC_SECRET_RESPONSE: u32 = 0x0102;
export const CLASSIC_SECRET_ERROR: u32 = 0x0112;

// Attribute types (IANA "STUN Attributes" registry).
export const ATTR_MAPPED_ADDRESS: u32 = 0x0001;
export const ATTR_REALM: u32 = 0x0014;
export const ATTR_XOR_PEER_ADDRESS: u32 = 0x0012;
export const ATTR_XOR_RELAYED_ADDRESS: u32 = 0x0016;
export const ATTR_XOR_MAPPED_ADDRESS: u32 = 0x0020;
/** The XOR-MAPPED-ADDRESS number of the RFC 5389 drafts, still sent by some servers. */
export const ATTR_XOR_MAPPED_ADDRESS_OLD: u32 = 0x8020;
export const ATTR_RESPONSE_ORIGIN: u32 = 0x802b;
export const ATTR_OTHER_ADDRESS: u32 = 0x802c;
/** Microsoft's MS-TURN/MS-ICE2: MS-SERVICE-QUALITY and MS-IMPLEMENTATION-VERSION. */
export const ATTR_MS_SERVICE_QUALITY: u32 = 0x8055;
export const ATTR_MS_IMPLEMENTATION_VERSION: u32 = 0x8070;
/** Google's GOOG-NETWORK-INFO: every libwebrtc client sends it, whatever the application. */
export const ATTR_GOOG_NETWORK_INFO: u32 = 0xc057;
/** Outside RFC 3489's attributes (0x0001-0x000b): Zoom's classic Binding Requests carry it. */
export const ATTR_ZOOM_CLASSIC: u32 = 0x0101;
/** Unregistered comprehension-required attributes WhatsApp's calls carry (seen 0x4000, 0x4002). */
export const ATTR_WHATSAPP_FIRST: u32 = 0x4000;
export const ATTR_WHATSAPP_LAST: u32 = 0x4007;

// Address attribute value (RFC 8489 §14.1): reserved (1), family (1), port (2), address.
export const ADDR_FAMILY_IPV4: u32 = 0x01;
export const ADDR_FAMILY_IPV6: u32 = 0x02;

@inline export function stunType(p: usize): u32 { return be16(p + STUN_TYPE); }
@inline export function stunLength(p: usize): u32 { return be16(p + STUN_LENGTH); }
@inline export function stunHasCookie(p: usize): bool { return be32(p + STUN_COOKIE) == STUN_MAGIC_COOKIE; }

@inline export function isClassicType(type: u32): bool {
  return type == CLASSIC_BINDING_REQUEST || type == CLASSIC_BINDING_RESPONSE || type == CLASSIC_BINDING_ERROR ||
    type == CLASSIC_SECRET_REQUEST || type == CLASSIC_SECRET_RESPONSE || type == CLASSIC_SECRET_ERROR;
}
