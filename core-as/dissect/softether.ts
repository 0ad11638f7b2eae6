// SoftEther VPN over UDP (SoftEther VPN source, NAT traversal and its RPC over UDP). Two shapes
// decide among the flow's first packets:
// - a NAT-T probe's answer: the client probes the server's NAT-T port (5004 on the public
//   relays) and the server answers with the client's public address as text,
//   "IP=<address>,PORT=<port>";
// - a PACK, SoftEther's serialised RPC message (Mayaqua Pack.c): the element count (32 bits,
//   big-endian), then per element its name's length + 1 (32 bits) and the name, the value type
//   (0 int .. 4 int64) and the value count; a first element of that shape is enough.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_SOFTETHER } from "../classify/generated/protocols";
import { isDigit, startsWith } from "../util/ascii";
import { be32 } from "../util/bytes";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_MAYBE, R_NO } from "./result";
import { payloadPacketIndex } from "./group";

const MAX_PACKETS: u32 = 4;
const MAX_ADDRESS: usize = 39;

export function dissectSoftether(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP || payloadPacketIndex(rec) > MAX_PACKETS) return R_NO;
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (isPack(p, end)) {
    setDetected(rec, PROTO_SOFTETHER, 0);
    return R_DONE;
  }
  if (fromClient) return payloadPacketIndex(rec) < MAX_PACKETS ? R_MAYBE : R_NO;
  if (!startsWith(p, end, "IP=")) return R_NO;
  let at = p + 3;
  const address = at;
  while (at < end && load<u8>(at) != 0x2c && at - address <= MAX_ADDRESS) {
    const c = <u32>load<u8>(at);
    if (!isDigit(c) && c != 0x2e && c != 0x3a && !(c - 0x61 < 6) && !(c - 0x41 < 6)) return R_NO; // IPv4 or IPv6 text
    at++;
  }
  if (at == address || !startsWith(at, end, ",PORT=")) return R_NO;
  at += 6;
  const port = at;
  while (at < end && isDigit(<u32>load<u8>(at))) at++;
  if (at == port || at - port > 5 || at != end) return R_NO;
  setDetected(rec, PROTO_SOFTETHER, 0);
  return R_DONE;
}

const PACK_MAX_ELEMENTS: u32 = 4096;
const PACK_MAX_NAME: u32 = 64;
const PACK_MAX_TYPE: u32 = 4;

function isPack(p: usize, end: usize): bool {
  if (end - p < 16) return false;
  const count = be32(p);
  const nameField = be32(p + 4);
  if (count == 0 || count > PACK_MAX_ELEMENTS || nameField < 2 || nameField > PACK_MAX_NAME) return false;
  const nameLen = <usize>nameField - 1;
  const name = p + 8;
  if (end - name < nameLen + 8) return false;
  for (let i: usize = 0; i < nameLen; i++) {
    const c = <u32>load<u8>(name + i);
    if (!(c - 0x61 < 26) && !(c - 0x41 < 26) && !(c - 0x30 < 10) && c != 0x5f) return false;
  }
  return be32(name + nameLen) <= PACK_MAX_TYPE && be32(name + nameLen + 4) != 0;
}
