// NetFlow v1/v5/v7/v9 (RFC 3954 for v9) and IPFIX (RFC 7011) export packets
// (core-as/dissect/netflow.ts): version, record count or message length, export time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, be32, cat, pattern, T0, type Bytes } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const v9 = (count: number, exported = T0 - 3600) => cat(be16(9), be16(count), be32(0x244e08ee), be32(exported), be32(1), be32(0), pattern(60));
const v5 = (count: number, exported = T0 - 3600, extra = 0) => cat(be16(5), be16(count), be32(1000), be32(exported), pattern(12 + count * 48 + extra));
const v1 = (count: number, exported: number) => cat(be16(1), be16(count), be32(1000), be32(exported), be32(0), pattern(count * 48));
const ipfix = (declared?: number, exported = T0 - 60) => {
  const body = pattern(40);
  return cat(be16(10), be16(declared ?? 16 + body.length), be32(exported), be32(7), be32(0), body);
};

test('NetFlow v9, v5, v1 and IPFIX with plausible export times', async () => {
  assert.equal(proto(await udpConversation(48629, 2057, [v9(16)])), 'NetFlow [DPI]');
  assert.equal(proto(await udpConversation(23384, 2055, [v5(2)])), 'NetFlow [DPI]');
  assert.equal(proto(await udpConversation(23384, 9995, [v1(1, 0)])), 'NetFlow [DPI]', 'v1 may send time 0');
  assert.equal(proto(await udpConversation(23384, 4739, [ipfix()])), 'NetFlow [DPI]');
  assert.equal(proto(await udpConversation(23384, 4739, [v9(30, T0)])), 'NetFlow [DPI]', 'exported at the capture second');
});

test('wrong counts or lengths, other versions, times before 2000 or after the capture: not NetFlow', async () => {
  for (const [what, payload] of [
    ['v9 count 0', v9(0)],
    ['v9 count 31', v9(31)],
    ['v5 length off', v5(2, T0 - 3600, 1)],
    ['v6', cat(be16(6), v9(1).subarray(2))],
    ['IPFIX length off', ipfix(57)],
    ['time 1999', v9(1, 946684799)],
    ['time after the capture', v9(1, T0 + 10)],
    ['v5 time 0', v5(1, 0)],
    ['23 bytes', v9(1).subarray(0, 23)],
  ] as Array<[string, Bytes]>) {
    assert.notEqual(proto(await udpConversation(48629, 2058, [payload])), 'NetFlow [DPI]', what);
  }
});
