// SIP (core-as/dissect/sip.ts): Request-Line (RFC 3261 §7.1) with a sip:/sips:/tel: URI or
// Status-Line (§7.2), on any port.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const REGISTER = 'REGISTER sip:sip.cybercity.dk SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.2;branch=z9hG4bK\r\n\r\n';

test('REGISTER and 401 on 5060: SIP', async () => {
  const f = await udpConversation(5060, 5060, [ascii(REGISTER), { reply: ascii('SIP/2.0 401 Unauthorized\r\n\r\n') }]);
  assert.equal(proto(f), 'SIP [DPI]');
  assert.equal(f['proto.ndpi_cat'], 'VoIP');
});

test('every method of RFC 3261 and its extensions, sips: and tel: URIs, any port, TCP', async () => {
  for (const m of ['INVITE', 'ACK', 'OPTIONS', 'BYE', 'CANCEL', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE']) {
    const f = await udpConversation(4901, 29440, [ascii(`${m} sip:bob@example.com SIP/2.0\r\n`)]);
    assert.equal(proto(f), 'SIP [DPI]', m);
  }
  let f = await udpConversation(4000, 4001, [ascii('INVITE SIPS:bob@example.com SIP/2.0\r\n')]);
  assert.equal(proto(f), 'SIP [DPI]');
  f = await udpConversation(4000, 4001, [ascii('INVITE tel:+1-201-555-0123 SIP/2.0\r\n')]);
  assert.equal(proto(f), 'SIP [DPI]');
  f = await tcpConversation(40000, 5060, [ascii('\r\n\r\n'), ascii(REGISTER)]);
  assert.equal(proto(f), 'SIP [DPI]');
});

test('a damaged version after a valid URI is still SIP (nDPI reads the start only)', async () => {
  const f = await udpConversation(5060, 4932, [ascii('INVITE sip:97239287044@voip.brujula.net SIP/a.0\r\n')]);
  assert.equal(proto(f), 'SIP [DPI]');
});

test('on 5060 a damaged first request does not end the search; elsewhere it does', async () => {
  const damaged = ascii('INVITEKsip:9a239287044@voip.brujula.net SIP/2.0\r\n');
  const good = ascii('INVITE sip:97239287044@voip.brujula.net SIP/2.0\r\n');
  let f = await udpConversation(5060, 5060, [damaged, good]);
  assert.equal(proto(f), 'SIP [DPI]');
  f = await udpConversation(40000, 40001, [damaged, good]);
  assert.equal(f['proto.ndpi'], 'Unknown');
  f = await udpConversation(5060, 5060, [damaged, damaged, damaged, damaged, good]);
  assert.equal(proto(f), 'SIP [Match by port]');
});

test('other URI schemes, lower-case methods, truncated lines or HTTP: not SIP by payload', async () => {
  for (const text of ['INVITE six:bob@example.com SIP/2.0', 'CANCEL qip:x', 'invite sip:x', 'INVITE', 'INVITE si', 'SIP/2.0', 'GET / HTTP/1.1\r\n', 'BYE  sip:x']) {
    const f = await udpConversation(40000, 40001, [ascii(text)]);
    assert.equal(f['proto.ndpi'], 'Unknown', text);
  }
});
