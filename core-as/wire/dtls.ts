// DTLS wire layout (RFC 6347 §4.1, §4.2.2; RFC 9147 §4 for 1.3's plaintext records): a record
// is type (1), version (2), epoch (2), sequence number (6), length (2); a handshake message
// type (1), length (3), message_seq (2), fragment_offset (3), fragment_length (3). The
// ClientHello carries a cookie after the session id (RFC 6347 §4.2.1). Content types and
// handshake types are TLS's (wire/tls.ts); tls12_cid records (RFC 9146) have type 25.
import { be16 } from "../util/bytes";

export const DTLS_RECORD_HEADER_LEN: usize = 13;
export const DTLS_RECORD_TYPE: usize = 0;
export const DTLS_RECORD_VERSION: usize = 1;
export const DTLS_RECORD_EPOCH: usize = 3;
export const DTLS_RECORD_LENGTH: usize = 11;

export const DTLS_HS_HEADER_LEN: usize = 12;
export const DTLS_HS_LENGTH: usize = 1;
export const DTLS_HS_FRAGMENT_OFFSET: usize = 6;
export const DTLS_HS_FRAGMENT_LENGTH: usize = 9;

export const CT_TLS12_CID: u32 = 25;

/** DTLS 1.0 and 1.2 (1.3 keeps 1.2's number in records), and OpenSSL's pre-RFC 0x0100 (DTLS1_BAD_VER). */
export const DTLS_VERSION_BAD: u32 = 0x0100;

@inline export function dtlsRecordVersion(p: usize): u32 { return be16(p + DTLS_RECORD_VERSION); }
@inline export function dtlsRecordLength(p: usize): usize { return <usize>be16(p + DTLS_RECORD_LENGTH); }
