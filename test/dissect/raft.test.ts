// Raft (core-as/dissect/raft.ts), canonical/raft's TCP framing: little-endian 64-bit message type
// (1-6) and body length, then the body.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cat, pattern, type Bytes } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const le64 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff, 0, 0, 0, 0];
const message = (type: number, body: Bytes, declared = body.length) => cat(le64(type), le64(declared), body);

test('a header whose length is the rest of the payload decides', async () => {
  for (const type of [1, 2, 3, 4, 5, 6]) {
    assert.equal(proto(await tcpConversation(46286, 9002, [message(type, pattern(40))])), 'Raft [DPI]', `type ${type}`);
  }
  assert.equal(proto(await tcpConversation(46286, 9002, [message(1, pattern(24), 1), message(3, pattern(40))])), 'Raft [DPI]');
  assert.equal(proto(await tcpConversation(46286, 9002, [message(3, pattern(0))])), 'Raft [DPI]', 'an empty body');
});

test('three payloads in a row with a valid type decide, lengths aside', async () => {
  const f = await tcpConversation(38488, 9001, [message(1, pattern(24), 2), { reply: message(4, pattern(24), 99) }, message(4, pattern(24), 99)]);
  assert.equal(proto(f), 'Raft [DPI]');
});

test('a type out of range, a high word set, a short payload, an earlier invalid payload: not Raft', async () => {
  for (const [what, turns] of [
    ['type 0', [message(0, pattern(40))]],
    ['type 7', [message(7, pattern(40))]],
    ['high bytes of the type', [cat([1, 0, 0, 0, 0, 0, 0, 1], le64(8), pattern(8))]],
    ['15 bytes', [cat(le64(1), [7, 0, 0, 0, 0, 0, 0])]],
    ['two valid payloads only', [message(1, pattern(24), 2), message(1, pattern(24), 2)]],
    // Protobuf-like records keep the RPC group offering the flow: Raft must remember it gave up.
    ['first payload invalid', [Uint8Array.from(Array(20).fill([0x08, 0x01]).flat()), message(1, pattern(24), 2), message(1, pattern(24), 2)]],
  ] as const) {
    assert.notEqual(proto(await tcpConversation(38488, 9001, turns as never)), 'Raft [DPI]', what);
  }
});
