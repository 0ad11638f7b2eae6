// CORBA (core-as/dissect/corba.ts): GIOP 1.x headers (magic, version, flags, type <= 7) and
// MIOP 1.0 packets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be32, cat, pattern } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const giop = (minor = 2, type = 0, major = 1) => cat(ascii('GIOP'), [major, minor, 0, type], be32(16), pattern(16));

test('GIOP request and reply over TCP, MIOP over UDP: Corba', async () => {
  assert.equal(proto(await tcpConversation(42717, 56899, [giop(), { reply: giop(2, 1) }])), 'Corba [DPI]');
  assert.equal(proto(await udpConversation(34477, 15984, [cat(ascii('MIOP'), [0x10, 3, 0xe4, 0], pattern(8), giop(2, 0))])), 'Corba [DPI]');
});

test('GIOP 2.0, minor 4, type 8, MIOP 2.0, short: not Corba', async () => {
  for (const bad of [giop(0, 0, 2), giop(4), giop(2, 8), cat(ascii('MIOP'), [0x20, 3, 0, 0], pattern(8)), giop().subarray(0, 11)]) {
    const f = await tcpConversation(42717, 56899, [bad]);
    assert.notEqual(proto(f), 'Corba [DPI]', Buffer.from(bad).toString('hex'));
  }
});
