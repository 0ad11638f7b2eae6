// Bare Protocol Buffers (core-as/dissect/protobuf.ts): records of a varint key (field << 3 | wire
// type) and a value, as protobuf.dev's encoding guide lays them out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, be32, cat, pattern, type Bytes } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    const low = n % 128;
    n = Math.floor(n / 128);
    out.push(n > 0 ? low | 0x80 : low);
  } while (n > 0);
  return out;
}
const key = (field: number, wire: number) => varint(field * 8 + wire);
const str = (field: number, text: string) => cat(key(field, LEN), varint(text.length), ascii(text));

/** Eight records, one of them LEN: the guide's examples (150 as a varint, "testing") and more. */
const message = cat(
  key(1, VARINT), [0x96, 0x01],
  str(2, 'testing'),
  key(3, I32), [1, 2, 3, 4],
  key(4, I64), pattern(8),
  key(5, VARINT), [0],
  key(6, VARINT), [0xff, 0xff, 0xff, 0xff, 0x0f],
  str(7, 'x'),
  key(536870911, VARINT), [1],
);
/** Two records only. */
const small = cat(key(7, VARINT), [0x0a], key(1, VARINT), [0x01]);

test('eight records with a LEN in the first TCP payload: Protobuf', async () => {
  const f = await tcpConversation(52392, 12345, [message]);
  assert.equal(proto(f), 'Protobuf [DPI]');
});

test('over UDP the eight records decide from the third payload, not before', async () => {
  assert.notEqual(proto(await udpConversation(1119, 1120, [message, message])), 'Protobuf [DPI]');
  assert.equal(proto(await udpConversation(1119, 1120, [message, message, message])), 'Protobuf [DPI]');
});

test('two records per payload: Protobuf at the fourth payload only', async () => {
  assert.notEqual(proto(await tcpConversation(40000, 12345, [small, small, small])), 'Protobuf [DPI]');
  assert.equal(proto(await tcpConversation(40000, 12345, [small, small, { reply: small }, small])), 'Protobuf [DPI]');
});

test('eight records without a LEN wait for the fourth payload', async () => {
  const numbers = cat(...Array.from({ length: 8 }, (_, i) => cat(key(i + 1, VARINT), [i])));
  assert.notEqual(proto(await tcpConversation(40000, 12345, [numbers])), 'Protobuf [DPI]');
  assert.equal(proto(await tcpConversation(40000, 12345, [numbers, numbers, numbers, numbers])), 'Protobuf [DPI]');
});

test('a payload ending inside a varint waits for the next one', async () => {
  const f = await tcpConversation(40000, 12345, [cat(small, [0x88]), small, small, small]);
  assert.equal(proto(f), 'Protobuf [DPI]');
});

test('broken encodings give up on the flow even if later payloads parse', async () => {
  const broken: Array<[string, Bytes]> = [
    ['field 0', cat(key(0, VARINT), [1], small)],
    ['field past 2^29 - 1', cat(key(536870912, VARINT), [1], small)],
    ['group start (3)', cat(key(1, 3), small)],
    ['group end (4)', cat(key(1, 4), small)],
    ['wire type 6', cat(key(1, 6), small)],
    ['wire type 7', cat(key(1, 7), small)],
    ['zero-length LEN', cat(small, key(2, LEN), [0], small)],
    ['LEN past the end', cat(small, key(2, LEN), [50], ascii('short'))],
    ['I64 past the end', cat(small, key(4, I64), [1, 2, 3])],
    ['I32 past the end', cat(small, key(3, I32), [1, 2])],
    ['varint value cut', cat(small, key(1, VARINT), [0x80])],
    ['varint over 10 bytes', cat(key(1, VARINT), Array(11).fill(0x80), [1], small)],
  ];
  for (const [what, first] of broken) {
    const f = await tcpConversation(40000, 12345, [first, small, small, small, small]);
    assert.notEqual(proto(f), 'Protobuf [DPI]', what);
  }
});

test('an RTP stream, whose first packet parses as protobuf records, stays RTP', async () => {
  // false_positives.pcapng, UDP 23784 -> 50160 (nDPI: RTP): RFC 3550 §5.1 header, V=2, PT 8
  // (PCMA), sequence 0x0cdd, one SSRC, then 160 bytes of PCMA. As protobuf the first packet is
  // ten records, one of them LEN; only RTP's second packet tells.
  const first = Buffer.from(
    '80080cdd1bc8cb2e34127856d555555555d5d555d5d5555555555555555555d5d5d5d5d55555d5d5d55555555555d5d5d5d5d555555555' +
    'd555d5d5d5d5d55555d555d5d5d5d5d5d5d55555d5d5d555d5555555555555d5555555d5d5d5d555d55555d55555d5d55555d5d5d555d5d5' +
    'd555d5d5d5555555d55555d5d5d5d5d5555555d5d555d5d5d555d5d5d555d5555555555555555555d5d5d5d5d5555555555555d5d555d5d5' +
    '55d5d55555', 'hex');
  assert.equal(first.length, 172);
  const next = (i: number) => cat(first.subarray(0, 2), be16(0x0cdd + i), be32(0x1bc8cb2e + 160 * i), first.subarray(8));
  const f = await udpConversation(23784, 50160, [first, next(1), next(2), next(3)]);
  assert.equal(proto(f), 'RTP [DPI]');
});
