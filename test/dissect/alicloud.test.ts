// AliCloud (core-as/dissect/alicloud.ts): 0xBABEFACE and the body length, little-endian.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cat, le32, zeros } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const header = (bodyLen: number) => cat(le32(0xbabeface), le32(bodyLen));

test('a header alone announcing the next segment, then the server header with its body (alicloud.pcap): AliCloud', async () => {
  const f = await tcpConversation(39018, 8999, [header(0x80), zeros(128), { reply: cat(header(0x30), zeros(48)) }]);
  assert.equal(proto(f), 'AliCloud [DPI]');
  // A body continuing in the next segment is fine.
  assert.equal(proto(await tcpConversation(39018, 8999, [cat(header(200), zeros(100))])), 'AliCloud [DPI]');
});

test('another magic, a body longer than announced, a short header: not AliCloud', async () => {
  for (const bad of [cat(le32(0xbabefacf), le32(0)), cat(header(4), zeros(10)), header(0).subarray(0, 7)]) {
    assert.notEqual(proto(await tcpConversation(39018, 8999, [bad])), 'AliCloud [DPI]', Buffer.from(bad).toString('hex'));
  }
});
