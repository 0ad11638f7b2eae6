// Ethernet Global Data (core-as/dissect/egd.ts): UDP 18246, PDU type 0x0D, version 1, 32-byte header.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cat, zeros } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const production = (type = 0x0d, version = 0x01, size = 59) =>
  cat([type, version, 0xd4, 0xf0, 0xc0, 0xa8, 0x08, 0x4d, 0x7b, 0, 0, 0], zeros(size - 12));

test('production datagram on 18246: EthernetGlobalData', async () => {
  const f = await udpConversation(18246, 18246, [production()]);
  assert.equal(proto(f), 'EthernetGlobalData [DPI]');
});

test('other type or version, short header, other port: not EthernetGlobalData', async () => {
  for (const [port, bad] of [[18246, production(0x0c)], [18246, production(0x0d, 2)], [18246, production(0x0d, 1, 31)], [18247, production()]] as const) {
    const f = await udpConversation(40000, port, [bad]);
    assert.notEqual(proto(f), 'EthernetGlobalData [DPI]', `${port} ${Buffer.from(bad).toString('hex')}`);
  }
});
