// Monero's Levin header (core-as/dissect/monero.ts), Stratum mining (mining.ts), Syncthing's
// announce magic (syncthing.ts), eDonkey (edonkey.ts), MPEG-TS over UDP (mpegts.ts), FLUTE's
// EXT_FDT (flute.ts), netcode.io's connection request (yojimbo.ts) and Meraki's cloud tunnel
// (meraki_cloud.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, be32, cat, filled, le32, pattern, zeros } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

test('Monero: Levin signature; one byte off: not', async () => {
  const levin = (sig: number[]) => cat(sig, le32(222), le32(0), [1], le32(1001), le32(0), le32(1), le32(1), pattern(40));
  assert.equal(proto(await tcpConversation(48882, 18080, [levin([0x01, 0x21, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01])])), 'Monero [DPI]');
  assert.notEqual(proto(await tcpConversation(48882, 18080, [levin([0x01, 0x21, 0x01, 0x01, 0x01, 0x01, 0x01, 0x02])])), 'Monero [DPI]');
});

test('Mining: Stratum subscribe, eth_submitLogin with the method last, Monero login with an agent', async () => {
  for (const json of [
    '{"id":1,"method":"mining.subscribe","params":["EWBF 0.3.4b",null,"eu1-zcash.flypool.org","3333"]}\n',
    '{"worker": "eth1.0", "jsonrpc": "2.0", "params": ["0x9c99"], "id": 2, "method": "eth_submitLogin"}\n',
    '{"method":"login","params":{"login":"4BCe","pass":"x","agent":"xmr-stak-cpu/1.3.0"},"id":1}\n',
  ]) assert.equal(proto(await tcpConversation(46838, 3333, [ascii(json)])), 'Mining [DPI]', json);
});

test('Mining: other JSON-RPC methods, login without agent, not an object: not Mining', async () => {
  for (const json of ['{"method":"getblock","id":1}', '{"method":"login","params":{"user":"a"}}', '["mining.subscribe"]', '{"method": 5, "x":"mining.subscribe"}']) {
    assert.notEqual(proto(await tcpConversation(46838, 3333, [ascii(json)])), 'Mining [DPI]', json);
  }
});

test('Syncthing announce; other magic: not', async () => {
  assert.equal(proto(await udpConversation(54977, 21027, [cat(be32(0x2ea7d90b), [0x0a, 0x20], pattern(30))])), 'Syncthing [DPI]');
  assert.notEqual(proto(await udpConversation(54977, 21027, [cat(be32(0x2ea7d90c), [0x0a, 0x20], pattern(30))])), 'Syncthing [DPI]');
});

test('eDonkey hello; size off by one, other protocol byte: not', async () => {
  const hello = (protocol: number, extra = 0) => cat([protocol], le32(1 + 16 + extra), [0x01], pattern(16));
  assert.equal(proto(await tcpConversation(1754, 7551, [hello(0xe3)])), 'eDonkey [DPI]');
  assert.equal(proto(await tcpConversation(1754, 7551, [hello(0xc5)])), 'eDonkey [DPI]');
  assert.notEqual(proto(await tcpConversation(1754, 7551, [hello(0xe3, 1)])), 'eDonkey [DPI]');
  assert.notEqual(proto(await tcpConversation(1754, 7551, [hello(0xe4)])), 'eDonkey [DPI]');
});

test('MPEG-TS: seven packets in a datagram; a bad sync byte or a partial packet: not', async () => {
  const ts = (n: number) => cat(...Array.from({ length: n }, () => cat([0x47], pattern(187))));
  assert.equal(proto(await udpConversation(40737, 1234, [ts(7)])), 'MPEG_TS [DPI]');
  const broken = ts(7);
  broken[188 * 3] = 0x48;
  assert.notEqual(proto(await udpConversation(40737, 1234, [broken])), 'MPEG_TS [DPI]');
  assert.notEqual(proto(await udpConversation(40737, 1234, [ts(2).subarray(0, 300)])), 'MPEG_TS [DPI]');
});

test('FLUTE: an FDT packet with EXT_FDT; LCT without it, version 2, header past the datagram: not', async () => {
  // V=1 C=0 PSI=0 | S=0 O=0 H=1 | HDR_LEN 8 words | codepoint; CCI; TSI (16); TOI (16); EXT_FDT; EXT_FTI (HET 64, 4 words)
  const fdt = cat([0x10, 0x10, 8, 0], be32(0), be16(1), be16(0), [0xc0, 0x10, 0, 2], [0x40, 4, 0, 0], zeros(12), ascii('<?xml version'));
  assert.equal(proto(await udpConversation(40717, 40085, [fdt])), 'FLUTE [DPI]');
  const data = cat([0x10, 0x10, 3, 0], be32(0), be16(1), be16(1), ascii('Hello World!\n'));
  assert.notEqual(proto(await udpConversation(40717, 40085, [data])), 'FLUTE [DPI]');
  const v2 = Uint8Array.from(fdt);
  v2[0] = 0x20;
  assert.notEqual(proto(await udpConversation(40717, 40085, [v2])), 'FLUTE [DPI]');
  assert.notEqual(proto(await udpConversation(40717, 40085, [fdt.subarray(0, 30)])), 'FLUTE [DPI]');
});

test('Yojimbo: netcode connection request; encrypted prefix or other text: not', async () => {
  const request = (prefix: number, version: string) => cat([prefix], ascii(version), [0], pattern(8), pattern(8), pattern(24), filled(1024, 7));
  assert.equal(proto(await udpConversation(34638, 40000, [request(0, 'NETCODE 1.02')])), 'Yojimbo [DPI]');
  assert.notEqual(proto(await udpConversation(34638, 40000, [request(1, 'NETCODE 1.02')])), 'Yojimbo [DPI]');
  assert.notEqual(proto(await udpConversation(34638, 40000, [request(0, 'NETCODX 1.02')])), 'Yojimbo [DPI]');
});

test('MerakiCloud: the tunnel magic on 7351; on another port or other bytes: not', async () => {
  const packet = (magic: number) => cat(be32(magic), [0x0d, 0x01, 0x00, 0x70], pattern(40));
  assert.equal(proto(await udpConversation(47301, 7351, [packet(0xfef72891)])), 'MerakiCloud [DPI]');
  assert.notEqual(proto(await udpConversation(47301, 7352, [packet(0xfef72891)])), 'MerakiCloud [DPI]');
  assert.notEqual(proto(await udpConversation(47301, 7351, [packet(0xfef72892)])), 'MerakiCloud [DPI]');
});
