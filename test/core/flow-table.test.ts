// The bidirectional flow table (core-as/flow/table.ts, key.ts, record.ts) as runtime/flow.ts
// shows it: direction, keys (VLAN, IP version, protocol), capacity, growth, events, and
// ntopng's flow key (ntopng-notes §3).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ETH, IPPROTO, LINKTYPE, TCP_FLAG, T0, ethernet, ip4, ip6, ipv4, ipv6, padded, pattern, pcapFile, tcp, udp,
  vlanTag, type Bytes,
} from './bytes.ts';
import { assertFlow, onlyFlow, run, runFrames, skippedOnly } from './run.ts';

/** The created/ended sequence (flow_detected comes in between; its own test pins it down). */
const lifecycle = (events: Array<{ kind: string }>) => events.map((e) => e.kind).filter((k) => k !== 'flow_detected');

const udp4 = (src: string, sport: number, dst: string, dport: number, n = 10) =>
  ipv4({ src, dst, protocol: IPPROTO.UDP, payload: udp({ sport, dport, payload: pattern(n) }) });

test('reply packets land in the same flow; the first sender is the client', async () => {
  const request = padded(ethernet(ETH.IPV4, udp4('10.0.0.9', 5555, '10.0.0.1', 6666, 10)));
  const reply = ethernet(ETH.IPV4, udp4('10.0.0.1', 6666, '10.0.0.9', 5555, 30));
  const file = pcapFile(LINKTYPE.ETHERNET, [
    { sec: T0, frac: 100, data: request }, { sec: T0, frac: 200, data: reply }, { sec: T0 + 2, frac: 300, data: request },
  ]);
  const result = await run(file);
  assertFlow(onlyFlow(result), {
    'cli.ip': '10.0.0.9', 'cli.port': 5555, 'srv.ip': '10.0.0.1', 'srv.port': 6666,
    'cli2srv.packets': 2, 'srv2cli.packets': 1, packets: 3,
    'cli2srv.bytes': 2 * request.length, 'srv2cli.bytes': reply.length, bytes: 2 * request.length + reply.length,
    'cli2srv.goodput_bytes': 20, 'srv2cli.goodput_bytes': 30, goodput_bytes: 50,
    'seen.first_us': T0 * 1e6 + 100, 'seen.last_us': (T0 + 2) * 1e6 + 300, 'seen.first': T0, 'seen.last': T0 + 2, duration: 2.0002,
  });
  assert.equal(result.stats.flowsCreated, 1);
});

test('the client is whoever sent first, whichever address or port is lower', async () => {
  const result = await runFrames(LINKTYPE.RAW, [udp4('10.0.0.200', 60000, '10.0.0.3', 40000), udp4('10.0.0.3', 40000, '10.0.0.200', 60000)]);
  assertFlow(onlyFlow(result), { 'cli.ip': '10.0.0.200', 'cli.port': 60000, 'srv.ip': '10.0.0.3', 'srv.port': 40000, 'cli2srv.packets': 1, 'srv2cli.packets': 1 });
});

test('the same 5-tuple on different VLANs (and untagged) gives different flows', async () => {
  const ip = udp4('10.0.0.1', 1000, '10.0.0.2', 2000);
  const frames = [ethernet(ETH.VLAN, vlanTag(1, ETH.IPV4, ip)), ethernet(ETH.VLAN, vlanTag(2, ETH.IPV4, ip)), ethernet(ETH.IPV4, ip), ethernet(ETH.VLAN, vlanTag(1, ETH.IPV4, ip))];
  const result = await runFrames(LINKTYPE.ETHERNET, frames);
  assert.deepEqual(result.flows.map((f) => [f.vlan, f['cli2srv.packets']]), [[1, 2], [2, 1], [0, 1]]);
});

test('IPv4 and IPv6 flows with the same address bytes and ports stay separate', async () => {
  // a00:1:: and a00:2:: start with the bytes of 10.0.0.1 and 10.0.0.2; the IPv4 record keeps zeros after them.
  const v4 = udp4('10.0.0.1', 1000, '10.0.0.2', 2000);
  const v6 = ipv6({ src: 'a00:1::', dst: 'a00:2::', nextHeader: IPPROTO.UDP, payload: udp({ sport: 1000, dport: 2000, payload: pattern(10) }) });
  const result = await runFrames(LINKTYPE.RAW, [v4, v6, v6]);
  assert.deepEqual(result.flows.map((f) => [f.ip_version, f['cli.ip'], f['srv.ip'], f.packets]), [[4, '10.0.0.1', '10.0.0.2', 1], [6, 'a00:1::', 'a00:2::', 2]]);
});

test('TCP and UDP between the same endpoints and ports are different flows', async () => {
  const t = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.TCP, payload: tcp({ sport: 1000, dport: 2000, flags: TCP_FLAG.SYN }) });
  const result = await runFrames(LINKTYPE.RAW, [t, udp4('10.0.0.1', 1000, '10.0.0.2', 2000)]);
  assert.deepEqual(result.flows.map((f) => f['proto.l4']), ['TCP', 'UDP']);
});

test('maxFlows 3 with 5 flows: packets of the refused flows in flowsDropped and skipped.flow_table_full', async () => {
  const flows = [1, 2, 3, 4, 5].map((i) => udp4(`10.0.1.${i}`, 1000 + i, '10.0.2.1', 53));
  const result = await runFrames(LINKTYPE.RAW, [...flows, ...flows], { maxFlows: 3 });
  assert.deepEqual(result.flows.map((f) => [f['cli.ip'], f['cli2srv.packets']]), [['10.0.1.1', 2], ['10.0.1.2', 2], ['10.0.1.3', 2]]);
  assert.equal(result.stats.flowsCreated, 3);
  assert.equal(result.stats.flowsDropped, 4);
  assert.equal(result.stats.packetsInFlows, 6);
  skippedOnly(result.stats, { flow_table_full: 4 });
});

test('events: one flow_created per flow as it appears, one flow_ended per flow at end()', async () => {
  const frames = [udp4('10.0.0.1', 1, '10.0.0.2', 2), udp4('10.0.0.3', 3, '10.0.0.4', 4), udp4('10.0.0.2', 2, '10.0.0.1', 1), udp4('10.0.0.5', 5, '10.0.0.6', 6)];
  const result = await runFrames(LINKTYPE.RAW, frames);
  const created = result.events.filter((e) => e.kind === 'flow_created').map((e) => e.flowId);
  const ended = result.events.filter((e) => e.kind === 'flow_ended').map((e) => e.flowId);
  assert.equal(created.length, 3);
  assert.equal(new Set(created).size, 3);
  assert.deepEqual([...ended].sort(), [...created].sort());
  assert.deepEqual(lifecycle(result.events), ['flow_created', 'flow_created', 'flow_created', 'flow_ended', 'flow_ended', 'flow_ended']);
  assert.deepEqual(result.ended.map((f) => f['cli.ip']).sort(), ['10.0.0.1', '10.0.0.3', '10.0.0.5']);
  assert.equal(result.stats.flowsPurged, 3);
  assert.equal(result.stats.activeFlows, 0);
});

test('70,000 distinct UDP flows (index growth, several record chunks, a full event ring) are all found by their replies', { timeout: 120_000 }, async () => {
  const count = 70_000;
  const address = (i: number) => `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`;
  const template = udp4('10.0.0.0', 0, '192.168.0.1', 53, 4);
  const frames: Bytes[] = [];
  const make = (i: number, reply: boolean) => {
    const packet = Uint8Array.from(template);
    const client = ip4(address(i)), port = [0x80 | ((i >> 8) & 0x7f), i & 0xff];
    // Client address and port into source or destination; fix the header checksum (RFC 1071).
    packet.set(client, reply ? 16 : 12);
    packet.set(reply ? [0, 53] : port, 20);
    packet.set(reply ? port : [0, 53], 22);
    if (reply) packet.set(ip4('192.168.0.1'), 12);
    else packet.set(ip4('192.168.0.1'), 16);
    packet[10] = 0; packet[11] = 0;
    let sum = 0;
    for (let k = 0; k < 20; k += 2) sum += (packet[k] << 8) | packet[k + 1];
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    packet[10] = (~sum >> 8) & 0xff; packet[11] = ~sum & 0xff;
    return packet;
  };
  for (let i = 0; i < count; i++) frames.push(make(i, false));
  for (let i = 0; i < count; i++) frames.push(make(i, true));
  const result = await runFrames(LINKTYPE.RAW, frames);
  assert.equal(result.flows.length, count);
  assert.equal(result.stats.flowsCreated, count);
  const wrong = result.flows.filter((f) => f['cli2srv.packets'] !== 1 || f['srv2cli.packets'] !== 1 || f['srv.ip'] !== '192.168.0.1' || f['srv.port'] !== 53);
  assert.deepEqual(wrong.slice(0, 3), []);
  assert.equal(new Set(result.flows.map((f) => `${f['cli.ip']}:${f['cli.port']}`)).size, count);
  assert.equal(result.events.filter((e) => e.kind === 'flow_created').length, count);
  assert.equal(result.events.filter((e) => e.kind === 'flow_ended').length, count);
});

/** ntopng's Flow::key(), computed here from the notes (§3), with BigInt arithmetic mod 2^32. */
function ntopngKey(cli: Uint8Array, cliPort: number, srv: Uint8Array, srvPort: number, vlan: number, proto: number): number {
  const M = 1n << 32n;
  // Ports are summed as the struct holds them: network byte order read by a little-endian CPU.
  const portKey = (port: number) => BigInt(((port & 0xff) << 8) | (port >> 8));
  const addrKey = (addr: Uint8Array): bigint => {
    if (addr.length === 4) return BigInt(addr[0]) * 16777216n + BigInt(addr[1]) * 65536n + BigInt(addr[2]) * 256n + BigInt(addr[3]);
    let key = 0n;
    for (let i = 0; i < 4; i++) {
      const word = BigInt(addr[4 * i]) + BigInt(addr[4 * i + 1]) * 256n + BigInt(addr[4 * i + 2]) * 65536n + BigInt(addr[4 * i + 3]) * 16777216n;
      key = (key + ((word << BigInt(2 * i)) % M)) % M;
    }
    return key;
  };
  return Number((portKey(cliPort) + portKey(srvPort) + BigInt(vlan) + BigInt(proto) + addrKey(cli) + addrKey(srv)) % M);
}

test('ntopng.key equals ntopng\'s Flow::key() for an IPv4 TCP flow on VLAN 12 and an IPv6 UDP flow', async () => {
  const v4 = ethernet(ETH.VLAN, vlanTag(12, ETH.IPV4, ipv4({ src: '192.168.1.10', dst: '93.184.216.34', protocol: IPPROTO.TCP, payload: tcp({ sport: 51234, dport: 443, flags: TCP_FLAG.SYN }) })));
  const v6 = ethernet(ETH.IPV6, ipv6({ src: '2001:db8:85a3::8a2e:370:7334', dst: 'fe80::ffff:1', nextHeader: IPPROTO.UDP, payload: udp({ sport: 5353, dport: 53 }) }));
  const [flow4, flow6] = (await runFrames(LINKTYPE.ETHERNET, [v4, v6])).flows;
  const expected4 = ntopngKey(ip4('192.168.1.10'), 51234, ip4('93.184.216.34'), 443, 12, 6);
  const expected6 = ntopngKey(ip6('2001:db8:85a3::8a2e:370:7334'), 5353, ip6('fe80::ffff:1'), 53, 0, 17);
  assert.equal(flow4['ntopng.key'], expected4);
  assert.equal(flow6['ntopng.key'], expected6);
  // By hand: ports 51234 = 0xc822 and 443 = 0x01bb byte-swapped, VLAN 12, TCP 6, 192.168.1.10, 93.184.216.34.
  assert.equal(expected4, (0x22c8 + 0xbb01 + 12 + 6 + 0xc0a8010a + 0x5db8d822) % 2 ** 32);
});

test('ntopng.key is the same whichever side sent first', async () => {
  const a = udp4('10.1.1.1', 1111, '10.2.2.2', 2222);
  const b = udp4('10.2.2.2', 2222, '10.1.1.1', 1111);
  const [ab] = (await runFrames(LINKTYPE.RAW, [a])).flows;
  const [ba] = (await runFrames(LINKTYPE.RAW, [b])).flows;
  assert.equal(ab['cli.ip'], '10.1.1.1');
  assert.equal(ba['cli.ip'], '10.2.2.2');
  assert.equal(ab['ntopng.key'], ba['ntopng.key']);
  assert.equal(ab['ntopng.key'], ntopngKey(ip4('10.1.1.1'), 1111, ip4('10.2.2.2'), 2222, 0, 17));
});

test('events: one flow_detected per flow, after its flow_created and before its flow_ended', async () => {
  const frames = [];
  for (let i = 0; i < 20; i++) {
    frames.push(ipv4({ src: '10.1.0.1', dst: '10.1.0.2', protocol: IPPROTO.UDP, payload: udp({ sport: 5000 + i, dport: 7000, payload: pattern(12) }) }));
  }
  frames.push(ipv4({ src: '10.1.0.1', dst: '10.1.0.2', protocol: IPPROTO.ICMP, payload: pattern(16) }));
  const result = await runFrames(LINKTYPE.RAW, frames);
  const seen = new Map<number, string[]>();
  for (const e of result.events) seen.set(e.serial, [...(seen.get(e.serial) ?? []), e.kind]);
  assert.equal(seen.size, 21);
  for (const kinds of seen.values()) assert.deepEqual(kinds, ['flow_created', 'flow_detected', 'flow_ended']);
  // An ICMP flow is named by its IP protocol at creation: detected right after created.
  const icmp = result.events.filter((e) => e.flow['proto.l4_id'] === 1).map((e) => e.kind);
  assert.deepEqual(icmp, ['flow_created', 'flow_detected', 'flow_ended']);
  const detected = result.events.find((e) => e.kind === 'flow_detected' && e.flow['proto.l4_id'] === 1);
  assert.equal(detected?.flow['proto.ndpi'], 'ICMP');
});
