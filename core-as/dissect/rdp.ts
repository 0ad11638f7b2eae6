// Remote Desktop Protocol. Over TCP a connection opens with an X.224 Connection Request in a
// TPKT (MS-RDPBCGR §2.2.1.1: TPKT version 3, length; X.224 length indicator, code 0xE0; then
// an optional "Cookie: mstshash=..." line or routing token, and an RDP_NEG_REQ), answered by
// a Connection Confirm (code 0xD0, §2.2.1.2). Other ISO-over-TCP protocols open the same way
// (RFC 1006), so off port 3389 a request must carry RDP's cookie or negotiation request.
// Over UDP (MS-RDPEUDP) the client's first datagram is a SYN: RDPUDP_FEC_HEADER with
// snSourceAck -1 and the SYN flag (§2.2.2.1), then RDPUDP_SYNDATA_PAYLOAD whose MTUs lie in
// 1132..1232 (§2.2.2.5). A UDP flow on 3389 seen after its SYN is recognised when one side
// acknowledges the sequence number the other just sent (§3.1.5.1.3).
// nDPI reports every RDP flow with the Desktop/File Sharing risk ("Found RDP").
//
// State, UDP without SYN only (flow_state.ts, after the owner byte):
//   1  1 flags         HAVE_CLI_SEQ, HAVE_SRV_SEQ
//   4  4 cliSourceSeq  last snSourceStart the client sent
//   8  4 srvSourceSeq
import * as info from "../decode/packet_info";
import { be16, be32 } from "../util/bytes";
import { literalBytes, startsWith } from "../util/ascii";
import { IPPROTO_TCP } from "../wire/transport";
import { setDetected, setRisk } from "../classify/classify";
import { PROTO_RDP } from "../classify/generated/protocols";
import { RISK_DESKTOP_OR_FILE_SHARING_SESSION } from "../classify/generated/risks";
import { META_STR_RISK_INFO, metaHasString, metaSetString } from "./meta";
import { STATE_DATA, tryClaimState } from "./flow_state";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const ID: u32 = 25; // DISSECTOR_RDP (registry.ts)
const PORT_RDP: u32 = 3389;

// TPKT (RFC 1006 §6) and X.224 (ITU-T X.224 §13.3, §13.4).
const TPKT_VERSION: u8 = 3;
const TPKT_LENGTH: usize = 2;
const TPKT_HEADER_LEN: usize = 4;
const X224_LENGTH_INDICATOR: usize = 4;
const X224_CODE: usize = 5;
/** LI, code, DST-REF, SRC-REF, class: the fixed part of CR and CC. */
const X224_FIXED_LEN: usize = 7;
const X224_CR: u32 = 0xe0;
const X224_CC: u32 = 0xd0;
// RDP_NEG_REQ (§2.2.1.1.1): type 1, flags, length 8, requestedProtocols.
const RDP_NEG_REQ: u8 = 1;
const RDP_NEG_LEN: usize = 8;

// MS-RDPEUDP §2.2.2.1 RDPUDP_FEC_HEADER, §2.2.2.5 RDPUDP_SYNDATA_PAYLOAD.
const FEC_SOURCE_ACK: usize = 0;
const FEC_FLAGS: usize = 6;
const FEC_HEADER_LEN: usize = 8;
const SYN_INITIAL_SEQ: usize = 8;
const SYN_UP_MTU: usize = 12;
const SYN_DOWN_MTU: usize = 14;
const SYN_MIN_LEN: usize = 16;
const FLAG_SYN: u32 = 0x0001;
const FLAG_ACK: u32 = 0x0004;
const FLAG_DATA: u32 = 0x0008;
const FLAGS_KNOWN: u32 = 0x1fff;
const MTU_MIN: u32 = 1132;
const MTU_MAX: u32 = 1232;
/** RDPUDP_SOURCE_PAYLOAD_HEADER (§2.2.2.4) after the FEC header and the ACK vector: snSourceStart is searched for. */
const SEARCH_LIMIT: usize = 64;

const ST_FLAGS: usize = STATE_DATA;
const ST_CLI_SEQ: usize = 4;
const ST_SRV_SEQ: usize = 8;
const HAVE_CLI_SEQ: u8 = 1;
const HAVE_SRV_SEQ: u8 = 2;

const FOUND_RDP = "Found RDP";

export function dissectRdp(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (info.l4Proto == IPPROTO_TCP) return isConnectionPdu(p, end) ? detect(rec) : R_NO;
  const onPort = info.srcPort == PORT_RDP || info.dstPort == PORT_RDP;
  if (isSyn(p, end)) return detect(rec);
  if (!onPort) return R_NO;
  return acknowledged(rec, fromClient, p, end) ? detect(rec) : R_MAYBE;
}

function detect(rec: usize): i32 {
  setDetected(rec, PROTO_RDP, 0);
  setRisk(rec, RISK_DESKTOP_OR_FILE_SHARING_SESSION);
  if (!metaHasString(rec, META_STR_RISK_INFO)) {
    metaSetString(rec, META_STR_RISK_INFO, literalBytes(FOUND_RDP), FOUND_RDP.length);
  }
  return R_DONE;
}

/** A TPKT holding an X.224 Connection Request or Confirm of RDP. */
function isConnectionPdu(p: usize, end: usize): bool {
  if (end - p < TPKT_HEADER_LEN + X224_FIXED_LEN || load<u8>(p) != TPKT_VERSION || load<u8>(p + 1) != 0) return false;
  const tpktLen = <usize>be16(p + TPKT_LENGTH);
  // The length indicator counts the X.224 header after itself (X.224 §13.2.1).
  const li = <usize>load<u8>(p + X224_LENGTH_INDICATOR);
  if (tpktLen != end - p || li + 1 != tpktLen - TPKT_HEADER_LEN || li + 1 < X224_FIXED_LEN) return false;
  const code = <u32>load<u8>(p + X224_CODE);
  if (code != X224_CR && code != X224_CC) return false;
  if (info.srcPort == PORT_RDP || info.dstPort == PORT_RDP) return true;
  // Off 3389: RDP's own variable part, a cookie line or a negotiation structure at the end.
  const variable = p + TPKT_HEADER_LEN + X224_FIXED_LEN;
  if (startsWith(variable, end, "Cookie: ")) return true;
  return end - variable >= RDP_NEG_LEN && load<u8>(end - RDP_NEG_LEN) == RDP_NEG_REQ + (code == X224_CC ? 1 : 0) &&
    load<u8>(end - RDP_NEG_LEN + 2) == <u8>RDP_NEG_LEN && load<u8>(end - RDP_NEG_LEN + 3) == 0;
}

/** The client's opening datagram (MS-RDPEUDP §3.1.5.1.1). */
function isSyn(p: usize, end: usize): bool {
  if (end - p < SYN_MIN_LEN || be32(p + FEC_SOURCE_ACK) != 0xffffffff) return false;
  const flags = be16(p + FEC_FLAGS);
  if ((flags & FLAG_SYN) == 0 || (flags & FLAG_ACK) != 0 || (flags & ~FLAGS_KNOWN) != 0) return false;
  const up = be16(p + SYN_UP_MTU);
  const down = be16(p + SYN_DOWN_MTU);
  return be32(p + SYN_INITIAL_SEQ) != 0xffffffff && up >= MTU_MIN && up <= MTU_MAX && down >= MTU_MIN && down <= MTU_MAX;
}

/**
 * Mid-session datagrams: a valid FEC header whose snSourceAck names the sequence number the
 * other side last sent. Each side's snSourceStart is remembered from its DATA datagrams.
 */
function acknowledged(rec: usize, fromClient: bool, p: usize, end: usize): bool {
  if (end - p < FEC_HEADER_LEN) return false;
  const flags = be16(p + FEC_FLAGS);
  if ((flags & ~FLAGS_KNOWN) != 0 || (flags & (FLAG_ACK | FLAG_DATA)) == 0) return false;
  const st = tryClaimState(rec, ID);
  if (st == 0) return false; // another undecided dissector holds the state area for now
  const have = load<u8>(st + ST_FLAGS);
  const otherBit = fromClient ? HAVE_SRV_SEQ : HAVE_CLI_SEQ;
  if ((flags & FLAG_ACK) != 0 && (have & otherBit) != 0 &&
      be32(p + FEC_SOURCE_ACK) == load<u32>(st + (fromClient ? ST_SRV_SEQ : ST_CLI_SEQ))) {
    return true;
  }
  if ((flags & FLAG_DATA) != 0) {
    // snSourceStart follows the ACK vector and the optional headers: take the first sequence
    // number that repeats right after itself (snCoded == snSourceStart for source packets).
    const limit = end - p > SEARCH_LIMIT ? p + SEARCH_LIMIT : end;
    for (let at = p + FEC_HEADER_LEN; at + 8 <= limit; at += 2) {
      const seq = load<u32>(at);
      if (seq != 0 && seq == load<u32>(at + 4)) {
        store<u32>(st + (fromClient ? ST_CLI_SEQ : ST_SRV_SEQ), bswap<u32>(seq));
        store<u8>(st + ST_FLAGS, have | (fromClient ? HAVE_CLI_SEQ : HAVE_SRV_SEQ));
        break;
      }
    }
  }
  return false;
}
