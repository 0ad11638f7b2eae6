// MGCP (core-as/dissect/mgcp.ts): a command line "VERB transaction-id endpoint MGCP version"
// (RFC 3435 §3.2.1); the endpoint's domain is the flow's host name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

test('notification request, answered: MGCP, host name from the endpoint', async () => {
  const f = await udpConversation(2427, 2427, [
    ascii('RQNT 1201 aaln/1@RGW-2567.Whatever.net MGCP 1.0\r\nN: ca@ca1.whatever.net:5678\r\nX: 0123456789AC\r\n\r\n'),
    { reply: ascii('200 1201 OK\r\n') },
  ]);
  assert.equal(proto(f), 'MGCP [DPI]');
  assert.equal(f.host_server_name, 'rgw-2567.whatever.net');
});

test('restart in progress with a wildcard endpoint, LF line ends', async () => {
  const f = await udpConversation(2427, 2727, [ascii('RSIP 262662134 *@vg224 MGCP 0.1\nRM: restart\n')]);
  assert.equal(proto(f), 'MGCP [DPI]');
  assert.equal(f.host_server_name, 'vg224');
});

test('endpoint without a domain: MGCP without a host name', async () => {
  const f = await udpConversation(2427, 2427, [ascii('AUEP 5 aaln MGCP 1.0\r\n')]);
  assert.equal(proto(f), 'MGCP [DPI]');
  assert.equal(f.host_server_name ?? '', '');
});

test('responses alone, unknown verbs, missing fields: not MGCP', async () => {
  for (const text of [
    '200 1201 OK\r\n',
    'HELO 1 a@b MGCP 1.0\r\n',
    'RQNT x1 a@b MGCP 1.0\r\n',
    'RQNT 1234567890 a@b MGCP 1.0\r\n',
    'RQNT 1 a@b SIP 1.0\r\n',
    'RQNT 1 a@b MGCP\r\n',
    'RQNT 1 MGCP 1.0\r\n',
    'RQNT',
  ]) {
    const f = await udpConversation(40000, 2427, [ascii(text)]);
    assert.notEqual(proto(f), 'MGCP [DPI]', text);
  }
});
