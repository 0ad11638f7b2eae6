// Discord voice (core-as/dissect/discord.ts): IP discovery (74-byte request 0x0001 / answer
// 0x0002, length 70) and the 8-byte 0x1337CAFE keep-alives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, be32, cat, pattern, zeros } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const discovery = (type: number, address = '') => cat(be16(type), be16(70), be32(0x00024b18), ascii(address), zeros(66 - address.length));
const keepalive = cat(be32(0x1337cafe), [0xa9, 0x01, 0, 0]);

test('the discovery answer as second payload, or a keep-alive among the first five: Discord', async () => {
  assert.equal(proto(await udpConversation(64837, 50001, [discovery(1), { reply: discovery(2, '84.59.132.10') }])), 'Discord [DPI]');
  assert.equal(proto(await udpConversation(54935, 50001, [pattern(60), pattern(60), keepalive])), 'Discord [DPI]');
  assert.equal(proto(await udpConversation(54935, 50001, [pattern(60), pattern(60), pattern(60), pattern(60), { reply: keepalive }])), 'Discord [DPI]');
});

test('the answer as first or third payload, a keep-alive too late or of another length: not Discord', async () => {
  for (const [what, turns] of [
    ['answer first', [discovery(2, '84.59.132.10')]],
    ['answer third', [discovery(1), pattern(74), { reply: discovery(2, '84.59.132.10') }]],
    ['answer 75 bytes', [discovery(1), { reply: cat(discovery(2), [0]) }]],
    ['keep-alive sixth', [pattern(60), pattern(60), pattern(60), pattern(60), pattern(60), keepalive]],
    ['keep-alive of 9 bytes', [cat(keepalive, [0])]],
  ] as const) {
    assert.notEqual(proto(await udpConversation(54935, 50001, turns as never)), 'Discord [DPI]', what);
  }
});
