// PROFINET IO over DCE/RPC connectionless (core-as/dissect/profinet_io.ts): RPC version 4 and a
// PROFINET IO interface UUID (DEA0000x-6C97-11D1-8271-00A02442DF7D) in either data representation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, be32, cat, le16, le32, pattern, zeros } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const node = [0x82, 0x71, 0x00, 0xa0, 0x24, 0x42, 0xdf, 0x7d];
function cl(which: number, little: boolean, { version = 4, type = 0, timeMid = 0x6c97 } = {}) {
  const u16 = little ? le16 : be16;
  const u32 = little ? le32 : be32;
  const uuid = (low: number) => cat(u32(low), u16(timeMid), u16(0x11d1), node);
  return cat([version, type, 0x20, 0x00, little ? 0x10 : 0x00, 0, 0, 0], uuid(0xdea00000), uuid(0xdea00000 + which), pattern(16), zeros(24), pattern(40));
}

test('connect request to the device interface (big-endian) and its response (little-endian): DCERPC.PROFINET_IO', async () => {
  assert.equal(proto(await udpConversation(49155, 34964, [cl(1, false), { reply: cl(1, true, { type: 2 }) }])), 'DCERPC.PROFINET_IO [DPI]');
  assert.equal(proto(await udpConversation(1566, 34964, [cl(4, true)])), 'DCERPC.PROFINET_IO [DPI]');
});

test('another interface, RPC version 5, packet type 11, short header: not PROFINET_IO', async () => {
  for (const bad of [cl(5, true), cl(0, true), cl(1, true, { timeMid: 0x6c98 }), cl(1, true, { version: 5 }), cl(1, true, { type: 11 }), cl(1, true).subarray(0, 79)]) {
    const f = await udpConversation(1566, 34964, [bad]);
    assert.notEqual(proto(f), 'DCERPC.PROFINET_IO [DPI]', Buffer.from(bad).toString('hex').slice(0, 80));
  }
});
