// Google QUIC (gQUIC) handshake messages. Up to Q046 the client's first packet carries its
// Client Hello ("CHLO") in clear: after the public header (flags, connection id, version,
// packet number) or, from Q046, an IETF-style long header, then a message hash and a STREAM
// frame on stream 1. Q050 encrypts it in an Initial (quic_initial.ts) but keeps the CHLO
// format inside. A handshake message ("QUIC Crypto" §Handshake messages) is:
//    tag (4) | number of entries n (u16 LE) | padding (2) | n x (tag (4), end offset (u32 LE)) | values
// value i spanning [end(i-1), end(i)) from the start of the values; tags are sorted.
// The server's rejection ("REJ") has the same layout.
//
// From the CHLO nDPI reports the SNI tag as the host name and UAID as the user agent.
import { le16, le32 } from "../util/bytes";
import { applyHostName, setRisk } from "../classify/classify";
import { RISK_TLS_MISSING_SNI } from "../classify/generated/risks";
import { META_STR_HOST, META_STR_USER_AGENT, metaHasString, metaSetString } from "./meta";
import {
  GQUIC_FLAG_CID, GQUIC_FLAG_VERSION, GQUIC_MSG_ENTRY_LEN, GQUIC_MSG_HEADER_LEN,
  GQUIC_TAG_CHLO, GQUIC_TAG_REJ, GQUIC_TAG_SNI, GQUIC_TAG_UAID,
} from "../wire/quic";

/** Where a CHLO may start: a public header (at most 1+8+4+6), the 12-byte hash and a STREAM frame header. */
const CHLO_SEARCH_WINDOW: usize = 96;
/** Real CHLOs have about 20-30 tags. */
const MAX_ENTRIES: u32 = 128;
const MAX_HOST_LEN: usize = 255;
const MAX_USER_AGENT_LEN: usize = 512;
/** A REJ starts right after the server's header, a short ACK frame and the STREAM frame header. */
const REJ_SEARCH_START: usize = 10;
const REJ_SEARCH_END: usize = 64;

/** The first "CHLO" message tag in the first bytes of [p, end), 0 when none. */
export function findChlo(p: usize, end: usize): usize {
  const last = min(end, p + CHLO_SEARCH_WINDOW);
  for (let at = p; at + GQUIC_MSG_HEADER_LEN <= last; at++) {
    if (le32(at) == GQUIC_TAG_CHLO) return at;
  }
  return 0;
}

/**
 * Reads SNI and UAID from the handshake message at msg (bounded by end) into the flow's
 * metadata. A message whose entry table or offsets run past the packet is read only up to
 * the first bad entry. Without an SNI, nDPI flags the flow (risk "Missing SNI TLS Extn").
 */
export function readChlo(rec: usize, msg: usize, end: usize): void {
  const entries = le16(msg + 4);
  const table = msg + GQUIC_MSG_HEADER_LEN;
  let sniFound = false;
  if (entries <= MAX_ENTRIES && <usize>entries * GQUIC_MSG_ENTRY_LEN <= end - table) {
    const values = table + <usize>entries * GQUIC_MSG_ENTRY_LEN;
    let valueStart: usize = 0;
    for (let i: u32 = 0; i < entries; i++) {
      const entry = table + <usize>i * GQUIC_MSG_ENTRY_LEN;
      const tag = le32(entry);
      const valueEnd = <usize>le32(entry + 4);
      if (valueEnd < valueStart || valueEnd > end - values) break;
      const valueLen = valueEnd - valueStart;
      if (tag == GQUIC_TAG_SNI && valueLen > 0 && !metaHasString(rec, META_STR_HOST)) {
        metaSetString(rec, META_STR_HOST, values + valueStart, min(valueLen, MAX_HOST_LEN));
        applyHostName(rec);
        sniFound = true;
      } else if (tag == GQUIC_TAG_UAID && valueLen > 0 && !metaHasString(rec, META_STR_USER_AGENT)) {
        metaSetString(rec, META_STR_USER_AGENT, values + valueStart, min(valueLen, MAX_USER_AGENT_LEN));
      }
      valueStart = valueEnd;
    }
  }
  if (!sniFound && !metaHasString(rec, META_STR_HOST)) setRisk(rec, RISK_TLS_MISSING_SNI);
}

/**
 * A server's gQUIC packet carrying a REJ message: public flags without the version bit (only
 * clients send it) but with a connection id, then "REJ\0" with a plausible entry count and zero
 * padding close to the start. nDPI recognises gQUIC flows seen only from the server side so.
 */
export function isGquicRej(p: usize, end: usize): bool {
  if (end - p < REJ_SEARCH_END) return false;
  const flags = <u32>load<u8>(p);
  if ((flags & GQUIC_FLAG_VERSION) != 0 || (flags & GQUIC_FLAG_CID) == 0 || (flags & 0x80) != 0) return false;
  for (let at = p + REJ_SEARCH_START; at + GQUIC_MSG_HEADER_LEN <= p + REJ_SEARCH_END; at++) {
    if (le32(at) == GQUIC_TAG_REJ && le16(at + 4) <= MAX_ENTRIES && le16(at + 6) == 0) return true;
  }
  return false;
}
