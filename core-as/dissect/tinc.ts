// tinc VPN's meta connection (tinc 1.0/1.1 "Protocol" documentation, the meta protocol), over TCP
// (655 by default). Each side first sends its ID request, a text line "0 <name> 17[.<minor>]":
// request number 0, the node name (letters, digits, '_') and protocol version 17. The flow is
// TINC when the client's ID line is answered by the server's. The daemon's endpoint is then
// remembered (tinc_cache.ts): a UDP flow from or to it is tinc's data channel.
//
// State (in the group area (group.ts) of `groupId`, TINC_STATE_SIZE bytes at `slotOffset`): a
// flag set by the client's ID line.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_TINC } from "../classify/generated/protocols";
import { isDigit, lineEnd, startsWith } from "../util/ascii";
import { IPPROTO_TCP } from "../wire/transport";

import { claimGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";
import { tincCacheHas, tincCacheStore } from "./tinc_cache";
import { FLOW_CLI_ADDR, FLOW_CLI_PORT, FLOW_SRV_ADDR, FLOW_SRV_PORT } from "../flow/record";
import { IPPROTO_UDP } from "../wire/transport";

const MAX_PACKETS: u32 = 4;
const PROTOCOL_MAJOR = " 17";

const CLIENT_ID: usize = 0;
export const TINC_STATE_SIZE: usize = 1;

export function dissectTinc(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  if (info.l4Proto == IPPROTO_UDP) return fromKnownDaemon(rec);
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  const index = payloadPacketIndex(rec);
  if (index == 1) {
    if (!fromClient || !isIdLine(p, end)) return R_NO;
    const state = claimGroupState(rec, groupId);
    if (state == 0) return R_NO; // another undecided group holds the area
    store<u8>(state + slotOffset + CLIENT_ID, 1);
    return R_MAYBE;
  }
  if (index > MAX_PACKETS) return R_NO;
  const state = claimGroupState(rec, groupId);
  if (state == 0 || load<u8>(state + slotOffset + CLIENT_ID) == 0) return R_NO;
  if (fromClient) return R_MAYBE;
  if (!isIdLine(p, end)) return R_NO;
  setDetected(rec, PROTO_TINC, 0);
  tincCacheStore(rec + FLOW_SRV_ADDR, <u32>load<u16>(rec + FLOW_SRV_PORT));
  return R_DONE;
}

/** A UDP flow's first packet: tinc when one end is a daemon seen on a meta connection. */
function fromKnownDaemon(rec: usize): i32 {
  if (payloadPacketIndex(rec) != 1) return R_NO;
  if (!tincCacheHas(rec + FLOW_SRV_ADDR, <u32>load<u16>(rec + FLOW_SRV_PORT)) &&
    !tincCacheHas(rec + FLOW_CLI_ADDR, <u32>load<u16>(rec + FLOW_CLI_PORT))) return R_NO;
  setDetected(rec, PROTO_TINC, 0);
  return R_DONE;
}

/** "0 <name> 17" or "0 <name> 17.<minor>", ended by LF. */
function isIdLine(p: usize, end: usize): bool {
  const eol = lineEnd(p, end);
  if (eol == end || !startsWith(p, eol, "0 ")) return false;
  let at = p + 2;
  const name = at;
  while (at < eol && isNameChar(<u32>load<u8>(at))) at++;
  if (at == name || !startsWith(at, eol, PROTOCOL_MAJOR)) return false;
  at += 3;
  if (at == eol) return true;
  if (load<u8>(at) != 0x2e) return false; // '.'
  at++;
  const minor = at;
  while (at < eol && isDigit(<u32>load<u8>(at))) at++;
  return at == eol && at > minor;
}

@inline function isNameChar(c: u32): bool {
  return (c - 0x61 < 26) || (c - 0x41 < 26) || (c - 0x30 < 10) || c == 0x5f;
}
