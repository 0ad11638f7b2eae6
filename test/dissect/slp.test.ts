// Service Location Protocol (core-as/dissect/slp.ts): RFC 2608 §8 (v2) and RFC 2165 §7 (v1)
// headers on port 427.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, cat } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

/** RFC 2608 §8: Version 2, Function-ID, Length (3), Flags, Next Ext Offset (3), XID, Lang Tag Len, Lang Tag, body. */
function slpV2(fn: number, body: Uint8Array, o: { length?: number; flags?: number } = {}): Uint8Array {
  const lang = ascii('en');
  const total = 14 + lang.length + body.length;
  const length = o.length ?? total;
  return cat([2, fn, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff], be16(o.flags ?? 0x2000), [0, 0, 0],
    be16(0x1234), be16(lang.length), lang, body);
}

/** RFC 2165 §7: Version 1, Function, Length, flags, Dialect, Language, Char Encoding, XID, body. */
function slpV1(fn: number, body: Uint8Array, o: { length?: number; dialect?: number } = {}): Uint8Array {
  const length = o.length ?? 12 + body.length;
  return cat([1, fn], be16(length), [0x20, o.dialect ?? 0], ascii('en'), be16(3), be16(0x1d79), body);
}

/** SrvRqst body (RFC 2608 §8.1): PRList, service type, scope list, predicate, SPI, each length-prefixed. */
const SRV_RQST = cat(be16(0), be16(16), ascii('service:printer:'), be16(7), ascii('default'), be16(0), be16(0));

test('SLPv2 SrvRqst to 427: Service_Location_Protocol by DPI', async () => {
  const f = await udpConversation(50000, 427, [slpV2(1, SRV_RQST)]);
  assert.equal(proto(f), 'Service_Location_Protocol [DPI]');
  assert.equal(f['proto.ndpi_cat'], 'RPC');
});

test('SLPv1 AttrRqst and its reply from 427', async () => {
  const f = await udpConversation(51708, 427, [slpV1(6, SRV_RQST), { reply: slpV1(7, cat(be16(0), be16(0))) }]);
  assert.equal(proto(f), 'Service_Location_Protocol [DPI]');
});

test('SLP over TCP: a segment may hold only the start of a message', async () => {
  const message = slpV2(3, cat([0], be16(300), be16(20), ascii('slpTest://test:31337/'), [0]));
  const f = await tcpConversation(40000, 427, [message.subarray(0, 20)]);
  assert.equal(proto(f), 'Service_Location_Protocol [DPI]');
});

test('length field disagreeing with the datagram, zero or too small: not SLP', async () => {
  for (const bad of [slpV2(1, SRV_RQST, { length: 500 }), slpV2(1, SRV_RQST, { length: 0 }), slpV1(1, SRV_RQST, { length: 3 })]) {
    const f = await udpConversation(50000, 427, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  }
});

test('unknown function id, version 3, reserved flags or dialect set: not SLP', async () => {
  for (const bad of [slpV2(0, SRV_RQST), slpV2(12, SRV_RQST), slpV1(11, SRV_RQST), cat([3, 1], slpV2(1, SRV_RQST).subarray(2)),
    slpV2(1, SRV_RQST, { flags: 0x0001 }), slpV1(1, SRV_RQST, { dialect: 1 })]) {
    const f = await udpConversation(50000, 427, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', `${Buffer.from(bad.subarray(0, 6)).toString('hex')}`);
  }
});

test('truncated headers (1, 5, 13 bytes) are not SLP and do not fault', async () => {
  const whole = slpV2(1, SRV_RQST);
  for (const n of [1, 5, 13]) {
    const f = await udpConversation(50000, 427, [whole.subarray(0, n)]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  }
});

test('a valid header away from port 427 is not classified by payload', async () => {
  const f = await udpConversation(50000, 50001, [slpV2(1, SRV_RQST)]);
  assert.equal(f['proto.ndpi'], 'Unknown');
});
