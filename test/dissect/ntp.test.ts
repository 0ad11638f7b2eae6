// NTP (core-as/dissect/ntp.ts): RFC 5905 §7.3 packet header on UDP 123, control (mode 6,
// RFC 9327) and private (mode 7) messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cat, zeros } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

/** LI 0, VN, Mode in the first byte; stratum, poll, precision, then 44 bytes of delays, refid and timestamps. */
const ntp = (version: number, mode: number, len = 48) => cat([(version << 3) | mode], zeros(len - 1));

test('v4 client request and server reply: NTP', async () => {
  const f = await udpConversation(45863, 123, [ntp(4, 3), { reply: ntp(4, 4) }]);
  assert.equal(proto(f), 'NTP [DPI]');
});

test('v1 and v2 symmetric modes, v2 private mode (7) of 8+ bytes, control mode (6) of 12+ bytes', async () => {
  for (const packet of [ntp(1, 1), ntp(2, 2), ntp(2, 7, 8), ntp(2, 7, 440), ntp(3, 6, 12)]) {
    const f = await udpConversation(123, 123, [packet]);
    assert.equal(proto(f), 'NTP [DPI]');
  }
});

test('version 0 or 5+, mode 0, or too short for its mode: not NTP by payload', async () => {
  for (const bad of [ntp(0, 3), ntp(5, 3), ntp(7, 3), ntp(4, 0), ntp(4, 3, 47), ntp(2, 6, 11), ntp(2, 7, 7), ntp(4, 3, 1)]) {
    const f = await udpConversation(40000, 123, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  }
});

test('NTP from port 123 to another port (e.g. a monlist reply) is NTP; neither port 123 is not', async () => {
  let f = await udpConversation(123, 80, [ntp(2, 7, 440)]);
  assert.equal(proto(f), 'NTP [DPI]');
  f = await udpConversation(40000, 40001, [ntp(4, 3)]);
  assert.equal(f['proto.ndpi'], 'Unknown');
});
