// Gnutella (core-as/dissect/gnutella.ts): the v0.6 handshake (Gnutella Protocol Specification
// v0.6 §3.2), the 23-byte message header (§2.2.1) carrying a DHT message over UDP, and the
// Gnutella2 UDP transceiver header.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, cat, le32, pattern, type Bytes } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const GUID = Uint8Array.from({ length: 16 }, (_, i) => 0x30 + i);

/** §2.2.1: Message ID (16), Payload Type, TTL, Hops, Payload Length (LE32), payload. */
function message(type: number, payload: Bytes, o: { length?: number; ttl?: number } = {}): Bytes {
  return cat(GUID, [type, o.ttl ?? 0, 0], le32(o.length ?? payload.length), payload);
}

/** G2 UDP: "GND", flags, sequence (LE16), part, count, then the G2 packet. */
const g2 = (part: number, count: number, body: Bytes = ascii('T\x01QKR')): Bytes =>
  cat(ascii('GND'), [0x10, 0x3e, 0x8f, part, count], body);

const CONNECT = ascii(
  'GNUTELLA CONNECT/0.6\r\nNode: 93.47.226.53:28681\r\nuser-agent:   gtk-gnutella/1.2.2 (2022-02-25)\r\n' +
  'X-Ultrapeer: False\r\n\r\n');

test('TCP handshake: Gnutella by DPI, the connecting servent\'s User-Agent kept', async () => {
  const f = await tcpConversation(50267, 9239, [CONNECT, { reply: ascii('GNUTELLA/0.6 200 OK\r\nUser-Agent: Foxy 1.0\r\n\r\n') }]);
  assert.equal(proto(f), 'Gnutella [DPI]');
  assert.equal(f['proto.ndpi_cat'], 'Download');
  assert.equal(f['protos.http.last_user_agent'], 'gtk-gnutella/1.2.2 (2022-02-25)');
});

test('TCP: the answer alone ("GNUTELLA/0.6 503", v0.4 "GNUTELLA OK") is Gnutella too', async () => {
  for (const reply of ['GNUTELLA/0.6 503 Full\r\n\r\n', 'GNUTELLA OK\n\n']) {
    const f = await tcpConversation(50268, 6346, [{ reply: ascii(reply) }]);
    assert.equal(proto(f), 'Gnutella [DPI]', reply);
  }
});

test('User-Agent: none, after the empty line, or only a name; nothing kept', async () => {
  for (const text of [
    'GNUTELLA CONNECT/0.6\r\nNode: 1.2.3.4:1\r\n\r\n',
    'GNUTELLA CONNECT/0.6\r\n\r\nUser-Agent: late\r\n',
    'GNUTELLA CONNECT/0.6\r\nUser-Agent:',
    'GNUTELLA CONNECT/0.4\n\n',
  ]) {
    const f = await tcpConversation(50269, 6346, [ascii(text)]);
    assert.equal(proto(f), 'Gnutella [DPI]', text);
    assert.equal(f['protos.http.last_user_agent'], undefined, text);
  }
});

test('TCP: another first payload is not Gnutella, whatever follows', async () => {
  const f = await tcpConversation(50270, 6346, [ascii('GET / HTTP/1.1\r\n\r\n'), CONNECT]);
  assert.notEqual(f['proto.ndpi'], 'Gnutella');
});

test('UDP: a G2 transceiver datagram (a part of a message, or an acknowledgement)', async () => {
  for (const [part, count] of [[1, 1], [2, 3], [1, 0]]) {
    const f = await udpConversation(28681, 6346, [g2(part, count)]);
    assert.equal(proto(f), 'Gnutella [DPI]', `${part}/${count}`);
  }
});

test('UDP: "GND" with part 0, a part past the count, or cut before its 8 bytes is not Gnutella', async () => {
  for (const datagram of [g2(0, 1), g2(3, 2), ascii('GND\x10\x3e\x8f\x01')]) {
    const f = await udpConversation(28681, 6346, [datagram]);
    assert.notEqual(f['proto.ndpi'], 'Gnutella');
  }
});

test('UDP: a DHT message (type 0x44) whose length field fills the datagram', async () => {
  const f = await udpConversation(28681, 35481, [message(0x44, cat([0x05], ascii('GTKG'), pattern(53)))]);
  assert.equal(proto(f), 'Gnutella [DPI]');
});

test('UDP: length field off by one, zero, huge; header cut short: not Gnutella', async () => {
  const body = pattern(58);
  for (const datagram of [
    message(0x44, body, { length: 57 }), message(0x44, body, { length: 59 }), message(0x44, body, { length: 0 }),
    message(0x44, body, { length: 0xffffffff }), message(0x44, body).subarray(0, 22),
  ]) {
    const f = await udpConversation(28681, 35481, [datagram]);
    assert.notEqual(f['proto.ndpi'], 'Gnutella');
  }
});

test('UDP: the first datagram decides - a ping (type 0) first leaves the flow undetected, as in nDPI', async () => {
  const ping = message(0x00, Uint8Array.from([0xc3, 0x82, 0x51, 0x4b, 0x40]), { ttl: 1 });
  const f = await udpConversation(28681, 52367, [ping, message(0x44, pattern(58))]);
  assert.equal(f['proto.ndpi'], 'Unknown');
});
