// RakNet (core-as/dissect/raknet.ts), layouts from wiki.vg/Raknet_Protocol: offline messages
// with the 16-byte magic decide after a few payloads, frame sets and ACKs whose lengths add up
// decide at once, the full-MTU variant decides when the rest gives up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, cat, zeros } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const MAGIC = [0x00, 0xff, 0xff, 0x00, 0xfe, 0xfe, 0xfe, 0xfe, 0xfd, 0xfd, 0xfd, 0xfd, 0x12, 0x34, 0x56, 0x78];
const guid = zeros(8);
// Open Connection Request 1: id, magic, protocol version, padding to the probed MTU.
const openRequest1 = (version = 10, mtu = 1464) => cat([0x05], MAGIC, [version], zeros(mtu - 18));
// Open Connection Reply 1: id, magic, server GUID, use security, MTU.
const openReply1 = (security = 0, mtu = 1400) => cat([0x06], MAGIC, guid, [security], be16(mtu));
// Open Connection Request 2: id, magic, server address (version 4, address, port), MTU, client GUID.
const openRequest2 = (mtu = 1400) => cat([0x07], MAGIC, [4, 1, 2, 3, 4], be16(19132), be16(mtu), guid);
// A frame set: id, 3-byte sequence, one unreliable frame (flags 0, length in bits, body).
const frameSet = (id: number, body: number, extra = 0) => cat([id, 0, 0, 0], [0x00], be16(body * 8), zeros(body + extra));

test('open connection request 1, reply 1, request 2: RakNet on the third payload', async () => {
  const f = await udpConversation(44501, 60030, [openRequest1(), { reply: openReply1() }, openRequest2()]);
  assert.equal(proto(f), 'RakNet [DPI]');
});

test('two offline messages are not enough; an out-of-range field gives up', async () => {
  assert.notEqual(proto(await udpConversation(44502, 60030, [openRequest1(), { reply: openReply1() }])), 'RakNet [DPI]');
  assert.notEqual(proto(await udpConversation(44503, 60030, [openRequest1(11, 600), { reply: openReply1() }, openRequest2()])), 'RakNet [DPI]');
  assert.notEqual(proto(await udpConversation(44504, 60030, [openRequest1(10, 600), { reply: openReply1(2) }, openRequest2()])), 'RakNet [DPI]');
  assert.notEqual(proto(await udpConversation(44505, 60030, [openRequest1(10, 600), { reply: openReply1() }, openRequest2(1501)])), 'RakNet [DPI]');
});

test('a 0x84 frame set whose frames fill the datagram: RakNet at once; one byte more is not', async () => {
  assert.equal(proto(await udpConversation(32951, 60022, [frameSet(0x84, 40)])), 'RakNet [DPI]');
  assert.notEqual(proto(await udpConversation(32952, 60022, [frameSet(0x84, 40, 1)])), 'RakNet [DPI]');
});

test('a lone 0x84 frame set whose first frame is reliable (0x60) waits: one datagram is not RakNet', async () => {
  const reliable = cat([0x84, 1, 0, 0], [0x60], be16(20 * 8), [0, 0, 0], [0, 0, 0, 0], zeros(20));
  assert.notEqual(proto(await udpConversation(60690, 60028, [reliable])), 'RakNet [DPI]');
});

test('ACK with one single-number record: RakNet; a record count that does not match is not', async () => {
  assert.equal(proto(await udpConversation(44506, 60031, [cat([0xc0], be16(1), [0x01], [5, 0, 0])])), 'RakNet [DPI]');
  assert.notEqual(proto(await udpConversation(44507, 60031, [cat([0xc0], be16(2), [0x01], [5, 0, 0])])), 'RakNet [DPI]');
});

test('full-MTU first datagram with the magic at offset 32, not a valid message itself: RakNet', async () => {
  const first = cat([0x01], zeros(31), MAGIC, zeros(1364 - 48));
  assert.equal(proto(await udpConversation(45693, 53385, [first])), 'RakNet [DPI]');
  const short = cat([0x01], zeros(31), MAGIC, zeros(100));
  assert.notEqual(proto(await udpConversation(45694, 53385, [short])), 'RakNet [DPI]');
});

test('an RTP stream whose first packet also walks as a 0x80 frame set stays RTP', async () => {
  // RTP v2, PT 102, then a timestamp whose bytes read as an unreliable 37-byte frame.
  const rtp = (seq: number) => cat([0x80, 0x66], be16(seq), [0x00, 0x01, 0x28, 0x5c], [0x20, 0x5e, 0x91, 0x60], zeros(32));
  const f = await udpConversation(31046, 21176, [rtp(0x55c2), rtp(0x55c3), rtp(0x55c4)]);
  assert.equal(proto(f), 'RTP [DPI]');
});
