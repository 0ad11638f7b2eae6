// IPsec key exchange on UDP (core-as/dissect/ipsec.ts): the IKE header of RFC 7296 §3.1 /
// RFC 2408 §3.1 on 500, behind the Non-ESP Marker on 4500, and ESP in UDP (RFC 3948 §2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be32, cat, pattern, zeros } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

/** IKE header: SPIi, SPIr, next payload, version, exchange type, flags, message id, length; then a body. */
function ike(o: { version?: number; exchange?: number; flags?: number; next?: number; body?: number; spi?: number; length?: number } = {}): Uint8Array {
  const body = pattern(o.body ?? 40);
  const length = o.length ?? 28 + body.length;
  const spi = o.spi ?? 0x11223344;
  return cat(be32(spi), be32(spi === 0 ? 0 : 0x55667788), zeros(8), [o.next ?? 33, o.version ?? 0x20, o.exchange ?? 34, o.flags ?? 0x08],
    be32(0), be32(length), body);
}
const riskInfo = (f: object) => (f as Record<string, unknown>).risk_info;

test('IKEv2 IKE_SA_INIT on 500: IPSec, no risk', async () => {
  const f = await udpConversation(500, 500, [ike(), { reply: ike({ flags: 0x20 }) }]);
  assert.equal(proto(f), 'IPSec [DPI]');
  assert.deepEqual(f.flow_risk, []);
});

test('IKEv1 Identity Protection on 500, and IKE after the Non-ESP Marker on 4500', async () => {
  let f = await udpConversation(500, 500, [ike({ version: 0x10, exchange: 2, flags: 0, next: 1 })]);
  assert.equal(proto(f), 'IPSec [DPI]');
  f = await udpConversation(14500, 4500, [cat(zeros(4), ike({ exchange: 35, next: 46 }))]);
  assert.equal(proto(f), 'IPSec [DPI]');
});

test('ESP in UDP on 4500 (non-zero SPI and sequence number); a NAT-keepalive first says nothing yet', async () => {
  const esp = cat(be32(0xc0ffee01), be32(1), pattern(48));
  let f = await udpConversation(14500, 4500, [esp]);
  assert.equal(proto(f), 'IPSec [DPI]');
  f = await udpConversation(14500, 4500, [Uint8Array.from([0xff]), cat(zeros(4), ike())]);
  assert.equal(proto(f), 'IPSec [DPI]');
});

test('reserved flag bits or an unknown next payload: IPSec with the Malformed Packet risk', async () => {
  for (const bad of [ike({ flags: 0xff }), ike({ next: 0x7f })]) {
    const f = await udpConversation(10500, 500, [bad]);
    assert.equal(proto(f), 'IPSec [DPI]');
    assert.ok(f.flow_risk.includes(17), `${f.flow_risk}`);
    assert.equal(riskInfo(f), 'Invalid IPSec/ISAKMP Header');
  }
});

test('off the IKE ports a clean header is enough, a malformed one is not', async () => {
  let f = await udpConversation(40000, 40001, [ike()]);
  assert.equal(proto(f), 'IPSec [DPI]');
  f = await udpConversation(40000, 40001, [ike({ flags: 0xff })]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});

test('length field past the end or short of it, zero SPI, unknown version or exchange, truncated header', async () => {
  const cases = [ike({ length: 200 }), ike({ length: 30 }), ike({ spi: 0 }), ike({ version: 0x30 }), ike({ exchange: 99 }),
    ike().subarray(0, 27), zeros(0).subarray(0), Uint8Array.from([0, 0, 0])];
  for (const bad of cases) {
    const f = await udpConversation(40000, 40001, [bad.length ? bad : Uint8Array.from([1])]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', Buffer.from(bad).toString('hex'));
  }
  // A 4500 datagram of zeros (marker, then nothing valid) is no ESP either.
  const f = await udpConversation(14500, 4500, [zeros(40)]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});
