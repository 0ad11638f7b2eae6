// RTPS (core-as/dissect/rtps.ts): "RTPS", protocol version 2.x (or 1.x), vendor id, GUID prefix (DDSI-RTPS §9.4.4).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, cat, pattern } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

test('RTI ping and a data message: RTPS', async () => {
  assert.equal(proto(await udpConversation(28108, 7410, [cat(ascii('RTPS'), [2, 1, 1, 1], ascii('NDDSPING'))])), 'RTPS [DPI]');
  assert.equal(proto(await udpConversation(28108, 7410, [cat(ascii('RTPS'), [2, 3, 1, 15], pattern(12), pattern(40))])), 'RTPS [DPI]');
  assert.equal(proto(await tcpConversation(40000, 7400, [cat(ascii('RTPS'), [1, 0, 1, 1], pattern(12))])), 'RTPS [DPI]');
});

test('version 3, other magic, short: not RTPS', async () => {
  for (const bad of [cat(ascii('RTPS'), [3, 0, 1, 1], pattern(12)), cat(ascii('RTPX'), [2, 1, 1, 1], pattern(12)), cat(ascii('RTPS'), [2, 1, 1, 1], pattern(7))]) {
    const f = await udpConversation(28108, 7410, [bad]);
    assert.notEqual(proto(f), 'RTPS [DPI]', Buffer.from(bad).toString('hex'));
  }
});
