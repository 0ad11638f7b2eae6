// RDP (core-as/dissect/rdp.ts): the X.224 Connection Request/Confirm in a TPKT over TCP
// (MS-RDPBCGR §2.2.1.1-2), the MS-RDPEUDP SYN over UDP; the Desktop/File Sharing risk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, be32, cat, zeros } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

/** TPKT (RFC 1006 §6) around an X.224 CR/CC (LI, code, DST-REF, SRC-REF, class) and a variable part. */
function x224(code: number, variable: Uint8Array): Uint8Array {
  const tpdu = cat([6 + variable.length, code], zeros(4), [0], variable);
  return cat([3, 0], be16(4 + tpdu.length), tpdu);
}
const negReq = (type = 1) => Uint8Array.from([type, 0, 8, 0, 3, 0, 0, 0]);
const cookie = () => ascii('Cookie: mstshash=eltons\r\n');
const riskInfo = (f: object) => (f as Record<string, unknown>).risk_info;
/** RDPUDP_FEC_HEADER (snSourceAck, uReceiveWindowSize, uFlags) and RDPUDP_SYNDATA_PAYLOAD, padded to 1232 bytes. */
const udpSyn = (flags = 0x0001, mtu = 1232) => cat(be32(0xffffffff), be16(64), be16(flags), be32(0xbbff5687), be16(mtu), be16(mtu), zeros(1232 - 16));

test('connection request with cookie and negotiation on 3389: RDP, Desktop/File Sharing risk', async () => {
  const f = await tcpConversation(52494, 3389, [x224(0xe0, cat(cookie(), negReq())), { reply: x224(0xd0, negReq(2)) }]);
  assert.equal(proto(f), 'RDP [DPI]');
  assert.deepEqual(f.flow_risk, [30]);
  assert.equal(riskInfo(f), 'Found RDP');
});

test('off 3389 the request needs RDP\'s cookie or negotiation request', async () => {
  let f = await tcpConversation(40000, 3390, [x224(0xe0, cookie())]);
  assert.equal(proto(f), 'RDP [DPI]');
  f = await tcpConversation(40000, 3390, [x224(0xe0, negReq())]);
  assert.equal(proto(f), 'RDP [DPI]');
  // ISO-TSAP (RFC 1006) with TSAP parameters, as S7 uses on 102: not RDP.
  f = await tcpConversation(40000, 102, [x224(0xe0, Uint8Array.from([0xc1, 2, 1, 0, 0xc2, 2, 1, 2, 0xc0, 1, 0x0a]))]);
  assert.ok(!f['proto.ndpi'].startsWith('RDP'));
});

test('TPKT length or LI not matching, a data TPDU, wrong version: not RDP by payload', async () => {
  const longer = x224(0xe0, cookie()); longer[3] += 1;
  const badLi = x224(0xe0, cookie()); badLi[4] += 1;
  for (const bad of [longer, badLi, x224(0xf0, cookie()), cat([2], x224(0xe0, cookie()).subarray(1)), Uint8Array.from([3, 0, 0, 4])]) {
    const f = await tcpConversation(40000, 3390, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', Buffer.from(bad).toString('hex'));
  }
});

test('UDP: the SYN datagram, on any port; wrong MTU or an ACK flag is not one', async () => {
  let f = await udpConversation(54759, 3389, [udpSyn(0x1801)]);
  assert.equal(proto(f), 'RDP [DPI]');
  f = await udpConversation(54759, 40000, [udpSyn()]);
  assert.equal(proto(f), 'RDP [DPI]');
  for (const bad of [udpSyn(0x0005), udpSyn(0x0001, 1500), udpSyn(0x8001)]) {
    f = await udpConversation(54759, 40000, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  }
});

test('UDP mid-session on 3389: one side acknowledges the sequence number the other sent', async () => {
  const data = (ack: number, seq: number) => cat(be32(ack), be16(0x400), be16(0x000c), be16(1), be16(0), be32(seq), be32(seq), zeros(40));
  const f = await udpConversation(51652, 3389, [data(0x10976033, 0xe65f846d), { reply: data(0xe65f846d, 0x10976034) }]);
  assert.equal(proto(f), 'RDP [DPI]');
});
