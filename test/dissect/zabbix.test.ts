// Zabbix (core-as/dissect/zabbix.ts): "ZBXD", flags, little-endian data and reserved lengths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, cat, le32 } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const zbx = (data: string, flags = 0x01, declared?: number) => cat(ascii('ZBXD'), [flags], le32(declared ?? data.length), le32(0), ascii(data));

test('agent request and answer: Zabbix', async () => {
  const f = await tcpConversation(57162, 10050, [zbx('proc.num[]'), { reply: zbx('263') }]);
  assert.equal(proto(f), 'Zabbix [DPI]');
});

test('compressed message (flags 0x03) whose data continues in the next segment', async () => {
  const f = await tcpConversation(36699, 10051, [zbx('x\u009c', 0x03, 69)]);
  assert.equal(proto(f), 'Zabbix [DPI]');
});

test('missing protocol flag, unknown flag bits, data longer than declared, short header: not Zabbix', async () => {
  for (const bad of [zbx('abc', 0x00), zbx('abc', 0x11), zbx('abcdef', 0x01, 2), ascii('ZBXD\u0001'), ascii('ZBX')]) {
    const f = await tcpConversation(40000, 10051, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', Buffer.from(bad).toString('hex'));
  }
});
