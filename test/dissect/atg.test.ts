// ATG (core-as/dissect/atg.ts): tank gauge commands, SOH + 'I'/'S' + function code and tank
// number (Veeder-Root serial interface), on TCP 10001.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, cat } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

test('in-tank inventory request: ATG', async () => {
  assert.equal(proto(await tcpConversation(3134, 10001, [cat([1], ascii('I20100\r\n'))])), 'ATG [DPI]');
});

test("the gauge's answer first (SOH CR LF and the echoed command): ATG", async () => {
  assert.equal(proto(await tcpConversation(3148, 10001, [{ reply: cat([1], ascii('\r\ni20100\r\nJUN 1, 2024\r\n'), [3]) }])), 'ATG [DPI]');
});

test('no SOH, other command letter, short code, other port: not ATG', async () => {
  for (const [port, bad] of [[10001, ascii('I20100\r\n')], [10001, cat([1], ascii('X20100'))], [10001, cat([1], ascii('I201'))], [10001, cat([1], ascii('I2a100'))], [10002, cat([1], ascii('I20100'))]] as const) {
    const f = await tcpConversation(40000, port, [bad]);
    assert.notEqual(proto(f), 'ATG [DPI]', `${port} ${Buffer.from(bad).toString('hex')}`);
  }
});
