// AVAST and AVASTSecureDNS (core-as/dissect/avast.ts): the "NOSA" magic with the message length,
// and a DNS question for <label>.securedns.avast.com with randomised letter case.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, cat, zeros } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const nosa = (declared: number, total: number) => cat(ascii('NOSA'), be16(declared), zeros(total - 6));

test('NOSA message whose length covers the segment: AVAST', async () => {
  // avast.pcap: a 96-byte hello (length 0x0060), a 16-byte answer (0x0010).
  const f = await tcpConversation(64357, 80, [nosa(96, 96), { reply: nosa(16, 16) }]);
  assert.equal(proto(f), 'AVAST [DPI]');
});

test('wrong magic, a length past the segment or inside the header, a short segment: not AVAST', async () => {
  for (const bad of [cat(ascii('NOSB'), be16(16), zeros(10)), nosa(200, 96), nosa(4, 96), ascii('NOSA\u0000')]) {
    const f = await tcpConversation(64357, 80, [bad]);
    assert.notEqual(proto(f), 'AVAST [DPI]', Buffer.from(bad).toString('hex'));
  }
});

/** A standard query (RFC 1035 §4.1) for the given labels, type TXT. */
function query(labels: string[], flags = 0x0100, qdcount = 1) {
  return cat([0x48, 0xc4], be16(flags), be16(qdcount), be16(0), be16(0), be16(0), ...labels.map((l) => cat([l.length], ascii(l))), [0], be16(16), be16(1));
}

test('query for 2.securedns.avast.com in any letter case: AVASTSecureDNS', async () => {
  // avast_securedns.pcapng: "2.SeCUReDnS.aVasT.CoM" and the like, over UDP 443.
  const f = await udpConversation(57970, 443, [query(['2', 'SeCUReDnS', 'aVasT', 'CoM'])]);
  assert.equal(proto(f), 'AVASTSecureDNS [DPI]');
});

test('another name, a longer name, an opcode other than query, two questions, a truncated name: not AVASTSecureDNS', async () => {
  const bad = [
    query(['2', 'securedns', 'avast', 'org']),
    query(['2', 'securedns', 'avast', 'com', 'evil']),
    query(['2', 'securedns', 'avast', 'com'], 0x2800),
    query(['2', 'securedns', 'avast', 'com'], 0x0100, 2),
    query(['2', 'securedns', 'avast', 'com']).subarray(0, 30),
  ];
  for (const b of bad) {
    const f = await udpConversation(57970, 443, [b]);
    assert.notEqual(proto(f), 'AVASTSecureDNS [DPI]', Buffer.from(b).toString('hex'));
  }
});
