// The protocols decided by one payload (core-as/dissect/one_payload.ts and the per-protocol
// files it calls): each is recognised by its fixed bytes, and a payload that misses one of them
// (short, wrong magic, lengths that do not add up) is not that protocol.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, be32, cat, le16, le32, zeros } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';
import type { FlowInfo } from '../../runtime/types.ts';

/** The flow was not classified as `name` (another protocol or none). */
const isNot = (f: FlowInfo, name: string, label: string) => assert.notEqual(proto(f), `${name} [DPI]`, label);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// --- SD-RTN ---------------------------------------------------------------------------------
// Handshake request: flags, connection id, type 0x21 at 6, peer id, tag count at 12, then tags
// (4-byte name, 2-byte little-endian length, value), the first "SNI\0" (agora-sd-rtn capture).
const sdrtn = (host: string, type = 0x21, declared?: number) => cat(
  [0x00, 0x5a, 0x38, 0x4c, 0x00, 0x00, type], zeros(5), [0x04], ascii('SNI\0'), le16(declared ?? host.length), ascii(host),
  ascii('PDMD'), le16(0),
);

test('SD-RTN handshake request: SD-RTN, host name from the SNI tag', async () => {
  const f = await udpConversation(46798, 8130, [sdrtn('23-248-186-179.EDGE.agora.io')]);
  assert.equal(proto(f), 'SD-RTN [DPI]');
  assert.equal(f.host_server_name, '23-248-186-179.edge.agora.io');
});

test('SD-RTN: other message type, SNI length past the end, other first tag: not SD-RTN', async () => {
  const otherTag = sdrtn('a.edge.agora.io');
  otherTag.set(ascii('PEID'), 13);
  for (const bad of [sdrtn('a.edge.agora.io', 0x23), sdrtn('a.edge.agora.io', 0x21, 200), otherTag, sdrtn('').subarray(0, 19)]) {
    isNot(await udpConversation(40000, 8130, [bad]), 'SD-RTN', hex(bad));
  }
});

// --- FIX ------------------------------------------------------------------------------------
const SOH = '\u0001';

test('FIX 4.2 logon, FIXT.1.1 and the abbreviated "8=O" form: FIX', async () => {
  for (const msg of [`8=FIX.4.2${SOH}9=65${SOH}35=A${SOH}`, `8=FIXT.1.1${SOH}9=62${SOH}35=A${SOH}`, `8=O${SOH}9=0014${SOH}35=P${SOH}`]) {
    const f = await tcpConversation(45578, 4000, [ascii(msg)]);
    assert.equal(proto(f), 'FIX [DPI]', msg);
  }
});

test('FIX: other BeginString, too short: not FIX', async () => {
  for (const bad of [`8=FIXX4${SOH}`, `8=HTTP/1.1${SOH}9=1`, '8=FIX']) {
    isNot(await tcpConversation(45578, 4001, [ascii(bad)]), 'FIX', bad);
  }
});

// --- Elasticsearch --------------------------------------------------------------------------
const es = (body: number[], declared?: number) => cat(ascii('ES'), be32(declared ?? body.length), body);

test('Elasticsearch transport message: "ES", length, whole message in the segment', async () => {
  const f = await tcpConversation(33288, 9300, [es([0, 0, 0, 0, 0, 0, 0, 1, 0, 0x08])]);
  assert.equal(proto(f), 'Elasticsearch [DPI]');
});

test('Elasticsearch: message longer than the segment, huge length, wrong marker: not Elasticsearch', async () => {
  const wrong = es([1, 2, 3]);
  wrong[0] = 0x45; wrong[1] = 0x54;
  for (const bad of [es([1, 2, 3], 4), es([1, 2, 3], 0xfffffffe), wrong, ascii('ES')]) {
    isNot(await tcpConversation(33288, 9301, [bad]), 'Elasticsearch', hex(bad));
  }
});

// --- HP_VIRTGRP -----------------------------------------------------------------------------
const hpv = (n: number, declared?: number) => cat([0x16], be16(declared ?? n), [0x00], zeros(n - 4));

test('HP_VIRTGRP: 0x16 record whose length counts the whole first payload', async () => {
  const f = await tcpConversation(46570, 5223, [hpv(132), { reply: cat([0x17], be16(52), [0], zeros(48)) }]);
  assert.equal(proto(f), 'HP_VIRTGRP [DPI]');
});

test('HP_VIRTGRP: length differs from the payload, non-zero byte 3, a TLS ClientHello record: not HP_VIRTGRP', async () => {
  const nonZero = hpv(40);
  nonZero[3] = 1;
  const tlsLike = cat([0x16, 0x03, 0x01, 0x00, 0x20], zeros(32));
  for (const bad of [hpv(40, 41), nonZero, tlsLike, [0x16, 0x00]].map((b) => Uint8Array.from(b as ArrayLike<number>))) {
    isNot(await tcpConversation(46571, 5223, [bad]), 'HP_VIRTGRP', hex(bad));
  }
});

// --- Xiaomi ---------------------------------------------------------------------------------
// Header: magic, payload length, 0x00020016; from offset 16, (type, length, value) items.
const xiaomi = (items: number[], extra = 0) => {
  const body = cat([0, 0, 0, 0x18], items);
  return cat(be32(0xc2fe0005), be32(body.length + extra), be32(0x00020016), body);
};
const item = (type: number, value: string) => [type, value.length, ...ascii(value)];

test('Xiaomi client hello to 5222: Xiaomi, host name from the server item without its port', async () => {
  const items = [0x08, 0x00, ...item(0x1a, 'xiaomi.com'), ...item(0x2a, 'CONN'), ...item(0x3a, '47.241.35.73:5222'), ...item(0x42, 'en_US')];
  const f = await tcpConversation(45904, 5222, [xiaomi(items)]);
  assert.equal(proto(f), 'Xiaomi [DPI]');
  assert.equal(f.host_server_name, '47.241.35.73');
});

test('Xiaomi: length not matching, server message (no host read), truncated item', async () => {
  isNot(await tcpConversation(45905, 5222, [xiaomi(item(0x1a, 'xiaomi.com'), 1)]), 'Xiaomi', 'length');
  const fromServer = await tcpConversation(45906, 5222, [{ reply: xiaomi(item(0x3a, 'host.example')) }]);
  assert.equal(proto(fromServer), 'Xiaomi [DPI]');
  assert.equal(fromServer.host_server_name, undefined);
  // The server item's value would end exactly at the payload end: nDPI stops before it.
  const last = await tcpConversation(45907, 5222, [xiaomi([0x3a, 4, ...ascii('host')])]);
  assert.equal(proto(last), 'Xiaomi [DPI]');
  assert.equal(last.host_server_name, undefined);
});

// --- Spotify --------------------------------------------------------------------------------
test('Spotify LAN discovery broadcast from and to 57621: Spotify', async () => {
  const f = await udpConversation(57621, 57621, [cat(ascii('SpotUdp0'), zeros(36))]);
  assert.equal(proto(f), 'Spotify [DPI]');
  isNot(await udpConversation(57622, 57621, [cat(ascii('SpotUdp0'), zeros(36))]), 'Spotify', 'one port only');
});

test('Spotify access point hello (version 4, length, build_info.product): Spotify; length mismatch is not', async () => {
  const hello = (extra: number) => {
    const body = [0x52, 0x0f, 0x50, 0x00, 0xa0, 0x01, 0x00, 0xf0, 0x01, 0x06, 0xc0, 0x02, 0xb9, 0xf6, 0x90, 0x9d, 0x03];
    return cat(be16(4), be32(6 + body.length + extra), body);
  };
  assert.equal(proto(await tcpConversation(48628, 4070, [hello(0)])), 'Spotify [DPI]');
  isNot(await tcpConversation(48629, 4070, [hello(1)]), 'Spotify', 'length');
});

// --- Controller Area Network ----------------------------------------------------------------
test('CAN over UDP and TCP: "ISO11898" header; another version is CAN with the malformed-packet risk', async () => {
  const f = await udpConversation(34952, 11898, [cat(ascii('ISO11898'), [0x01, 0x01], zeros(16))]);
  assert.equal(proto(f), 'Controller_Area_Network [DPI]');
  assert.ok(!f.flow_risk.includes(17));
  const v2 = await tcpConversation(34953, 11898, [cat(ascii('ISO11898'), [0x02, 0x01], zeros(16))]);
  assert.equal(proto(v2), 'Controller_Area_Network [DPI]');
  assert.ok(v2.flow_risk.includes(17), String(v2.flow_risk));
  isNot(await udpConversation(34954, 11898, [cat(ascii('ISO11898'), [0x01])]), 'Controller_Area_Network', 'short');
});

// --- KCP ------------------------------------------------------------------------------------
const kcp = (cmd: number, data: number[], declared?: number) =>
  cat(le32(0x11223344), [cmd, 0], le16(128), le32(1000), le32(1), le32(0), le32(declared ?? data.length), data);

test('KCP segment (PUSH, ACK) over UDP and TCP: KCP', async () => {
  assert.equal(proto(await udpConversation(47356, 32425, [kcp(81, [1, 2, 3, 4])])), 'KCP [DPI]');
  assert.equal(proto(await tcpConversation(47357, 32425, [kcp(82, [])])), 'KCP [DPI]');
});

test('KCP: unknown command, data length not matching, short header: not KCP', async () => {
  for (const bad of [kcp(80, [1]), kcp(85, [1]), kcp(81, [1, 2], 3), kcp(81, [], 0xffffffe8), kcp(81, []).subarray(0, 23)]) {
    isNot(await udpConversation(47358, 32426, [bad]), 'KCP', hex(bad));
  }
});

// --- RIPE Atlas, ZUG, Nintendo, CryNetwork, Genshin Impact -----------------------------------
test('RIPE Atlas: 25-byte "MGLNDD" datagram; another length is not', async () => {
  const atlas = cat(ascii('MGLNDD_'), ascii('11.111.11.111'), zeros(5));
  assert.equal(atlas.length, 25);
  assert.equal(proto(await udpConversation(41059, 38409, [atlas])), 'RipeAtlas [DPI]');
  isNot(await udpConversation(41060, 38409, [cat(atlas, [0])]), 'RipeAtlas', 'length 26');
});

test('ZUG: 00 "zUG" 0x10; another kind byte or "ZUG" is not', async () => {
  assert.equal(proto(await udpConversation(44174, 19000, [cat([0x00], ascii('zUG'), [0x10], zeros(40))])), 'ZUG [DPI]');
  isNot(await udpConversation(44176, 19000, [cat([0x00], ascii('ZUG'), [0x10], zeros(40))]), 'ZUG', 'upper-case Z');
  isNot(await udpConversation(44175, 19000, [cat([0x00], ascii('zUG'), [0x11], zeros(40))]), 'ZUG', 'kind');
});

test('Nintendo Pia: signature and version in a datagram over 48 bytes; 48 bytes or version 1 are not', async () => {
  const pia = (n: number, version = 0x02) => cat(be32(0x32ab9864), [version], zeros(n - 5));
  assert.equal(proto(await udpConversation(55915, 27520, [pia(84)])), 'Nintendo [DPI]');
  isNot(await udpConversation(55916, 27520, [pia(48)]), 'Nintendo', '48 bytes');
  isNot(await udpConversation(55917, 27520, [pia(84, 0x01)]), 'Nintendo', 'version');
});

test('CryNetwork: length byte, fixed fields at 16, 20 and 24; one of them different is not', async () => {
  const cry = (len: number, at24 = 0x0307) => {
    const b = zeros(len);
    b[0] = len - 10; b[3] = 0x08; b[4] = 0xed; b[16] = 0x01; b[20] = 0x07;
    b.set(be16(at24), 24);
    return b;
  };
  assert.equal(proto(await udpConversation(56970, 28665, [cry(70)])), 'CryNetwork [DPI]');
  const wrongLen = cry(70);
  wrongLen[0] = 61;
  isNot(await udpConversation(56971, 28665, [wrongLen]), 'CryNetwork', 'length byte');
  isNot(await udpConversation(56972, 28665, [cry(70, 0x0308)]), 'CryNetwork', 'field at 24');
});

test('Genshin Impact handshake (FF, 0, token, 1234567890, FFFFFFFF) as the first datagram only', async () => {
  const hello = cat(be32(0xff), be32(0), be32(0xdeadbeef), be32(0x499602d2), be32(0xffffffff));
  assert.equal(proto(await udpConversation(58766, 22101, [hello])), 'GenshinImpact [DPI]');
  isNot(await udpConversation(58767, 22101, [ascii('hello there, not a game'), hello]), 'GenshinImpact', 'second datagram');
  const wrongMagic = cat(be32(0xff), be32(0), be32(0), be32(0x499602d3), be32(0xffffffff));
  isNot(await udpConversation(58768, 22101, [wrongMagic]), 'GenshinImpact', 'magic');
});
