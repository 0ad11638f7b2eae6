// DHCPv6 (core-as/dissect/dhcpv6.ts): RFC 8415 §8 client/server and §9 relay messages between
// ports 546 and 547.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, cat, zeros } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const option = (code: number, data: number[]) => cat(be16(code), be16(data.length), data);
/** §8: msg-type, transaction-id (3), options: Client Identifier (1), Elapsed Time (8). */
const SOLICIT = cat([1, 0xab, 0xcd, 0xef], option(1, [0, 3, 0, 1, 2, 0, 0, 0, 0, 1]), option(8, [0, 0]));
const V6 = { ipv6: true, server: 'ff02::1:2' };

test('SOLICIT from 546 to 547: DHCPV6', async () => {
  const f = await udpConversation(546, 547, [SOLICIT], V6);
  assert.equal(proto(f), 'DHCPV6 [DPI]');
});

test('RELAY-FORW (§9.1): hop-count, link and peer addresses, then options', async () => {
  const relay = cat([12, 0], zeros(32), option(9, [...SOLICIT]));
  const f = await udpConversation(547, 547, [relay], V6);
  assert.equal(proto(f), 'DHCPV6 [DPI]');
});

test('a message with only its 4-byte header is DHCPv6', async () => {
  const f = await udpConversation(546, 547, [SOLICIT.subarray(0, 4)], V6);
  assert.equal(proto(f), 'DHCPV6 [DPI]');
});

test('type 0 or > 13, a truncated relay header or a first option past the end: not DHCPv6 by payload', async () => {
  const longOption = cat([1, 0, 0, 1], be16(1), be16(400), [0, 0]);
  for (const bad of [cat([0], SOLICIT.subarray(1)), cat([14], SOLICIT.subarray(1)), cat([12, 0], zeros(20)), longOption, SOLICIT.subarray(0, 3)]) {
    const f = await udpConversation(546, 547, [bad], V6);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  }
});

test('other ports are not DHCPv6', async () => {
  const f = await udpConversation(40000, 547, [SOLICIT], V6);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});
