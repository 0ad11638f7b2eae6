// Tabular Data Stream (core-as/dissect/tds.ts): MS-TDS §2.2.3.1 packet header on TCP 1433.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, cat, pattern } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

/** Type, status, length (header included), SPID, packet id, window. */
const tds = (type: number, body = pattern(40), o: { status?: number; length?: number; window?: number } = {}) =>
  cat([type, o.status ?? 0x01], be16(o.length ?? 8 + body.length), [0, 0, 1, o.window ?? 0], body);

test('SQL batch and its tabular result on 1433: MsSQL-TDS', async () => {
  const f = await tcpConversation(1111, 1433, [tds(1), { reply: tds(4, pattern(26)) }]);
  assert.equal(proto(f), 'MsSQL-TDS [DPI]');
});

test('off the SQL Server ports only a PRELOGIN or LOGIN7 counts', async () => {
  let f = await tcpConversation(40000, 14330, [tds(18)]);
  assert.equal(proto(f), 'MsSQL-TDS [DPI]');
  f = await tcpConversation(40000, 14330, [tds(3)]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});

test('a first segment of a longer packet, unknown type or status bits, non-zero window, short header', async () => {
  for (const bad of [tds(3, pattern(40), { length: 8000 }), tds(5), tds(1, pattern(40), { status: 0x40 }), tds(1, pattern(40), { window: 1 }),
    tds(1, pattern(40), { length: 0 }), Uint8Array.from([1, 1, 0, 8, 0, 0, 1])]) {
    const f = await tcpConversation(6666, 1433, [bad]);
    assert.equal(proto(f), 'MsSQL-TDS [Match by port]', Buffer.from(bad).toString('hex'));
  }
});
