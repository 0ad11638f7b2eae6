// OICQ (core-as/dissect/oicq.ts): QQ's UDP datagrams, STX 0x02 ... ETX 0x03 around a header of
// version, command, sequence number and QQ number.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, be32, cat, pattern } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const oicq = (command = 0x0001, body = pattern(30), qq = 0x561f0c7b) => cat([0x02], be16(0x3b0b), be16(command), be16(0x0017), be32(qq), body, [0x03]);

test('a QQ datagram to 8000: OICQ', async () => {
  const f = await udpConversation(54233, 8000, [oicq()]);
  assert.equal(proto(f), 'OICQ [DPI]');
});

test('recognised on any port', async () => {
  const f = await udpConversation(54233, 9000, [oicq(0x0022)]);
  assert.equal(proto(f), 'OICQ [DPI]');
});

test('wrong framing bytes, zero or huge command, no QQ number, too short: not OICQ by payload', async () => {
  const noEtx = oicq(); noEtx[noEtx.length - 1] = 0x00;
  const noStx = oicq(); noStx[0] = 0x0a;
  for (const bad of [noEtx, noStx, oicq(0), oicq(0x8000), oicq(1, pattern(30), 0), Uint8Array.from([0x02, 0x03]), Uint8Array.from([0x02, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0x03])]) {
    const f = await udpConversation(54233, 8000, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', Buffer.from(bad).toString('hex'));
  }
});
