// TLS over TCP (core-as/dissect/tls*.ts, asn1.ts): records (RFC 8446 §5.1) split over segments,
// handshake messages (§4) split over records, the ClientHello fields and fingerprints (JA3, JA4
// as nDPI prints them), the ServerHello, the server certificate (RFC 5280 §4.1, DER per X.690)
// and the TLS risks. Every byte is built here from the RFCs' layouts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  ETH, IPPROTO, LINKTYPE, TCP_FLAG, ascii, be16, cat, ethernet, ipv4, tcp, type Bytes,
} from '../core/bytes.ts';
import { onlyFlow, runFrames } from '../core/run.ts';
import { proto, tcpConversation } from './l7-flows.ts';
import type { FlowInfo } from '../../runtime/types.ts';

const field = (f: FlowInfo, key: string): unknown => (f as unknown as Record<string, unknown>)[key];

const RISK = {
  SELF_SIGNED: 6, OBSOLETE: 7, WEAK_CIPHER: 8, EXPIRED: 9, MISMATCH: 10, NUMERIC_SNI: 12,
  NOT_HTTPS: 15, MISSING_SNI: 24, UNCOMMON_ALPN: 31, FATAL_ALERT: 34, ALPN_SNI_MISMATCH: 52,
} as const;

// --- Builders (RFC 8446 §4, §5.1) ------------------------------------------------------------

const be24 = (v: number): number[] => [(v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const u16list = (values: number[]): number[] => values.flatMap(be16);

function record(type: number, body: Bytes, version = 0x0303): Bytes {
  return cat([type], be16(version), be16(body.length), body);
}

function handshake(type: number, body: Bytes): Bytes {
  return cat([type], be24(body.length), body);
}

function ext(type: number, data: Bytes | number[]): Bytes {
  const d = Uint8Array.from(data);
  return cat(be16(type), be16(d.length), d);
}

const sni = (name: string): Bytes => { const n = ascii(name); return ext(0, cat(be16(n.length + 3), [0], be16(n.length), n)); };
const alpn = (names: string[]): Bytes => {
  const list = cat(...names.map((n) => cat([n.length], ascii(n))));
  return ext(16, cat(be16(list.length), list));
};
const groups = (g: number[]): Bytes => ext(10, cat(be16(g.length * 2), u16list(g)));
const pointFormats = (f: number[]): Bytes => ext(11, cat([f.length], f));
const sigAlgs = (a: number[]): Bytes => ext(13, cat(be16(a.length * 2), u16list(a)));
const versions = (v: number[]): Bytes => ext(43, cat([v.length * 2], u16list(v)));

interface Hello { version?: number; ciphers: number[]; extensions: Bytes[]; sessionId?: number }

function clientHello(h: Hello): Bytes {
  const exts = cat(...h.extensions);
  const sid = h.sessionId ?? 32;
  return handshake(1, cat(be16(h.version ?? 0x0303), new Uint8Array(32).fill(7), [sid], new Uint8Array(sid).fill(9),
    be16(h.ciphers.length * 2), u16list(h.ciphers), [1, 0], be16(exts.length), exts));
}

function serverHello(version: number, cipher: number, extensions: Bytes[]): Bytes {
  const exts = cat(...extensions);
  return handshake(2, cat(be16(version), new Uint8Array(32).fill(3), [0], be16(cipher), [0], be16(exts.length), exts));
}

// --- DER (X.690) for a certificate (RFC 5280 §4.1) --------------------------------------------

function tlv(tag: number, ...parts: Array<Bytes | number[]>): Bytes {
  const body = cat(...parts);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return cat([tag], len, body);
}
const seq = (...p: Bytes[]) => tlv(0x30, ...p);
const attr = (id: number, value: string) => tlv(0x31, seq(tlv(0x06, [0x55, 0x04, id]), tlv(0x13, ascii(value))));
const email = (value: string) => tlv(0x31, seq(tlv(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01]), tlv(0x16, ascii(value))));
const utc = (s: string) => tlv(0x17, ascii(s));

function certificate(o: { issuer: Bytes; subject: Bytes; notBefore: string; notAfter: string; sans?: Bytes[] }): Bytes {
  const algo = seq(tlv(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), tlv(0x05));
  const spki = seq(seq(tlv(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]), tlv(0x05)), tlv(0x03, [0, 1, 2, 3]));
  const extensions = o.sans
    ? [tlv(0xa3, seq(seq(tlv(0x06, [0x55, 0x1d, 0x11]), tlv(0x04, seq(...o.sans)))))]
    : [];
  const tbs = seq(tlv(0xa0, tlv(0x02, [2])), tlv(0x02, [0x35, 0xbb]), algo, o.issuer,
    seq(utc(o.notBefore), utc(o.notAfter)), o.subject, spki, ...extensions);
  return seq(tbs, algo, tlv(0x03, [0, 9, 9]));
}

function certificateMessage(cert: Bytes): Bytes {
  return handshake(11, cat(be24(cert.length + 3), be24(cert.length), cert));
}

const dns = (name: string) => tlv(0x82, ascii(name));
const ipSan = (bytes: number[]) => tlv(0x87, bytes);

// --- Reference fingerprints, from the JA3 and JA4 descriptions ---------------------------------

const GREASE = 0x0a0a;
const isGrease = (v: number) => (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sha12 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);
const hex4 = (v: number) => v.toString(16).padStart(4, '0');

const CIPHERS = [GREASE, 0x1301, 0x1302, 0xc02b, 0x002f];
const GROUPS = [GREASE, 29, 23];
const SIGALGS = [0x0403, 0x0804, 0x0401];

function browserHello(host: string | null, alpnNames: string[] | null): Bytes {
  const extensions = [
    ext(GREASE, []),
    ...(host !== null ? [sni(host)] : []),
    groups(GROUPS), pointFormats([0]), sigAlgs(SIGALGS),
    ...(alpnNames !== null ? [alpn(alpnNames)] : []),
    versions([GREASE, 0x0304, 0x0303]),
  ];
  return clientHello({ ciphers: CIPHERS, extensions });
}

function expectedJa3(host: boolean, withAlpn: boolean): string {
  const exts = [...(host ? [0] : []), 10, 11, 13, ...(withAlpn ? [16] : []), 43];
  return md5(`771,${CIPHERS.filter((c) => !isGrease(c)).join('-')},${exts.join('-')},29-23,0`);
}

function expectedJa4(sniLetter: string, alpnChars: string, exts: number[]): string {
  const ciphers = CIPHERS.filter((c) => !isGrease(c));
  const sortedCiphers = [...ciphers].sort((a, b) => a - b).map(hex4).join(',');
  const sortedExts = exts.filter((e) => e !== 0 && e !== 16).sort((a, b) => a - b).map(hex4).join(',');
  const count = (n: number) => String(n).padStart(2, '0');
  return `t13${sniLetter}${count(ciphers.length)}${count(exts.length)}${alpnChars}_${sha12(sortedCiphers)}_${sha12(`${sortedExts}_${SIGALGS.map(hex4).join(',')}`)}`;
}

// --- ClientHello -----------------------------------------------------------------------------

test('tls: ClientHello in one record: SNI, ALPN, supported versions, JA3 and JA4', async () => {
  const f = await tcpConversation(40000, 443, [record(22, browserHello('www.Example.com', ['h2', 'http/1.1']), 0x0301)]);
  assert.equal(proto(f), 'TLS [DPI]');
  assert.equal(f.host_server_name, 'www.example.com');
  assert.equal(field(f, 'protos.tls.client_alpn'), 'h2;http/1.1');
  assert.equal(field(f, 'protos.tls.client_tls_supported_versions'), 'GREASE;TLSv1.3;TLSv1.2');
  assert.equal(field(f, 'protos.tls_version'), 0x0303);
  assert.equal(field(f, 'protos.tls.ja3.client_hash'), expectedJa3(true, true));
  assert.equal(field(f, 'protos.tls.ja4.client_hash'), expectedJa4('d', 'h2', [0, 10, 11, 13, 16, 43]));
  assert.deepEqual(f.flow_risk.filter((r) => r !== 46), []);
});

test('tls: JA4 of a hello without SNI or ALPN ("d", "00") and its risks', async () => {
  const f = await tcpConversation(40000, 443, [record(22, browserHello(null, null))]);
  assert.equal(f.host_server_name, undefined);
  assert.equal(field(f, 'protos.tls.ja4.client_hash'), expectedJa4('d', '00', [10, 11, 13, 43]));
  assert.ok(f.flow_risk.includes(RISK.MISSING_SNI));
  assert.ok(f.flow_risk.includes(RISK.NOT_HTTPS));
});

test('tls: a numeric SNI gives JA4 "i" and the numeric-host risk on 443', async () => {
  const f = await tcpConversation(40000, 443, [record(22, browserHello('192.168.1.10', ['h2']))]);
  assert.match(String(field(f, 'protos.tls.ja4.client_hash')), /^t13i/);
  assert.ok(f.flow_risk.includes(RISK.NUMERIC_SNI));
});

test('tls: HTTP ALPN without SNI, and an uncommon ALPN', async () => {
  const noSni = await tcpConversation(40000, 443, [record(22, browserHello(null, ['h2']))]);
  assert.ok(noSni.flow_risk.includes(RISK.ALPN_SNI_MISMATCH));
  const odd = await tcpConversation(40000, 443, [record(22, browserHello('a.example', ['anydesk/6.2.0']))]);
  assert.ok(odd.flow_risk.includes(RISK.UNCOMMON_ALPN));
  assert.match(String(field(odd, 'protos.tls.ja4.client_hash')), /^t13d\d{4}an_/);
});

test('tls: an old ClientHello without extensions is obsolete, and no SNI/ALPN risk applies', async () => {
  const hello = handshake(1, cat(be16(0x0301), new Uint8Array(32), [0], be16(4), u16list([0x002f, 0x0035]), [1, 0]));
  const f = await tcpConversation(40000, 443, [record(22, hello, 0x0301)]);
  assert.equal(field(f, 'protos.tls.ja3.client_hash'), md5('769,47-53,,,'));
  assert.equal(field(f, 'protos.tls.ja4.client_hash'), `t10d020000_${sha12('002f,0035')}_${sha12('')}`);
  assert.ok(f.flow_risk.includes(RISK.OBSOLETE));
  assert.ok(!f.flow_risk.includes(RISK.MISSING_SNI) && !f.flow_risk.includes(RISK.NOT_HTTPS));
});

test('tls: the ClientHello split over three segments, the record header itself cut', async () => {
  const bytes = record(22, browserHello('split.example.org', ['h2']));
  const f = await tcpConversation(40000, 443, [bytes.slice(0, 3), bytes.slice(3, 100), bytes.slice(100)]);
  assert.equal(f.host_server_name, 'split.example.org');
  assert.equal(field(f, 'protos.tls.ja3.client_hash'), expectedJa3(true, true));
});

test('tls: a handshake message fragmented over two records (RFC 8446 §5.1)', async () => {
  const hello = browserHello('frag.example.org', ['h2']);
  const f = await tcpConversation(40000, 443, [cat(record(22, hello.slice(0, 50)), record(22, hello.slice(50)))]);
  assert.equal(f.host_server_name, 'frag.example.org');
});

test('tls: a retransmitted segment adds nothing; a missing one loses that hello', async () => {
  const bytes = record(22, browserHello('retx.example.org', ['h2']));
  const frames = (parts: Array<{ seq: number; data: Bytes }>) => [
    ethernet(ETH.IPV4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.TCP, payload: tcp({ sport: 40000, dport: 443, seq: 999, flags: TCP_FLAG.SYN }) })),
    ...parts.map((p) => ethernet(ETH.IPV4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.TCP,
      payload: tcp({ sport: 40000, dport: 443, seq: p.seq, flags: TCP_FLAG.ACK | TCP_FLAG.PSH, payload: p.data }) }))),
  ];
  const retx = onlyFlow(await runFrames(LINKTYPE.ETHERNET, frames([
    { seq: 1000, data: bytes.slice(0, 60) }, { seq: 1000, data: bytes.slice(0, 60) },
    { seq: 1030, data: bytes.slice(30, 90) }, { seq: 1090, data: bytes.slice(90) },
  ])));
  assert.equal(retx.host_server_name, 'retx.example.org');
  assert.equal(field(retx, 'protos.tls.ja3.client_hash'), expectedJa3(true, true));
  const gap = onlyFlow(await runFrames(LINKTYPE.ETHERNET, frames([
    { seq: 1000, data: bytes.slice(0, 60) }, { seq: 1100, data: bytes.slice(100) },
  ])));
  assert.equal(proto(gap), 'TLS [DPI]');
  assert.equal(field(gap, 'protos.tls.ja3.client_hash'), undefined);
});

// --- Malformed input: lengths that lie -----------------------------------------------------------

test('tls: lengths past the end, zero lengths and truncated hellos never read outside the packet', async () => {
  const good = browserHello('ok.example', ['h2']);
  const cases: Bytes[] = [
    record(22, good.slice(0, 20)),                                        // hello cut inside random
    record(22, cat([1], be24(0xffffff), good.slice(4))),                  // message length past everything
    record(22, cat(good.slice(0, 4 + 34), [200])),                        // session id longer than 32
    record(22, handshake(1, cat(be16(0x0303), new Uint8Array(32), [0], be16(0xfffe)))), // cipher list past end
    record(22, handshake(1, cat(be16(0x0303), new Uint8Array(32), [0], be16(2), [0, 0x2f], [1, 0], be16(0x4000), ext(0, [0xff, 0xff])))),
    record(22, handshake(1, cat(be16(0x0303), new Uint8Array(32), [0], be16(2), [0, 0x2f], [1, 0], be16(9), ext(0, cat(be16(3), [0], be16(0)))))), // empty SNI
    record(22, handshake(1, cat(be16(0x0303), new Uint8Array(32), [0], be16(2), [0, 0x2f], [1, 0], be16(6), ext(16, [0, 9, 200])))), // ALPN name past end
    record(22, new Uint8Array(0)),                                        // empty record
    cat([22, 3, 3, 0, 0], record(21, Uint8Array.from([2, 40]))),                           // empty record then an alert
  ];
  for (const c of cases) {
    const f = await tcpConversation(40000, 443, [c]);
    assert.equal(proto(f), 'TLS [DPI]', `case ${Buffer.from(c.slice(0, 12)).toString('hex')}`);
  }
  // A record longer than TLS allows (RFC 8446 §5.2) is not TLS.
  const huge = await tcpConversation(40000, 443, [cat([22, 3, 3], be16(0xffff), new Uint8Array(20))]);
  assert.notEqual(proto(huge), 'TLS [DPI]');
});

test('tls: a fatal alert in clear raises the risk; TLS on 993 is IMAPS, on 853 DNS over TLS', async () => {
  const alerted = await tcpConversation(40000, 443, [record(22, browserHello('a.example', ['h2'])), { reply: record(21, Uint8Array.from([2, 40])) }]);
  assert.ok(alerted.flow_risk.includes(RISK.FATAL_ALERT));
  const imaps = await tcpConversation(40000, 993, [record(22, browserHello('mail.example', ['imap']))]);
  assert.equal(imaps['proto.ndpi'], 'IMAPS');
  const dot = await tcpConversation(40000, 853, [record(22, browserHello('dns.example', ['dot']))]);
  assert.equal(dot['proto.ndpi'], 'TLS.DoH_DoT');
});

// --- ServerHello and certificate ------------------------------------------------------------------

test('tls: TLS 1.3 ServerHello: selected version, cipher, JA3S, negotiated ALPN', async () => {
  const sh = serverHello(0x0303, 0x1301, [ext(43, be16(0x0304)), ext(16, cat(be16(3), [2], ascii('h2')))]);
  const f = await tcpConversation(40000, 443, [record(22, browserHello('a.example', ['h2'])), { reply: record(22, sh) }]);
  assert.equal(field(f, 'protos.tls_version'), 0x0304);
  assert.equal(field(f, 'protos.tls.cipher'), 0x1301);
  assert.equal(field(f, 'protos.tls.ja3.server_hash'), md5('771,4865,43-16'));
  assert.equal(field(f, 'protos.tls.negotiated_alpn'), 'h2');
});

test('tls: a TLS 1.0 ServerHello keeps the hello\'s version; a weak cipher is flagged', async () => {
  const sh = serverHello(0x0301, 0x002f, []);
  const f = await tcpConversation(40000, 443, [record(22, browserHello('a.example', ['h2'])), { reply: record(22, sh, 0x0301) }]);
  assert.equal(field(f, 'protos.tls_version'), 0x0303);
  assert.ok(f.flow_risk.includes(RISK.WEAK_CIPHER));
  assert.ok(!f.flow_risk.includes(RISK.OBSOLETE));
});

function serverFlight(cert: Bytes): Bytes {
  // ServerHello and Certificate coalesced in one record (RFC 8446 §5.1), then ServerHelloDone.
  return cat(record(22, cat(serverHello(0x0303, 0xc02f, []), certificateMessage(cert))), record(22, handshake(14, new Uint8Array(0))));
}

const CA = seq(attr(6, 'US'), attr(10, 'Example CA Inc'), attr(3, 'Example Issuing CA'));
const SERVER = seq(attr(6, 'US'), attr(8, 'California'), attr(7, 'Walnut Creek'), attr(10, 'Example Org'), attr(3, '*.example.com'), email('ops@example.com'));

test('tls: the server certificate: issuer, subject (nDPI\'s attributes only), SANs, validity', async () => {
  const cert = certificate({ issuer: CA, subject: SERVER, notBefore: '230101000000Z', notAfter: '241231235959Z',
    sans: [dns('*.example.com'), dns('example.com'), ipSan([10, 1, 2, 3])] });
  const flight = serverFlight(cert);
  // The server's flight arrives in three segments cut inside the certificate.
  const f = await tcpConversation(40000, 443, [record(22, browserHello('www.example.com', ['h2'])),
    { reply: flight.slice(0, 70) }, { reply: flight.slice(70, 200) }, { reply: flight.slice(200) }]);
  assert.equal(field(f, 'protos.tls.issuerDN'), 'C=US, O=Example CA Inc, CN=Example Issuing CA');
  assert.equal(field(f, 'protos.tls.subjectDN'), 'C=US, ST=California, L=Walnut Creek, O=Example Org, CN=*.example.com');
  assert.equal(field(f, 'protos.tls.server_names'), '*.example.com,example.com,10.1.2.3');
  assert.equal(field(f, 'protos.tls.notBefore'), Date.UTC(2023, 0, 1) / 1000);
  assert.equal(field(f, 'protos.tls.notAfter'), Date.UTC(2024, 11, 31, 23, 59, 59) / 1000);
  // Packet time is 2023-11-14: valid, not self-signed, the SNI matches the wildcard.
  for (const r of [RISK.EXPIRED, RISK.SELF_SIGNED, RISK.MISMATCH]) assert.ok(!f.flow_risk.includes(r), `risk ${r}`);
});

test('tls: self-signed, expired and mismatching certificates', async () => {
  const self = seq(attr(6, 'IT'), attr(10, 'ntop.org'));
  const cert = certificate({ issuer: self, subject: self, notBefore: '151010155547Z', notAfter: '161009155547Z', sans: [dns('shop.example.net')] });
  const f = await tcpConversation(40000, 443, [record(22, browserHello('www.example.com', ['h2'])), { reply: serverFlight(cert) }]);
  for (const r of [RISK.EXPIRED, RISK.SELF_SIGNED, RISK.MISMATCH]) assert.ok(f.flow_risk.includes(r), `risk ${r}`);
});

test('tls: malformed certificates (bad DER lengths, indefinite length) are skipped safely', async () => {
  const bad: Bytes[] = [
    Uint8Array.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30]),
    Uint8Array.from([0x30, 0x80, 0x30, 0x80, 0, 0, 0, 0]),
    Uint8Array.from([0x30, 0x06, 0x30, 0x04, 0xa0, 0x7f, 0x02, 0x01]),
    seq(seq(tlv(0xa0, tlv(0x02, [2])), tlv(0x02, [1]), seq(), seq(tlv(0x31, seq(tlv(0x06, [0x55, 0x04]), tlv(0x13, ascii('x'))))))),
  ];
  for (const cert of bad) {
    const f = await tcpConversation(40000, 443, [record(22, browserHello('a.example', ['h2'])), { reply: serverFlight(cert) }]);
    assert.equal(proto(f), 'TLS [DPI]');
  }
});
