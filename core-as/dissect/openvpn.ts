// OpenVPN (the wire protocol of openvpn's ssl.h/ssl_pkt.h, documented in the OpenVPN protocol
// notes): every packet starts with opcode (high 5 bits) and key id (low 3); control packets
// then carry the sender's 8-byte session id. Over TCP each packet has a 2-byte length prefix.
// The first packet must open a session: a hard reset (client v1/v2/v3, server v1/v2) with key
// id 0. The flow is OpenVPN when
//   - the other side's hard reset quotes the first sender's session id (in its ACK part, after
//     an HMAC of unknown size, so it is searched for), or
//   - control packets keep the same session id per direction: two each way, or four from one
//     side when only one direction is captured (tls-crypt wraps the ACK part, and nDPI still
//     recognises those sessions after a few packets).
// Data packets (P_DATA_V1/V2) carry no session id and are only checked for a valid opcode.
// When the server's address is in a VPN provider's list the provider is the application
// (vpn_provider.ts: OpenVPN.NordVPN).
//
// State (flow_state.ts, after the owner byte):
//   1  1 flags            HAVE_CLI_SID, HAVE_SRV_SID
//   2  1 cliPackets       client control packets with the client's session id
//   3  1 srvPackets
//   4  8 cliSessionId
//  12  8 srvSessionId
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { FLOW_DPI_PACKETS } from "../flow/record";
import { PROTO_OPENVPN } from "../classify/generated/protocols";
import { STATE_DATA, tryClaimState } from "./flow_state";
import { setVpnDetected } from "./vpn_provider";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const ID: u32 = 34; // DISSECTOR_OPENVPN (registry.ts)

const ST_FLAGS: usize = STATE_DATA;
const ST_CLI_PACKETS: usize = STATE_DATA + 1;
const ST_SRV_PACKETS: usize = STATE_DATA + 2;
const ST_CLI_SID: usize = STATE_DATA + 3;
const ST_SRV_SID: usize = STATE_DATA + 11;
const HAVE_CLI_SID: u8 = 1;
const HAVE_SRV_SID: u8 = 2;

const TCP_LENGTH_PREFIX: usize = 2;
const OPCODE_SHIFT: u32 = 3;
const KEY_ID_MASK: u32 = 0x07;
const SESSION_ID: usize = 1;
const SESSION_ID_LEN: usize = 8;
/** Opcode byte and session id. */
const CONTROL_MIN_LEN: usize = 1 + SESSION_ID_LEN;
/** How far into a hard reset the quoted session id is searched (HMAC up to 64 bytes, acks). */
const SEARCH_LIMIT: usize = 128;

const P_CONTROL_HARD_RESET_CLIENT_V1: u32 = 1;
const P_CONTROL_HARD_RESET_SERVER_V1: u32 = 2;
const P_CONTROL_SOFT_RESET_V1: u32 = 3;
const P_CONTROL_V1: u32 = 4;
const P_ACK_V1: u32 = 5;
const P_DATA_V1: u32 = 6;
const P_CONTROL_HARD_RESET_CLIENT_V2: u32 = 7;
const P_CONTROL_HARD_RESET_SERVER_V2: u32 = 8;
const P_DATA_V2: u32 = 9;
const P_CONTROL_HARD_RESET_CLIENT_V3: u32 = 10;
const P_CONTROL_WKC_V1: u32 = 11;

const PACKETS_EACH_WAY: u8 = 2;
const PACKETS_ONE_WAY: u8 = 4;

function isHardReset(op: u32): bool {
  return op == P_CONTROL_HARD_RESET_CLIENT_V1 || op == P_CONTROL_HARD_RESET_SERVER_V1 ||
    op == P_CONTROL_HARD_RESET_CLIENT_V2 || op == P_CONTROL_HARD_RESET_SERVER_V2 ||
    op == P_CONTROL_HARD_RESET_CLIENT_V3;
}

export function dissectOpenvpn(rec: usize, fromClient: bool): i32 {
  let p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (info.l4Proto == IPPROTO_TCP) {
    if (end - p < TCP_LENGTH_PREFIX || <usize>be16(p) > end - p - TCP_LENGTH_PREFIX) return R_NO;
    p += TCP_LENGTH_PREFIX;
  }
  if (end - p < 1) return R_NO;
  const op = <u32>load<u8>(p) >> OPCODE_SHIFT;
  if (op < P_CONTROL_HARD_RESET_CLIENT_V1 || op > P_CONTROL_WKC_V1) return R_NO;
  const isData = op == P_DATA_V1 || op == P_DATA_V2;
  // The first payload packet opens a session.
  if (load<u8>(rec + FLOW_DPI_PACKETS) == 1 &&
      (!isHardReset(op) || (<u32>load<u8>(p) & KEY_ID_MASK) != 0 || end - p < CONTROL_MIN_LEN)) return R_NO;
  if (isData) return R_MAYBE;
  if (end - p < CONTROL_MIN_LEN) return R_NO;
  const st = tryClaimState(rec, ID);
  if (st == 0) return R_MAYBE; // another undecided dissector holds the state area for now
  let flags = load<u8>(st + ST_FLAGS);
  const sidAt = st + (fromClient ? ST_CLI_SID : ST_SRV_SID);
  const haveBit = fromClient ? HAVE_CLI_SID : HAVE_SRV_SID;
  const countAt = st + (fromClient ? ST_CLI_PACKETS : ST_SRV_PACKETS);
  if ((flags & haveBit) == 0) {
    memory.copy(sidAt, p + SESSION_ID, SESSION_ID_LEN);
    flags |= haveBit;
    store<u8>(st + ST_FLAGS, flags);
  } else if (load<u64>(sidAt) != load<u64>(p + SESSION_ID)) {
    return R_NO;
  }
  const count = load<u8>(countAt) + 1;
  store<u8>(countAt, count);
  // A hard reset answering the other side quotes its session id.
  const otherBit = fromClient ? HAVE_SRV_SID : HAVE_CLI_SID;
  if (isHardReset(op) && (flags & otherBit) != 0 &&
      quotes(p + CONTROL_MIN_LEN, end, st + (fromClient ? ST_SRV_SID : ST_CLI_SID))) {
    setVpnDetected(rec, PROTO_OPENVPN);
    return R_DONE;
  }
  const cli = load<u8>(st + ST_CLI_PACKETS);
  const srv = load<u8>(st + ST_SRV_PACKETS);
  if ((cli >= PACKETS_EACH_WAY && srv >= PACKETS_EACH_WAY) || cli >= PACKETS_ONE_WAY || srv >= PACKETS_ONE_WAY) {
    setVpnDetected(rec, PROTO_OPENVPN);
    return R_DONE;
  }
  return R_MAYBE;
}

/** Do the 8 bytes at sid occur in [p, end), within SEARCH_LIMIT bytes? */
function quotes(p: usize, end: usize, sid: usize): bool {
  const wanted = load<u64>(sid);
  const limit = end - p > SEARCH_LIMIT ? p + SEARCH_LIMIT : end;
  for (let at = p; at + SESSION_ID_LEN <= limit; at++) {
    if (load<u64>(at) == wanted) return true;
  }
  return false;
}
