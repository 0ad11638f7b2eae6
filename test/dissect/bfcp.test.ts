// BFCP (core-as/dissect/bfcp.ts): the 12-byte common header (RFC 8855 §5.1); a message answered
// with the same Conference ID and Transaction ID (§8) makes the flow BFCP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, be32, cat } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const msg = (primitive: number, conference = 1, first = 0x20, transaction = 2) =>
  cat([first, primitive], be16(1), be32(conference), be16(transaction), be16(0x0504), be32(0x00010004));

test('FloorRequestQuery answered by FloorRequestStatus over TCP: BFCP', async () => {
  const f = await tcpConversation(44450, 5070, [msg(3), { reply: msg(4) }]);
  assert.equal(proto(f), 'BFCP [DPI]');
});

test('Hello retransmitted, then HelloAck over UDP (version 2, R flag): BFCP', async () => {
  const f = await udpConversation(47706, 5070, [msg(11, 9, 0x40), msg(11, 9, 0x40), { reply: msg(12, 9, 0x50) }]);
  assert.equal(proto(f), 'BFCP [DPI]');
});

test('one message only, another conference or transaction, one way only, bad version, reserved bits, primitive 0 or 18: not BFCP', async () => {
  for (const turns of [
    [msg(3)],
    [msg(3, 1), { reply: msg(4, 2) }],
    [msg(3, 1, 0x20, 2), { reply: msg(4, 1, 0x20, 3) }],
    [msg(3), msg(3), msg(3), msg(3), msg(3)], // one way only (a multicast stream with a similar header)
    [msg(3, 1, 0x60), { reply: msg(4, 1, 0x60) }],
    [msg(3, 1, 0x21), { reply: msg(4, 1, 0x21) }],
    [msg(0), { reply: msg(0) }],
    [msg(18), { reply: msg(18) }],
    [msg(3).subarray(0, 11), { reply: msg(4).subarray(0, 11) }],
  ]) {
    const f = await udpConversation(47706, 5070, turns);
    assert.notEqual(proto(f), 'BFCP [DPI]', JSON.stringify(turns));
  }
});
