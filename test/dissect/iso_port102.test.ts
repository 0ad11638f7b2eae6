// The protocols of ISO transport on TCP port 102 (core-as/dissect/s7comm.ts, s7comm_plus.ts,
// mms.ts over wire/cotp.ts): TPKT (RFC 1006) + COTP Data TPDU, then 0x32 (S7comm), 0x72
// (S7comm-plus) or an ISO 8327 session SPDU (MMS); the CR/CC exchange before it waits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, cat, pattern } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const tpkt = (tpdu: Uint8Array | number[], declared?: number) => cat([3, 0], be16(declared ?? 4 + tpdu.length), tpdu);
const cr = tpkt([0x11, 0xe0, 0, 0, 0, 7, 0, 0xc1, 2, 1, 0, 0xc2, 2, 1, 2, 0xc0, 1, 0x0a]);
const cc = tpkt([0x11, 0xd0, 0, 7, 0, 3, 0, 0xc0, 1, 0x0a, 0xc1, 2, 1, 0, 0xc2, 2, 1, 2]);
const dt = (data: Uint8Array | number[]) => tpkt(cat([0x02, 0xf0, 0x80], data));

test('S7comm setup communication after CR/CC: S7Comm', async () => {
  const f = await tcpConversation(4185, 102, [cr, { reply: cc }, dt([0x32, 0x01, 0, 0, 0, 2, 0, 8, 0, 0, 0xf0, 0, 0, 1, 0, 1, 1, 0xe0])]);
  assert.equal(proto(f), 'S7Comm [DPI]');
});

test('S7comm-plus create object: S7CommPlus', async () => {
  const f = await tcpConversation(53162, 102, [cr, cr, { reply: cc }, dt(cat([0x72, 0x01, 0, 0xca, 0x31], pattern(20)))]);
  assert.equal(proto(f), 'S7CommPlus [DPI]');
});

test('session CONNECT, then GIVE TOKENS + DATA TRANSFER with presentation data: ISO9506-1-MMS', async () => {
  const connect = dt(cat([0x0d, 0x10], pattern(16)));
  assert.equal(proto(await tcpConversation(1345, 102, [cr, { reply: cc }, connect])), 'ISO9506-1-MMS [DPI]');
  const data = dt(cat([0x01, 0x00, 0x01, 0x00, 0x61, 0x35], pattern(10)));
  assert.equal(proto(await tcpConversation(1345, 102, [cr, { reply: cc }, data])), 'ISO9506-1-MMS [DPI]');
});

test('other ports, unknown user data, bad ROSCTR or version, TPKT version, setup only: none of them', async () => {
  const s7 = dt([0x32, 0x01, 0, 0, 0, 2]);
  for (const [port, turns] of [
    [103, [cr, { reply: cc }, s7]],
    [102, [cr, { reply: cc }, dt([0x33, 0x01, 0, 0])]],
    [102, [cr, { reply: cc }, dt([0x32, 0x05, 0, 0])]],
    [102, [cr, { reply: cc }, dt([0x72, 0x04, 0, 0])]],
    [102, [cr, { reply: cc }, dt([0x0d, 0x40, 0, 0])]], // session length past the packet
    [102, [cr, { reply: cc }, cat([2], s7.subarray(1))]],
    [102, [cr, { reply: cc }]],
  ] as const) {
    const f = await tcpConversation(40000, port, turns as never);
    assert.ok(!['S7Comm', 'S7CommPlus', 'ISO9506-1-MMS'].includes(String(f['proto.ndpi'])), `${port} ${JSON.stringify(turns)}`);
  }
});
