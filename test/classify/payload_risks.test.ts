// Payload-statistics risks (core-as/classify/payload_risks.ts): Susp Entropy (35) from the
// Shannon entropy of the first payloads, Fully Encrypted Flow (51) from the first client payload
// (Wu et al., USENIX Security 2023, Ex1-Ex5), ICMP data entropy, and Telegram by address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ETH, IPPROTO, LINKTYPE, TCP_FLAG, ascii, cat, ethernet, icmpEcho, icmpv6Echo, ipv4, ipv6, tcp, type Bytes,
} from '../core/bytes.ts';
import { onlyFlow, runFrames } from '../core/run.ts';
import { proto, tcpConversation, udpConversation } from '../dissect/l7-flows.ts';
import type { FlowInfo } from '../../runtime/types.ts';

const SUSP_ENTROPY = 35;
const FULLY_ENCRYPTED = 51;

/** Shannon entropy in bits per byte, computed here independently of the engine. */
function entropy(b: Bytes): number {
  const counts = new Map<number, number>();
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) h -= (c / b.length) * Math.log2(c / b.length);
  return h;
}

/**
 * `n` distinct byte values, each `times` times: entropy log2(n) exactly. From 0x00 they have
 * few set bits per byte, so a TCP payload made of them is not "fully encrypted" (Ex1).
 */
function distinct(n: number, times = 1, first = 0x00): Bytes {
  const out = new Uint8Array(n * times);
  for (let i = 0; i < out.length; i++) out[i] = first + (i % n);
  return out;
}

const risks = (f: FlowInfo) => [...f.flow_risk];
const has = (f: FlowInfo, risk: number) => risks(f).includes(risk);

// log2(31) = 4.954 is above nDPI's plaintext bound 4.941, log2(30) = 4.907 below it.
const HIGH = distinct(31, 2);
const LOW = distinct(30, 2);
// Ports no nDPI protocol uses by default: the flows stay unclassified.
const CPORT = 47123;
const SPORT = 47321;

test('the test payloads sit on either side of the plaintext bound', () => {
  assert.ok(entropy(HIGH) >= 4.941 && entropy(HIGH) < 4.96);
  assert.ok(entropy(LOW) < 4.941 && entropy(LOW) > 4.9);
});

test('unclassified UDP: any non-plaintext payload raises Susp Entropy, plaintext does not', async () => {
  const high = await udpConversation(CPORT, SPORT, [HIGH]);
  assert.equal(proto(high), 'Unknown [Unknown]');
  assert.deepEqual(risks(high).filter((r) => r !== 46), [SUSP_ENTROPY]);
  const low = await udpConversation(CPORT, SPORT, [LOW]);
  assert.ok(!has(low, SUSP_ENTROPY));
  const empty = await udpConversation(CPORT, SPORT, [new Uint8Array(0), { reply: new Uint8Array(0) }]);
  assert.ok(!has(empty, SUSP_ENTROPY));
});

test('UDP: the first four payload packets are judged, each one setting or clearing the risk', async () => {
  // The fourth packet decides (gnutella.pcap: a plaintext fourth packet clears it).
  assert.ok(has(await udpConversation(CPORT, SPORT, [LOW, { reply: LOW }, LOW, { reply: HIGH }]), SUSP_ENTROPY));
  assert.ok(!has(await udpConversation(CPORT, SPORT, [LOW, { reply: LOW }, HIGH, { reply: LOW }]), SUSP_ENTROPY));
  // A fifth packet is not looked at any more.
  assert.ok(!has(await udpConversation(CPORT, SPORT, [LOW, { reply: LOW }, LOW, { reply: LOW }, HIGH]), SUSP_ENTROPY));
  assert.ok(has(await udpConversation(CPORT, SPORT, [HIGH, { reply: HIGH }, HIGH, { reply: HIGH }, LOW]), SUSP_ENTROPY));
});

test('unclassified TCP: the first payload of each direction is judged, later ones are not', async () => {
  assert.ok(has(await tcpConversation(CPORT, SPORT, [HIGH, LOW]), SUSP_ENTROPY));
  assert.ok(!has(await tcpConversation(CPORT, SPORT, [LOW, HIGH]), SUSP_ENTROPY));
  // The server's first payload is judged too (kerberos.pcap: a plaintext request, a binary reply).
  assert.ok(has(await tcpConversation(CPORT, SPORT, [LOW, { reply: HIGH }]), SUSP_ENTROPY));
  assert.ok(!has(await tcpConversation(CPORT, SPORT, [HIGH, { reply: LOW }]), SUSP_ENTROPY));
});

function get(host: string, path: string): Bytes {
  return ascii(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:91.0) Gecko/20100101 Firefox/91.0\r\nAccept: */*\r\n\r\n`);
}

test('HTTP classified by DPI: the request counts when the host list names a Web application, not for plain HTTP', async () => {
  const listed = get('www.googletagservices.com', '/tag/js/gpt.js?v=8Zq3_kX1');
  const plain = get('www.example-unlisted.org', '/tag/js/gpt.js?v=8Zq3_kX1');
  assert.ok(entropy(listed) >= 4.941 && entropy(plain) >= 4.941);
  const app = await tcpConversation(44368, 80, [listed]);
  assert.equal(proto(app), 'HTTP.GoogleServices [DPI]');
  assert.ok(has(app, SUSP_ENTROPY));
  const bare = await tcpConversation(44368, 80, [plain]);
  assert.equal(proto(bare), 'HTTP [DPI]');
  assert.ok(!has(bare, SUSP_ENTROPY));
});

test('a classified flow outside the suspect categories keeps no Susp Entropy (DNS, category Network)', async () => {
  // A DNS query for a name made of many different characters: non-plaintext, but DNS is Network.
  const labels = cat(...['abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789', 'com'].map((l) => cat([l.length], ascii(l))), [0]);
  const query = cat([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0], labels, [0, 1, 0, 1]);
  assert.ok(entropy(query) >= 4.941);
  const f = await udpConversation(53124, 53, [query]);
  assert.equal(proto(f), 'DNS [DPI]');
  assert.ok(!has(f, SUSP_ENTROPY));
});

/** A permutation of the 256 byte values: 4 set bits per byte on average, 37% printable, short printable runs. */
const RANDOMISH = Uint8Array.from({ length: 256 }, (_, i) => (i * 73 + 41) & 0xff);

test('fully encrypted first client payload (no exemption applies): risk 51, and no entropy risk', async () => {
  const f = await tcpConversation(CPORT, SPORT, [RANDOMISH, { reply: RANDOMISH }]);
  assert.equal(proto(f), 'Unknown [Unknown]');
  assert.ok(has(f, FULLY_ENCRYPTED));
  assert.ok(!has(f, SUSP_ENTROPY));
});

test('fully encrypted: each exemption of the GFW heuristic keeps a flow out', async () => {
  const exempt: Array<[string, Bytes]> = [
    ['Ex1: few set bits per byte', Uint8Array.from({ length: 256 }, (_, i) => [0x01, 0x02, 0x04, 0x08, 0x10, 0x03, 0x81, 0x90][i % 8] + (i % 3 === 0 ? 0x20 : 0))],
    ['Ex2: first six bytes printable', cat(ascii('Hello!'), RANDOMISH)],
    ['Ex3: more than half printable', cat(RANDOMISH, ascii('x'.repeat(200)).map((_, i) => 0x21 + (i % 90)))],
    ['Ex4: a run of 21 printable bytes', cat(RANDOMISH.subarray(0, 10), ascii('abcdefghijklmnopqrstu'), RANDOMISH.subarray(10))],
    ['Ex5: TLS record header', cat([0x17, 0x03, 0x03, 0x01, 0x00], RANDOMISH)],
  ];
  for (const [why, payload] of exempt) {
    const f = await tcpConversation(CPORT, SPORT, [payload]);
    assert.ok(!has(f, FULLY_ENCRYPTED), why);
  }
  // Only the client's first payload of a connection whose handshake was seen counts.
  const serverFirst = await tcpConversation(CPORT, SPORT, [{ reply: RANDOMISH }, RANDOMISH]);
  assert.ok(!has(serverFirst, FULLY_ENCRYPTED));
});

test('ICMP (IPv4): the entropy of the first message data; ICMPv6 is never judged', async () => {
  const frame4 = (data: Bytes) => ethernet(ETH.IPV4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.ICMP, payload: icmpEcho({ id: 1, seq: 1, data }) }));
  const frame6 = (data: Bytes) => ethernet(ETH.IPV6, ipv6({ src: 'fe80::1', dst: 'fe80::2', nextHeader: IPPROTO.ICMPV6, payload: icmpv6Echo({ id: 1, seq: 1, data }) }));
  const icmpHigh = distinct(48, 1, 0x10); // log2(48) = 5.585
  const icmpLow = distinct(16, 3, 0x10); // 4.0
  assert.ok(has(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [frame4(icmpHigh)])), SUSP_ENTROPY));
  assert.ok(!has(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [frame4(icmpLow)])), SUSP_ENTROPY));
  // Only the first message: a later high-entropy one does not raise it.
  assert.ok(!has(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [frame4(icmpLow), frame4(icmpHigh)])), SUSP_ENTROPY));
  assert.ok(!has(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [frame6(icmpHigh)])), SUSP_ENTROPY));
  // A message without data after its 8-byte header.
  assert.ok(!has(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [frame4(new Uint8Array(0))])), SUSP_ENTROPY));
});

test('TCP to a Telegram address: Telegram (Match by IP) at the first data packet, judged as unclassified', async () => {
  // 149.154.167.91 is in nDPI's Telegram list (telegram_videocall.pcapng).
  const f = await tcpConversation(37950, 443, [RANDOMISH, { reply: HIGH }], { server: '149.154.167.91' });
  assert.equal(proto(f), 'Telegram [Match by IP]');
  assert.ok(has(f, SUSP_ENTROPY));
  assert.ok(!has(f, FULLY_ENCRYPTED));
  // Without data it still is Telegram rather than TLS by port.
  const empty = await tcpConversation(37948, 443, [], { server: '149.154.167.91' });
  assert.equal(proto(empty), 'Telegram [Match by IP]');
});

test('a flow dissection could only guess is judged with the guessed protocol\'s category', async () => {
  // collectd by its port (category System): the guess stands for nDPI's detection, no risk.
  const collectd = await udpConversation(CPORT, 25826, [HIGH]);
  assert.equal(proto(collectd), 'collectd [Match by port]');
  assert.ok(!has(collectd, SUSP_ENTROPY));
  // HTTP_Proxy by port 3128 (category Web): the risk stays.
  const proxy = await tcpConversation(CPORT, 3128, [HIGH]);
  assert.equal(proto(proxy), 'HTTP_Proxy [Match by port]');
  assert.ok(has(proxy, SUSP_ENTROPY));
});

test('a TCP connection seen from the middle keeps the risk of its guess (kerberos.pcap)', async () => {
  const frame = (fromClient: boolean, seq: number, payload: Bytes) => ethernet(ETH.IPV4, ipv4({
    src: fromClient ? '10.0.0.1' : '10.0.0.2', dst: fromClient ? '10.0.0.2' : '10.0.0.1', protocol: IPPROTO.TCP,
    payload: tcp({ sport: fromClient ? CPORT : 88, dport: fromClient ? 88 : CPORT, seq, ack: 1, flags: TCP_FLAG.ACK | TCP_FLAG.PSH, payload }),
  }));
  const f = onlyFlow(await runFrames(LINKTYPE.ETHERNET, [frame(true, 100, HIGH), frame(false, 900, HIGH)]));
  assert.equal(proto(f), 'Kerberos [Match by port]');
  assert.ok(has(f, SUSP_ENTROPY));
});

test('QUIC found by DPI within the judged packets clears what the packets before it set (quic_sh.pcap)', async () => {
  // Short-header packets (RFC 9000 §17.3.1: fixed bit set, then the destination connection id)
  // with the same id three times from the client: QUIC at the third (quic.test.ts).
  const dcid = [0x01, 0xdf, 0xc0, 0xfe, 0x62, 0xc6, 0x40, 0x77];
  const sh = (first: number) => cat([first], dcid, distinct(62, 1, 0x80));
  assert.ok(entropy(sh(0x53)) >= 4.941);
  const f = await udpConversation(40408, 443, [sh(0x41), sh(0x43), sh(0x45)]);
  assert.equal(proto(f), 'QUIC [DPI]');
  assert.ok(!has(f, SUSP_ENTROPY), `risks ${risks(f)}`);
  // The same two packets alone, then undetected and guessed by port, keep it.
  const g = await udpConversation(40409, 443, [sh(0x41), sh(0x43)]);
  assert.equal(proto(g), 'QUIC [Match by port]');
  assert.ok(has(g, SUSP_ENTROPY));
});

test('a UDP flow only guessed to be QUIC is judged as an unknown flow (http_ipv6.pcap: the third packet clears)', async () => {
  // Payloads no dissector recognises, to 443: QUIC by port in the end, every judged packet counts.
  const clears = await udpConversation(CPORT, 443, [HIGH, { reply: HIGH }, LOW]);
  assert.equal(proto(clears), 'QUIC [Match by port]');
  assert.ok(!has(clears, SUSP_ENTROPY), `risks ${risks(clears)}`);
  const keeps = await udpConversation(CPORT, 443, [LOW, { reply: LOW }, HIGH]);
  assert.equal(proto(keeps), 'QUIC [Match by port]');
  assert.ok(has(keeps, SUSP_ENTROPY), `risks ${risks(keeps)}`);
});
