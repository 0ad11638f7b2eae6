// IP and transport decoding (core-as/decode/packet.ts decodeIpv4/decodeIpv6/decodeTransport,
// core-as/wire/ipv4.ts, ipv6.ts, transport.ts): options, fragments, extension headers, short
// and damaged headers, and the protocols keyed without ports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ETH, IPPROTO, LINKTYPE, TCP_FLAG, ascii, cat, ethernet, icmpEcho, icmpv6Echo, ipv4, ipv6, padded, pattern,
  sctpInit, tcp, tcpOpt, udp, zeros, type Ipv6Ext,
} from './bytes.ts';
import { assertFlow, onlyFlow, runFrames, skippedOnly } from './run.ts';

const A4 = { src: '10.0.0.1', dst: '10.0.0.2' };
const A6 = { src: 'fe80::1', dst: 'ff02::fb' };
const ENDPOINTS4 = { 'cli.ip': '10.0.0.1', 'srv.ip': '10.0.0.2', ip_version: 4, vlan: 0, tunnel: '' };
const ENDPOINTS6 = { 'cli.ip': 'fe80::1', 'srv.ip': 'ff02::fb', ip_version: 6, vlan: 0, tunnel: '' };

test('IPv4 with options (RFC 791 §3.1: Router Alert RFC 2113, Record Route, EOL): IHL honoured', async () => {
  const options = [0x94, 0x04, 0x00, 0x00, 0x07, 0x07, 0x04, 0, 0, 0, 0, 0x00];
  const packet = ipv4({ ...A4, protocol: IPPROTO.UDP, options, payload: udp({ sport: 5353, dport: 5354, payload: pattern(9) }) });
  assert.equal(packet[0], 0x48); // version 4, IHL 8 words
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [packet])), {
    ...ENDPOINTS4, 'cli.port': 5353, 'srv.port': 5354, 'proto.l4_id': IPPROTO.UDP, 'cli2srv.goodput_bytes': 9, 'cli2srv.bytes': packet.length,
  });
});

test('TCP with options (RFC 9293 §3.2: MSS, SACK permitted, Timestamps, NOP, Window Scale): data offset honoured, flags kept', async () => {
  const options = [...tcpOpt.mss(1460), ...tcpOpt.sackPermitted(), ...tcpOpt.timestamps(1, 0), ...tcpOpt.nop(), ...tcpOpt.windowScale(7)];
  const segment = tcp({ sport: 51000, dport: 443, flags: TCP_FLAG.SYN | TCP_FLAG.URG, options, payload: ascii('hello') });
  assert.equal(segment[12] >> 4, 10); // 40-byte header
  const frame = ethernet(ETH.IPV4, ipv4({ ...A4, protocol: IPPROTO.TCP, payload: segment }));
  assertFlow(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [frame])), {
    ...ENDPOINTS4, 'cli.port': 51000, 'srv.port': 443, 'proto.l4': 'TCP', 'proto.l4_id': 6, 'cli2srv.goodput_bytes': 5,
    'cli2srv.tcp_flags': TCP_FLAG.SYN | TCP_FLAG.URG, 'srv2cli.tcp_flags': 0, 'cli2srv.bytes': frame.length,
  });
});

test('small TCP segment in a padded Ethernet frame: goodput is the 2 payload bytes, bytes the 60-byte frame', async () => {
  const frame = padded(ethernet(ETH.IPV4, ipv4({ ...A4, protocol: IPPROTO.TCP, payload: tcp({ sport: 1, dport: 2, flags: TCP_FLAG.ACK, payload: ascii('ok') }) })));
  assert.equal(frame.length, 60);
  assertFlow(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [frame])), { 'cli2srv.bytes': 60, 'cli2srv.goodput_bytes': 2 });
});

test('IPv4 fragments (RFC 791 §3.2): the first (MF, offset 0) makes the flow, later ones are skipped.ip_fragment', async () => {
  const whole = udp({ sport: 7000, dport: 7001, payload: pattern(200) });
  const first = ipv4({ ...A4, protocol: IPPROTO.UDP, id: 77, moreFragments: true, payload: whole.subarray(0, 104) });
  const middle = ipv4({ ...A4, protocol: IPPROTO.UDP, id: 77, moreFragments: true, fragOffset: 13, payload: whole.subarray(104, 200) });
  const last = ipv4({ ...A4, protocol: IPPROTO.UDP, id: 77, fragOffset: 25, payload: whole.subarray(200) });
  const result = await runFrames(LINKTYPE.RAW, [first, middle, last]);
  skippedOnly(result.stats, { ip_fragment: 2 });
  // The first fragment holds the UDP header and 96 of the 200 payload bytes.
  assertFlow(onlyFlow(result), { ...ENDPOINTS4, 'cli.port': 7000, 'srv.port': 7001, 'cli2srv.packets': 1, 'cli2srv.goodput_bytes': 96 });
});

test('IPv4 with DF set and offset 0 is no fragment', async () => {
  const packet = ipv4({ ...A4, protocol: IPPROTO.UDP, dontFragment: true, payload: udp({ sport: 1, dport: 2 }) });
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [packet])), { 'cli.port': 1, 'srv.port': 2, 'cli2srv.goodput_bytes': 0 });
});

const EXT_CASES: Array<[string, Ipv6Ext[]]> = [
  ['hop-by-hop (RFC 8200 §4.3)', [{ type: 'hop-by-hop' }]],
  ['routing type 2 (§4.4)', [{ type: 'routing' }]],
  ['fragment, offset 0 with M set (§4.5)', [{ type: 'fragment', more: true }]],
  ['destination options, 20 option bytes (§4.6)', [{ type: 'dest-opts', optionBytes: 20 }]],
  ['AH (RFC 4302 §2, length in 32-bit words)', [{ type: 'ah' }]],
  ['the §4.1 order: hop-by-hop, dest-opts, routing, fragment, AH, dest-opts', [
    { type: 'hop-by-hop' }, { type: 'dest-opts' }, { type: 'routing' }, { type: 'fragment' }, { type: 'ah' }, { type: 'dest-opts' },
  ]],
];

for (const [name, ext] of EXT_CASES) {
  test(`IPv6 extension headers: ${name} are walked to TCP`, async () => {
    const segment = tcp({ sport: 60000, dport: 22, flags: TCP_FLAG.PSH | TCP_FLAG.ACK, payload: pattern(33) });
    const frame = ethernet(ETH.IPV6, ipv6({ ...A6, nextHeader: IPPROTO.TCP, ext, payload: segment }));
    assertFlow(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [frame])), {
      ...ENDPOINTS6, 'cli.port': 60000, 'srv.port': 22, 'proto.l4_id': IPPROTO.TCP, 'cli2srv.goodput_bytes': 33, 'cli2srv.bytes': frame.length,
    });
  });
}

test('IPv6 fragment header with offset != 0 is skipped.ip_fragment, also behind hop-by-hop', async () => {
  const tail = pattern(64);
  const frames = [
    ipv6({ ...A6, nextHeader: IPPROTO.UDP, ext: [{ type: 'fragment', offset: 8, more: true }], payload: tail }),
    ipv6({ ...A6, nextHeader: IPPROTO.UDP, ext: [{ type: 'hop-by-hop' }, { type: 'fragment', offset: 16 }], payload: tail }),
  ];
  const result = await runFrames(LINKTYPE.IPV6, frames);
  assert.deepEqual(result.flows, []);
  skippedOnly(result.stats, { ip_fragment: 2 });
});

test('IPv4 total length beyond the captured bytes: skipped.truncated (nDPI reader semantics)', async () => {
  const packet = ipv4({ ...A4, protocol: IPPROTO.UDP, totalLength: 400, payload: udp({ sport: 1, dport: 2, payload: pattern(20) }) });
  const result = await runFrames(LINKTYPE.RAW, [packet]);
  assert.deepEqual(result.flows, []);
  skippedOnly(result.stats, { truncated: 1 });
});

test('IPv4 total length 0 (segmentation offload): the captured bytes are trusted', async () => {
  const packet = ipv4({ ...A4, protocol: IPPROTO.UDP, totalLength: 0, payload: udp({ sport: 1, dport: 2, payload: pattern(20) }) });
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [packet])), { 'cli.port': 1, 'cli2srv.goodput_bytes': 20 });
});

test('damaged IP headers: IHL < 5, total length < IHL, version 5 are skipped.malformed', async () => {
  const good = ipv4({ ...A4, protocol: IPPROTO.UDP, payload: udp({ sport: 1, dport: 2 }) });
  const ihl4 = Uint8Array.from(good); ihl4[0] = 0x44;
  const shortTotal = Uint8Array.from(good); shortTotal[2] = 0; shortTotal[3] = 16;
  const version5 = Uint8Array.from(good); version5[0] = 0x55;
  const result = await runFrames(LINKTYPE.RAW, [ihl4, shortTotal, version5]);
  assert.deepEqual(result.flows, []);
  skippedOnly(result.stats, { malformed: 3 });
});

test('cut IP headers are skipped.truncated: IPv4 < 20 bytes, options cut, IPv6 < 40 bytes, extension header cut', async () => {
  const v4 = ipv4({ ...A4, protocol: IPPROTO.UDP, options: zeros(8), payload: zeros(0) });
  const v6 = ipv6({ ...A6, nextHeader: IPPROTO.UDP, payload: udp({ sport: 1, dport: 2 }) });
  const extCut = ipv6({ ...A6, nextHeader: IPPROTO.UDP, ext: [{ type: 'dest-opts', optionBytes: 200 }], payload: zeros(0) });
  const result = await runFrames(LINKTYPE.RAW, [v4.subarray(0, 19), v4.subarray(0, 24), v6.subarray(0, 39), extCut.subarray(0, 60)]);
  assert.deepEqual(result.flows, []);
  skippedOnly(result.stats, { truncated: 4 });
});

test('TCP segment shorter than 20 bytes: a TCP flow keyed with ports 0', async () => {
  const cut = tcp({ sport: 80, dport: 1234, flags: TCP_FLAG.ACK }).subarray(0, 12);
  const result = await runFrames(LINKTYPE.RAW, [ipv4({ ...A4, protocol: IPPROTO.TCP, payload: cut })]);
  assertFlow(onlyFlow(result), { ...ENDPOINTS4, 'cli.port': 0, 'srv.port': 0, 'proto.l4': 'TCP', 'proto.l4_id': 6, 'cli2srv.tcp_flags': 0, 'tcp.twh_ok': false });
});

test('UDP datagram shorter than 8 bytes: a UDP flow keyed with ports 0', async () => {
  const result = await runFrames(LINKTYPE.RAW, [ipv4({ ...A4, protocol: IPPROTO.UDP, payload: Uint8Array.of(0, 53, 0, 53) })]);
  assertFlow(onlyFlow(result), { ...ENDPOINTS4, 'cli.port': 0, 'srv.port': 0, 'proto.l4_id': IPPROTO.UDP });
});

test('TCP data offset below 5 words: ports kept, payload after the fixed 20 bytes', async () => {
  const segment = tcp({ sport: 8080, dport: 9090, flags: TCP_FLAG.ACK, dataOffset: 2, payload: pattern(7) });
  assertFlow(onlyFlow(await runFrames(LINKTYPE.RAW, [ipv4({ ...A4, protocol: IPPROTO.TCP, payload: segment })])), {
    'cli.port': 8080, 'srv.port': 9090, 'cli2srv.goodput_bytes': 7,
  });
});

test('ICMP echo request and reply (RFC 792): one flow per address pair, ports 0, goodput = the ICMP message', async () => {
  const request = icmpEcho({ id: 0x4242, seq: 1, data: pattern(32) });
  const reply = icmpEcho({ type: 0, id: 0x4242, seq: 1, data: pattern(32) });
  const result = await runFrames(LINKTYPE.RAW, [ipv4({ ...A4, protocol: IPPROTO.ICMP, payload: request }), ipv4({ src: A4.dst, dst: A4.src, protocol: IPPROTO.ICMP, payload: reply })]);
  assertFlow(onlyFlow(result), {
    ...ENDPOINTS4, 'cli.port': 0, 'srv.port': 0, 'proto.l4': 'ICMP', 'proto.l4_id': 1,
    'cli2srv.packets': 1, 'srv2cli.packets': 1, 'cli2srv.goodput_bytes': 40, 'srv2cli.goodput_bytes': 40,
  });
});

test('ICMPv6 echo (RFC 4443 §4.1), SCTP INIT (RFC 9260 §3.1) and ESP: flows keyed without ports', async () => {
  const frames = [
    ipv6({ ...A6, nextHeader: IPPROTO.ICMPV6, payload: icmpv6Echo({ id: 1, seq: 2, data: pattern(4) }) }),
    ipv4({ ...A4, protocol: IPPROTO.SCTP, payload: sctpInit({ sport: 2905, dport: 2905 }) }),
    ipv4({ ...A4, protocol: IPPROTO.ESP, payload: cat([0, 0, 0, 1, 0, 0, 0, 1], pattern(24)) }),
  ];
  const result = await runFrames(LINKTYPE.RAW, frames);
  assert.deepEqual(result.flows.map((f) => [f['proto.l4'], f['proto.l4_id'], f['cli.port'], f['srv.port'], f['cli2srv.goodput_bytes']]), [
    ['IPv6-ICMP', 58, 0, 0, 12], ['SCTP', 132, 0, 0, 32], ['ESP', 50, 0, 0, 32],
  ]);
});

test('IPv6 extension header bombs: 16 headers decode; 17 and 1000 end as skipped.malformed', { timeout: 5000 }, async () => {
  const chain = (n: number) => ipv6({ ...A6, nextHeader: IPPROTO.UDP, ext: Array.from({ length: n }, () => ({ type: 'dest-opts' as const })), payload: udp({ sport: 1, dport: 2 }) });
  assertFlow(onlyFlow(await runFrames(LINKTYPE.IPV6, [chain(16)])), { 'cli.port': 1, 'srv.port': 2 });
  const bomb = await runFrames(LINKTYPE.IPV6, [chain(17), chain(1000)]);
  assert.deepEqual(bomb.flows, []);
  skippedOnly(bomb.stats, { malformed: 2 });
});
