// FTP (core-as/dissect/ftp.ts): RFC 959 control connection (replies §4.2, commands §4.1),
// login credentials, the greeting's host name, AUTH TLS (RFC 4217), and data connections
// recognised by an "ls -l" listing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const s = (text: string) => ({ reply: ascii(text) });
const c = (text: string) => ascii(text);
const field = (f: object, key: string) => (f as Record<string, unknown>)[key];

test('greeting, USER, PASS, 230: FTP_CONTROL with the credentials and their risk', async () => {
  const f = await tcpConversation(50694, 21, [s('220 (vsFTPd 3.0.3)\r\n'), c('USER anonymous\r\n'), s('331 Please specify the password.\r\n'),
    c('PASS NcFTP@\r\n'), s('230 Login successful.\r\n'), c('PWD\r\n'), s('257 "/"\r\n')]);
  assert.equal(proto(f), 'FTP_CONTROL [DPI]');
  assert.equal(field(f, 'protos.credentials.user'), 'anonymous');
  assert.equal(field(f, 'protos.credentials.password'), 'NcFTP@');
  assert.deepEqual(f.flow_risk, [22, 36]); // Unsafe Protocol (breed), Clear-Text Credentials
  assert.equal(field(f, 'risk_info'), 'Found FTP username (anonymous)');
  assert.equal(f.host_server_name, undefined); // "(vsFTPd" is no host name
});

test('the greeting\'s first word is the host name, in lower case', async () => {
  const f = await tcpConversation(2720, 21, [s('220 ProFTPD Server In ECI Telecom\r\n'), c('SYST\r\n'), s('215 UNIX Type: L8\r\n')]);
  assert.equal(proto(f), 'FTP_CONTROL [DPI]');
  assert.equal(f.host_server_name, 'proftpd');
});

test('a user refused before any password: the user and the risk, no password', async () => {
  const f = await tcpConversation(44724, 21, [s('220 ready\r\n'), c('USER hello\r\n'), s('530 This FTP server is anonymous only.\r\n')]);
  assert.equal(field(f, 'protos.credentials.user'), 'hello');
  assert.equal(field(f, 'protos.credentials.password'), undefined);
  assert.ok(f.flow_risk.includes(36));
});

test('a PASS seen alone is risky even when the flow is never recognised', async () => {
  const f = await tcpConversation(2679, 21, [c('PASS d0\r\n')]);
  assert.equal(proto(f), 'FTP_CONTROL [Match by port]');
  assert.ok(f.flow_risk.includes(36));
  assert.equal(field(f, 'risk_info'), 'Found password');
});

test('AUTH TLS accepted: the flow becomes FTPS and keeps the Unsafe Protocol risk', async () => {
  const f = await tcpConversation(62092, 21, [s('220 "Authorized users only"\r\n'), c('AUTH TLS\r\n'), s('234 Proceed with negotiation.\r\n')]);
  assert.equal(proto(f), 'FTPS [DPI]');
  assert.ok(f.flow_risk.includes(22));
});

test('a directory listing on a data connection: FTP_DATA', async () => {
  const f = await tcpConversation(50695, 25685, [s('-rw-r--r--    1 0        0        1073741824000 Feb 19  2016 1000GB.zip\r\n')]);
  assert.equal(proto(f), 'FTP_DATA [DPI]');
  const g = await tcpConversation(50695, 25685, [s('drwxr-sr-t    2 0        0        4096 Feb 19  2016 pub\r\n')]);
  assert.equal(proto(g), 'FTP_DATA [DPI]');
  // A negotiated port (ftp.pcap): not a known protocol on a non-standard port.
  assert.ok(!f.flow_risk.includes(5) && !g.flow_risk.includes(5));
});

test('SMTP, POP3, IMAP and NNTP conversations are not FTP', async () => {
  const cases = [
    [s('220 mail.example.org ESMTP\r\n'), c('EHLO client\r\n')],
    [s('+OK POP3 ready\r\n'), c('USER bob\r\n')],
    [s('* OK IMAP4rev1 ready\r\n'), c('a1 CAPABILITY\r\n')],
    [s('200 Leafnode NNTP Daemon\r\n'), c('MODE READER\r\n'), s('200 ok\r\n')],
  ];
  for (const turns of cases) {
    const f = await tcpConversation(40000, 40021, turns);
    assert.ok(!f['proto.ndpi'].startsWith('FTP'), `${JSON.stringify(turns.map(String))}: ${proto(f)}`);
  }
});

test('empty lines, a lone code, lines without CR LF, garbage: no crash, not FTP by payload', async () => {
  for (const turns of [[s('\r\n'), c('\r\n')], [s('22'), c('US')], [s('999 x\r\n'), c('USER x\r\n')], [c('\u0000\u0001\u0002')]]) {
    const f = await tcpConversation(40000, 40021, turns);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  }
  // "220" then "USER" without arguments or line ends is still FTP: the format is all there.
  const f = await tcpConversation(40000, 21, [s('220'), c('USER')]);
  assert.equal(proto(f), 'FTP_CONTROL [DPI]');
});
