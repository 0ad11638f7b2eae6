// Lustre LNet (core-as/dissect/lustre.ts): on TCP 988, the acceptor magic 0xACCE7100, the socket
// LND hello magic 0x45726963 or a ksock message type, little-endian.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cat, le32, zeros } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

test('acceptor request, hello, LNet message: Lustre', async () => {
  assert.equal(proto(await tcpConversation(1022, 988, [cat(le32(0xacce7100), le32(1), zeros(8))])), 'Lustre [DPI]');
  assert.equal(proto(await tcpConversation(1022, 988, [cat(le32(0x45726963), le32(3), zeros(48))])), 'Lustre [DPI]');
  assert.equal(proto(await tcpConversation(1023, 988, [cat(le32(0xc1), zeros(92))])), 'Lustre [DPI]');
});

test('other magic, other port, short: not Lustre', async () => {
  for (const [port, bad] of [[988, cat(le32(0xacce7101), zeros(12))], [989, cat(le32(0xacce7100), zeros(12))], [988, cat(le32(0xacce7100), zeros(8))]] as const) {
    const f = await tcpConversation(1022, port, [bad]);
    assert.notEqual(proto(f), 'Lustre [DPI]', `${port} ${Buffer.from(bad).toString('hex')}`);
  }
});
