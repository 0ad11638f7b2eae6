// The mail protocols: SMTP (core-as/dissect/smtp.ts, RFC 5321), IMAP (imap.ts, RFC 9051) and
// POP3 (pop3.ts, RFC 1939): greetings and commands, credentials, STARTTLS/STLS hand-over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const s = (text: string) => ({ reply: ascii(text) });
const c = (text: string) => ascii(text);
const field = (f: object, key: string) => (f as Record<string, unknown>)[key];

test('SMTP: greeting and EHLO; the greeting\'s domain is the host name; no credentials reported', async () => {
  const f = await tcpConversation(57309, 587, [s('220 opmta1mto02nd1 smtp.orange.fr ESMTP server ready\r\n'), c('EHLO [173.66.46.97]\r\n'),
    s('250-opmta1mto02nd1 hello\r\n250 AUTH LOGIN PLAIN\r\n'), c('AUTH LOGIN\r\n'), s('334 VXNlcm5hbWU6\r\n'), c('cmF1bA==\r\n'), c('MAIL FROM:<a@b>\r\n')]);
  assert.equal(proto(f), 'SMTP [DPI]');
  assert.equal(f.host_server_name, 'opmta1mto02nd1');
  assert.deepEqual(f.flow_risk, []);
  assert.equal(field(f, 'protos.credentials.user'), undefined);
});

test('SMTP: STARTTLS accepted makes the flow SMTPS', async () => {
  const f = await tcpConversation(40000, 25, [s('220 mx.example.org ESMTP\r\n'), c('EHLO me\r\n'), s('250 STARTTLS\r\n'), c('STARTTLS\r\n'), s('220 Go ahead\r\n')]);
  assert.equal(proto(f), 'SMTPS [DPI]');
});

test('SMTP: a first reply other than 220/554 is another protocol', async () => {
  const f = await tcpConversation(40000, 40025, [s('200 news.example.org NNTP\r\n'), c('HELP\r\n')]);
  assert.ok(!f['proto.ndpi'].startsWith('SMTP'));
});

test('IMAP: greeting, tagged commands, LOGIN with the credentials and their risk', async () => {
  const f = await tcpConversation(46045, 143, [s('* OK IMAP4Rev1 Server Version 4.9\r\n'), c('C00000 CAPABILITY\r\n'),
    s('* CAPABILITY IMAP4rev1 AUTH=LOGIN\r\nC00000 OK CAPABILITY completed\r\n'), c('C00001 LOGIN samir pfres\r\n'), s('C00001 OK LOGIN completed\r\n')]);
  assert.equal(proto(f), 'IMAP [DPI]');
  assert.equal(field(f, 'protos.credentials.user'), 'samir');
  assert.equal(field(f, 'protos.credentials.password'), 'pfres');
  assert.equal(field(f, 'risk_info'), 'Found IMAP username (samir)');
  assert.deepEqual(f.flow_risk, [22, 36]);
});

test('IMAP: quoted LOGIN arguments with an escaped quote', async () => {
  const f = await tcpConversation(46045, 143, [s('* OK ready\r\n'), c('a1 LOGIN "john doe" "pa\\"ss"\r\n')]);
  assert.equal(field(f, 'protos.credentials.user'), 'john doe');
  assert.equal(field(f, 'protos.credentials.password'), 'pa\\"ss');
});

test('IMAP: STARTTLS answered OK makes the flow IMAPS', async () => {
  const f = await tcpConversation(49640, 143, [s('* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n'), c('. CAPABILITY\r\n'),
    s('* CAPABILITY IMAP4rev1 STARTTLS\r\n. OK done\r\n'), c('. STARTTLS\r\n'), s('. OK Begin TLS negotiation now\r\n')]);
  assert.equal(proto(f), 'IMAPS [DPI]');
});

test('IMAP: unterminated quoted user, a tag without command, over-long tags: no credentials, no crash', async () => {
  let f = await tcpConversation(46045, 143, [s('* OK ready\r\n'), c('a1 LOGIN "john\r\n')]);
  assert.equal(field(f, 'protos.credentials.user'), undefined);
  f = await tcpConversation(46045, 40143, [s('* OK ready\r\n'), c('a1\r\n')]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  f = await tcpConversation(46045, 40143, [s('* OK ready\r\n'), c(`${'x'.repeat(40)} LOGIN a b\r\n`)]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});

test('POP3: USER and PASS give the credentials and their risk', async () => {
  const f = await tcpConversation(35287, 110, [s('+OK POP server ready H migmxus005\r\n'), c('user cicciopernacchio@mail.com\r\n'),
    s('+OK password required\r\n'), c('pass pippozzo\r\n'), s('+OK mailbox has 2 messages\r\n')]);
  assert.equal(proto(f), 'POP3 [DPI]');
  assert.equal(field(f, 'protos.credentials.user'), 'cicciopernacchio@mail.com');
  assert.equal(field(f, 'protos.credentials.password'), 'pippozzo');
  assert.equal(field(f, 'risk_info'), 'Found username (cicciopernacchio@mail.com)');
});

test('POP3: AUTH PLAIN reports no credentials; STLS accepted makes the flow POPS with the Unsafe Protocol risk', async () => {
  let f = await tcpConversation(26383, 110, [s('+OK ready\r\n'), c('AUTH PLAIN\r\n'), s('+ \r\n'), c('AGRpZ2l0YWw=\r\n'), s('+OK\r\n')]);
  assert.equal(proto(f), 'POP3 [DPI]');
  assert.ok(!f.flow_risk.includes(36));
  f = await tcpConversation(50583, 110, [s('+OK lavad\r\n'), c('CAPA\r\n'), s('+OK Capabilities follow\r\nSTLS\r\n.\r\n'), c('STLS\r\n'), s('+OK Ready to start TLS\r\n')]);
  assert.equal(proto(f), 'POPS [DPI]');
  assert.ok(f.flow_risk.includes(22));
});

test('partial lines: no crash, nothing recognised', async () => {
  for (const turns of [[s('+'), c('U')], [s('*'), c('a')], [s('2'), c('E')], [s('+O'), c('US')]]) {
    const f = await tcpConversation(40000, 40110, turns);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  }
});
