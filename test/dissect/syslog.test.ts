// Syslog (core-as/dissect/syslog.ts): the PRI part of RFC 5424 §6.2.1 / RFC 3164 §4.1.1 on any
// port, and RFC 6587 octet-counting framing over TCP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

test('RFC 3164 and RFC 5424 messages to 514: Syslog', async () => {
  for (const text of ['<147>Jan  2 10:09:52 nb6 chillispot[4222]: x', '<134>1 2021-04-18T14:51:48+04:00 host app - - - msg', '<0> x', '<191>x']) {
    const f = await udpConversation(57166, 514, [ascii(text)]);
    assert.equal(proto(f), 'Syslog [DPI]', text);
  }
});

test('any port; TCP with and without octet counting', async () => {
  let f = await udpConversation(514, 11000, [ascii('<13>34: *Sep 22 13:36:16.091: %SYS-5-CONFIG')]);
  assert.equal(proto(f), 'Syslog [DPI]');
  f = await tcpConversation(49948, 52173, [ascii('<22>1 2021-04-18T14:51:48+04:00 iPhone7,2 app - - - x\n')]);
  assert.equal(proto(f), 'Syslog [DPI]');
  f = await tcpConversation(49949, 6514, [ascii('57 <22>1 2021-04-18T14:51:48+04:00 iPhone7,2 app - - - x')]);
  assert.equal(proto(f), 'Syslog [DPI]');
});

test('priority above 191, 4 digits, no digits, no ">" or nothing after it: not Syslog', async () => {
  for (const text of ['<192>x', '<0134>x', '<>abc', '<13 x', '<13>', '<13>\n', 'abc<13>x', '<1']) {
    const f = await udpConversation(40000, 40001, [ascii(text)]);
    assert.equal(f['proto.ndpi'], 'Unknown', text);
  }
});

test('a long digit run before a space is not octet counting (and does not hang)', async () => {
  const f = await tcpConversation(40000, 40001, [ascii(`${'9'.repeat(2000)} <13>x`)]);
  assert.equal(f['proto.ndpi'], 'Unknown');
});
