// DHCPv6 (RFC 8415) between the client port 546 and the server/relay port 547. A client/server
// message is msg-type (1), transaction-id (3) and options (§8); relay messages (§9) carry
// hop-count, link-address and peer-address before theirs. Options are code (2), length (2),
// data (§21.1). The message type and a first option that fits the datagram decide the flow.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be16, u8at } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_DHCPV6 } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

const PORT_CLIENT: u32 = 546;
const PORT_SERVER: u32 = 547;

const CLIENT_SERVER_HEADER: usize = 4;
const RELAY_HEADER: usize = 34;
const OPTION_HEADER: usize = 4;

// Message types, RFC 8415 §7.3: SOLICIT (1) .. RELAY-REPL (13).
const MSG_SOLICIT: u32 = 1;
const MSG_RELAY_FORW: u32 = 12;
const MSG_RELAY_REPL: u32 = 13;

export function dissectDhcpv6(rec: usize, fromClient: bool): i32 {
  const sport = info.srcPort;
  const dport = info.dstPort;
  const ports = (sport == PORT_CLIENT || sport == PORT_SERVER) && (dport == PORT_CLIENT || dport == PORT_SERVER);
  if (!ports) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < CLIENT_SERVER_HEADER) return R_NO;
  const type = u8at(p);
  if (type < MSG_SOLICIT || type > MSG_RELAY_REPL) return R_NO;
  const header = type >= MSG_RELAY_FORW ? RELAY_HEADER : CLIENT_SERVER_HEADER;
  if (len < header) return R_NO;
  if (len >= header + OPTION_HEADER && header + OPTION_HEADER + <usize>be16(p + header + 2) > len) return R_NO;
  setDetected(rec, PROTO_DHCPV6, 0);
  return R_DONE;
}
