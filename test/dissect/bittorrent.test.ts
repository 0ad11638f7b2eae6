// BitTorrent (core-as/dissect/bittorrent.ts): the BEP 3 handshake, BEP 5 KRPC, BEP 29 uTP
// headers, the BEP 15 connect request and the BEP 14 announce.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, be32, cat, pattern, zeros, type Bytes } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';
import type { FlowInfo } from '../../runtime/types.ts';

/** A flow key outside FlowInfo's typed ones. */
const field = (f: FlowInfo, key: string): unknown => (f as unknown as Record<string, unknown>)[key];

const INFO_HASH = Uint8Array.from({ length: 20 }, (_, i) => 0xd0 + i);
const INFO_HASH_HEX = Buffer.from(INFO_HASH).toString('hex');

/** BEP 3: pstrlen 19, "BitTorrent protocol", reserved (8), info_hash (20), peer_id (20). */
const handshake = (peer = '-UT3450-abcdefghijkl'): Bytes =>
  cat([19], ascii('BitTorrent protocol'), [0, 0, 0, 0, 0, 0x10, 0, 5], INFO_HASH, ascii(peer));

interface Utp { type: number; ext?: number; conn: number; ts: number; wnd?: number; seq: number; ack?: number; extensions?: Bytes; payload?: Bytes; version?: number }
/** BEP 29: type|version, extension, connection_id, timestamp, timestamp_difference, wnd_size, seq_nr, ack_nr. */
const utp = (u: Utp): Bytes => cat([(u.type << 4) | (u.version ?? 1), u.ext ?? 0], be16(u.conn), be32(u.ts), be32(0),
  be32(u.wnd ?? 0x100000), be16(u.seq), be16(u.ack ?? 0), u.extensions ?? zeros(0), u.payload ?? zeros(0));
const ST_DATA = 0;
const ST_STATE = 2;
const ST_SYN = 4;

test('TCP handshake: BitTorrent by DPI with the info_hash as BT Hash', async () => {
  const f = await tcpConversation(52888, 38305, [handshake(), { reply: handshake('-UM1860-abcdefghijkl') }]);
  assert.equal(proto(f), 'BitTorrent [DPI]');
  assert.equal(field(f, 'bittorrent_hash'), INFO_HASH_HEX);
});

test('TCP handshake cut before its info_hash: the peer\'s answer gives it', async () => {
  const f = await tcpConversation(52889, 6881, [handshake().subarray(0, 30), { reply: handshake() }]);
  assert.equal(proto(f), 'BitTorrent [DPI]');
  assert.equal(field(f, 'bittorrent_hash'), INFO_HASH_HEX);
  const g = await tcpConversation(52890, 6881, [handshake().subarray(0, 20)]);
  assert.equal(proto(g), 'BitTorrent [DPI]');
  assert.equal(field(g, 'bittorrent_hash'), undefined);
});

test('TCP: a wrong protocol string or length byte, or a handshake later on, is not BitTorrent', async () => {
  const wrongName = handshake();
  wrongName[5] = 0x78;
  const wrongLength = handshake();
  wrongLength[0] = 18;
  for (const first of [wrongName, wrongLength, ascii('hello')]) {
    const f = await tcpConversation(52891, 6881, [first, handshake()]);
    assert.notEqual(f['proto.ndpi'], 'BitTorrent');
  }
});

const GET_PEERS = ascii(`d1:ad2:id20:${'A'.repeat(20)}9:info_hash20:${'B'.repeat(20)}e1:q9:get_peers1:t2:aa1:y1:qe`);

test('UDP: DHT KRPC query, response and error (BEP 5)', async () => {
  for (const m of [GET_PEERS, ascii(`d1:rd2:id20:${'C'.repeat(20)}5:nodes0:e1:t2:aa1:y1:re`), ascii('d1:eli201e7:Generice1:t2:aa1:y1:ee')]) {
    const f = await udpConversation(64969, 40959, [m]);
    assert.equal(proto(f), 'BitTorrent [DPI]');
  }
});

test('UDP: bencoded dictionaries without a KRPC type, or not closed, are not BitTorrent', async () => {
  for (const m of [ascii('d1:ad2:id20:AAAAAAAAAAAAAAAAAAAAee'), GET_PEERS.subarray(0, GET_PEERS.length - 1), ascii('d1:y1:xe'), ascii('1:y1:qe')]) {
    const f = await udpConversation(64969, 40959, [m]);
    assert.notEqual(f['proto.ndpi'], 'BitTorrent', new TextDecoder().decode(m));
  }
});

test('UDP: tracker connect request (BEP 15) and Local Service Discovery (BEP 14)', async () => {
  const connect = cat(be32(0x417), be32(0x27101980), be32(0), be32(0xcafe));
  const lsd = ascii('BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\nInfohash: ab\r\n\r\n\r\n');
  for (const m of [connect, lsd]) {
    const f = await udpConversation(40000, 6969, [m]);
    assert.equal(proto(f), 'BitTorrent [DPI]');
  }
  const announce = cat(be32(0x417), be32(0x27101980), be32(1), be32(0xcafe));
  const f = await udpConversation(40001, 6969, [announce]);
  assert.notEqual(f['proto.ndpi'], 'BitTorrent');
});

test('uTP: a SYN answered by a STATE that acknowledges it', async () => {
  const f = await udpConversation(49861, 33333, [
    utp({ type: ST_SYN, conn: 0x4567, ts: 1000, seq: 0x23c6, wnd: 0 }),
    { reply: utp({ type: ST_STATE, conn: 0x4567, ts: 5000, seq: 0x1234, ack: 0x23c6 }) },
  ]);
  assert.equal(proto(f), 'BitTorrent [DPI]');
  assert.equal(field(f, 'bittorrent_hash'), undefined);
});

test('uTP: three agreeing data packets of one connection, both ids of it, with extensions', async () => {
  const sack = cat([0, 4], [0xff, 0, 0, 0]);
  const f = await udpConversation(62229, 6881, [
    utp({ type: ST_DATA, conn: 0xefcb, ts: 100, seq: 0x5c12, payload: pattern(6) }),
    { reply: utp({ type: ST_STATE, ext: 1, conn: 0xefca, ts: 900, seq: 7, ack: 0x5c12, extensions: sack }) },
    utp({ type: ST_DATA, conn: 0xefcb, ts: 200, seq: 0x5c13, payload: pattern(500) }),
  ]);
  assert.equal(proto(f), 'BitTorrent [DPI]');
});

test('uTP: disagreeing datagrams are not BitTorrent', async () => {
  const base = { type: ST_DATA, conn: 0x1000, ts: 100, seq: 10, payload: pattern(10) };
  const cases: Array<[string, Bytes[]]> = [
    ['other connection id', [utp(base), utp({ ...base, conn: 0x1002, ts: 200, seq: 11 }), utp({ ...base, ts: 300, seq: 12 })]],
    ['time going back', [utp(base), utp({ ...base, ts: 50, seq: 11 }), utp({ ...base, ts: 300, seq: 12 })]],
    ['sequence jumping', [utp(base), utp({ ...base, ts: 200, seq: 500 }), utp({ ...base, ts: 300, seq: 501 })]],
    ['one datagram only', [utp(base)]],
    ['STATE with data', [utp({ ...base, type: ST_STATE }), utp({ ...base, type: ST_STATE, ts: 200 }), utp({ ...base, type: ST_STATE, ts: 300 })]],
    ['version 2', [utp({ ...base, version: 2 }), utp({ ...base, version: 2, ts: 200 }), utp({ ...base, version: 2, ts: 300 })]],
    ['type 5', [utp({ ...base, type: 5 }), utp({ ...base, type: 5, ts: 200 }), utp({ ...base, type: 5, ts: 300 })]],
    ['window of 2 GiB', [utp({ ...base, wnd: 0x8da3c9e8 }), utp({ ...base, wnd: 0x8da3c9e8, ts: 200 }), utp({ ...base, wnd: 0x8da3c9e8, ts: 300 })]],
    ['extension type 7', [utp({ ...base, ext: 7, extensions: cat([0, 4], zeros(4)) })]],
    ['extension past the end', [utp({ ...base, ext: 1, extensions: cat([0, 200], zeros(4)), payload: zeros(0) })]],
    ['extension chain loop', [utp({ ...base, ext: 1, extensions: cat([1, 0], [1, 0], [1, 0], [1, 0], [1, 0], [0, 0]) })]],
    ['header cut short', [utp(base).subarray(0, 19)]],
  ];
  for (const [what, datagrams] of cases) {
    const f = await udpConversation(45693, 53385, datagrams);
    assert.notEqual(f['proto.ndpi'], 'BitTorrent', what);
  }
});
