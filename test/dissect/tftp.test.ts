// TFTP (core-as/dissect/tftp.ts): RFC 1350 requests, RFC 2347 option acknowledgements, and the
// DATA/ACK/ERROR packets of a transfer between two other ports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, cat, pattern, type Bytes } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const z = (...strings: string[]) => cat(...strings.map((s) => cat(ascii(s), [0])));
const rrq = (...strings: string[]) => cat(be16(1), z(...strings));
const data = (block: number, n = 512) => cat(be16(3), be16(block), pattern(n));
const ack = (block: number) => cat(be16(4), be16(block));
const error = (code: number, message: string) => cat(be16(5), be16(code), z(message));

test('read and write requests with a known mode (any case), options allowed', async () => {
  for (const request of [rrq('rfc1350.txt', 'octet'), cat(be16(2), z('zz.bin', 'netascii')), rrq('a', 'MAIL'),
    rrq('empty100KB', 'octet', 'blksize', '1468', 'tsize', '100000')]) {
    assert.equal(proto(await udpConversation(50618, 69, [request])), 'TFTP [DPI]', Buffer.from(request).toString());
  }
});

test('an option acknowledgement decides at once, on any ports', async () => {
  const oack = cat(be16(6), z('blksize', '1468', 'tsize', '100000'));
  assert.equal(proto(await udpConversation(47649, 35840, [oack])), 'TFTP [DPI]');
});

test('a transfer: four DATA/ACK/ERROR packets with blocks that repeat or step by one', async () => {
  assert.equal(proto(await udpConversation(3445, 50618, [data(1), { reply: ack(1) }, data(2), { reply: ack(2) }])), 'TFTP [DPI]');
  assert.equal(proto(await udpConversation(62058, 44618, [ack(0), { reply: data(1) }, { reply: data(1) }, ack(1)])), 'TFTP [DPI]');
  assert.equal(proto(await udpConversation(62058, 44618, [ack(0xffff), { reply: data(0, 100) }, ack(0), { reply: error(0, 'stop') }])), 'TFTP [DPI]');
});

test('a transfer of three packets is not enough', async () => {
  assert.notEqual(proto(await udpConversation(3445, 50618, [data(1), { reply: ack(1) }, data(2)])), 'TFTP [DPI]');
});

test('requests without a file name, with an unknown mode, an odd option list, unprintable bytes: not TFTP', async () => {
  for (const [what, request] of [
    ['empty file name', rrq('', 'octet')],
    ['file name of zeros', cat(be16(1), [0, 0, 0, 0, 0], z('octet'))],
    ['unknown mode', rrq('a.txt', 'binary')],
    ['mode not terminated', cat(be16(1), z('a.txt'), ascii('octet'))],
    ['option without value', rrq('a.txt', 'octet', 'blksize')],
    ['unprintable name', cat(be16(1), [0x01, 0x02, 0], z('octet'))],
    ['opcode only', be16(1)],
    ['opcode 7', cat(be16(7), z('a.txt', 'octet'))],
  ] as Array<[string, Bytes]>) {
    assert.notEqual(proto(await udpConversation(50618, 69, [request])), 'TFTP [DPI]', what);
  }
});

test('transfers with a block jump, an ACK of another length, a bad error: not TFTP; malformed OACKs', async () => {
  for (const [what, turns] of [
    ['block jump', [data(1), { reply: ack(1) }, data(3), { reply: ack(3) }]],
    ['block back', [data(2), { reply: ack(1) }, data(2), { reply: ack(2) }]],
    ['long ACK', [data(1), { reply: cat(ack(1), [0]) }, data(2), { reply: ack(2) }]],
    ['error code 9', [data(1), { reply: error(9, 'x') }, data(2), { reply: ack(2) }]],
    ['error without NUL', [data(1), { reply: cat(be16(5), be16(1), ascii('x')) }, data(2), { reply: ack(2) }]],
    ['empty OACK', [be16(6)]],
    ['OACK with an odd list', [cat(be16(6), z('blksize'))]],
  ] as Array<[string, never[]]>) {
    assert.notEqual(proto(await udpConversation(3445, 50618, turns)), 'TFTP [DPI]', what);
  }
});
