// Modbus/TCP (core-as/dissect/modbus.ts, MBAP header on 502) and IEC 60870-5-104
// (core-as/dissect/iec104.ts, APCI on 2404).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, cat } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

/** MBAP: transaction id, protocol 0, length (unit id + PDU), unit id; then the PDU. */
const mbap = (pdu: number[], o: { protocol?: number; length?: number } = {}) =>
  cat(be16(0xd1), be16(o.protocol ?? 0), be16(o.length ?? pdu.length + 1), [1], pdu);

test('Modbus read holding registers and its response on 502', async () => {
  const f = await tcpConversation(2074, 502, [mbap([0x03, 0x00, 0x01, 0x00, 0x01]), { reply: mbap([0x03, 0x02, 0x00, 0x00]) }]);
  assert.equal(proto(f), 'Modbus [DPI]');
});

test('Modbus: two pipelined requests in a segment and an exception response', async () => {
  const f = await tcpConversation(2074, 502, [cat(mbap([0x01, 0, 0, 0, 8]), mbap([0x02, 0, 0, 0, 8])), { reply: mbap([0x81, 0x02]) }]);
  assert.equal(proto(f), 'Modbus [DPI]');
});

test('Modbus: non-zero protocol id, length past the end or short of it, function 0, other ports', async () => {
  for (const bad of [mbap([3, 0, 1, 0, 1], { protocol: 1 }), mbap([3, 0, 1], { length: 40 }), cat(mbap([3, 0, 1]), [0]), mbap([0]),
    mbap([3], { length: 0 }), Uint8Array.from([0, 1, 0, 0, 0])]) {
    const f = await tcpConversation(2074, 502, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', Buffer.from(bad).toString('hex'));
  }
  const f = await tcpConversation(2074, 5020, [mbap([0x03, 0x00, 0x01, 0x00, 0x01])]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});

/** APCI: start 0x68, length, four control octets; then an ASDU for I-format. */
const apdu = (control: number[], asdu: number[] = []) => cat([0x68, 4 + asdu.length], control, asdu);

test('IEC 104: S-format from the station, STARTDT act, I-format with an ASDU, several APDUs in a segment', async () => {
  const iFrame = apdu([0x2c, 0x7e, 0x42, 0xb9], [0x24, 0x01, 0x03, 0x00, 0x14, 0x29, 0xcb, 0xb2, 0x02, 0xcd, 0xcc, 0x2c, 0x3e, 0x00]);
  let f = await tcpConversation(54768, 2404, [{ reply: apdu([0x01, 0x00, 0x42, 0xb9]) }, apdu([0x07, 0, 0, 0])]);
  assert.equal(proto(f), 'IEC60870 [DPI]');
  f = await tcpConversation(54768, 2404, [{ reply: cat(iFrame, iFrame, apdu([0x43, 0, 0, 0])) }]);
  assert.equal(proto(f), 'IEC60870 [DPI]');
});

test('IEC 104: bad start byte, lengths past the end, an I-format without ASDU, two U functions, trailing bytes, other ports', async () => {
  for (const bad of [cat([0x69, 4], [1, 0, 0, 0]), cat([0x68, 30], [1, 0, 0, 0]), apdu([0x00, 0, 0, 0]), apdu([0x0f, 0, 0, 0]),
    cat(apdu([0x07, 0, 0, 0]), [0x68]), cat([0x68, 2], [1, 0]), apdu([0x01, 0x01, 0, 0])]) {
    const f = await tcpConversation(54768, 2404, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', Buffer.from(bad).toString('hex'));
  }
  const f = await tcpConversation(54768, 24040, [apdu([0x07, 0, 0, 0])]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});
