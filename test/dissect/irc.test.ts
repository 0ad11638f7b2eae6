// IRC (core-as/dissect/irc.ts): registration lines NICK, USER with four parameters, CAP (RFC 2812 §3.1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

test('USER, NICK, CAP LS first: IRC', async () => {
  for (const line of ['USER xxxxx +iw xxxxx :Xxxxxx Xxx\r\n', 'NICK molochtest\r\n', 'CAP LS 302\r\n']) {
    const f = await tcpConversation(45921, 8000, [ascii(line), { reply: ascii(':card.freenode.net NOTICE * :*** Looking up your hostname...\r\n') }]);
    assert.equal(proto(f), 'IRC [DPI]', line);
  }
});

test('FTP/POP3 USER, a nick with spaces, no line end, the server first: not IRC', async () => {
  for (const turns of [[ascii('USER anonymous\r\n')], [ascii('NICK two words\r\n')], [ascii('NICK alone')], [{ reply: ascii('NICK x\r\n') }]]) {
    const f = await tcpConversation(45921, 8000, turns);
    assert.notEqual(proto(f), 'IRC [DPI]', JSON.stringify(turns));
  }
});
