// SOME/IP (core-as/dissect/someip.ts): 16-byte header, Length = bytes after the Length field,
// protocol version 1, known message type, return code <= 0x3F (AUTOSAR PRS_SOMEIP §4.1.2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, be32, cat, pattern } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const msg = (payload: Uint8Array, type = 0x00, version = 1, returnCode = 0, declared = payload.length + 8) =>
  cat(be16(0x1234), be16(0x0008), be32(declared), be16(0x0011), be16(1), [version, 1, type, returnCode], payload);

test('request and response: SOMEIP', async () => {
  const f = await udpConversation(49191, 49201, [msg(pattern(5)), { reply: msg(pattern(5), 0x80) }]);
  assert.equal(proto(f), 'SOMEIP [DPI]');
});

test('service discovery to multicast, TP segment, two messages in one datagram, over TCP', async () => {
  const sd = cat(be32(0xffff8100), be32(8 + 12), be32(1), [1, 1, 0x02, 0], pattern(12));
  assert.equal(proto(await udpConversation(30490, 30490, [sd])), 'SOMEIP [DPI]');
  assert.equal(proto(await udpConversation(56772, 18193, [msg(pattern(40), 0x20)])), 'SOMEIP [DPI]');
  assert.equal(proto(await udpConversation(40000, 40001, [cat(msg(pattern(3), 0x02), msg(pattern(7), 0x02))])), 'SOMEIP [DPI]');
  assert.equal(proto(await tcpConversation(40000, 30501, [msg(pattern(16))])), 'SOMEIP [DPI]');
});

test('wrong version, unknown type, return code past 0x3F, lengths short or past the end, trailing bytes: not SOMEIP', async () => {
  for (const bad of [
    msg(pattern(4), 0x00, 2),
    msg(pattern(4), 0x03),
    msg(pattern(4), 0x00, 1, 0x40),
    msg(pattern(4), 0x00, 1, 0, 7),
    msg(pattern(4), 0x00, 1, 0, 13),
    cat(msg(pattern(4)), [0, 0, 0]),
    msg(pattern(4)).subarray(0, 15),
  ]) {
    const f = await udpConversation(40000, 40001, [bad]);
    assert.notEqual(proto(f), 'SOMEIP [DPI]', Buffer.from(bad).toString('hex'));
  }
});
