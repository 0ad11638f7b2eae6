// AMQP 0-9-1 (core-as/dissect/amqp.ts): the protocol header, or a whole frame (type, channel,
// size, payload, 0xCE) with a known class id (AMQP 0-9-1 §4.2.3).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, be32, cat, pattern } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const frame = (type: number, payload: Uint8Array, end = 0xce, declared = payload.length) => cat([type], be16(1), be32(declared), payload, [end]);
const publish = frame(1, cat(be16(60), be16(40), pattern(29)));

test('protocol header: AMQP', async () => {
  assert.equal(proto(await tcpConversation(44000, 5672, [cat(ascii('AMQP'), [0, 0, 9, 1])])), 'AMQP [DPI]');
});

test('capture starting mid-connection: basic.publish, a body, a heartbeat from the server', async () => {
  assert.equal(proto(await tcpConversation(44205, 5672, [publish])), 'AMQP [DPI]');
  assert.equal(proto(await tcpConversation(44205, 5672, [frame(3, ascii('{"a":1}'))])), 'AMQP [DPI]');
  assert.equal(proto(await tcpConversation(44205, 5672, [{ reply: frame(8, new Uint8Array(0)) }])), 'AMQP [DPI]');
});

test('no frame end, size past the packet, unknown type or class, non-empty heartbeat: not AMQP', async () => {
  for (const bad of [
    frame(1, cat(be16(60), be16(40)), 0xcd),
    frame(1, cat(be16(60), be16(40)), 0xce, 40),
    frame(4, cat(be16(60), be16(40))),
    frame(1, cat(be16(61), be16(40))),
    frame(8, pattern(2)),
    cat(ascii('AMQP'), [0, 0, 9]),
  ]) {
    const f = await tcpConversation(44000, 5672, [bad]);
    assert.notEqual(proto(f), 'AMQP [DPI]', Buffer.from(bad).toString('hex'));
  }
});
