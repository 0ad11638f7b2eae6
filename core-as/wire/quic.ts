// QUIC wire layouts: the version-independent invariants (RFC 8999), the long header and the
// frames of IETF QUIC version 1 (RFC 9000 §17.2, §19) and version 2 (RFC 9369 §3.2), the
// Initial salts of each version (RFC 9001 §5.2, RFC 9369 §3.3.1, the drafts), and Google
// QUIC's public header (gQUIC, "QUIC Wire Layout Specification") and handshake messages
// ("QUIC Crypto": a tag, a count, then (tag, end offset) pairs and the values).
import { be32 } from "../util/bytes";

// --- Invariants (RFC 8999 §5) -------------------------------------------------------------
/** First byte: 1 = long header (RFC 8999 §5.1), 0 = short header (§5.2). */
export const QUIC_LONG_HEADER: u32 = 0x80;
/** The fixed bit (RFC 9000 §17.2): 1 in every v1/v2 packet except Version Negotiation. */
export const QUIC_FIXED_BIT: u32 = 0x40;
export const QUIC_LONG_VERSION: usize = 1;
export const QUIC_LONG_DCID_LEN: usize = 5;
export const QUIC_LONG_DCID: usize = 6;
/** Connection IDs are at most 20 bytes in v1 (RFC 9000 §17.2); the invariants allow 255. */
export const QUIC_MAX_CID_LEN: u32 = 20;
/** Long header type bits (RFC 9000 §17.2: 0x30 of the first byte). */
export const QUIC_LONG_TYPE_MASK: u32 = 0x30;
export const QUIC_LONG_TYPE_SHIFT: u32 = 4;
/** Packet number length - 1 in the (unprotected) first byte (RFC 9000 §17.2). */
export const QUIC_PN_LEN_MASK: u32 = 0x03;

// Long packet types, v1 (RFC 9000 §17.2 Table 5) and v2 (RFC 9369 §3.2).
export const QUIC_TYPE_INITIAL: u32 = 0;
export const QUIC_TYPE_0RTT: u32 = 1;
export const QUIC_TYPE_HANDSHAKE: u32 = 2;
export const QUIC_TYPE_RETRY: u32 = 3;
export const QUIC_V2_TYPE_INITIAL: u32 = 1;
export const QUIC_V2_TYPE_0RTT: u32 = 2;
export const QUIC_V2_TYPE_HANDSHAKE: u32 = 3;
export const QUIC_V2_TYPE_RETRY: u32 = 0;

// --- Versions -------------------------------------------------------------------------------
/** Version Negotiation packets carry version 0 (RFC 9000 §17.2.1). */
export const QUIC_VERSION_NEGOTIATION: u32 = 0;
export const QUIC_VERSION_1: u32 = 0x00000001;
/** RFC 9369 §3.1. */
export const QUIC_VERSION_2: u32 = 0x6b3343cf;
/** IETF drafts are 0xff0000NN, NN the draft number (RFC 9000 §15 notes). */
export const QUIC_DRAFT_PREFIX: u32 = 0xff000000;
export const QUIC_FIRST_DRAFT: u32 = 22;
export const QUIC_LAST_DRAFT: u32 = 34;
/** Facebook's mvfst: draft-22 based, draft-27 based, and its experimental version. */
export const QUIC_MVFST_22: u32 = 0xfaceb001;
export const QUIC_MVFST_27: u32 = 0xfaceb002;
export const QUIC_MVFST_EXP: u32 = 0xfaceb00e;
/** Versions of the form 0x?a?a?a?a are reserved to force version negotiation (RFC 9000 §15). */
export const QUIC_FORCE_VN_MASK: u32 = 0x0f0f0f0f;
export const QUIC_FORCE_VN_PATTERN: u32 = 0x0a0a0a0a;
/** Google QUIC versions are ASCII: 'Q' then three digits (Q024..Q050), or 'T' (TLS) T048..T051. */
export const GQUIC_Q: u32 = 0x51;
export const GQUIC_T: u32 = 0x54;
export const GQUIC_Q046: u32 = 0x51303436;
export const GQUIC_Q050: u32 = 0x51303530;
export const GQUIC_T050: u32 = 0x54303530;
export const GQUIC_T051: u32 = 0x54303531;

/** The draft number of an IETF draft version, 0 for other versions. */
export function quicDraftNumber(version: u32): u32 {
  if ((version & 0xffffff00) != QUIC_DRAFT_PREFIX) return 0;
  const draft = version & 0xff;
  return draft >= QUIC_FIRST_DRAFT && draft <= QUIC_LAST_DRAFT ? draft : 0;
}

/** The numeric part of a gQUIC version ("Q046" -> 46), 0 when the version is not gQUIC. */
export function gquicNumber(version: u32): u32 {
  const letter = version >> 24;
  if (letter != GQUIC_Q && letter != GQUIC_T) return 0;
  const d0 = ((version >> 16) & 0xff) - 0x30;
  const d1 = ((version >> 8) & 0xff) - 0x30;
  const d2 = (version & 0xff) - 0x30;
  if (d0 > 9 || d1 > 9 || d2 > 9) return 0;
  return d0 * 100 + d1 * 10 + d2;
}

/** gQUIC versions with a plaintext CHLO: Q024..Q046 (Q046 already in the IETF-style long header). */
export function isPlainGquic(version: u32): bool {
  const n = gquicNumber(version);
  return (version >> 24) == GQUIC_Q && n >= 24 && n <= 46;
}

@inline export function isForcedNegotiation(version: u32): bool {
  return (version & QUIC_FORCE_VN_MASK) == QUIC_FORCE_VN_PATTERN;
}

// --- Initial salts (HKDF-Extract salt of the Initial secret) --------------------------------
export const QUIC_SALT_LEN: usize = 20;
/** RFC 9001 §5.2 (also drafts 33 and 34). */
export const SALT_V1: usize = memory.data<u8>([
  0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
  0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
]);
/** RFC 9369 §3.3.1. */
export const SALT_V2: usize = memory.data<u8>([
  0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
  0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
]);
/** draft-ietf-quic-tls-29 §5.2 (drafts 29 to 32). */
export const SALT_DRAFT_29: usize = memory.data<u8>([
  0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
  0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99,
]);
/** draft-ietf-quic-tls-23 §5.2 (drafts 23 to 28, mvfst's draft-27 version). */
export const SALT_DRAFT_23: usize = memory.data<u8>([
  0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
  0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02,
]);
/** draft-ietf-quic-tls-22 §5.2 (mvfst's draft-22 version). */
export const SALT_DRAFT_22: usize = memory.data<u8>([
  0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a,
  0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a,
]);
/** Google's Initial obfuscation salts for Q050, T050 and T051 (Chromium's quic_crypto_utils). */
export const SALT_Q050: usize = memory.data<u8>([
  0x50, 0x45, 0x74, 0xef, 0xd0, 0x66, 0xfe, 0x2f, 0x9d, 0x94,
  0x5c, 0xfc, 0xdb, 0xd3, 0xa7, 0xf0, 0xd3, 0xb5, 0x6b, 0x45,
]);
export const SALT_T050: usize = memory.data<u8>([
  0x7f, 0xf5, 0x79, 0xe5, 0xac, 0xd0, 0x72, 0x91, 0x55, 0x80,
  0x30, 0x4c, 0x43, 0xa2, 0x36, 0x7c, 0x60, 0x48, 0x83, 0x10,
]);
export const SALT_T051: usize = memory.data<u8>([
  0x7a, 0x4e, 0xde, 0xf4, 0xe7, 0xcc, 0xee, 0x5f, 0xa4, 0x50,
  0x6c, 0x19, 0x12, 0x4f, 0xc8, 0xcc, 0xda, 0x6e, 0x03, 0x3d,
]);

/** The Initial salt of a version whose Initials are encrypted, 0 when we know none. */
export function initialSalt(version: u32): usize {
  if (version == QUIC_VERSION_1) return SALT_V1;
  if (version == QUIC_VERSION_2) return SALT_V2;
  if (version == QUIC_MVFST_22) return SALT_DRAFT_22;
  if (version == QUIC_MVFST_27 || version == QUIC_MVFST_EXP) return SALT_DRAFT_23;
  if (version == GQUIC_Q050) return SALT_Q050;
  if (version == GQUIC_T050) return SALT_T050;
  if (version == GQUIC_T051) return SALT_T051;
  const draft = quicDraftNumber(version);
  if (draft == 0) return 0;
  if (draft >= 33) return SALT_V1;
  if (draft >= 29) return SALT_DRAFT_29;
  if (draft >= 23) return SALT_DRAFT_23;
  return SALT_DRAFT_22;
}

/** The long-header type that means Initial in this version (RFC 9369 §3.2 renumbers them). */
@inline export function initialTypeOf(version: u32): u32 {
  return version == QUIC_VERSION_2 ? QUIC_V2_TYPE_INITIAL : QUIC_TYPE_INITIAL;
}

@inline export function retryTypeOf(version: u32): u32 {
  return version == QUIC_VERSION_2 ? QUIC_V2_TYPE_RETRY : QUIC_TYPE_RETRY;
}

// --- Variable-length integers (RFC 9000 §16) --------------------------------------------------
/** Bytes of the varint whose first byte is `first`: 1, 2, 4 or 8. */
@inline export function varintLen(first: u32): usize {
  return <usize>1 << (first >> 6);
}

/** The varint at p (caller checked p + varintLen(load(p)) <= end). Values past 2^32 saturate. */
export function varintAt(p: usize): u64 {
  const len = varintLen(<u32>load<u8>(p));
  let value = <u64>(load<u8>(p) & 0x3f);
  for (let i: usize = 1; i < len; i++) value = (value << 8) | <u64>load<u8>(p + i);
  return value;
}

// --- Frames carried by Initial packets (RFC 9000 §17.2.2, §19) ---------------------------------
export const FRAME_PADDING: u32 = 0x00;
export const FRAME_PING: u32 = 0x01;
export const FRAME_ACK: u32 = 0x02;
export const FRAME_ACK_ECN: u32 = 0x03;
export const FRAME_CRYPTO: u32 = 0x06;
export const FRAME_CONNECTION_CLOSE: u32 = 0x1c;
export const FRAME_CONNECTION_CLOSE_APP: u32 = 0x1d;
/** Google's Q050/T050/T051 Initials: a CRYPTO frame with the IETF fields under type 0x08. */
export const GQUIC_FRAME_CRYPTO: u32 = 0x08;

// --- Packet protection (RFC 9001 §5.3, §5.4) ----------------------------------------------------
export const QUIC_AEAD_TAG_LEN: usize = 16;
export const QUIC_HP_SAMPLE_LEN: usize = 16;
/** The sample starts 4 bytes after the start of the packet number (RFC 9001 §5.4.2). */
export const QUIC_HP_SAMPLE_OFFSET: usize = 4;
export const QUIC_KEY_LEN: usize = 16;
export const QUIC_IV_LEN: usize = 12;

// --- gQUIC public header (versions up to Q043) ------------------------------------------------
/** Public flags: version present (client), public reset, diversification nonce (server), 8-byte connection id. */
export const GQUIC_FLAG_VERSION: u32 = 0x01;
export const GQUIC_FLAG_RESET: u32 = 0x02;
export const GQUIC_FLAG_CID: u32 = 0x08;
export const GQUIC_CID_LEN: usize = 8;
/** Unencrypted gQUIC packets end their header with a 12-byte message hash (FNV-1a-128 truncated). */
export const GQUIC_HASH_LEN: usize = 12;

// Handshake message tags (little-endian ASCII as they appear on the wire).
export const GQUIC_TAG_CHLO: u32 = 0x4f4c4843; // "CHLO"
export const GQUIC_TAG_REJ: u32 = 0x004a4552;  // "REJ\0"
export const GQUIC_TAG_SNI: u32 = 0x00494e53;  // "SNI\0"
export const GQUIC_TAG_UAID: u32 = 0x44494155; // "UAID"
/** A handshake message: tag (4), number of entries (u16 LE), padding (2), then 8-byte entries. */
export const GQUIC_MSG_HEADER_LEN: usize = 8;
export const GQUIC_MSG_ENTRY_LEN: usize = 8;

@inline export function versionAt(p: usize): u32 { return be32(p); }
