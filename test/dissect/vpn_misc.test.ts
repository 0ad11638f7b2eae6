// tinc (core-as/dissect/tinc.ts: ID lines "0 <name> 17[.minor]" both ways), SoftEther over UDP
// (softether.ts: the NAT-T answer "IP=...,PORT=..." or a PACK) and TeamViewer (teamviewer.ts:
// 0x17 0x24 / 0x11 0x30 command headers) and UltraSurf (ultrasurf.ts: an 8-byte opening).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ETH, IPPROTO, LINKTYPE, TCP_FLAG, ascii, be32, cat, ethernet, ipv4, pattern, tcp, udp } from '../core/bytes.ts';
import { runFrames } from '../core/run.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

test('tinc: the client ID answered by the server ID', async () => {
  assert.equal(proto(await tcpConversation(59244, 655, [ascii('0 think 17\n'), { reply: ascii('0 iniz 17\n') }])), 'TINC [DPI]');
  assert.equal(proto(await tcpConversation(59244, 655, [ascii('0 t 17.7\n'), { reply: ascii('0 i 17.7\n') }])), 'TINC [DPI]');
});

test("tinc: UDP between a detected daemon's endpoint and a peer is tinc's data channel (nDPI's DPI cache)", async () => {
  const [c, s2] = ['131.114.168.27', '185.83.218.112'];
  const seg = (src: string, dst: string, sport: number, dport: number, flags: number, payload?: Uint8Array) =>
    ethernet(ETH.IPV4, ipv4({ src, dst, protocol: IPPROTO.TCP, payload: tcp({ sport, dport, seq: 1, ack: 1, flags, payload }) }));
  const dgram = (src: string, dst: string, sport: number, dport: number) =>
    ethernet(ETH.IPV4, ipv4({ src, dst, protocol: IPPROTO.UDP, payload: udp({ sport, dport, payload: pattern(60) }) }));
  const { flows } = await runFrames(LINKTYPE.ETHERNET, [
    dgram(s2, c, 55655, 40000), // before the meta connection: nothing known yet
    seg(c, s2, 59244, 55655, TCP_FLAG.SYN),
    seg(s2, c, 55655, 59244, TCP_FLAG.SYN | TCP_FLAG.ACK),
    seg(c, s2, 59244, 55655, TCP_FLAG.ACK),
    seg(c, s2, 59244, 55655, TCP_FLAG.ACK | TCP_FLAG.PSH, ascii('0 think 17\n')),
    seg(s2, c, 55655, 59244, TCP_FLAG.ACK | TCP_FLAG.PSH, ascii('0 iniz 17\n')),
    dgram(c, s2, 55655, 55655),
    dgram(c, s2, 55656, 55656),
  ]);
  const byPorts = (a: number, b: number) => flows.find((f) => f['cli.port'] === a && f['srv.port'] === b);
  assert.equal(proto(byPorts(59244, 55655)!), 'TINC [DPI]');
  assert.equal(proto(byPorts(55655, 55655)!), 'TINC [DPI]');
  assert.notEqual(proto(byPorts(55656, 55656)!), 'TINC [DPI]');
  assert.notEqual(proto(byPorts(55655, 40000)!), 'TINC [DPI]');
});

test('tinc: server line first, other version, no answer, odd name: not TINC', async () => {
  for (const turns of [
    [{ reply: ascii('0 iniz 17\n') }, ascii('0 think 17\n')],
    [ascii('0 think 18\n'), { reply: ascii('0 iniz 18\n') }],
    [ascii('0 think 17\n')],
    [ascii('0 th-ink 17\n'), { reply: ascii('0 iniz 17\n') }],
    [ascii('0 think 17.\n'), { reply: ascii('0 iniz 17\n') }],
  ]) {
    const f = await tcpConversation(59244, 655, turns);
    assert.notEqual(proto(f), 'TINC [DPI]', JSON.stringify(turns));
  }
});

const pack = (name: string, type = 2, count = 3) => cat(be32(count), be32(name.length + 1), ascii(name), be32(type), be32(1), be32(9), ascii('get_token'));

test('SoftEther: NAT-T probe answered with the public address, or a PACK', async () => {
  assert.equal(proto(await udpConversation(51381, 5004, [ascii('A'), { reply: ascii('IP=90.186.132.133,PORT=51381') }])), 'Softether [DPI]');
  assert.equal(proto(await udpConversation(51381, 5004, [ascii('A'), { reply: ascii('IP=2001:db8::1,PORT=51381') }])), 'Softether [DPI]');
  assert.equal(proto(await udpConversation(51381, 5004, [pack('opcode')])), 'Softether [DPI]');
});

test('SoftEther: other text, trailing bytes, bad PACK name or type: not Softether', async () => {
  for (const turns of [
    [ascii('A'), { reply: ascii('IP=1.2.3.4;PORT=1') }],
    [ascii('A'), { reply: ascii('IP=1.2.3.4,PORT=51381\n') }],
    [ascii('A'), { reply: ascii('IP=,PORT=1') }],
    [pack('op code')],
    [pack('opcode', 9)],
    [pack('opcode', 2, 0)],
  ]) {
    const f = await udpConversation(51381, 5004, turns);
    assert.notEqual(proto(f), 'Softether [DPI]', JSON.stringify(turns));
  }
});

const tv = (magic: number[], n = 30) => cat(magic, pattern(n));

test('TeamViewer: one packet on 5938, three headers elsewhere', async () => {
  assert.equal(proto(await tcpConversation(35732, 5938, [tv([0x17, 0x24])])), 'TeamViewer [DPI]');
  assert.equal(proto(await tcpConversation(32177, 8787, [tv([0x17, 0x24]), tv([0x17, 0x24]), pattern(40), { reply: tv([0x11, 0x30]) }])), 'TeamViewer [DPI]');
});

test('TeamViewer: two headers only off port, other first bytes: not TeamViewer', async () => {
  for (const turns of [[tv([0x17, 0x24]), { reply: tv([0x11, 0x30]) }], [tv([0x17, 0x25]), tv([0x17, 0x24]), tv([0x17, 0x24]), tv([0x17, 0x24])]]) {
    const f = await tcpConversation(32177, 8787, turns);
    assert.notEqual(proto(f), 'TeamViewer [DPI]', JSON.stringify(turns));
  }
});

test('UltraSurf: the first TCP payload starts CC 1C 30 41 5B A4 38 66; a later one or another start is not', async () => {
  const magic = [0xcc, 0x1c, 0x30, 0x41, 0x5b, 0xa4, 0x38, 0x66];
  assert.equal(proto(await tcpConversation(50053, 37898, [Uint8Array.from([...magic, 1, 2, 3])])), 'UltraSurf [DPI]');
  assert.equal(proto(await tcpConversation(50053, 37898, [{ reply: Uint8Array.from(magic) }])), 'UltraSurf [DPI]');
  assert.notEqual(proto(await tcpConversation(50053, 37898, [Uint8Array.from(magic.slice(0, 7))])), 'UltraSurf [DPI]');
  assert.notEqual(proto(await tcpConversation(50053, 37898, [Uint8Array.from([...magic.slice(0, 7), 0x67])])), 'UltraSurf [DPI]');
  assert.notEqual(proto(await tcpConversation(50053, 37898, [Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), Uint8Array.from(magic)])), 'UltraSurf [DPI]');
});
