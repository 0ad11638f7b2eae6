// SMPP (core-as/dissect/smpp.ts): a 16-byte header, command_length (whole PDU), command_id,
// command_status and sequence_number (SMPP v3.4 §3.2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be32, cat } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const pdu = (id: number, body: Uint8Array, status = 0, seq = 1, declared?: number) =>
  cat(be32(declared ?? 16 + body.length), be32(id), be32(status), be32(seq), body);
const bindTransmitter = pdu(0x02, ascii('abhik\0password\0SMPP\0\x34\x00\x00\x00'));

test('bind_transmitter and its response: SMPP', async () => {
  const f = await tcpConversation(1770, 9000, [bindTransmitter, { reply: pdu(0x80000002, ascii('SMSC\0')) }]);
  assert.equal(proto(f), 'SMPP [DPI]');
});

test('enquire_link from the server first: SMPP', async () => {
  const f = await tcpConversation(1770, 2775, [{ reply: pdu(0x15, new Uint8Array(0), 0, 7) }]);
  assert.equal(proto(f), 'SMPP [DPI]');
});

test('unknown command, request with a status, zero sequence, length past the segment or under the header: not SMPP', async () => {
  for (const bad of [
    pdu(0x0a, new Uint8Array(4)),
    pdu(0x04, new Uint8Array(4), 8),
    pdu(0x04, new Uint8Array(4), 0, 0),
    pdu(0x04, new Uint8Array(4), 0, 0x80000000),
    pdu(0x04, new Uint8Array(4), 0, 1, 200),
    pdu(0x04, new Uint8Array(4), 0, 1, 12),
    pdu(0x8000000b, new Uint8Array(0)), // outbind has no response
    bindTransmitter.subarray(0, 12),
  ]) {
    const f = await tcpConversation(40000, 9000, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', Buffer.from(bad).toString('hex'));
  }
});
