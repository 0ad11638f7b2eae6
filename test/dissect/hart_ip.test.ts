// HART-IP (core-as/dissect/hart_ip.ts): 8-byte header, version, message type and id, status,
// sequence, byte count of the whole message (HCF_SPEC-085).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, cat } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const hart = (body: number[], type = 0, id = 0, version = 1, count = 8 + body.length) => cat([version, type, id, 0], be16(2), be16(count), body);
const initiate = hart([0x01, 0x00, 0x00, 0x75, 0x30]);

test('session initiate over UDP, answered: HART-IP', async () => {
  const f = await udpConversation(49905, 5094, [initiate, { reply: hart([0x01, 0, 0, 0xea, 0x60], 1) }]);
  assert.equal(proto(f), 'HART-IP [DPI]');
});

test('token-passing PDU over TCP on 5094: HART-IP', async () => {
  const f = await tcpConversation(49559, 5094, [hart([0x82, 0x26, 0x4e, 0, 0, 0xd2, 0, 0, 0x38], 0, 3)]);
  assert.equal(proto(f), 'HART-IP [DPI]');
});

test('byte count not the datagram, bad version, type or id, TCP off its port: not HART-IP', async () => {
  for (const bad of [hart([1, 2, 3], 0, 0, 1, 12), hart([1], 0, 0, 3), hart([1], 4), hart([1], 0, 6), initiate.subarray(0, 7)]) {
    const f = await udpConversation(49905, 5094, [bad]);
    assert.notEqual(proto(f), 'HART-IP [DPI]', Buffer.from(bad).toString('hex'));
  }
  const f = await tcpConversation(50957, 3868, [initiate]);
  assert.notEqual(proto(f), 'HART-IP [DPI]');
});
