// WhatsApp over TCP (core-as/dissect/whatsapp.ts): the client's 4-byte prologue, "ED" 0x00 0x01
// or "WA" with a version.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, cat } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

test('edge prologue alone (whatsapp.pcap) or followed by routing data (wa_voice.pcap): WhatsApp', async () => {
  assert.equal(proto(await tcpConversation(44804, 5222, [Uint8Array.from([0x45, 0x44, 0x00, 0x01])])), 'WhatsApp [DPI]');
  assert.equal(proto(await tcpConversation(49355, 5222, [Uint8Array.from([0x45, 0x44, 0x00, 0x01, 0x00, 0x00, 0x04, 0x08, 0x05, 0x08, 0x02, 0x57])])), 'WhatsApp [DPI]');
});

test('"WA" 1.5 Noise prologue with its handshake (whatsapp_voice_and_message.pcap): WhatsApp', async () => {
  const hello = cat(ascii('WA'), [0x01, 0x05, 0x00, 0x00, 0x17, 0xf8, 0x05, 0x01, 0xa5, 0x91]);
  assert.equal(proto(await tcpConversation(35480, 443, [hello])), 'WhatsApp [DPI]');
});

test('other prologues, a version 0 or above 9, three bytes, the server speaking first: not WhatsApp', async () => {
  const bad = [
    Uint8Array.from([0x45, 0x44, 0x00, 0x02]),
    cat(ascii('WA'), [0x00, 0x05]),
    cat(ascii('WA'), [0x0a, 0x05]),
    Uint8Array.from([0x45, 0x44, 0x00]),
    cat(ascii('WB'), [0x01, 0x05]),
  ];
  for (const b of bad) assert.notEqual(proto(await tcpConversation(44804, 5222, [b])), 'WhatsApp [DPI]', Buffer.from(b).toString('hex'));
  assert.notEqual(proto(await tcpConversation(44804, 5222, [{ reply: Uint8Array.from([0x45, 0x44, 0x00, 0x01]) }])), 'WhatsApp [DPI]');
});
