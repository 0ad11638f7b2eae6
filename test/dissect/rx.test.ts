// AFS Rx (core-as/dissect/rx.ts): 28-byte headers; on the AFS ports, a packet answered with the
// same epoch and connection id.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, be32, cat, pattern } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const rx = (type: number, cid = 0x5c3fc988, epoch = 0x570fb560, securityIndex = 0) =>
  cat(be32(epoch), be32(cid), be32(1), be32(1), be32(1), [type, 0x05, 0, securityIndex], be16(0), be16(0x49), pattern(8));

test('a data packet acknowledged by the server: RX', async () => {
  const f = await udpConversation(41559, 7002, [rx(1), { reply: rx(2, 0x5c3fc989) }]);
  assert.equal(proto(f), 'RX [DPI]');
});

test('other connection, second packet from the client, other ports, bad type or security index: not RX', async () => {
  for (const [port, turns] of [
    [7002, [rx(1), { reply: rx(2, 0x11111111) }]],
    [7002, [rx(1), { reply: rx(2, 0x5c3fc988, 1) }]],
    [7002, [rx(1), rx(1)]],
    [6060, [rx(1), { reply: rx(2) }]],
    [7000, [rx(14), { reply: rx(2) }]],
    [7000, [rx(1, 0x5c3fc988, 0x570fb560, 9), { reply: rx(2) }]],
  ] as const) {
    const f = await udpConversation(40000, port, turns as never);
    assert.notEqual(proto(f), 'RX [DPI]', `${port} ${JSON.stringify(turns)}`);
  }
});
