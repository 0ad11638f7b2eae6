// HL7 v2 (core-as/dissect/hl7.ts): a message starting with the MSH segment, in MLLP framing or not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, cat } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const msh = 'MSH|^~\\&|SENDING_APPLICATION|SENDING_FACILITY|RECEIVING_APPLICATION|RECEIVING_FACILITY|20110613083617||ADT^A01|934576120110613083617|P|2.3||||\r';

test('MLLP-framed ADT message and its ACK: HL7', async () => {
  const f = await tcpConversation(49242, 6661, [cat([0x0b], ascii(msh), [0x1c, 0x0d]), { reply: cat([0x0b], ascii('MSH|^~\\&|A|B|C|D|2011||ACK^A01|1|P|2.3\rMSA|AA|1\r'), [0x1c, 0x0d]) }]);
  assert.equal(proto(f), 'HL7 [DPI]');
});

test('unframed message: HL7; other segment first or truncated header: not HL7', async () => {
  assert.equal(proto(await tcpConversation(40000, 2575, [ascii(msh)])), 'HL7 [DPI]');
  for (const bad of [cat([0x0b], ascii('PID|1||')), cat([0x0b], ascii('MSH|^~')), ascii('MSH^~\\&|')]) {
    const f = await tcpConversation(40000, 2575, [bad]);
    assert.notEqual(proto(f), 'HL7 [DPI]', Buffer.from(bad).toString('hex'));
  }
});
