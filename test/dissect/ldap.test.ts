// LDAP (core-as/dissect/ldap.ts): RFC 4511 §4.1.1 LDAPMessage in BER, over TCP and UDP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, cat } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

function tlv(tag: number, content: Uint8Array | number[], longForm = false): Uint8Array {
  const c = Uint8Array.from(content);
  const len = longForm ? [0x84, 0, 0, c.length >> 8, c.length & 0xff] : c.length > 127 ? [0x81, c.length] : [c.length];
  return cat([tag], len, c);
}
/** LDAPMessage ::= SEQUENCE { messageID, protocolOp }. */
const message = (id: number[], op: Uint8Array, longForm = false) => tlv(0x30, cat(tlv(0x02, id), op), longForm);
/** BindRequest [APPLICATION 0]: version 3, name "", simple authentication "" (§4.2). */
const bind = () => tlv(0x60, cat(tlv(0x02, [3]), tlv(0x04, []), tlv(0x80, [])));
const bindResponse = () => tlv(0x61, cat(tlv(0x0a, [0]), tlv(0x04, []), tlv(0x04, [])));
/** SearchRequest [APPLICATION 3] with a present filter on objectClass. */
const search = () => tlv(0x63, cat(tlv(0x04, []), tlv(0x0a, [0]), tlv(0x0a, [0]), tlv(0x02, [0]), tlv(0x02, [0]), tlv(0x01, [0]),
  tlv(0x87, ascii('objectClass')), tlv(0x30, [])));

test('bind request and response on 1389: LDAP, with the non-standard-port risk', async () => {
  const f = await tcpConversation(57650, 1389, [message([1], bind()), { reply: message([1], bindResponse()) }]);
  assert.equal(proto(f), 'LDAP [DPI]');
  assert.ok(f.flow_risk.includes(5));
});

test('a search request cut by the segment end, long-form lengths, and CLDAP over UDP', async () => {
  let f = await tcpConversation(40000, 389, [message([2], search()).subarray(0, 12)]);
  assert.equal(proto(f), 'LDAP [DPI]');
  f = await tcpConversation(40000, 389, [message([1, 0], bindResponse(), true)]);
  assert.equal(proto(f), 'LDAP [DPI]');
  f = await udpConversation(40000, 389, [message([5], search())]);
  assert.equal(proto(f), 'LDAP [DPI]');
});

test('unbind (primitive [2]) is LDAP; a constructed [2], a negative or empty message id, other tags are not', async () => {
  let f = await tcpConversation(40000, 389, [message([3], Uint8Array.from([0x42, 0x00]))]);
  assert.equal(proto(f), 'LDAP [DPI]');
  for (const bad of [message([3], Uint8Array.from([0x62, 0x00])), message([0xff], bind()), message([], bind()), message([1], tlv(0x71, [0])),
    tlv(0x30, cat(tlv(0x04, ascii('public')), bind())), Uint8Array.from([0x30]), Uint8Array.from([0x30, 0x85, 0, 0, 0, 0, 1])]) {
    f = await tcpConversation(40000, 4389, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', Buffer.from(bad).toString('hex'));
  }
});

test('an encrypted first packet on 389 is left to the port guess', async () => {
  const f = await tcpConversation(49161, 389, [Uint8Array.from([0xf1, 0x36, 0x5c, 0xd0, 0xb0, 0xcc]), { reply: message([3], bindResponse()) }]);
  assert.equal(proto(f), 'LDAP [Match by port]');
});
