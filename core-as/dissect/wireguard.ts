// WireGuard (the WireGuard whitepaper §5.4): every message starts with its type (1 handshake
// initiation, 2 handshake response, 3 cookie reply, 4 transport data) and three reserved zero
// bytes; then 32-bit little-endian session indices. Sizes: initiation 148 bytes, response 92,
// cookie reply 64 (some providers append a few bytes to the handshake), transport data 16
// bytes of header and an AEAD payload padded to 16 bytes. The format alone is weak, so the
// flow is recognised on a relation between packets, as nDPI's results show:
//   - a response or cookie reply whose receiver index is the sender index of the initiation;
//   - transport data: a side sending twice to the same receiver index with a growing counter,
//     once the other side has sent something.
// When the server's address is in a VPN provider's list the provider is the application
// (vpn_provider.ts: WireGuard.Mullvad).
//
// State (flow_state.ts, after the owner byte):
//   1  1 flags          HAVE_INIT, HAVE_CLI_DATA, HAVE_SRV_DATA
//   2  1 cliData        client transport packets in a row with the same receiver index
//   3  1 srvData
//   4  4 initSender     sender index of the initiation
//   8  4 cliReceiver    receiver index of the client's last transport packet
//  12  4 srvReceiver
//  16  4 cliCounter     low 32 bits of its counter
//  20  4 srvCounter
import * as info from "../decode/packet_info";
import { le32 } from "../util/bytes";
import { FLOW_C2S_PACKETS, FLOW_S2C_PACKETS } from "../flow/record";
import { PROTO_WIREGUARD } from "../classify/generated/protocols";
import { STATE_DATA, tryClaimState } from "./flow_state";
import { setVpnDetected } from "./vpn_provider";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const ID: u32 = 33; // DISSECTOR_WIREGUARD (registry.ts)

const MSG_INITIATION: u32 = 1;
const MSG_RESPONSE: u32 = 2;
const MSG_COOKIE_REPLY: u32 = 3;
const MSG_TRANSPORT: u32 = 4;

const INITIATION_LEN: usize = 148;
const RESPONSE_LEN: usize = 92;
const COOKIE_REPLY_LEN: usize = 64;
/** Handshake messages with provider extensions stay well below this. */
const HANDSHAKE_MAX_LEN: usize = 256;
const TRANSPORT_MIN_LEN: usize = 32;
const AEAD_BLOCK: usize = 16;

// Field offsets (whitepaper §5.4.2-§5.4.6).
const INIT_SENDER: usize = 4;
const RESPONSE_RECEIVER: usize = 8;
const COOKIE_RECEIVER: usize = 4;
const TRANSPORT_RECEIVER: usize = 4;
const TRANSPORT_COUNTER: usize = 8;

const ST_FLAGS: usize = STATE_DATA;
const ST_CLI_DATA: usize = 2;
const ST_SRV_DATA: usize = 3;
const ST_INIT_SENDER: usize = 4;
const ST_CLI_RECEIVER: usize = 8;
const ST_SRV_RECEIVER: usize = 12;
const ST_CLI_COUNTER: usize = 16;
const ST_SRV_COUNTER: usize = 20;
const HAVE_INIT: u8 = 1;

const TRANSPORT_IN_A_ROW: u8 = 2;

export function dissectWireguard(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < 4 || (load<u32>(p) >> 8) != 0) return R_NO;
  const type = <u32>load<u8>(p);
  switch (type) {
    case MSG_INITIATION:
      if (len < INITIATION_LEN || len > HANDSHAKE_MAX_LEN) return R_NO;
      break;
    case MSG_RESPONSE:
      if (len < RESPONSE_LEN || len > HANDSHAKE_MAX_LEN) return R_NO;
      break;
    case MSG_COOKIE_REPLY:
      if (len != COOKIE_REPLY_LEN) return R_NO;
      break;
    case MSG_TRANSPORT:
      if (len < TRANSPORT_MIN_LEN || len % AEAD_BLOCK != 0) return R_NO;
      break;
    default:
      return R_NO;
  }
  const st = tryClaimState(rec, ID);
  if (st == 0) return R_MAYBE; // another undecided dissector holds the state area for now
  const flags = load<u8>(st + ST_FLAGS);
  if (type == MSG_INITIATION) {
    store<u32>(st + ST_INIT_SENDER, load<u32>(p + INIT_SENDER));
    store<u8>(st + ST_FLAGS, flags | HAVE_INIT);
    return R_MAYBE;
  }
  if (type == MSG_RESPONSE || type == MSG_COOKIE_REPLY) {
    const receiver = load<u32>(p + (type == MSG_RESPONSE ? RESPONSE_RECEIVER : COOKIE_RECEIVER));
    if ((flags & HAVE_INIT) != 0 && receiver == load<u32>(st + ST_INIT_SENDER)) return detect(rec);
    return R_MAYBE;
  }
  // Transport data: the same receiver index, the counter moving forward.
  const receiverAt = st + (fromClient ? ST_CLI_RECEIVER : ST_SRV_RECEIVER);
  const counterAt = st + (fromClient ? ST_CLI_COUNTER : ST_SRV_COUNTER);
  const runAt = st + (fromClient ? ST_CLI_DATA : ST_SRV_DATA);
  const receiver = load<u32>(p + TRANSPORT_RECEIVER);
  const counter = le32(p + TRANSPORT_COUNTER);
  let run = load<u8>(runAt);
  if (run != 0 && receiver == load<u32>(receiverAt) && counter > load<u32>(counterAt)) run++;
  else run = 1;
  store<u8>(runAt, run);
  store<u32>(receiverAt, receiver);
  store<u32>(counterAt, counter);
  const otherPackets = load<u64>(rec + (fromClient ? FLOW_S2C_PACKETS : FLOW_C2S_PACKETS));
  if (run >= TRANSPORT_IN_A_ROW && otherPackets != 0) return detect(rec);
  return R_MAYBE;
}

function detect(rec: usize): i32 {
  setVpnDetected(rec, PROTO_WIREGUARD);
  return R_DONE;
}
