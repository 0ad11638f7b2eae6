// SSH transport layer framing (RFC 4253) as far as the key exchange: the identification
// string each side sends first (§4.2), then the binary packets (§6) of which the first one in
// each direction is SSH_MSG_KEXINIT (§7.1). Its name-lists follow RFC 4251 §5.
import { be32 } from "../util/bytes";

/** §4.2: "SSH-protoversion-softwareversion SP comments CR LF", at most 255 bytes with CR LF. */
export const SSH_IDENT_PREFIX = "SSH-";
export const SSH_IDENT_MAX: usize = 255;

// §6: uint32 packet_length, byte padding_length, byte[n1] payload, byte[n2] padding, MAC.
// packet_length counts padding_length, payload and padding (not itself, not the MAC).
export const SSH_PACKET_LENGTH: usize = 0;
export const SSH_PADDING_LENGTH: usize = 4;
export const SSH_PAYLOAD: usize = 5;
/** §6.1: implementations must accept 35000-byte packets; a KEXINIT is far smaller. */
export const SSH_MIN_PADDING: u32 = 4;

// §7.1 SSH_MSG_KEXINIT payload: byte 20, byte[16] cookie, then ten name-lists
// (kex, host key, encryption c2s, s2c, mac c2s, s2c, compression c2s, s2c, languages c2s, s2c),
// boolean first_kex_packet_follows, uint32 reserved.
export const SSH_MSG_KEXINIT: u32 = 20;
export const KEXINIT_COOKIE_LEN: usize = 16;
export const KEXINIT_LISTS: usize = SSH_PAYLOAD + 1 + KEXINIT_COOKIE_LEN;
export const KEXINIT_LIST_COUNT: u32 = 10;
export const LIST_KEX: u32 = 0;
export const LIST_ENC_C2S: u32 = 2;
export const LIST_ENC_S2C: u32 = 3;
export const LIST_MAC_C2S: u32 = 4;
export const LIST_MAC_S2C: u32 = 5;
export const LIST_COMP_C2S: u32 = 6;
export const LIST_COMP_S2C: u32 = 7;

/** RFC 4251 §5: a name-list is a uint32 length and that many ASCII bytes, comma separated. */
export const NAME_LIST_LENGTH_LEN: usize = 4;

@inline export function sshPacketLength(p: usize): u32 { return be32(p + SSH_PACKET_LENGTH); }
@inline export function sshPaddingLength(p: usize): u32 { return <u32>load<u8>(p + SSH_PADDING_LENGTH); }
@inline export function sshMessageCode(p: usize): u32 { return <u32>load<u8>(p + SSH_PAYLOAD); }
