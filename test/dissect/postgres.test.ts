// PostgreSQL (core-as/dissect/postgres.ts): the client's first, untyped message (StartupMessage,
// SSLRequest, GSSENCRequest, CancelRequest).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be32, cat } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const startup = (code = 0x00030000, params = 'user\0orydb\0database\0mail\0\0') => {
  const body = cat(be32(code), ascii(params));
  return cat(be32(4 + body.length), body);
};
const request = (code: number, len = 8) => cat(be32(len), be32(code), new Uint8Array(len - 8));

test('StartupMessage v3 and the authentication request: PostgreSQL', async () => {
  const f = await tcpConversation(45930, 5432, [startup(), { reply: Uint8Array.from([0x52, 0, 0, 0, 12, 0, 0, 0, 5, 1, 2, 3, 4]) }]);
  assert.equal(proto(f), 'PostgreSQL [DPI]');
});

test('SSLRequest then TLS on another port stays PostgreSQL (with the non-standard-port risk)', async () => {
  const f = await tcpConversation(58574, 60102, [request(80877103), { reply: ascii('S') }, Uint8Array.from([0x16, 3, 1, 0, 4, 1, 0, 0, 0])]);
  assert.equal(proto(f), 'PostgreSQL [DPI]');
  assert.ok(f.flow_risk.includes(5));
});

test('GSSENCRequest and CancelRequest', async () => {
  let f = await tcpConversation(59038, 5432, [request(80877104), { reply: ascii('G') }]);
  assert.equal(proto(f), 'PostgreSQL [DPI]');
  f = await tcpConversation(59040, 5432, [request(80877102, 16)]);
  assert.equal(proto(f), 'PostgreSQL [DPI]');
});

test('length not the packet\'s, unknown codes, parameters without the final NUL, short packets', async () => {
  const longer = startup(); longer[3] += 5;
  for (const bad of [longer, startup(0x00040000), startup(0x00030000, 'user\0x'), request(80877103, 12), request(80877102, 8), Uint8Array.from([0, 0, 0, 8])]) {
    const f = await tcpConversation(40000, 5432, [bad]);
    assert.equal(proto(f), 'PostgreSQL [Match by port]', Buffer.from(bad).toString('hex'));
  }
});
