// imo calls (core-as/dissect/imo.ts): fixed openings of 10, 11 or 1099 bytes, or two 1-byte
// packets in a row with the same byte, among the first ten payloads (imo.pcap).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cat, pattern } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const ten = cat([0x09, 0x02], pattern(8));
const eleven = cat([0x00, 0x09, 0x03], pattern(8));
const big = cat([0x88, 0x49, 0x1a, 0x00], pattern(1095));

test('the 10-, 11- and 1099-byte openings, or the same byte twice in 1-byte packets', async () => {
  assert.equal(proto(await udpConversation(49207, 57604, [Uint8Array.from([7]), { reply: Uint8Array.from([0x76]) }, { reply: pattern(107) }, ten])), 'IMO [DPI]');
  assert.equal(proto(await udpConversation(49207, 36535, [pattern(200), pattern(329), { reply: eleven }])), 'IMO [DPI]');
  assert.equal(proto(await udpConversation(49207, 36535, [big])), 'IMO [DPI]');
  assert.equal(proto(await udpConversation(49207, 36535, [Uint8Array.from([5]), { reply: Uint8Array.from([5]) }])), 'IMO [DPI]');
});

test('1-byte packets not in a row or not equal, other lengths, too late: not IMO', async () => {
  for (const [what, turns] of [
    ['different bytes', [Uint8Array.from([5]), Uint8Array.from([6])]],
    ['not in a row', [Uint8Array.from([5]), pattern(40), Uint8Array.from([5])]],
    ['9 bytes 09 02', [cat([0x09, 0x02], pattern(7))]],
    ['11 bytes 00 09 04', [cat([0x00, 0x09, 0x04], pattern(8))]],
    ['eleventh payload', [...Array(10).fill(pattern(40)), ten]],
  ] as const) {
    assert.notEqual(proto(await udpConversation(49207, 36535, turns as never)), 'IMO [DPI]', what);
  }
});
