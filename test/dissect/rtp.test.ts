// RTP and RTCP (core-as/dissect/rtp.ts): RFC 3550 §5.1 data and §6.4 report packets, two
// packets of a stream before deciding, RFC 5761 §4's split of the second byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, be32, cat, filled, pattern, zeros } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

/** §5.1: V=2 P X CC | M PT | sequence | timestamp | SSRC | CSRCs | payload. */
function rtp(seq: number, o: { pt?: number; ssrc?: number; cc?: number; size?: number; marker?: boolean } = {}): Uint8Array {
  const cc = o.cc ?? 0;
  return cat([0x80 | cc, (o.marker ? 0x80 : 0) | (o.pt ?? 0)], be16(seq), be32(seq * 160), be32(o.ssrc ?? 0x12345678),
    zeros(cc * 4), filled(o.size ?? 160, 0xd5));
}

/** §6.4.2 RR with `count` report blocks (6 words each); `words` overrides the length field. */
function receiverReport(count = 1, o: { words?: number; type?: number } = {}): Uint8Array {
  return cat([0x80 | count, o.type ?? 201], be16(o.words ?? 1 + 6 * count), be32(0x11111111), zeros(24 * count));
}

test('two packets of one stream (same SSRC and type, next sequence number): RTP', async () => {
  const f = await udpConversation(30000, 40392, [rtp(100), rtp(101)]);
  assert.equal(proto(f), 'RTP [DPI]');
  assert.equal(f['proto.ndpi_cat'], 'Media');
});

test('a stream in each direction, a lost packet (gap 3), wrap-around of the sequence number', async () => {
  let f = await udpConversation(15580, 16756, [rtp(10), { reply: rtp(7000, { ssrc: 0xabcdef01 }) }, rtp(13)]);
  assert.equal(proto(f), 'RTP [DPI]');
  f = await udpConversation(15580, 16756, [rtp(0xffff), rtp(0)]);
  assert.equal(proto(f), 'RTP [DPI]');
});

test('one packet, another SSRC, another payload type or a gap of 10: not RTP', async () => {
  const cases = [[rtp(1)], [rtp(1), rtp(2, { ssrc: 0x87654321 })], [rtp(1), rtp(2, { pt: 8 })], [rtp(1), rtp(11)]];
  for (const packets of cases) {
    const f = await udpConversation(30000, 40392, packets);
    assert.equal(f['proto.ndpi'], 'Unknown');
  }
});

test('payload types 64-95 (RFC 5761) are not RTP; a CSRC list longer than the packet is not RTP', async () => {
  let f = await udpConversation(30000, 40392, [rtp(1, { pt: 71, marker: true }), rtp(2, { pt: 71, marker: true })]);
  assert.equal(f['proto.ndpi'], 'Unknown');
  const short = rtp(1, { cc: 15, size: 0 }).subarray(0, 40);
  f = await udpConversation(30000, 40392, [short, short]);
  assert.equal(f['proto.ndpi'], 'Unknown');
});

test('tiny keep-alives before the stream are passed over; a bigger foreign packet ends RTP detection', async () => {
  let f = await udpConversation(55402, 6008, [cat([1], zeros(15)), rtp(1), rtp(2)]);
  assert.equal(proto(f), 'RTP [DPI]');
  f = await udpConversation(55402, 6008, [cat(be16(1), be16(70), pattern(70)), rtp(1), rtp(2)]);
  assert.equal(f['proto.ndpi'], 'Unknown');
});

test('over TCP, RFC 4571 framing (a zero SSRC is legal); an unframed segment is not RTP', async () => {
  const framed = (packet: Uint8Array) => cat(be16(packet.length), packet);
  let f = await tcpConversation(40252, 5000, [framed(rtp(1, { ssrc: 0, marker: true, pt: 8 })), framed(rtp(2, { ssrc: 0, pt: 8 }))]);
  assert.equal(proto(f), 'RTP [DPI]');
  assert.equal(f.rtp_stream_type, 'audio');
  f = await tcpConversation(40252, 5000, [rtp(1), rtp(2)]);
  assert.notEqual(f['proto.ndpi'], 'RTP');
  f = await tcpConversation(40252, 5000, [cat(be16(400), rtp(1))]);
  assert.notEqual(f['proto.ndpi'], 'RTP');
});

test('stream type (ntopng rtp_stream_type) from the payload type: static audio and video, dynamic 111 audio, 96 unknown', async () => {
  for (const [pt, content] of [[8, 'audio'], [34, 'video'], [111, 'audio'], [96, undefined]] as const) {
    const f = await udpConversation(30000, 40392, [rtp(1, { pt }), rtp(2, { pt })]);
    assert.equal(f.rtp_stream_type, content, `pt ${pt}`);
  }
});

test('well-known ports are not RTP', async () => {
  const f = await udpConversation(30000, 1000, [rtp(1), rtp(2)]);
  assert.equal(f['proto.ndpi'], 'Unknown');
});

test('two receiver or sender reports: RTCP; one alone is not enough', async () => {
  let f = await udpConversation(25963, 31601, [receiverReport(1), { reply: receiverReport(0) }]);
  assert.equal(proto(f), 'RTCP [DPI]');
  const sr = cat([0x80, 200], be16(6), be32(0x2222), zeros(20));
  f = await udpConversation(25963, 31601, [cat(sr, receiverReport(0, { type: 202 })), sr]);
  assert.equal(proto(f), 'RTCP [DPI]');
  f = await udpConversation(30001, 40393, [sr]);
  assert.equal(f['proto.ndpi'], 'Unknown');
});

test('a report too short for its report count, or longer than the datagram: not RTCP', async () => {
  let f = await udpConversation(50173, 50055, [receiverReport(27, { words: 2 }), receiverReport(27, { words: 2 })]);
  assert.equal(f['proto.ndpi'], 'Unknown');
  f = await udpConversation(50173, 50055, [receiverReport(1, { words: 40 }), receiverReport(1, { words: 40 })]);
  assert.equal(f['proto.ndpi'], 'Unknown');
});
