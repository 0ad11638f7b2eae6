// Zoom's media over UDP (core-as/dissect/zoom.ts): the SFU encapsulation's opening types on
// 8801-8810, and the peer-to-peer opening (0x1F 0x02 0x01, 24-byte header, address and UUID
// attributes with 4-byte lengths, 4 zero bytes). Shapes from zoom2.pcap and zoom_p2p.pcapng.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be32, cat, pattern, zeros } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const sfu = (type: number, third = 0x03, n = 120) => cat([type, 0x00, third], pattern(n));

test('SFU types 1 and 2 on the Zoom ports', async () => {
  assert.equal(proto(await udpConversation(60653, 8801, [sfu(0x01), { reply: sfu(0x02) }])), 'Zoom [DPI]');
  assert.equal(proto(await udpConversation(60653, 8810, [sfu(0x01, 0x02)])), 'Zoom [DPI]');
  assert.equal(proto(await udpConversation(60653, 8802, [{ reply: sfu(0x02, 0x02) }])), 'Zoom [DPI]');
});

test('SFU: other types, third byte, ports, 8 bytes or less, a later payload: not Zoom', async () => {
  for (const [port, turns] of [
    [8801, [sfu(0x03)]],
    [8801, [sfu(0x01, 0x04)]],
    [8801, [cat([0x01, 0x01, 0x03], pattern(20))]],
    [8811, [sfu(0x01)]],
    [8800, [sfu(0x01)]],
    [8801, [cat([0x01, 0x00, 0x03], pattern(5))]],
    [8801, [pattern(40), sfu(0x01)]],
  ] as const) {
    assert.notEqual(proto(await udpConversation(60653, port, turns as never)), 'Zoom [DPI]', `${port} ${JSON.stringify(turns)}`);
  }
});

const p2p = (address: string, uuid: string, o: { addressLen?: number; uuidLen?: number; trailer?: number[]; type?: number[] } = {}) =>
  cat(o.type ?? [0x1f, 0x02, 0x01], [0x00, 0x08, 0x00, 0x01, 0x00, 0x04, 0x00], pattern(14),
    be32(o.addressLen ?? address.length), ascii(address), be32(o.uuidLen ?? uuid.length), ascii(uuid), o.trailer ?? zeros(4));
const UUID = 'AF065D88-AA9B-4A81-80A4-B85CD3433C11';

test('peer to peer: the opening with the peer address and a UUID, on any port', async () => {
  assert.equal(proto(await udpConversation(38453, 41036, [p2p('192.168.1.226', UUID)])), 'Zoom [DPI]');
  assert.equal(proto(await udpConversation(39065, 46757, [p2p('192.168.1.226', UUID), { reply: p2p('192.168.1.128', UUID) }])), 'Zoom [DPI]');
  assert.equal(proto(await udpConversation(39065, 46757, [p2p('10.0.0.1', '')])), 'Zoom [DPI]', 'an empty UUID still fills the datagram');
});

test('peer to peer: lengths that do not fill the datagram, past its end, no zero trailer, other type: not Zoom', async () => {
  for (const [what, payload] of [
    ['address length + 1', p2p('192.168.1.226', UUID, { addressLen: 14 })],
    ['address length past the end', p2p('192.168.1.226', UUID, { addressLen: 0xfffffff0 })],
    ['uuid length - 1', p2p('192.168.1.226', UUID, { uuidLen: UUID.length - 1 })],
    ['uuid length huge', p2p('192.168.1.226', UUID, { uuidLen: 0xffffffff })],
    ['trailer not zero', p2p('192.168.1.226', UUID, { trailer: [0, 0, 0, 1] })],
    ['type 0x1f 0x02 0x02', p2p('192.168.1.226', UUID, { type: [0x1f, 0x02, 0x02] })],
    ['36 bytes', cat([0x1f, 0x02, 0x01], zeros(33))],
  ] as const) {
    assert.notEqual(proto(await udpConversation(38453, 41036, [payload])), 'Zoom [DPI]', what);
  }
});
