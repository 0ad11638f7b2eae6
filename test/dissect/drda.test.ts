// DRDA (core-as/dissect/drda.ts): a DSS header (length, 0xD0, format, correlation) whose first
// DDM object fills it (DRDA vol. 3).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, cat, pattern } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const dss = (body: Uint8Array, format = 0x41, magic = 0xd0, ddmDelta = 0) =>
  cat(be16(10 + body.length), [magic, format], be16(1), be16(4 + body.length + ddmDelta), be16(0x1041), body);

test('EXCSAT request and its reply: DRDA', async () => {
  const f = await tcpConversation(4847, 50000, [dss(pattern(30)), { reply: dss(pattern(20), 0x43) }]);
  assert.equal(proto(f), 'DRDA [DPI]');
});

test('wrong magic, format 0 or 6, DDM length off, DSS past the packet: not DRDA', async () => {
  for (const bad of [dss(pattern(8), 0x41, 0xd1), dss(pattern(8), 0x40), dss(pattern(8), 0x46), dss(pattern(8), 0x41, 0xd0, 1), dss(pattern(8)).subarray(0, 17)]) {
    const f = await tcpConversation(4847, 50000, [bad]);
    assert.notEqual(proto(f), 'DRDA [DPI]', Buffer.from(bad).toString('hex'));
  }
});
