// TLS wire layout: the record layer (RFC 8446 §5.1, RFC 5246 §6.2.1), handshake message headers
// (RFC 8446 §4, RFC 5246 §7.4), hello bodies and the extension numbers the dissector reads.
// Offsets are named here; readers bounds-check once per structure, never per field.
import { be16 } from "../util/bytes";

// --- Record layer (RFC 8446 §5.1) ---------------------------------------------------------
/** ContentType(1) ProtocolVersion(2) length(2). */
export const TLS_RECORD_HEADER_LEN: usize = 5;
export const TLS_RECORD_TYPE: usize = 0;
export const TLS_RECORD_VERSION: usize = 1;
export const TLS_RECORD_LENGTH: usize = 3;
/** RFC 8446 §5.1: plaintext at most 2^14; §5.2 ciphertext may add up to 256 (RFC 5246 allowed 2048). */
export const TLS_MAX_PLAINTEXT: usize = 16384;
export const TLS_MAX_RECORD_BODY: usize = TLS_MAX_PLAINTEXT + 2048;

export const CT_CHANGE_CIPHER_SPEC: u32 = 20;
export const CT_ALERT: u32 = 21;
export const CT_HANDSHAKE: u32 = 22;
export const CT_APPLICATION_DATA: u32 = 23;
export const CT_HEARTBEAT: u32 = 24;

// --- Alert (RFC 8446 §6) ------------------------------------------------------------------
export const ALERT_BODY_LEN: usize = 2;
export const ALERT_LEVEL_FATAL: u32 = 2;

// --- Handshake (RFC 8446 §4) --------------------------------------------------------------
/** HandshakeType(1) uint24 length. */
export const HS_HEADER_LEN: usize = 4;
export const HS_CLIENT_HELLO: u32 = 1;
export const HS_SERVER_HELLO: u32 = 2;
export const HS_CERTIFICATE: u32 = 11;
export const HS_SERVER_HELLO_DONE: u32 = 14;

// Hello bodies: legacy_version(2) random(32) then the variable part (RFC 8446 §4.1.2, §4.1.3).
export const HELLO_VERSION: usize = 0;
export const HELLO_RANDOM_LEN: usize = 32;
export const HELLO_SESSION_ID: usize = 34;
export const HELLO_MAX_SESSION_ID: usize = 32;

// --- Versions -----------------------------------------------------------------------------
export const VERSION_SSL3: u32 = 0x0300;
export const VERSION_TLS10: u32 = 0x0301;
export const VERSION_TLS11: u32 = 0x0302;
export const VERSION_TLS12: u32 = 0x0303;
export const VERSION_TLS13: u32 = 0x0304;
/** Facebook's Fizz library announces this in supported_versions for its TLS 1.3. */
export const VERSION_TLS13_FIZZ: u32 = 0xfb1a;
export const VERSION_DTLS10: u32 = 0xfeff;
export const VERSION_DTLS12: u32 = 0xfefd;
export const VERSION_DTLS13: u32 = 0xfefc;

// --- Extensions (IANA TLS ExtensionType registry) ------------------------------------------
export const EXT_SERVER_NAME: u32 = 0;          // RFC 6066 §3
export const EXT_SUPPORTED_GROUPS: u32 = 10;    // RFC 8422 §5.1.1
export const EXT_EC_POINT_FORMATS: u32 = 11;    // RFC 8422 §5.1.2
export const EXT_SIGNATURE_ALGORITHMS: u32 = 13; // RFC 8446 §4.2.3
export const EXT_ALPN: u32 = 16;                // RFC 7301 §3.1
export const EXT_SUPPORTED_VERSIONS: u32 = 43;  // RFC 8446 §4.2.1
export const EXT_QUIC_TRANSPORT_PARAMETERS: u32 = 57; // RFC 9001 §8.2
export const EXT_ENCRYPTED_CLIENT_HELLO: u32 = 0xfe0d; // draft-ietf-tls-esni (ECH)
export const EXT_ENCRYPTED_SERVER_NAME: u32 = 0xffce; // draft-ietf-tls-esni-01..06 (ESNI)
/** server_name list entry type host_name (RFC 6066 §3). */
export const SNI_HOST_NAME: u32 = 0;

/** RFC 8701: GREASE values are 0x?A?A with both bytes equal. */
@inline export function isGrease(value: u32): bool {
  return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}

/** A record header a TLS implementation could send: known content type, major version 3. */
export function isPlausibleRecordHeader(p: usize): bool {
  const type = <u32>load<u8>(p + TLS_RECORD_TYPE);
  if (type < CT_CHANGE_CIPHER_SPEC || type > CT_HEARTBEAT) return false;
  const version = be16(p + TLS_RECORD_VERSION);
  // SSL 3.0 .. TLS 1.2 on the wire (TLS 1.3 keeps 0x0303, and 0x0301 in the first ClientHello).
  if ((version >> 8) != 3 || (version & 0xff) > 4) return false;
  return <usize>be16(p + TLS_RECORD_LENGTH) <= TLS_MAX_RECORD_BODY;
}

@inline export function be24(p: usize): u32 {
  return (<u32>load<u8>(p) << 16) | be16(p + 1);
}

// --- Extension list walk (RFC 8446 §4.2: extensions<..2^16-1>, each type(2) length(2) data) ----
// Shared by the ClientHello and ServerHello parsers. A cursor in module globals (no closure, no
// allocation): beginExtensions() then `while (nextExtension())` reading extType/extData/extLen.
// The list is clipped to the message, and the walk stops at the first entry that overruns it.

export let extType: u32 = 0;
export let extData: usize = 0;
export let extLen: usize = 0;
let extCursor: usize = 0;
let extListEnd: usize = 0;

/** Starts the walk of the extension list at p (its 2-byte length first); false when absent. */
export function beginExtensions(p: usize, end: usize): bool {
  if (p + 2 > end) return false;
  extListEnd = p + 2 + <usize>be16(p);
  if (extListEnd > end) extListEnd = end;
  extCursor = p + 2;
  return true;
}

/** Moves to the next extension; false at the end of the list or at one that overruns it. */
export function nextExtension(): bool {
  if (extCursor + 4 > extListEnd) return false;
  extType = be16(extCursor);
  extLen = <usize>be16(extCursor + 2);
  extData = extCursor + 4;
  if (extData + extLen > extListEnd) return false;
  extCursor = extData + extLen;
  return true;
}
