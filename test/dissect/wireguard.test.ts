// WireGuard (core-as/dissect/wireguard.ts): message types 1-4 with reserved zero bytes, their
// sizes, and the index relations between packets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cat, le32, pattern, zeros } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const initiation = (sender: number, extra = 0) => cat([1, 0, 0, 0], le32(sender), pattern(140 + extra));
const response = (sender: number, receiver: number) => cat([2, 0, 0, 0], le32(sender), le32(receiver), pattern(80));
const cookie = (receiver: number) => cat([3, 0, 0, 0], le32(receiver), pattern(56));
const data = (receiver: number, counter: number, len = 64) => cat([4, 0, 0, 0], le32(receiver), le32(counter), le32(0), pattern(len - 16));

test('initiation and the response naming its sender index: WireGuard', async () => {
  const f = await udpConversation(43462, 51820, [initiation(0x30d037d8), { reply: response(0xab7df406, 0x30d037d8) }]);
  assert.equal(proto(f), 'WireGuard [DPI]');
});

test('a cookie reply to the initiation; a provider\'s longer handshake messages', async () => {
  let f = await udpConversation(43462, 51820, [initiation(7), { reply: cookie(7) }]);
  assert.equal(proto(f), 'WireGuard [DPI]');
  f = await udpConversation(57636, 51820, [initiation(9, 56), { reply: cat(response(1, 9), zeros(8)) }]);
  assert.equal(proto(f), 'WireGuard [DPI]');
});

test('transport data only: two in a row to the same index once the other side has sent, on any port', async () => {
  const f = await udpConversation(22595, 5060, [data(0x15764979, 0x13, 96), { reply: data(0xb048101c, 0x0f, 96) }, data(0x15764979, 0x14, 80)]);
  assert.equal(proto(f), 'WireGuard [DPI]');
  assert.ok(f.flow_risk.includes(5));
});

test('a response to another index, one-way data, counters going back: not WireGuard by payload', async () => {
  let f = await udpConversation(43462, 51820, [initiation(0x30d037d8), { reply: cookie(0xd837d030) }]);
  assert.equal(proto(f), 'WireGuard [Match by port]');
  f = await udpConversation(43462, 51821, [data(1, 1), data(1, 2), data(1, 3)]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  f = await udpConversation(43462, 51821, [data(1, 5), { reply: data(2, 1) }, data(1, 4)]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});

test('reserved bytes set, wrong sizes, unknown types, short packets: not WireGuard', async () => {
  const reserved = initiation(1); reserved[2] = 1;
  for (const bad of [reserved, initiation(1).subarray(0, 100), cat(cookie(1), [0]), data(1, 1, 40), cat([5, 0, 0, 0], pattern(60)), Uint8Array.from([1, 0, 0])]) {
    const f = await udpConversation(43462, 51821, [bad, { reply: bad }]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', Buffer.from(bad).toString('hex'));
  }
});
