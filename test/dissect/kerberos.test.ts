// Kerberos V5 (core-as/dissect/kerberos.ts): RFC 4120 §5 messages in ASN.1 DER, on UDP 88 and
// on TCP 88 behind a 4-byte length (§7.2.2); nDPI's info "<realm>\<client name>".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be32, cat } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

/** X.690 §8.1 TLV, short or long definite length. */
function tlv(tag: number, content: Uint8Array | number[]): Uint8Array {
  const c = Uint8Array.from(content);
  const len = c.length > 255 ? [0x82, c.length >> 8, c.length & 0xff] : c.length > 127 ? [0x81, c.length] : [c.length];
  return cat([tag], len, c);
}
const ctx = (n: number, content: Uint8Array) => tlv(0xa0 | n, content);
const int = (v: number) => tlv(0x02, [v]);
const str = (s: string) => tlv(0x1b, ascii(s));
const seq = (...parts: Uint8Array[]) => tlv(0x30, cat(...parts));
/** PrincipalName (§5.2.2): name-type [0], name-string [1] SEQUENCE OF KerberosString. */
const principal = (type: number, ...names: string[]) => seq(ctx(0, int(type)), ctx(1, seq(...names.map(str))));

/** KDC-REQ (§5.4.1): pvno [1], msg-type [2], req-body [4] { kdc-options [0], cname [1], realm [2], sname [3], nonce [7], etype [8] }. */
function kdcReq(type: 10 | 12, realm: string, cname: Uint8Array | null, pvno = 5): Uint8Array {
  const body = seq(ctx(0, tlv(0x03, [0, 0x40, 0x81, 0, 0x10])), ...(cname ? [ctx(1, cname)] : []), ctx(2, str(realm)),
    ctx(3, principal(2, 'krbtgt', realm)), ctx(7, int(7)), ctx(8, seq(int(18))));
  return tlv(0x60 | type, seq(ctx(1, int(pvno)), ctx(2, int(type)), ctx(4, body)));
}
/** KDC-REP (§5.4.2): pvno [0], msg-type [1], crealm [3], cname [4], ticket [5], enc-part [6]. */
function kdcRep(type: 11 | 13, crealm: string, cname: Uint8Array): Uint8Array {
  const encPart = seq(ctx(0, int(18)), ctx(2, tlv(0x04, [1, 2, 3, 4])));
  const ticket = tlv(0x61, seq(ctx(0, int(5)), ctx(1, str(crealm)), ctx(2, principal(2, 'krbtgt', crealm)), ctx(3, encPart)));
  return tlv(0x60 | type, seq(ctx(0, int(5)), ctx(1, int(type)), ctx(3, str(crealm)), ctx(4, cname), ctx(5, ticket), ctx(6, encPart)));
}
/** KRB-ERROR (§5.9.1): pvno [0], msg-type [1], stime [4], susec [5], error-code [6], realm [9], sname [10]. */
const krbError = () => tlv(0x7e, seq(ctx(0, int(5)), ctx(1, int(30)), ctx(4, tlv(0x18, ascii('20240101000000Z'))), ctx(5, int(1)),
  ctx(6, int(25)), ctx(9, str('EXAMPLE.ORG')), ctx(10, principal(2, 'krbtgt', 'EXAMPLE.ORG'))));
const framed = (m: Uint8Array) => cat(be32(m.length), m);
const info = (f: object) => (f as Record<string, unknown>).info;

test('UDP AS-REQ: Kerberos, info "realm\\machine" in lower case without the trailing $', async () => {
  const f = await udpConversation(50000, 88, [kdcReq(10, 'HAPPYCRAFT.ORG', principal(1, 'JOHNSON-PC$')), { reply: krbError() }]);
  assert.equal(proto(f), 'Kerberos [DPI]');
  assert.equal(info(f), 'happycraft.org\\johnson-pc');
});

test('a service principal "host/name" gives its last component', async () => {
  const f = await udpConversation(50000, 88, [kdcReq(10, 'LINUX.SHELL.COM', principal(3, 'host', 'mus-n-cj0709'))]);
  assert.equal(info(f), 'linux.shell.com\\mus-n-cj0709');
});

test('UDP TGS-REQ: the realm only (the reply is not read)', async () => {
  const f = await udpConversation(50000, 88, [kdcReq(12, 'DENYDC.COM', null), { reply: kdcRep(13, 'DENYDC.COM', principal(1, 'des')) }]);
  assert.equal(proto(f), 'Kerberos [DPI]');
  assert.equal(info(f), 'denydc.com');
});

test('TCP TGS-REQ then TGS-REP: the client name comes from the reply', async () => {
  const f = await tcpConversation(49160, 88, [framed(kdcReq(12, 'TESTBED1.CA', null)), { reply: framed(kdcRep(13, 'TESTBED1.CA', principal(1, 'UBUNTU64A$'))) }]);
  assert.equal(proto(f), 'Kerberos [DPI]');
  assert.equal(info(f), 'testbed1.ca\\ubuntu64a');
});

test('TCP: a first segment shorter than its record length is left to the port guess', async () => {
  const m = framed(kdcReq(10, 'EXAMPLE.ORG', principal(1, 'alice')));
  const f = await tcpConversation(49173, 88, [m.subarray(0, m.length - 10), { reply: framed(krbError()) }]);
  assert.equal(proto(f), 'Kerberos [Match by port]');
  assert.equal(info(f), undefined);
});

test('wrong pvno, mismatched msg-type, unknown application tag: not Kerberos by payload', async () => {
  const wrongType = kdcReq(10, 'EXAMPLE.ORG', null);
  wrongType[wrongType.indexOf(0xa2) + 4] = 12; // msg-type 12 inside an [APPLICATION 10]
  const unknownApp = kdcReq(10, 'EXAMPLE.ORG', null);
  unknownApp[0] = 0x70; // [APPLICATION 16] is no Kerberos message
  for (const bad of [kdcReq(10, 'EXAMPLE.ORG', null, 4), wrongType, unknownApp]) {
    const f = await udpConversation(50000, 88, [bad]);
    assert.equal(proto(f), 'Kerberos [Match by port]');
  }
});

test('lengths past the end, zero lengths, 5-octet and indefinite lengths, empty names: no crash', async () => {
  const whole = kdcReq(10, 'EXAMPLE.ORG', principal(1, 'bob'));
  const cases = [
    whole.subarray(0, 20),                               // contents past the packet end
    Uint8Array.from([0x6a, 0x00]),                       // zero-length message
    Uint8Array.from([0x6a, 0x85, 1, 0, 0, 0, 0, 0x30]),  // 5 length octets
    Uint8Array.from([0x6a, 0x80, 0x30, 0x80, 0, 0, 0, 0]), // indefinite form
    Uint8Array.from([0x6a]),
  ];
  for (const bad of cases) {
    const f = await udpConversation(50000, 88, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', `${Buffer.from(bad).toString('hex')}`);
  }
  // Well-formed with an empty realm and name: Kerberos, nothing to print; a name of just "$" adds nothing.
  const noNames = await udpConversation(50000, 88, [kdcReq(10, '', principal(1, ''))]);
  assert.equal(proto(noNames), 'Kerberos [DPI]');
  assert.equal(info(noNames), undefined);
  const dollar = await udpConversation(50000, 88, [kdcReq(10, 'REALM', principal(1, '$'))]);
  assert.equal(info(dollar), 'realm');
});

test('non-printable realm bytes print as ?', async () => {
  const f = await udpConversation(50000, 88, [kdcReq(10, 'A\u0001B', principal(1, 'x'))]);
  assert.equal(info(f), 'a?b\\x');
});
