// LINE calls (core-as/dissect/line_call.ts): UDP to an address of nDPI's LINE list
// (147.92.169.90 there) whose first packet has an RTP-like first byte (version bits 2 or 3).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cat, pattern } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const line = { client: '10.200.3.125', server: '147.92.169.90' };

test("a call's first packets to LINE's relay: LineCall", async () => {
  assert.equal(proto(await udpConversation(51161, 29070, [cat([0xdb, 0x51, 0x03, 0x7f, 0x06, 0x02], pattern(40))], line)), 'LineCall [DPI]');
  assert.equal(proto(await udpConversation(51161, 29070, [cat([0x80, 0xe5, 0x00, 0x01], pattern(26))], line)), 'LineCall [DPI]');
});

test('another server, another first byte, a short packet: not LineCall', async () => {
  assert.notEqual(proto(await udpConversation(51161, 29070, [cat([0xdb, 0x51], pattern(40))], { client: '10.200.3.125', server: '10.10.214.6' })), 'LineCall [DPI]');
  assert.notEqual(proto(await udpConversation(51161, 29070, [cat([0x3b, 0x51], pattern(40))], line)), 'LineCall [DPI]');
  assert.notEqual(proto(await udpConversation(51161, 29070, [Uint8Array.from([0xdb, 0x51, 0x03])], line)), 'LineCall [DPI]');
});
