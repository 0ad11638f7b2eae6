// KakaoTalk voice calls (core-as/dissect/kakaotalk_voice.ts): a first datagram shaped like the
// call's opening RTCP report, to or from Kakao's servers in 1.201.0.0/16 (KakaoTalk_talk.pcap).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be32, cat, pattern } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const KINX = { client: '10.24.82.188', server: '1.201.1.174' };
// RFC 3550 §6.4.2: a receiver report with one block (V=2, RC=1, PT=201, length 7 words).
const receiverReport = cat([0x81, 0xc9, 0x00, 0x07], be32(0x549aa5da), pattern(24));
const rtp = (seq: number) => cat([0x80, 0xec, seq >> 8, seq & 0xff], be32(0x7ea91503), be32(0x549aa5da), pattern(48));

test('the opening report to the call servers: KakaoTalk_Voice at once', async () => {
  assert.equal(proto(await udpConversation(10269, 23047, [receiverReport, { reply: receiverReport }], KINX)), 'KakaoTalk_Voice [DPI]');
  assert.equal(proto(await udpConversation(10269, 23047, [Uint8Array.from([0x90, 0x11, 0x22, 0x0c, 1, 2])], KINX)), 'KakaoTalk_Voice [DPI]', 'fourth byte 0x0C alone');
  assert.equal(proto(await udpConversation(23047, 10269, [receiverReport], { client: '1.201.1.174', server: '10.24.82.188' })), 'KakaoTalk_Voice [DPI]', 'from the servers');
});

test('RTP to the call servers stays RTP; the report elsewhere, or as a later datagram: not KakaoTalk_Voice', async () => {
  assert.equal(proto(await udpConversation(10268, 23046, [rtp(0x313e), rtp(0x313f), { reply: rtp(0x4eb9) }], KINX)), 'RTP [DPI]');
  assert.notEqual(proto(await udpConversation(10269, 23047, [receiverReport, receiverReport], { client: '10.24.82.188', server: '1.202.1.174' })), 'KakaoTalk_Voice [DPI]');
  assert.notEqual(proto(await udpConversation(10269, 23047, [rtp(0x313e), receiverReport], KINX)), 'KakaoTalk_Voice [DPI]');
  assert.notEqual(proto(await udpConversation(10269, 23047, [Uint8Array.from([0x81, 0xc9, 0])], KINX)), 'KakaoTalk_Voice [DPI]', '3 bytes');
});
