// CNP/IP (core-as/dissect/cnp_ip.ts): ISO/IEC 14908-4 common header, length = datagram, version 1, on UDP 1628/1629.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, cat, pattern } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const packet = (body: Uint8Array, version = 1, type = 1, declared = 20 + body.length) =>
  cat(be16(declared), [version, type, 0, 0, 0, 0], [0x6b, 0x8b, 0x45, 0x67], [0, 0, 0, 0], [0, 0, 0, 0], body);

test('data packet on 1628: CNP-IP', async () => {
  const f = await udpConversation(39819, 1628, [packet(pattern(12))]);
  assert.equal(proto(f), 'CNP-IP [DPI]');
});

test('length not the datagram, version 2, type 0, other port, short: not CNP-IP', async () => {
  for (const [port, bad] of [[1628, packet(pattern(12), 1, 1, 33)], [1628, packet(pattern(4), 2)], [1629, packet(pattern(4), 1, 0)], [1630, packet(pattern(4))], [1628, packet(pattern(0)).subarray(0, 19)]] as const) {
    const f = await udpConversation(39819, port, [bad]);
    assert.notEqual(proto(f), 'CNP-IP [DPI]', `${port} ${Buffer.from(bad).toString('hex')}`);
  }
});
