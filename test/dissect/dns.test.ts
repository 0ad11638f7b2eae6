// DNS, mDNS and LLMNR (core-as/dissect/dns.ts): RFC 1035 §4.1 messages built by hand, every
// extracted field asserted, plus the hostile cases (truncation, zero counts, lengths past the
// end, compression pointer loops).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ETH, IPPROTO, LINKTYPE, ascii, be16, be32, cat, ethernet, ipv4, ipv6, udp } from '../core/bytes.ts';
import { onlyFlow, runFrames } from '../core/run.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';
import type { FlowInfo } from '../../runtime/types.ts';

/** Header (§4.1.1): id, flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT. */
const header = (flags: number, qd: number, an: number, ns = 0, ar = 0) =>
  cat(be16(0x1234), be16(flags), be16(qd), be16(an), be16(ns), be16(ar));

/** A name as labels (§3.1), ending with the root label. */
const name = (dotted: string) => cat(...dotted.split('.').map((l) => cat([l.length], ascii(l))), [0]);

/** Question (§4.1.2): name, QTYPE, QCLASS IN. */
const question = (dotted: string, type = 1) => cat(name(dotted), be16(type), be16(1));

/** Answer RR (§4.1.3) whose owner is a pointer to the question name at offset 12 (§4.1.4). */
const answer = (type: number, rdata: number[], ttl = 300) =>
  cat([0xc0, 12], be16(type), be16(1), be32(ttl), be16(rdata.length), rdata);

const QUERY = 0x0100; // RD
const RESPONSE = 0x8180; // QR, RD, RA, NOERROR
const NXDOMAIN = 0x8183;

const hasRisk = (f: FlowInfo, name: string) => f.flow_risk_names.includes(name);

test('A query and answer: DNS, query name, type, return code and first address', async () => {
  const q = cat(header(QUERY, 1, 0), question('www.example.com'));
  const r = cat(header(RESPONSE, 1, 1), question('www.example.com'), answer(1, [93, 184, 215, 14]));
  const f = await udpConversation(40000, 53, [q, { reply: r }]);
  assert.equal(proto(f), 'DNS [DPI]');
  assert.equal(f.host_server_name, 'www.example.com');
  assert.equal(f['protos.dns.last_query'], 'www.example.com');
  assert.equal(f['protos.dns.last_query_type'], 1);
  assert.equal(f['protos.dns.last_return_code'], 0);
  assert.equal(f.info, '93.184.215.14');
});

test('AAAA answer printed as RFC 5952 text; CNAME before it is skipped', async () => {
  const q = cat(header(QUERY, 1, 0), question('ipv6.example', 28));
  const cname = answer(5, [...name('alias.example')]);
  const aaaa = answer(28, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  const f = await udpConversation(40001, 53, [q, { reply: cat(header(RESPONSE, 1, 2), question('ipv6.example', 28), cname, aaaa) }]);
  assert.equal(f.info, '2001:db8::1');
  assert.equal(f['protos.dns.last_query_type'], 28);
});

test('NXDOMAIN: return code 3, no address (0.0.0.0 as nDPI prints it), error-code risk', async () => {
  const q = cat(header(QUERY, 1, 0), question('no-such.example'));
  const f = await udpConversation(40002, 53, [q, { reply: cat(header(NXDOMAIN, 1, 0), question('no-such.example')) }]);
  assert.equal(f['protos.dns.last_return_code'], 3);
  assert.equal(f.info, '0.0.0.0');
  assert.ok(hasRisk(f, 'Error Code'));
});

test('host list: a query for a Google name is DNS.Google with DNS\'s own category', async () => {
  const f = await udpConversation(40003, 53, [cat(header(QUERY, 1, 0), question('www.google.com'))]);
  assert.equal(f['proto.ndpi'], 'DNS.Google');
  assert.equal(f['proto.ndpi_cat'], 'Network');
});

test('names are lower-cased; the latest query of the flow names it', async () => {
  const first = cat(header(QUERY, 1, 0), question('First.Example'));
  const second = cat(header(QUERY, 1, 0), question('Second.EXAMPLE'));
  const f = await udpConversation(40004, 53, [first, second, { reply: cat(header(RESPONSE, 1, 0), question('Second.EXAMPLE')) }]);
  assert.equal(f.host_server_name, 'second.example');
});

test('invalid characters: printable ones become _, others ?, with the invalid-characters risk', async () => {
  const label = Uint8Array.from([0x61, 0x2a, 0x62, 0xc3, 0xa9]); // "a*b" + UTF-8 é
  const q = cat(header(QUERY, 1, 0), [label.length], label, [3], ascii('com'), [0], be16(1), be16(1));
  const f = await udpConversation(40005, 53, [q]);
  assert.equal(f.host_server_name, 'a_b??.com');
  assert.equal(f['protos.dns.invalid_chars_in_query'], true);
  assert.ok(hasRisk(f, 'Non-Printable/Invalid Chars Detected'));
});

test('a long name keeps its last 79 bytes; a first label over 48 bytes is suspicious DNS traffic', async () => {
  const long = `${'x'.repeat(60)}.${'y'.repeat(40)}.example.org`;
  const f = await udpConversation(40006, 53, [cat(header(QUERY, 1, 0), question(long))]);
  assert.equal(f.host_server_name, long.slice(-79));
  assert.ok(hasRisk(f, 'Susp DNS Traffic'));
});

test('zero TTL in an answer is a minor issue', async () => {
  const q = cat(header(QUERY, 1, 0), question('ttl.example'));
  const f = await udpConversation(40007, 53, [q, { reply: cat(header(RESPONSE, 1, 1), question('ttl.example'), answer(1, [1, 2, 3, 4], 0)) }]);
  assert.ok(hasRisk(f, 'Minor Issues'));
});

test('DNS over TCP: the 2-byte length prefix (RFC 1035 §4.2.2)', async () => {
  const msg = cat(header(QUERY, 1, 0), question('tcp.example'));
  const f = await tcpConversation(40008, 53, [cat(be16(msg.length), msg)]);
  assert.equal(proto(f), 'DNS [DPI]');
  assert.equal(f.host_server_name, 'tcp.example');
});

test('LLMNR (UDP 5355) and mDNS (UDP 5353) share the format; an mDNS announcement is named by its first answer', async () => {
  const llmnr = await udpConversation(40009, 5355, [cat(header(0, 1, 0), question('wpad'))]);
  assert.equal(proto(llmnr), 'LLMNR [DPI]');
  assert.equal(llmnr.host_server_name, 'wpad');
  const announce = cat(header(0x8400, 0, 1), name('_printer._tcp.local'), be16(12), be16(1), be32(120), be16(2), [0xc0, 12]);
  const mdns = await udpConversation(5353, 5353, [announce]);
  assert.equal(proto(mdns), 'MDNS [DPI]');
  assert.equal(mdns.host_server_name, '_printer._tcp.local');
});

test('a compression pointer loop ends without a name and without hanging', async () => {
  // The question name is a pointer to itself (offset 12): decoding must stop.
  const q = cat(header(QUERY, 1, 0), [0xc0, 12], be16(1), be16(1));
  const f = await udpConversation(40010, 53, [q]);
  assert.equal(proto(f), 'DNS [DPI]');
  assert.equal(f.host_server_name, undefined);
});

test('a label length past the end of the message, and a truncated header, are not read', async () => {
  const pastEnd = cat(header(QUERY, 1, 0), [40], ascii('short'));
  const f = await udpConversation(40011, 53, [pastEnd]);
  assert.equal(f.host_server_name, undefined);
  const truncated = await udpConversation(40012, 53, [Uint8Array.from([0x12, 0x34, 0x01])]);
  assert.notEqual(truncated['proto.ndpi_confidence'], 'DPI');
});

test('an answer whose RDLENGTH runs past the end gives no address', async () => {
  const q = cat(header(QUERY, 1, 0), question('cut.example'));
  const bad = cat(header(RESPONSE, 1, 1), question('cut.example'), [0xc0, 12], be16(1), be16(1), be32(60), be16(4), [10, 0]);
  const f = await udpConversation(40013, 53, [q, { reply: bad }]);
  assert.equal(f.info, '0.0.0.0');
});

test('zero questions in a query, or implausible counts, are not DNS by payload', async () => {
  for (const bad of [header(QUERY, 0, 0), header(QUERY, 200, 0), header(QUERY, 1, 0, 500)]) {
    const f = await udpConversation(40014, 53, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  }
});

test('malformed query names: a label over 63 bytes or past the end is a malformed packet (nDPI\'s "Invalid DNS Query Lenght")', async () => {
  // fuzz-2006-06-26-2594.pcap: a label length byte 0x69 (105) inside the name, and one running past the end.
  const over63 = cat(header(QUERY, 1, 0), [3], ascii('sip'), [0x69], ascii('cybercity'), [2], ascii('dk'), [0], be16(33), be16(1));
  const f = await udpConversation(2774, 53, [over63]);
  assert.equal(proto(f), 'DNS [DPI]');
  assert.ok(hasRisk(f, 'Malformed Packet'));
  const pastEnd = cat(header(QUERY, 1, 0), [40], ascii('short'));
  assert.ok(hasRisk(await udpConversation(40011, 53, [pastEnd]), 'Malformed Packet'));
  // Invalid characters read before the name broke off still count.
  const badChars = cat(header(QUERY, 1, 0), [2], [0xaa, 0xaa], [0xaa], ascii('xx'));
  const g = await udpConversation(2748, 53, [badChars]);
  assert.ok(hasRisk(g, 'Malformed Packet') && hasRisk(g, 'Non-Printable/Invalid Chars Detected'));
  // A well-formed name has neither.
  const fine = await udpConversation(2744, 53, [cat(header(QUERY, 1, 0), question('_sip._udp.sip.cybercity.dk', 33))]);
  assert.ok(!hasRisk(fine, 'Malformed Packet'));
});

test('a later query of a DNS flow with AA or TC set, answers, authority records or too many questions: Invalid DNS Header', async () => {
  const good = cat(header(QUERY, 1, 0), question('sip.cybercity.dk'));
  for (const bad of [header(QUERY | 0x0400, 1, 0), header(QUERY | 0x0200, 1, 0), header(QUERY, 1, 3), header(QUERY, 1, 0, 2), header(QUERY, 17, 0)]) {
    const f = await udpConversation(2740, 53, [good, cat(bad, question('sip.cybercity.dk'))]);
    assert.equal(proto(f), 'DNS [DPI]');
    assert.ok(hasRisk(f, 'Malformed Packet'), Buffer.from(bad).toString('hex'));
  }
  // NOTIFY (opcode 4) and RD/AD bits are fine (fuzz-2006-06-26-2594.pcap flow 50).
  const notify = await udpConversation(2752, 53, [good, cat(header(0x2100, 1, 0), question('sip.cybercity.dk'))]);
  assert.ok(!hasRisk(notify, 'Malformed Packet'));
});

test('a DNS message in the first fragment of an IPv4 or IPv6 datagram: Fragmented DNS Message', async () => {
  const r = cat(header(RESPONSE, 1, 1), question('big.example'), answer(1, [10, 0, 0, 1]));
  const dgram = udp({ sport: 53, dport: 40020, payload: r });
  const v4 = (more: boolean) => ethernet(ETH.IPV4, ipv4({ src: '10.0.0.2', dst: '10.0.0.1', protocol: IPPROTO.UDP, payload: dgram, moreFragments: more }));
  assert.ok(hasRisk(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [v4(true)])), 'Fragmented DNS Message'));
  assert.ok(!hasRisk(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [v4(false)])), 'Fragmented DNS Message'));
  const v6 = ethernet(ETH.IPV6, ipv6({ src: 'fe80::2', dst: 'fe80::1', nextHeader: IPPROTO.UDP, payload: dgram, ext: [{ type: 'fragment', offset: 0, more: true }] }));
  assert.ok(hasRisk(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [v6])), 'Fragmented DNS Message'));
});
