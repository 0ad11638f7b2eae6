// The per-direction TOS and ICMP facts a flow keeps (core-as/flow/table.ts accountPacket, record
// bytes 192..197), as ntopng keeps them for its DSCP and ICMP filters and Flow::lua's tos/icmp
// tables: each side's last packet (IPv4 TOS, RFC 791 §3.1 / RFC 2474 §3; IPv6 Traffic Class,
// RFC 8200 §3 and §7), and for ICMP/ICMPv6 the last message of 3 bytes or more per side, reported
// as the server's once it has answered (ntopng's Flow::getICMP).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IPPROTO, LINKTYPE, TCP_FLAG, cat, icmpEcho, icmpv6Echo, ipv4, ipv6, tcp, udp, pattern } from './bytes.ts';
import { assertFlow, onlyFlow, runFrames } from './run.ts';

const C = '10.0.0.1', S = '10.0.0.2';
/** DSCP 46 (Expedited Forwarding, RFC 3246) with ECN 0; DSCP 8 (CS1) with ECN CE (3). */
const EF = 46 << 2, CS1_CE = (8 << 2) | 3;

test('IPv4 TOS: DSCP and ECN of each side\'s last packet', async () => {
  const c2s = (tos: number, seq: number) => ipv4({ src: C, dst: S, protocol: IPPROTO.TCP, tos, payload: tcp({ sport: 40000, dport: 80, flags: TCP_FLAG.ACK, seq }) });
  const s2c = (tos: number) => ipv4({ src: S, dst: C, protocol: IPPROTO.TCP, tos, payload: tcp({ sport: 80, dport: 40000, flags: TCP_FLAG.ACK }) });
  assert.equal(c2s(EF, 1)[1], 0xb8);
  // The client's first packet is EF, its last one ECT(1) only: the last one counts.
  const flow = onlyFlow(await runFrames(LINKTYPE.RAW, [c2s(EF, 1), s2c(CS1_CE), c2s(1, 2)]));
  assertFlow(flow, { 'tos.client.DSCP': 0, 'tos.client.ECN': 1, 'tos.server.DSCP': 8, 'tos.server.ECN': 3 });
  assert.equal(flow['icmp.type'], undefined, 'no ICMP keys on a TCP flow');
});

test('IPv6 Traffic Class spans the first two bytes: DSCP 46, ECN 1', async () => {
  const packet = ipv6({ src: 'fe80::1', dst: 'fe80::2', nextHeader: IPPROTO.UDP, trafficClass: EF | 1, flowLabel: 0xabcde, payload: udp({ sport: 1, dport: 2, payload: pattern(4) }) });
  assert.deepEqual([packet[0], packet[1]], [0x6b, 0x9a]); // version 6, TC 0xb9, flow label's top nibble 0xa
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [packet])), { 'tos.client.DSCP': 46, 'tos.client.ECN': 1, 'tos.server.DSCP': 0, 'tos.server.ECN': 0 });
});

test('IP-in-IP: the inner header\'s TOS is the flow\'s (the flow is the inner one)', async () => {
  const inner = ipv4({ src: C, dst: S, protocol: IPPROTO.UDP, tos: CS1_CE, payload: udp({ sport: 5000, dport: 5001 }) });
  const outer = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: IPPROTO.IPIP, tos: EF, payload: inner });
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [outer])), { 'cli.ip': C, tunnel: 'IP-in-IP', 'tos.client.DSCP': 8, 'tos.client.ECN': 3 });
});

test('ICMP echo (RFC 792): request only -> 8/0; once answered -> the reply, 0/0', async () => {
  const request = ipv4({ src: C, dst: S, protocol: IPPROTO.ICMP, payload: icmpEcho({ type: 8, id: 7, seq: 1 }) });
  const reply = ipv4({ src: S, dst: C, protocol: IPPROTO.ICMP, payload: icmpEcho({ type: 0, id: 7, seq: 1 }) });
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [request])), { 'proto.l4_id': 1, 'icmp.type': 8, 'icmp.code': 0 });
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [request, reply, request])), { 'icmp.type': 0, 'icmp.code': 0 });
});

test('ICMP destination unreachable (RFC 792: type 3, code 3 port unreachable) and ICMPv6 (RFC 4443) one-way', async () => {
  // Type, code, checksum, unused, then the offending datagram's header.
  const unreachable = cat([3, 3, 0, 0, 0, 0, 0, 0], ipv4({ src: S, dst: C, protocol: IPPROTO.UDP, payload: udp({ sport: 1, dport: 2 }) }));
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [ipv4({ src: C, dst: S, protocol: IPPROTO.ICMP, payload: unreachable })])), { 'icmp.type': 3, 'icmp.code': 3 });
  const echo6 = ipv6({ src: 'fe80::1', dst: 'fe80::2', nextHeader: IPPROTO.ICMPV6, payload: icmpv6Echo({ type: 128, id: 1, seq: 1 }) });
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [echo6])), { 'proto.l4_id': 58, 'icmp.type': 128, 'icmp.code': 0 });
});

test('ICMP messages under 3 bytes are not read (ntopng needs type, code and a byte more)', async () => {
  const short = (bytes: number[]) => ipv4({ src: C, dst: S, protocol: IPPROTO.ICMP, payload: Uint8Array.from(bytes) });
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [short([8, 0])])), { 'icmp.type': 0, 'icmp.code': 0 });
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [short([8, 0, 0])])), { 'icmp.type': 8, 'icmp.code': 0 });
  // A later short message leaves the last full one in place.
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [short([13, 0, 0, 0]), short([8, 0])])), { 'icmp.type': 13 });
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [short([])])), { 'icmp.type': 0, 'icmp.code': 0 });
});
