// Thrift (core-as/dissect/thrift.ts): a strict binary message header (0x80 0x01, type, name),
// framed or not, or a compact one (0x82, type << 5 | 1, varints, name).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be32, cat } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const binary = (name: string, type = 1, declared = name.length) => cat([0x80, 0x01, 0x00, type], be32(declared), ascii(name), be32(0), [0x08, 0, 1, 0, 0, 0, 0, 0]);
const compact = (name: string, type = 4) => cat([0x82, (type << 5) | 1, 0xb2, 0x81, 0x01, name.length], ascii(name), [0x1c, 0x1c]);

test('binary call and reply, framed call, compact oneway over UDP: Thrift', async () => {
  assert.equal(proto(await tcpConversation(53387, 11010, [binary('anonymous_command_on'), { reply: binary('anonymous_command_on', 2) }])), 'Thrift [DPI]');
  const framed = binary('getUser');
  assert.equal(proto(await tcpConversation(53387, 9090, [cat(be32(framed.length), framed)])), 'Thrift [DPI]');
  assert.equal(proto(await udpConversation(49164, 6831, [compact('emitBatch')])), 'Thrift [DPI]');
});

test('type 5, name past the packet, empty or binary name, compact version 2: not Thrift', async () => {
  for (const bad of [binary('x', 5), binary('abc', 1, 200), binary('', 1), cat([0x80, 1, 0, 1], be32(2), [0, 1]), cat([0x82, 0x82, 1, 3], ascii('abc'))]) {
    const f = await udpConversation(49164, 6832, [bad]);
    assert.notEqual(proto(f), 'Thrift [DPI]', Buffer.from(bad).toString('hex'));
  }
});
