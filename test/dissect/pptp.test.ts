// PPTP (core-as/dissect/pptp.ts): control message header with the magic cookie 0x1A2B3C4D (RFC 2637 §2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, be32, cat, zeros } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const control = (type: number, body = 144, cookie = 0x1a2b3c4d, messageType = 1, declared = 12 + body) =>
  cat(be16(declared), be16(messageType), be32(cookie), be16(type), be16(0), zeros(body));

test('Start-Control-Connection-Request and Reply: PPTP', async () => {
  assert.equal(proto(await tcpConversation(41366, 1723, [control(1), { reply: control(2) }])), 'PPTP [DPI]');
});

test('wrong cookie, management message type, control type 0 or 16, length past the segment: not PPTP', async () => {
  for (const bad of [control(1, 144, 0x1a2b3c4e), control(1, 144, 0x1a2b3c4d, 2), control(0), control(16), control(1, 144, 0x1a2b3c4d, 1, 400)]) {
    const f = await tcpConversation(41366, 1723, [bad]);
    assert.notEqual(proto(f), 'PPTP [DPI]', Buffer.from(bad).toString('hex').slice(0, 40));
  }
});
