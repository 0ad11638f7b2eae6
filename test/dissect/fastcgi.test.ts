// FastCGI (core-as/dissect/fastcgi.ts): the first record is FCGI_BEGIN_REQUEST, version 1,
// content length 8, role 1..3, reserved bytes zero (FastCGI 1.0 §5.1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, cat } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const begin = (role = 1, version = 1, type = 1, contentLength = 8, reserved = 0) =>
  cat([version, type], be16(1), be16(contentLength), [0, 0], be16(role), [1, reserved, 0, 0, 0, 0]);

test('begin request then params: FastCGI', async () => {
  const params = cat([1, 4], be16(1), be16(0), [0, 0]);
  assert.equal(proto(await tcpConversation(38254, 9000, [begin(), params])), 'FastCGI [DPI]');
});

test('version 2, other record type, role 0 or 4, other body length, reserved bytes set, short: not FastCGI', async () => {
  for (const bad of [begin(1, 2), begin(1, 1, 4), begin(0), begin(4), begin(1, 1, 1, 9), begin(1, 1, 1, 8, 1), begin().subarray(0, 15)]) {
    const f = await tcpConversation(38254, 9000, [bad]);
    assert.notEqual(proto(f), 'FastCGI [DPI]', Buffer.from(bad).toString('hex'));
  }
});
