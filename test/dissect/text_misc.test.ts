// Kismet's banner (core-as/dissect/kismet.ts), WebSocket frames without the handshake
// (websocket.ts, RFC 6455 §5.2) and HAProxy's PROXY header (haproxy.ts, proxy-protocol.txt).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, cat, pattern } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

test('Kismet server banner: Kismet; other sentence first: not', async () => {
  assert.equal(proto(await tcpConversation(34065, 2501, [{ reply: ascii('*KISMET: 0.0.0 1144004381 \x01Kismet\x01 20050815211950 1\n') }])), 'Kismet [DPI]');
  assert.notEqual(proto(await tcpConversation(34065, 2501, [{ reply: ascii('*TIME: 1144004385\n') }])), 'Kismet [DPI]');
});

test('WebSocket: an unmasked text frame, a masked one, a 16-bit length binary frame', async () => {
  assert.equal(proto(await tcpConversation(12345, 50999, [cat([0x81, 23], ascii('Welcome, 192.168.43.1 !'))])), 'WebSocket [DPI]');
  assert.equal(proto(await tcpConversation(50999, 12345, [cat([0x81, 0x8c], [0xe1, 0x7e, 0x8e, 0xb9], pattern(12))])), 'WebSocket [DPI]');
  assert.equal(proto(await tcpConversation(50999, 12345, [cat([0x82, 126], be16(300), pattern(300))])), 'WebSocket [DPI]');
});

test('WebSocket: not final, reserved bits, opcode 3, length off, long control frame, empty data frame: not', async () => {
  for (const bad of [
    cat([0x01, 4], pattern(4)), cat([0xc1, 4], pattern(4)), cat([0x83, 4], pattern(4)), cat([0x81, 5], pattern(4)),
    cat([0x89, 126], be16(200), pattern(200)), Uint8Array.from([0x81, 0x00]), Uint8Array.from([0x81]),
  ]) {
    const f = await tcpConversation(50999, 12345, [bad]);
    assert.notEqual(proto(f), 'WebSocket [DPI]', Buffer.from(bad).toString('hex'));
  }
});

test('PROXY v1 and v2 headers before TLS: HAProxy', async () => {
  assert.equal(proto(await tcpConversation(48502, 443, [ascii('PROXY TCP4 11.111.11.111 222.222.222.22 52176 443\r\n\x16\x03\x01')])), 'HAProxy [DPI]');
  const v2 = cat(ascii('\r\n\r\n\0\r\nQUIT\n'), [0x21, 0x11], be16(12), pattern(12));
  assert.equal(proto(await tcpConversation(48502, 443, [v2])), 'HAProxy [DPI]');
});

test('PROXY with another family, v2 signature with version 1, from the server: not HAProxy', async () => {
  for (const turns of [
    [ascii('PROXY UDP4 1.1.1.1 2.2.2.2 1 2\r\n')],
    [cat(ascii('\r\n\r\n\0\r\nQUIT\n'), [0x11, 0x11], be16(0))],
    [{ reply: ascii('PROXY TCP4 1.1.1.1 2.2.2.2 1 2\r\n') }],
  ]) {
    const f = await tcpConversation(48502, 8443, turns);
    assert.notEqual(proto(f), 'HAProxy [DPI]', JSON.stringify(turns));
  }
});
