// GTP-C and GTP' (core-as/dissect/gtp.ts): headers whose length matches the datagram, on UDP
// 2123 (3GPP TS 29.060 §6, TS 29.274 §5.1) and 3386 (TS 32.295 §6.1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, be32, cat, pattern } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

// GTPv2-C Create Session Request: flags 0x48 (version 2, TEID present), type 32, length, TEID, sequence, spare.
const v2 = (body: Uint8Array, declared = body.length + 8) => cat([0x48, 32], be16(declared), be32(0), [0, 0, 1, 0], body);
// GTPv1-C Echo Request: flags 0x32 (version 1, PT, S), type 1, length, TEID, sequence, N-PDU, next extension.
const v1 = (flags = 0x32, declared = 4) => cat([flags, 1], be16(declared), be32(0), [0x12, 0x34, 0, 0]);
// GTP' Data Record Transfer Request: flags 0x2e (version 1, PT 0, spare 111, short header), type 240, length, sequence.
const prime = (body: Uint8Array, flags = 0x2e, type = 240, declared = body.length) => cat([flags, type], be16(declared), be16(7), body);

test('GTPv2-C on 2123: GTP.GTP_C', async () => {
  const f = await udpConversation(1024, 2123, [v2(pattern(20)), { reply: cat([0x48, 33], be16(12), be32(1), [0, 0, 1, 0], pattern(4)) }]);
  assert.equal(proto(f), 'GTP.GTP_C [DPI]');
});

test('GTPv1-C echo with a sequence number on 2123: GTP.GTP_C', async () => {
  const f = await udpConversation(2123, 2123, [v1()]);
  assert.equal(proto(f), 'GTP.GTP_C [DPI]');
});

test("GTP' data record transfer on 3386: GTP.GTP_PRIME", async () => {
  const f = await udpConversation(64580, 3386, [prime(pattern(40))]);
  assert.equal(proto(f), 'GTP.GTP_PRIME [DPI]');
});

test('lengths that do not match, reserved type, optional fields missing, other versions: not GTP', async () => {
  for (const [port, payload] of [
    [2123, v2(pattern(20), 99)],
    [2123, cat([0x48, 0], be16(8), be32(0), [0, 0, 1, 0])],
    [2123, v1(0x37, 0)], // E, S and PN set but no room for the optional fields
    [2123, cat([0x68, 32], be16(4), be32(0))], // version 3
    [3386, prime(pattern(8), 0x2e, 240, 9)],
    [3386, prime(pattern(8), 0x3e)], // PT set
    [3386, prime(pattern(8), 0x2e, 99)], // not a GTP' message
    [3386, [0x27, 0, 0, 0, 2, 0x59]],
  ] as Array<[number, Uint8Array | number[]]>) {
    const f = await udpConversation(29255, port, [Uint8Array.from(payload)]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', Buffer.from(payload).toString('hex'));
  }
});
