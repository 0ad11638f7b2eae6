// QUIC Initial packets: finding the Initial in a datagram, removing its protection and collecting
// the CRYPTO stream it carries, the way a passive observer can (RFC 9001 §5: the Initial keys
// derive from the client's Destination Connection ID and a salt fixed per version).
//
// openInitial() walks the coalesced packets of a datagram (RFC 9000 §12.2), derives the client
// Initial keys (RFC 9001 §5.2; RFC 9369 §3.3 labels for v2), removes header protection
// (§5.4.1-5.4.3: AES-ECB of a 16-byte sample, then the first byte's low bits and the packet
// number are unmasked), and authenticates and decrypts the payload (§5.3, AES-128-GCM with the
// header as associated data) into a static buffer. The datagram itself is never modified: the
// other dissectors may still look at it.
//
// The CRYPTO frames (RFC 9000 §19.6) of the plaintext go into a CryptoStream: a buffer with a
// short list of the byte ranges received, so that frames may arrive out of order, overlap, or
// span several Initial packets (a ClientHello larger than one datagram).
//
// readQuicTransportParameters() reads the ClientHello's quic_transport_parameters extension
// (RFC 9000 §18, RFC 9001 §8.2: type 57; the drafts and Google's T05x used 0xffa5): each
// parameter an id (varint), a length (varint) and a value; drafts up to 27 (and T050) prefixed
// the list with its length (u16) and gave each parameter a u16 id and a u16 length instead.
// nDPI reports Chrome's google_user_agent parameter (id 0x3129) as the flow's user agent. The
// TLS ClientHello parser hands the extension body here when the ClientHello came from QUIC.
import { hkdfExpandLabel, hkdfExtract } from "../crypto/hmac_hkdf";
import { AES128_ROUND_KEYS_SIZE, aes128EncryptBlock, aes128ExpandKey } from "../crypto/aes";
import { GCM_CONTEXT_SIZE, aes128GcmDecrypt, aes128GcmInit } from "../crypto/gcm";
import { be16, be32 } from "../util/bytes";
import { META_STR_USER_AGENT, metaHasString, metaSetString } from "./meta";
import {
  FRAME_ACK, FRAME_ACK_ECN, FRAME_CONNECTION_CLOSE, FRAME_CONNECTION_CLOSE_APP, FRAME_CRYPTO,
  FRAME_PADDING, FRAME_PING, GQUIC_FRAME_CRYPTO, QUIC_AEAD_TAG_LEN, QUIC_HP_SAMPLE_LEN, QUIC_HP_SAMPLE_OFFSET,
  QUIC_IV_LEN, QUIC_KEY_LEN, QUIC_LONG_DCID, QUIC_LONG_DCID_LEN, QUIC_LONG_HEADER,
  QUIC_LONG_TYPE_MASK, QUIC_LONG_TYPE_SHIFT, QUIC_MAX_CID_LEN, QUIC_PN_LEN_MASK, QUIC_SALT_LEN,
  QUIC_VERSION_2, initialSalt, initialTypeOf, retryTypeOf, varintAt, varintLen,
} from "../wire/quic";

// --- What openInitial() found -----------------------------------------------------------------
/** No Initial packet of this version in the datagram (0-RTT, Handshake, Retry only). */
export const INITIAL_ABSENT: i32 = 0;
/** An Initial whose header is malformed or whose payload does not authenticate. */
export const INITIAL_UNREADABLE: i32 = 1;
/** Decrypted: initialPlain()/initialPlainLen() hold the payload (the frames). */
export const INITIAL_OPENED: i32 = 2;

/** Coalesced packets looked at in one datagram (RFC 9000 §12.2 allows one per type, so 4). */
const MAX_COALESCED: u32 = 4;
/** Largest Initial payload decrypted. Initials fill a datagram (>= 1200 bytes), which is at most 64 KiB. */
const PLAIN_CAP: usize = 65536;
/** Largest header kept as associated data; a longer one (a huge token) is not decrypted. */
const HEADER_CAP: usize = 1024;

const plain: usize = memory.data(<i32>PLAIN_CAP, 16);
const header: usize = memory.data(<i32>HEADER_CAP, 16);
const initialSecret: usize = memory.data(32, 16);
const clientSecret: usize = memory.data(32, 16);
const packetKey: usize = memory.data(<i32>QUIC_KEY_LEN, 16);
const packetIv: usize = memory.data(<i32>QUIC_IV_LEN, 16);
const hpKey: usize = memory.data(16, 16);
const nonce: usize = memory.data(<i32>QUIC_IV_LEN, 16);
const mask: usize = memory.data(16, 16);
const hpRoundKeys: usize = memory.data(<i32>AES128_ROUND_KEYS_SIZE, 16);
const gcm: usize = memory.data(<i32>GCM_CONTEXT_SIZE, 16);

// HKDF labels, without TLS 1.3's "tls13 " prefix (hkdfExpandLabel adds it).
const LABEL_CLIENT_IN: usize = memory.data<u8>([0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x20, 0x69, 0x6e]); // "client in"
const LABEL_QUIC: usize = memory.data<u8>([0x71, 0x75, 0x69, 0x63, 0x20]);             // "quic "
const LABEL_QUICV2: usize = memory.data<u8>([0x71, 0x75, 0x69, 0x63, 0x76, 0x32, 0x20]); // "quicv2 "
const LABEL_BUF: usize = memory.data(16);

let plainLen: usize = 0;

@inline export function initialPlain(): usize { return plain; }
@inline export function initialPlainLen(): usize { return plainLen; }

/** "quic key" / "quicv2 key" etc.: the version's prefix then `suffix` (key, iv, hp) into LABEL_BUF. */
function label(version: u32, a: u32, b: u32, c: u32): usize {
  const v2 = version == QUIC_VERSION_2;
  const prefix = v2 ? LABEL_QUICV2 : LABEL_QUIC;
  const prefixLen: usize = v2 ? 7 : 5;
  memory.copy(LABEL_BUF, prefix, prefixLen);
  let n = prefixLen;
  store<u8>(LABEL_BUF + n++, <u8>a);
  store<u8>(LABEL_BUF + n++, <u8>b);
  if (c != 0) store<u8>(LABEL_BUF + n++, <u8>c);
  return n;
}

/** RFC 9001 §5.2 and §5.1: the client's Initial key, IV and header protection key. */
function deriveClientKeys(version: u32, salt: usize, dcid: usize, dcidLen: usize): void {
  hkdfExtract(salt, QUIC_SALT_LEN, dcid, dcidLen, initialSecret);
  hkdfExpandLabel(initialSecret, 32, LABEL_CLIENT_IN, 9, 0, 0, clientSecret, 32);
  let n = label(version, 0x6b, 0x65, 0x79); // key
  hkdfExpandLabel(clientSecret, 32, LABEL_BUF, n, 0, 0, packetKey, QUIC_KEY_LEN);
  n = label(version, 0x69, 0x76, 0); // iv
  hkdfExpandLabel(clientSecret, 32, LABEL_BUF, n, 0, 0, packetIv, QUIC_IV_LEN);
  n = label(version, 0x68, 0x70, 0); // hp
  hkdfExpandLabel(clientSecret, 32, LABEL_BUF, n, 0, 0, hpKey, 16);
}

/**
 * Looks for the first Initial packet of `version` in the datagram [p, end) and decrypts it with
 * the client's Initial keys. Bounds: every length is checked against `end` before it is used.
 */
export function openInitial(p: usize, end: usize, version: u32): i32 {
  const salt = initialSalt(version);
  if (salt == 0) return INITIAL_ABSENT;
  const initialType = initialTypeOf(version);
  for (let n: u32 = 0; n < MAX_COALESCED; n++) {
    if (end <= p || end - p < QUIC_LONG_DCID) return n == 0 ? INITIAL_UNREADABLE : INITIAL_ABSENT;
    const first = <u32>load<u8>(p);
    // Coalesced packets of another version, or a short header, end the search (RFC 9000 §12.2).
    if ((first & QUIC_LONG_HEADER) == 0 || be32(p + 1) != version) return INITIAL_ABSENT;
    const type = (first & QUIC_LONG_TYPE_MASK) >> QUIC_LONG_TYPE_SHIFT;
    const dcidLen = <usize>load<u8>(p + QUIC_LONG_DCID_LEN);
    if (dcidLen > <usize>QUIC_MAX_CID_LEN) return INITIAL_UNREADABLE;
    let cursor = p + QUIC_LONG_DCID + dcidLen;
    if (cursor + 1 > end) return INITIAL_UNREADABLE;
    const scidLen = <usize>load<u8>(cursor);
    if (scidLen > <usize>QUIC_MAX_CID_LEN) return INITIAL_UNREADABLE;
    cursor += 1 + scidLen;
    if (type == initialType) {
      // Token Length (i) and Token (RFC 9000 §17.2.2).
      if (cursor >= end || cursor + varintLen(<u32>load<u8>(cursor)) > end) return INITIAL_UNREADABLE;
      const tokenLen = varintAt(cursor);
      cursor += varintLen(<u32>load<u8>(cursor));
      if (tokenLen > <u64>(end - cursor)) return INITIAL_UNREADABLE;
      cursor += <usize>tokenLen;
    } else if (type == retryTypeOf(version)) {
      return INITIAL_ABSENT; // Retry: no Length field, nothing after it is another packet
    }
    if (cursor >= end || cursor + varintLen(<u32>load<u8>(cursor)) > end) return INITIAL_UNREADABLE;
    const length = varintAt(cursor);
    cursor += varintLen(<u32>load<u8>(cursor));
    if (length > <u64>(end - cursor)) return INITIAL_UNREADABLE;
    const packetEnd = cursor + <usize>length;
    if (type != initialType) {
      p = packetEnd; // a 0-RTT or Handshake packet first: the Initial may follow
      continue;
    }
    return decrypt(p, cursor, packetEnd, version, salt, p + QUIC_LONG_DCID, dcidLen);
  }
  return INITIAL_ABSENT;
}

/** Header protection removal and AEAD decryption of the Initial [start, packetEnd), packet number at pnOffset. */
function decrypt(start: usize, pnOffset: usize, packetEnd: usize, version: u32, salt: usize, dcid: usize, dcidLen: usize): i32 {
  // The sample is 16 bytes at pnOffset + 4 (RFC 9001 §5.4.2), and the tag must fit after the packet number.
  if (packetEnd - pnOffset < QUIC_HP_SAMPLE_OFFSET + QUIC_HP_SAMPLE_LEN) return INITIAL_UNREADABLE;
  const headerLen = pnOffset - start;
  if (headerLen + 4 > HEADER_CAP) return INITIAL_UNREADABLE;
  deriveClientKeys(version, salt, dcid, dcidLen);
  aes128ExpandKey(hpKey, hpRoundKeys);
  aes128EncryptBlock(hpRoundKeys, pnOffset + QUIC_HP_SAMPLE_OFFSET, mask);
  // §5.4.1: long headers protect the low 4 bits of the first byte, then up to 4 packet number bytes.
  const first = <u32>load<u8>(start) ^ (<u32>load<u8>(mask) & 0x0f);
  const pnLen = <usize>(first & QUIC_PN_LEN_MASK) + 1;
  if (packetEnd - pnOffset < pnLen + QUIC_AEAD_TAG_LEN) return INITIAL_UNREADABLE;
  memory.copy(header, start, headerLen);
  store<u8>(header, <u8>first);
  let packetNumber: u64 = 0;
  for (let i: usize = 0; i < pnLen; i++) {
    const b = load<u8>(pnOffset + i) ^ load<u8>(mask + 1 + i);
    store<u8>(header + headerLen + i, b);
    packetNumber = (packetNumber << 8) | <u64>b;
  }
  // §5.3: the nonce is the IV xored with the packet number, left-padded to the IV's length. An
  // Initial is among a connection's first packets, so the truncated number is the full one.
  memory.copy(nonce, packetIv, QUIC_IV_LEN);
  for (let i: usize = 0; i < 8; i++) {
    const at = nonce + QUIC_IV_LEN - 1 - i;
    store<u8>(at, load<u8>(at) ^ <u8>(packetNumber >> (<u64>i << 3)));
  }
  const cipherStart = pnOffset + pnLen;
  const cipherLen = packetEnd - cipherStart - QUIC_AEAD_TAG_LEN;
  if (cipherLen > PLAIN_CAP) return INITIAL_UNREADABLE;
  aes128GcmInit(gcm, packetKey);
  if (!aes128GcmDecrypt(gcm, nonce, QUIC_IV_LEN, header, headerLen + pnLen, cipherStart, cipherLen, cipherStart + cipherLen, plain)) {
    return INITIAL_UNREADABLE;
  }
  plainLen = cipherLen;
  return INITIAL_OPENED;
}

// --- The CRYPTO stream ------------------------------------------------------------------------
// A CryptoStream is caller memory of CRYPTO_STREAM_SIZE bytes:
//    0  4 ranges      number of disjoint byte ranges received (sorted, merged)
//    4 64 range list  MAX_RANGES x (u32 start, u32 end)
//   68  4 (padding)
//   72 .. data        CRYPTO_DATA_CAP bytes of stream data from offset 0
// Data past CRYPTO_DATA_CAP is dropped (a ClientHello is far smaller).
export const MAX_RANGES: u32 = 8;
const CS_RANGES: usize = 0;
const CS_LIST: usize = 4;
const CS_DATA: usize = 72;
export const CRYPTO_DATA_CAP: usize = 8192;
export const CRYPTO_STREAM_SIZE: usize = CS_DATA + CRYPTO_DATA_CAP;

@inline export function cryptoData(stream: usize): usize { return stream + CS_DATA; }

export function cryptoReset(stream: usize): void {
  store<u32>(stream + CS_RANGES, 0);
}

/** Bytes received contiguously from offset 0. */
export function cryptoContiguous(stream: usize): u32 {
  if (load<u32>(stream + CS_RANGES) == 0 || load<u32>(stream + CS_LIST) != 0) return 0;
  return load<u32>(stream + CS_LIST + 4);
}

/**
 * Stores stream bytes [offset, offset + len) from data. Returns false when the ranges cannot be
 * tracked any more (more than MAX_RANGES holes): the stream is then unusable.
 */
export function cryptoAdd(stream: usize, offset: u64, data: usize, len: usize): bool {
  if (offset >= <u64>CRYPTO_DATA_CAP || len == 0) return true;
  let start = <u32>offset;
  let stop = start + <u32>min<usize>(len, CRYPTO_DATA_CAP - <usize>start);
  memory.copy(stream + CS_DATA + <usize>start, data, <usize>(stop - start));
  // Insert [start, stop) into the sorted list, merging every range it touches.
  let count = load<u32>(stream + CS_RANGES);
  const list = stream + CS_LIST;
  let i: u32 = 0;
  while (i < count && load<u32>(list + (<usize>i << 3) + 4) < start) i++;
  let j = i;
  while (j < count && load<u32>(list + (<usize>j << 3)) <= stop) {
    start = min(start, load<u32>(list + (<usize>j << 3)));
    stop = max(stop, load<u32>(list + (<usize>j << 3) + 4));
    j++;
  }
  // Ranges i..j-1 are replaced by one.
  const removed = j - i;
  if (removed == 0) {
    if (count >= MAX_RANGES) return false;
    memory.copy(list + ((<usize>i + 1) << 3), list + (<usize>i << 3), <usize>(count - i) << 3);
    count++;
  } else if (removed > 1) {
    memory.copy(list + ((<usize>i + 1) << 3), list + (<usize>j << 3), <usize>(count - j) << 3);
    count -= removed - 1;
  }
  store<u32>(list + (<usize>i << 3), start);
  store<u32>(list + (<usize>i << 3) + 4, stop);
  store<u32>(stream + CS_RANGES, count);
  return true;
}

/** Most frames looked at in one Initial (each takes at least a byte; PADDING runs are skipped at once). */
const MAX_FRAMES: u32 = 1024;
const MAX_ACK_RANGES: u64 = 256;

/** Reads a varint at *cursor, bounded by end; u64.MAX_VALUE when it does not fit. */
let cursor: usize = 0;
function readVarint(end: usize): u64 {
  if (cursor >= end) return u64.MAX_VALUE;
  const len = varintLen(<u32>load<u8>(cursor));
  if (cursor + len > end) return u64.MAX_VALUE;
  const value = varintAt(cursor);
  cursor += len;
  return value;
}

/**
 * Adds the CRYPTO frames of an Initial's plaintext [p, p + len) to the stream (RFC 9000 §19.6).
 * Initials carry only PADDING, PING, ACK, CRYPTO and CONNECTION_CLOSE (§17.2.2); anything else
 * ends the walk. Google's T050/T051 number their CRYPTO frame 0x08 (same varint fields).
 * Returns false when the plaintext is malformed or the stream overflowed.
 */
export function collectCryptoFrames(stream: usize, p: usize, len: usize, gquic: bool): bool {
  const cryptoType = gquic ? GQUIC_FRAME_CRYPTO : FRAME_CRYPTO;
  const end = p + len;
  cursor = p;
  for (let frames: u32 = 0; frames < MAX_FRAMES && cursor < end; frames++) {
    const type = <u32>load<u8>(cursor);
    if (type == FRAME_PADDING) {
      while (cursor < end && load<u8>(cursor) == 0) cursor++;
      continue;
    }
    cursor++;
    if (type == FRAME_PING) continue;
    if (type == cryptoType) {
      const offset = readVarint(end);
      const length = readVarint(end);
      if (offset == u64.MAX_VALUE || length == u64.MAX_VALUE || length > <u64>(end - cursor)) return false;
      if (!cryptoAdd(stream, offset, cursor, <usize>length)) return false;
      cursor += <usize>length;
      continue;
    }
    if (gquic) return true; // gQUIC's other frames are not parsed
    if (type == FRAME_ACK || type == FRAME_ACK_ECN) {
      // Largest Acknowledged, ACK Delay, ACK Range Count, First ACK Range, ranges, ECN counts (§19.3).
      readVarint(end);
      readVarint(end);
      const ranges = readVarint(end);
      if (readVarint(end) == u64.MAX_VALUE || ranges > MAX_ACK_RANGES) return false;
      for (let r: u64 = 0; r < ranges * 2; r++) if (readVarint(end) == u64.MAX_VALUE) return false;
      if (type == FRAME_ACK_ECN) {
        for (let e = 0; e < 3; e++) if (readVarint(end) == u64.MAX_VALUE) return false;
      }
      continue;
    }
    if (type == FRAME_CONNECTION_CLOSE || type == FRAME_CONNECTION_CLOSE_APP) {
      readVarint(end);
      if (type == FRAME_CONNECTION_CLOSE) readVarint(end);
      const reasonLen = readVarint(end);
      if (reasonLen == u64.MAX_VALUE || reasonLen > <u64>(end - cursor)) return false;
      cursor += <usize>reasonLen;
      continue;
    }
    return true; // not an Initial frame: keep what was collected
  }
  return true;
}

// --- Transport parameters -------------------------------------------------------------------------
export const EXT_QUIC_TRANSPORT_PARAMETERS: u32 = 57;
export const EXT_QUIC_TRANSPORT_PARAMETERS_DRAFT: u32 = 0xffa5;
/** Google's user agent parameter (Chromium's transport parameter ids). */
const PARAM_GOOGLE_USER_AGENT: u64 = 0x3129;
/** A ClientHello has a dozen or two parameters; more is garbage. */
const MAX_PARAMS: u32 = 64;
const MAX_USER_AGENT_LEN: usize = 512;

/** Reads the transport parameters in [p, p + len) into the flow's metadata. */
export function readQuicTransportParameters(rec: usize, p: usize, len: usize): void {
  if (len >= 2 && <usize>be16(p) == len - 2 && readDraftParameters(rec, p + 2, p + len)) return;
  const end = p + len;
  let at = p;
  for (let n: u32 = 0; n < MAX_PARAMS && at < end; n++) {
    const idLen = varintLen(<u32>load<u8>(at));
    if (at + idLen >= end) return;
    const id = varintAt(at);
    at += idLen;
    const lengthLen = varintLen(<u32>load<u8>(at));
    if (at + lengthLen > end) return;
    const valueLen = varintAt(at);
    at += lengthLen;
    if (valueLen > <u64>(end - at)) return;
    if (id == PARAM_GOOGLE_USER_AGENT && valueLen > 0 && !metaHasString(rec, META_STR_USER_AGENT)) {
      metaSetString(rec, META_STR_USER_AGENT, at, min(<usize>valueLen, MAX_USER_AGENT_LEN));
    }
    at += <usize>valueLen;
  }
}

/** The drafts' layout: u16 id, u16 length, value. Returns false when it does not walk to `end`. */
function readDraftParameters(rec: usize, p: usize, end: usize): bool {
  let at = p;
  let userAgent: usize = 0;
  let userAgentLen: usize = 0;
  for (let n: u32 = 0; n < MAX_PARAMS && at + 4 <= end; n++) {
    const id = <u64>be16(at);
    const valueLen = <usize>be16(at + 2);
    at += 4;
    if (valueLen > end - at) return false;
    if (id == PARAM_GOOGLE_USER_AGENT && valueLen > 0) { userAgent = at; userAgentLen = valueLen; }
    at += valueLen;
  }
  if (at != end) return false;
  if (userAgentLen != 0 && !metaHasString(rec, META_STR_USER_AGENT)) {
    metaSetString(rec, META_STR_USER_AGENT, userAgent, min(userAgentLen, MAX_USER_AGENT_LEN));
  }
  return true;
}
