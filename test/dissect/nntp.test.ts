// NNTP (core-as/dissect/nntp.ts): greeting 200/201 (RFC 3977 §5.1.1), then a client command.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

test('greeting, MODE READER, GROUP: Usenet', async () => {
  const f = await tcpConversation(55630, 119, [
    { reply: ascii('200 Leafnode NNTP Daemon, version 1.11.7 running at example\r\n') },
    ascii('MODE READER\r\n'),
    { reply: ascii('200 Leafnode 1.11.7, pleased to meet you!\r\n') },
    ascii('GROUP news.software.nntp\r\n'),
  ]);
  assert.equal(proto(f), 'Usenet [DPI]');
});

test('no-posting greeting then CAPABILITIES: Usenet', async () => {
  assert.equal(proto(await tcpConversation(55630, 119, [{ reply: ascii('201 news.example.com ready\r\n') }, ascii('CAPABILITIES\r\n')])), 'Usenet [DPI]');
});

test('FTP-like greeting, unknown command, client first, greeting only: not Usenet', async () => {
  for (const turns of [
    [{ reply: ascii('220 ftp ready\r\n') }, ascii('MODE READER\r\n')],
    [{ reply: ascii('200 ready\r\n') }, ascii('HELO there\r\n')],
    [ascii('MODE READER\r\n'), { reply: ascii('200 ready\r\n') }],
    [{ reply: ascii('200 ready\r\n') }],
  ]) {
    const f = await tcpConversation(55630, 119, turns);
    assert.notEqual(proto(f), 'Usenet [DPI]', JSON.stringify(turns));
  }
});
