// SNMP (core-as/dissect/snmp.ts): BER messages (X.690) of RFC 1157 (v1), RFC 1901 (v2c) and
// RFC 3412 (v3) on UDP 161/162; a response's error-status raises the Error Code risk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, cat } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

/** X.690 §8.1: identifier, definite length (short or long form), content. */
function tlv(tag: number, content: Uint8Array | number[], longLength = false): Uint8Array {
  const c = Uint8Array.from(content);
  const len = longLength || c.length > 127 ? [0x82, c.length >> 8, c.length & 0xff] : [c.length];
  return cat([tag], len, c);
}
const int = (v: number) => tlv(0x02, v < 256 ? [v] : [v >> 8, v & 0xff]);
const NULL_BINDING = tlv(0x30, tlv(0x30, cat(tlv(0x06, [0x2b, 6, 1, 2, 1, 1, 1, 0]), [0x05, 0x00])));
/** RFC 3416 §3 PDU: request-id, error-status, error-index, variable-bindings. */
const pdu = (tag: number, status = 0) => tlv(tag, cat(int(0x1234), int(status), int(0), NULL_BINDING));
const message = (version: number, body: Uint8Array, longLength = false) =>
  tlv(0x30, cat(int(version), tlv(0x04, ascii('public')), body), longLength);

test('v2c get and its response: SNMP, no risk', async () => {
  const f = await udpConversation(43242, 161, [message(1, pdu(0xa0)), { reply: message(1, pdu(0xa2)) }]);
  assert.equal(proto(f), 'SNMP [DPI]');
  assert.ok(!f.flow_risk.includes(43));
});

test('response with error-status 1: Error Code risk, info "SNMP Error 1"', async () => {
  const f = await udpConversation(43242, 161, [message(1, pdu(0xa1)), { reply: message(1, pdu(0xa2, 1)) }]);
  assert.ok(f.flow_risk.includes(43), `${f.flow_risk}`);
  assert.equal((f as unknown as Record<string, unknown>).risk_info, 'SNMP Error 1');
});

test('a response seen alone (agent to manager), long-form lengths: error 19 reported', async () => {
  const f = await udpConversation(161, 61088, [message(0, pdu(0xa2, 19), true)]);
  assert.equal(proto(f), 'SNMP [DPI]');
  assert.equal((f as unknown as Record<string, unknown>).risk_info, 'SNMP Error 19');
});

test('v1 trap to 162 and v3 message: SNMP', async () => {
  const trap = tlv(0xa4, cat(tlv(0x06, [0x2b, 6, 1]), tlv(0x40, [10, 0, 0, 1]), int(6), int(1), tlv(0x43, [0]), NULL_BINDING));
  let f = await udpConversation(54318, 162, [message(0, trap)]);
  assert.equal(proto(f), 'SNMP [DPI]');
  const v3 = tlv(0x30, cat(int(3), tlv(0x30, cat(int(1), int(1500), tlv(0x04, [4]), int(3))), tlv(0x04, [0x30, 0])));
  f = await udpConversation(49306, 161, [v3]);
  assert.equal(proto(f), 'SNMP [DPI]');
});

test('a capture cut inside the message: the outer length may run past the end', async () => {
  const whole = message(1, pdu(0xa0));
  const f = await udpConversation(40000, 161, [whole.subarray(0, 20)]);
  assert.equal(proto(f), 'SNMP [DPI]');
});

test('version 2, a non-PDU tag, a missing community, indefinite or 5-octet lengths: not SNMP by payload', async () => {
  const indefinite = cat([0x30, 0x80], int(1), tlv(0x04, ascii('public')), pdu(0xa0), [0, 0]);
  const huge = cat([0x30, 0x85, 0, 0, 0, 0, 20], int(1));
  for (const bad of [message(2, pdu(0xa0)), message(1, pdu(0xa9)), tlv(0x30, cat(int(1), pdu(0xa0))), indefinite, huge, Uint8Array.from([0x30])]) {
    const f = await udpConversation(40000, 161, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  }
});
