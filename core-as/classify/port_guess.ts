// Default ports -> protocol, nDPI's last resort when nothing else classified a flow
// ("Confidence: Match by port"). Data: the sorted port arrays in generated/protocols.ts
// (~130 TCP and ~115 UDP ports: a binary search of 7-8 steps, once per flow, is cheaper in
// memory than a 65536-entry table per transport). The reader's protos.txt gives some known
// protocols more ports (READER_*: tcp:81,8181 HTTP, tcp:3000 ntop, tcp:9002 Elasticsearch,
// udp:5062 SIP): guessed from like the defaults, and before them, as ndpiReader loads them
// over its defaults; they are not default ports of the protocol for the non-standard-port risk.
import {
  READER_TCP_PORTS, READER_TCP_PORT_COUNT, READER_TCP_PORT_PROTOS, READER_UDP_PORTS, READER_UDP_PORT_COUNT,
  READER_UDP_PORT_PROTOS, TCP_PORTS, TCP_PORT_COUNT, TCP_PORT_PROTOS, UDP_PORTS, UDP_PORT_COUNT, UDP_PORT_PROTOS,
} from "./generated/protocols";

const IPPROTO_TCP: u32 = 6;
const IPPROTO_UDP: u32 = 17;

function lookupPort(ports: usize, protos: usize, count: u32, port: u32): u32 {
  let lo: i32 = 0;
  let hi: i32 = <i32>count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const p = <u32>load<u16>(ports + (<usize>mid << 1));
    if (p == port) return <u32>load<u16>(protos + (<usize>mid << 1));
    if (p < port) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** Protocol registered for a TCP port, 0 when none. */
export function protoByTcpPort(port: u32): u32 {
  return lookupPort(TCP_PORTS, TCP_PORT_PROTOS, TCP_PORT_COUNT, port);
}

/** Protocol registered for a UDP port, 0 when none. */
export function protoByUdpPort(port: u32): u32 {
  return lookupPort(UDP_PORTS, UDP_PORT_PROTOS, UDP_PORT_COUNT, port);
}

/**
 * nDPI's guess from a flow's ports (ndpiReader at the data's commit): the lower of the two
 * ports first, then the higher one (a server port is usually the lower one); both must be
 * non-zero. `l4` is the IP protocol number; only TCP and UDP have default ports. Returns the
 * protocol id, 0 when neither port is registered. test/classify checks this order against
 * every "Match by port" flow of the dev and extra results.
 */
export function guessProtoByPorts(l4: u32, srcPort: u32, dstPort: u32): u32 {
  if (srcPort == 0 || dstPort == 0) return 0;
  const low = srcPort < dstPort ? srcPort : dstPort;
  const high = srcPort < dstPort ? dstPort : srcPort;
  if (l4 != IPPROTO_TCP && l4 != IPPROTO_UDP) return 0;
  const byLow = guessByPort(l4, low);
  return byLow != 0 ? byLow : guessByPort(l4, high);
}

/** The protocol a port is guessed as: a reader rule's, else the default port's. */
function guessByPort(l4: u32, port: u32): u32 {
  const byRule = l4 == IPPROTO_TCP
    ? lookupPort(READER_TCP_PORTS, READER_TCP_PORT_PROTOS, READER_TCP_PORT_COUNT, port)
    : lookupPort(READER_UDP_PORTS, READER_UDP_PORT_PROTOS, READER_UDP_PORT_COUNT, port);
  if (byRule != 0) return byRule;
  return l4 == IPPROTO_TCP ? protoByTcpPort(port) : protoByUdpPort(port);
}

/** Does the protocol have any default port on this transport? (A scan of ~130 entries, once per flow.) */
export function protoHasDefaultPort(proto: u32, l4: u32): bool {
  const protos = l4 == IPPROTO_TCP ? TCP_PORT_PROTOS : UDP_PORT_PROTOS;
  const count = l4 == IPPROTO_TCP ? TCP_PORT_COUNT : UDP_PORT_COUNT;
  for (let i: u32 = 0; i < count; i++) if (<u32>load<u16>(protos + (<usize>i << 1)) == proto) return true;
  return false;
}

/** Is `port` a default port of `proto`? (Where two protocols share a port, the table keeps one.) */
export function protoUsesPort(proto: u32, l4: u32, port: u32): bool {
  return (l4 == IPPROTO_TCP ? protoByTcpPort(port) : protoByUdpPort(port)) == proto;
}
