// DHCP (core-as/dissect/dhcp.ts): the BOOTP layout of RFC 2131 §2 with the magic cookie and the
// options of RFC 2132 (12 Host Name, 55 Parameter Request List, 60 Vendor Class Identifier).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be32, cat, zeros } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const COOKIE = be32(0x63825363);
const opt = (code: number, value: Uint8Array | number[]) => cat([code, value.length], value);

/** RFC 2131 §2: op, htype 1, hlen 6, hops, xid, secs, flags, 4 addresses, chaddr (16), sname (64), file (128). */
function bootp(op: number, options: Uint8Array, o: { cookie?: number[]; hlen?: number } = {}): Uint8Array {
  const fixed = zeros(236);
  fixed.set([op, 1, o.hlen ?? 6, 0, 0x12, 0x34, 0x56, 0x78]);
  fixed.set([0x02, 0, 0, 0, 0, 1], 28);
  return cat(fixed, o.cookie ?? COOKIE, options);
}

const DISCOVER = cat(opt(53, [1]), opt(61, [1, 2, 0, 0, 0, 0, 1]), opt(12, ascii('Joanna-PC')), opt(60, ascii('MSFT 5.0')),
  opt(55, [1, 15, 3, 6, 44, 46, 47, 31, 33, 121, 249, 43, 252]), [255]);

test('DISCOVER: DHCP, host name in lower case, fingerprint and vendor class', async () => {
  const f = await udpConversation(68, 67, [bootp(1, DISCOVER)], { client: '0.0.0.0', server: '255.255.255.255' });
  assert.equal(proto(f), 'DHCP [DPI]');
  assert.equal(f.host_server_name, 'joanna-pc');
  assert.equal(f['protos.dhcp.fingerprint'], '1,15,3,6,44,46,47,31,33,121,249,43,252');
  assert.equal(f['protos.dhcp.class_ident'], 'MSFT 5.0');
});

test('a server reply first: DHCP, nothing more is read from the flow', async () => {
  const offer = bootp(2, cat(opt(53, [2]), opt(54, [192, 168, 1, 1]), [255]));
  const f = await udpConversation(67, 68, [offer, { reply: bootp(1, DISCOVER) }]);
  assert.equal(proto(f), 'DHCP [DPI]');
  assert.equal(f.host_server_name, undefined);
  assert.equal(f['protos.dhcp.fingerprint'], undefined);
});

test('pad options are skipped; options after an empty one are not reported (as nDPI)', async () => {
  let f = await udpConversation(68, 67, [bootp(1, cat([0, 0, 0], opt(53, [3]), opt(12, ascii('host')), [255]))]);
  assert.equal(f.host_server_name, 'host');
  f = await udpConversation(68, 67, [bootp(1, cat(opt(53, [1]), opt(80, []), opt(12, ascii('hidden')), opt(55, [1, 3]), [255]))]);
  assert.equal(proto(f), 'DHCP [DPI]');
  assert.equal(f.host_server_name, undefined);
  assert.equal(f['protos.dhcp.fingerprint'], undefined);
});

test('an option running past the datagram end is ignored, the ones before it kept', async () => {
  const options = cat(opt(53, [1]), opt(55, [1, 3, 6]), [12, 200], ascii('short'));
  const f = await udpConversation(68, 67, [bootp(1, options)]);
  assert.equal(f['protos.dhcp.fingerprint'], '1,3,6');
  assert.equal(f.host_server_name, undefined);
});

test('no magic cookie, a bad op, hlen > 16 or a message shorter than 240 bytes: not DHCP by payload', async () => {
  for (const bad of [bootp(1, DISCOVER, { cookie: [0, 0, 0, 0] }), bootp(3, DISCOVER), bootp(1, DISCOVER, { hlen: 17 }), bootp(1, DISCOVER).subarray(0, 239)]) {
    const f = await udpConversation(68, 67, [bad]);
    assert.equal(proto(f), 'DHCP [Match by port]');
  }
});

test('the DHCP Message Type option must be there with a known type (1-18)', async () => {
  for (const bad of [cat(opt(53, [106]), opt(12, ascii('x')), [255]), cat(opt(53, [0]), [255]), cat(opt(12, ascii('x')), [255]), cat(opt(53, [1, 2]), [255]), [255]]) {
    const f = await udpConversation(68, 67, [bootp(1, Uint8Array.from(bad))]);
    assert.equal(proto(f), 'DHCP [Match by port]');
  }
  const f = await udpConversation(68, 67, [bootp(1, cat(opt(53, [18]), [255]))]);
  assert.equal(proto(f), 'DHCP [DPI]');
});

test('a BOOTP message on other ports is not DHCP', async () => {
  const f = await udpConversation(40000, 67, [bootp(1, DISCOVER)]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});
