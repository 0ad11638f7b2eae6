// Ethereum devp2p (core-as/dissect/ethereum.ts): the RLPx EIP-8 auth/ack framing over TCP and
// Node Discovery v4 packets (hash, signature, type, RLP list) over UDP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, cat, pattern, type Bytes } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

/** EIP-8: size (2), then ECIES: 0x04 || X || Y (65), IV (16), ciphertext, MAC (32). */
function eip8(bodyLength: number, o: { size?: number; tag?: number } = {}): Bytes {
  const ecies = cat([o.tag ?? 0x04], pattern(64), pattern(16), pattern(bodyLength), pattern(32));
  return cat(be16(o.size ?? ecies.length), ecies);
}

/** discv4: hash (32), signature (65), type, RLP list of the given payload length. */
function discv4(type: number, listPayload: number, o: { prefix?: number[]; extra?: number } = {}): Bytes {
  const prefix = o.prefix ?? (listPayload <= 55 ? [0xc0 + listPayload] : listPayload < 256 ? [0xf8, listPayload] : [0xf9, ...be16(listPayload)]);
  return cat(pattern(32), pattern(65), [type], prefix, pattern(listPayload + (o.extra ?? 0)));
}

test('TCP: an EIP-8 auth, answered by an ack: ETHEREUM by DPI', async () => {
  const f = await tcpConversation(56626, 30303, [eip8(300), { reply: eip8(250) }]);
  assert.equal(proto(f), 'ETHEREUM [DPI]');
  assert.equal(f['proto.ndpi_cat'], 'Crypto_Currency');
  const onlyAck = await tcpConversation(56627, 40404, [{ reply: eip8(250) }]);
  assert.equal(proto(onlyAck), 'ETHEREUM [DPI]');
});

test('TCP: size disagreeing with the segment, no 0x04 point, too short: not ETHEREUM', async () => {
  for (const first of [eip8(300, { size: 500 }), eip8(300, { size: 0 }), eip8(300, { tag: 0x02 }), eip8(0).subarray(0, 100)]) {
    const f = await tcpConversation(56628, 40404, [first]);
    assert.notEqual(f['proto.ndpi'], 'ETHEREUM');
  }
});

test('UDP: discv4 ping (short list), neighbors (long list, 1 and 2 length bytes)', async () => {
  for (const packet of [discv4(1, 29), discv4(3, 70), discv4(4, 900)]) {
    const f = await udpConversation(30303, 30303, [packet]);
    assert.equal(proto(f), 'ETHEREUM [DPI]', `${packet.length}`);
  }
});

test('UDP: not discv4 - list length off, trailing bytes, type 0 or 7, not a list, non-canonical or oversized', async () => {
  const cases: Array<[string, Bytes]> = [
    ['list longer than the datagram', discv4(1, 29, { extra: -1 })],
    ['bytes after the list', discv4(1, 29, { extra: 1 })],
    ['type 0', discv4(0, 29)],
    ['type 7', discv4(7, 29)],
    ['a string, not a list', discv4(1, 29, { prefix: [0x9d] })],
    ['long form for a short list', discv4(1, 29, { prefix: [0xf8, 29] })],
    ['length with a leading zero', discv4(1, 70, { prefix: [0xf9, 0, 70] })],
    ['8 length bytes', discv4(1, 70, { prefix: [0xff, 0, 0, 0, 0, 0, 0, 0, 70] })],
    ['over 1280 bytes', discv4(4, 1200)],
    ['hash and signature only', pattern(97)],
    ['nothing after the type', cat(pattern(97), [1])],
  ];
  for (const [what, packet] of cases) {
    const f = await udpConversation(30303, 30303, [packet]);
    assert.notEqual(f['proto.ndpi'], 'ETHEREUM', what);
  }
});
