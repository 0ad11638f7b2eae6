// TeamSpeak 3 (core-as/dissect/teamspeak.ts): the client's init1 packet, MAC field "TS3INIT1",
// packet type 8 with the unencrypted flag.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, cat, zeros } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const init1 = (type = 0x88) => cat(ascii('TS3INIT1'), [0x00, 0x65, 0x00, 0x00, type], [0x88, 0x0d, 0xd0, 0x57], zeros(17));

test('init1 packet: TeamSpeak', async () => {
  const f = await udpConversation(53187, 9987, [init1()]);
  assert.equal(proto(f), 'TeamSpeak [DPI]');
});

test('other packet type, other MAC, truncated header: not TeamSpeak', async () => {
  for (const bad of [init1(0x82), cat(ascii('TS3INIT2'), init1().subarray(8)), init1().subarray(0, 12)]) {
    const f = await udpConversation(53187, 9987, [bad]);
    assert.notEqual(proto(f), 'TeamSpeak [DPI]', Buffer.from(bad).toString('hex'));
  }
});
