// The flow key: (vlan, l4 proto, {addr:port, addr:port}) with no direction. The hash is made
// symmetric by hashing each end separately and combining the two in sorted order, so both
// directions of a conversation land in the same bucket without first sorting the addresses.
import * as info from "../decode/packet_info";
import {
  FLOW_CLI_ADDR, FLOW_CLI_PORT, FLOW_L4_PROTO, FLOW_SRV_ADDR, FLOW_SRV_PORT, FLOW_VLAN,
} from "./record";

@inline function mix64(x: u64): u64 {
  // MurmurHash3's 64-bit finaliser: full avalanche for a few multiplies.
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccd;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53;
  x ^= x >> 33;
  return x;
}

@inline function endpointHash(addr: usize, port: u32): u64 {
  return mix64(load<u64>(addr) ^ (load<u64>(addr + 8) * 0x9e3779b97f4a7c15) ^ (<u64>port << 40));
}

/** 32-bit direction-free hash of the key in packet_info. */
export function packetKeyHash(): u32 {
  const a = endpointHash(info.srcAddr, info.srcPort);
  const b = endpointHash(info.dstAddr, info.dstPort);
  const low = a < b ? a : b;
  const high = a < b ? b : a;
  const h = mix64(low ^ rotl<u64>(high, 23) ^ (<u64>info.l4Proto << 16 | <u64>info.vlanId) ^ (<u64>info.ipVersion << 56));
  return <u32>(h ^ (h >> 32));
}

@inline function sameAddr(a: usize, b: usize): bool {
  return load<u64>(a) == load<u64>(b) && load<u64>(a + 8) == load<u64>(b + 8);
}

export const KEY_NO_MATCH: i32 = 0;
export const KEY_CLIENT_TO_SERVER: i32 = 1;
export const KEY_SERVER_TO_CLIENT: i32 = 2;

/** Does the packet in packet_info belong to the flow at `rec`, and in which direction? */
export function matchPacket(rec: usize): i32 {
  if (<u32>load<u8>(rec + FLOW_L4_PROTO) != info.l4Proto || <u32>load<u16>(rec + FLOW_VLAN) != info.vlanId) return KEY_NO_MATCH;
  const cliPort = <u32>load<u16>(rec + FLOW_CLI_PORT);
  const srvPort = <u32>load<u16>(rec + FLOW_SRV_PORT);
  if (cliPort == info.srcPort && srvPort == info.dstPort &&
      sameAddr(rec + FLOW_CLI_ADDR, info.srcAddr) && sameAddr(rec + FLOW_SRV_ADDR, info.dstAddr)) {
    return KEY_CLIENT_TO_SERVER;
  }
  if (cliPort == info.dstPort && srvPort == info.srcPort &&
      sameAddr(rec + FLOW_CLI_ADDR, info.dstAddr) && sameAddr(rec + FLOW_SRV_ADDR, info.srcAddr)) {
    return KEY_SERVER_TO_CLIENT;
  }
  return KEY_NO_MATCH;
}

/** Writes the packet's key into a fresh record, the sender becoming the client. */
export function writeKey(rec: usize): void {
  memory.copy(rec + FLOW_CLI_ADDR, info.srcAddr, 16);
  memory.copy(rec + FLOW_SRV_ADDR, info.dstAddr, 16);
  store<u16>(rec + FLOW_CLI_PORT, <u16>info.srcPort);
  store<u16>(rec + FLOW_SRV_PORT, <u16>info.dstPort);
  store<u16>(rec + FLOW_VLAN, <u16>info.vlanId);
  store<u8>(rec + FLOW_L4_PROTO, <u8>info.l4Proto);
}
