// BitTorrent framing: the peer wire handshake (BEP 3), uTP (BEP 29), the DHT's KRPC messages
// (BEP 5), the UDP tracker protocol (BEP 15) and Local Service Discovery (BEP 14).
import { be16, be32 } from "../util/bytes";

// BEP 3 handshake: pstrlen (19), "BitTorrent protocol", reserved (8), info_hash (20), peer_id (20).
export const BT_PSTR_LEN: u32 = 19;
export const BT_PSTR = "BitTorrent protocol";
export const BT_INFO_HASH: usize = 28;
export const BT_INFO_HASH_LEN: usize = 20;
export const BT_HANDSHAKE_LEN: usize = 68;

// BEP 29 uTP header, 20 bytes: type (high nibble) and version (low nibble), extension,
// connection_id (2), timestamp_microseconds (4), timestamp_difference_microseconds (4),
// wnd_size (4), seq_nr (2), ack_nr (2); then the extension chain (next extension (1),
// length (1), data), then the payload.
export const UTP_TYPE_VERSION: usize = 0;
export const UTP_EXTENSION: usize = 1;
export const UTP_CONNECTION_ID: usize = 2;
export const UTP_TIMESTAMP: usize = 4;
export const UTP_TIMESTAMP_DIFF: usize = 8;
export const UTP_WND_SIZE: usize = 12;
export const UTP_SEQ_NR: usize = 16;
export const UTP_ACK_NR: usize = 18;
export const UTP_HEADER_LEN: usize = 20;
export const UTP_VERSION: u32 = 1;
export const UTP_ST_DATA: u32 = 0;
export const UTP_ST_FIN: u32 = 1;
export const UTP_ST_STATE: u32 = 2;
export const UTP_ST_RESET: u32 = 3;
export const UTP_ST_SYN: u32 = 4;
/** Extension types defined so far: 0 none, 1 selective ack, 2 extension bits. */
export const UTP_MAX_EXTENSION: u32 = 2;

@inline export function utpType(p: usize): u32 { return <u32>load<u8>(p + UTP_TYPE_VERSION) >> 4; }
@inline export function utpVersion(p: usize): u32 { return <u32>load<u8>(p + UTP_TYPE_VERSION) & 0xf; }
@inline export function utpConnectionId(p: usize): u32 { return be16(p + UTP_CONNECTION_ID); }
@inline export function utpTimestamp(p: usize): u32 { return be32(p + UTP_TIMESTAMP); }
@inline export function utpWindow(p: usize): u32 { return be32(p + UTP_WND_SIZE); }
@inline export function utpSeqNr(p: usize): u32 { return be16(p + UTP_SEQ_NR); }
@inline export function utpAckNr(p: usize): u32 { return be16(p + UTP_ACK_NR); }

// BEP 5: KRPC messages are bencoded dictionaries whose key "y" says query, response or error.
export const KRPC_TYPE_KEY = "1:y1:";
export const KRPC_QUERY_PREFIX = "d1:ad2:id20:";
export const KRPC_RESPONSE_PREFIX = "d1:rd2:id20:";

// BEP 15 connect request: protocol_id (8) = 0x41727101980, action (4) = 0 (connect), transaction_id (4).
export const TRACKER_PROTOCOL_ID_HIGH: u32 = 0x417;
export const TRACKER_PROTOCOL_ID_LOW: u32 = 0x27101980;
export const TRACKER_ACTION: usize = 8;
export const TRACKER_CONNECT_LEN: usize = 16;

// BEP 14: an HTTP-like announce to 239.192.152.143:6771 or [ff15::efc0:988f]:6771.
export const LSD_SEARCH = "BT-SEARCH * HTTP/1.1";
