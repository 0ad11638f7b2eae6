// DTLS (core-as/dissect/dtls.ts): RFC 6347 records and handshake messages; the ClientHello's
// cookie (§4.2.1), JA3/JA4 as nDPI prints them for DTLS, the ServerHello and a certificate
// gathered from fragments (§4.2.3).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { ascii, be16, cat, pattern, zeros } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const be24 = (v: number) => [(v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const ext = (type: number, data: Uint8Array | number[]) => cat(be16(type), be16(data.length), data);

/** §4.1: type, version, epoch, sequence number (6), length, fragment. */
const record = (type: number, body: Uint8Array, o: { version?: number; epoch?: number } = {}) =>
  cat([type], be16(o.version ?? 0xfefd), be16(o.epoch ?? 0), zeros(6), be16(body.length), body);
/** §4.2.2: msg_type, length, message_seq, fragment_offset, fragment_length, fragment. */
const handshake = (type: number, body: Uint8Array, o: { offset?: number; total?: number; seq?: number } = {}) =>
  cat([type], be24(o.total ?? body.length), be16(o.seq ?? 0), be24(o.offset ?? 0), be24(body.length), body);

const SNI = ext(0, cat(be16(14), [0], be16(11), ascii('example.com')));
const GROUPS = ext(10, cat(be16(4), be16(0x001d), be16(0x0017)));
const POINT_FORMATS = ext(11, [1, 0]);
const USE_SRTP = ext(14, cat(be16(2), be16(0x0001), [0]));

/** §4.2.1: client_version, random, session_id, cookie, cipher_suites, compression_methods, extensions. */
function clientHello(o: { version?: number; cookie?: number[]; sni?: boolean } = {}): Uint8Array {
  const exts = cat(...(o.sni === false ? [] : [SNI]), GROUPS, POINT_FORMATS, USE_SRTP);
  const cookie = o.cookie ?? [];
  return cat(be16(o.version ?? 0xfefd), pattern(32), [0], [cookie.length], cookie, be16(4), be16(0xc02b), be16(0xc02f), [1, 0], be16(exts.length), exts);
}

const serverHello = () => cat(be16(0xfefd), pattern(32), [0], be16(0xc02b), [0], be16(0));

// A minimal X.509 certificate (RFC 5280 §4.1), DER (X.690): names are one CN each.
const der = (tag: number, content: Uint8Array | number[]) => {
  const c = Uint8Array.from(content);
  const len = c.length < 128 ? [c.length] : c.length < 256 ? [0x81, c.length] : [0x82, c.length >> 8, c.length & 0xff];
  return cat([tag], len, c);
};
const name = (cn: string) => der(0x30, der(0x31, der(0x30, cat(der(0x06, [0x55, 0x04, 0x03]), der(0x0c, ascii(cn))))));
const ALG = der(0x30, cat(der(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), [0x05, 0x00]));
const TBS = der(0x30, cat(der(0xa0, der(0x02, [2])), der(0x02, [0x01, 0x23]), ALG, name('Test CA'),
  der(0x30, cat(der(0x17, ascii('230101000000Z')), der(0x17, ascii('330101000000Z')))), name('peer.example'),
  der(0x30, cat(der(0x30, cat(der(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]), [0x05, 0x00])), der(0x03, [0, ...pattern(64)])))));
const CERT = der(0x30, cat(TBS, ALG, der(0x03, [0, ...pattern(64)])));
const CERTIFICATE_BODY = cat(be24(CERT.length + 3), be24(CERT.length), CERT);

test('ClientHello with a cookie: DTLS, SNI, JA3 over the DTLS version, JA4 "dd2d"', async () => {
  const f = await udpConversation(40983, 11111, [record(22, handshake(1, clientHello({ cookie: [1, 2, 3, 4] })))]);
  assert.equal(proto(f), 'DTLS [DPI]');
  assert.equal(f.host_server_name, 'example.com');
  const ja3 = createHash('md5').update('65277,49195-49199,0-10-11-14,29-23,0').digest('hex');
  assert.equal(f['protos.tls.ja3.client_hash'], ja3);
  assert.match(String(f['protos.tls.ja4.client_hash']), /^dd2d020400_[0-9a-f]{12}_[0-9a-f]{12}$/);
  assert.equal(f['protos.tls_version'], 0xfefd);
});

test('DTLS 1.0 ClientHello: JA4 "dd1"; OpenSSL\'s 0x0100: "ds3", obsolete-version risk', async () => {
  let f = await udpConversation(40000, 4433, [record(22, handshake(1, clientHello({ version: 0xfeff })), { version: 0xfeff })]);
  assert.match(String(f['protos.tls.ja4.client_hash']), /^dd1d/);
  f = await udpConversation(40000, 4433, [record(22, handshake(1, clientHello({ version: 0x0100, sni: false })), { version: 0x0100 })]);
  assert.equal(proto(f), 'DTLS [DPI]');
  assert.match(String(f['protos.tls.ja4.client_hash']), /^ds3d020300/);
  assert.ok(f.flow_risk.includes(7), `${f.flow_risk}`);
});

test('ServerHello and Certificate in one datagram: JA3S, cipher, issuer and subject', async () => {
  const flight = record(22, cat(handshake(2, serverHello(), { seq: 1 }), handshake(11, CERTIFICATE_BODY, { seq: 2 })));
  const f = await udpConversation(40000, 4433, [record(22, handshake(1, clientHello())), { reply: flight }]);
  assert.equal(proto(f), 'DTLS [DPI]');
  assert.equal(f['protos.tls.cipher'], 0xc02b);
  assert.ok(f['protos.tls.ja3.server_hash']);
  assert.equal(f['protos.tls.issuerDN'], 'CN=Test CA');
  assert.equal(f['protos.tls.subjectDN'], 'CN=peer.example');
});

test('a certificate in two fragments over two datagrams is gathered', async () => {
  const cut = 50;
  const first = record(22, handshake(11, CERTIFICATE_BODY.subarray(0, cut), { total: CERTIFICATE_BODY.length, seq: 2 }));
  const second = record(22, handshake(11, CERTIFICATE_BODY.subarray(cut), { offset: cut, total: CERTIFICATE_BODY.length, seq: 2 }));
  const f = await udpConversation(40000, 4433, [record(22, handshake(1, clientHello())), { reply: record(22, handshake(2, serverHello(), { seq: 1 })) },
    { reply: first }, { reply: second }]);
  assert.equal(f['protos.tls.subjectDN'], 'CN=peer.example');
});

test('a fragment out of order is waited for; a certificate never completed leaves no fields', async () => {
  const cut = 50;
  const second = record(22, handshake(11, CERTIFICATE_BODY.subarray(cut), { offset: cut, total: CERTIFICATE_BODY.length }));
  const first = record(22, handshake(11, CERTIFICATE_BODY.subarray(0, cut), { total: CERTIFICATE_BODY.length }));
  let f = await udpConversation(40000, 4433, [record(22, handshake(1, clientHello())), { reply: first }, { reply: first }]);
  assert.equal(f['protos.tls.subjectDN'], undefined);
  f = await udpConversation(40000, 4433, [record(22, handshake(1, clientHello())), { reply: second }, { reply: first }, { reply: second }]);
  assert.equal(f['protos.tls.subjectDN'], 'CN=peer.example');
});

test('application data of a session already under way is DTLS', async () => {
  const f = await udpConversation(443, 61189, [record(23, pattern(100), { epoch: 1 }), record(23, pattern(80), { epoch: 1 })]);
  assert.equal(proto(f), 'DTLS [DPI]');
});

test('not DTLS: record length past the datagram, trailing bytes, unknown type or version, short header', async () => {
  const good = record(22, handshake(1, clientHello()));
  const lengthPast = cat(good.subarray(0, 11), be16(good.length), good.subarray(13));
  for (const bad of [lengthPast, cat(good, [0]), cat([30], good.subarray(1)), record(22, handshake(1, clientHello()), { version: 0x0303 }), good.subarray(0, 12)]) {
    const f = await udpConversation(40000, 40001, [bad]);
    assert.notEqual(f['proto.ndpi'], 'DTLS');
  }
});

test('a ClientHello cut inside the cookie or the cipher suites does not fault', async () => {
  const hello = clientHello({ cookie: pattern(20) as unknown as number[] });
  for (const n of [10, 35, 36, 40, 60, 70]) {
    const body = hello.subarray(0, n);
    const f = await udpConversation(40000, 40001, [record(22, handshake(1, body, { total: hello.length }))]);
    assert.equal(proto(f), 'DTLS [DPI]');
  }
});

test('missing SNI: a risk on its own, none in a call\'s DTLS-SRTP after STUN (nor a self-signed certificate)', async () => {
  const hello = record(22, handshake(1, clientHello({ sni: false })));
  let f = await udpConversation(40000, 4433, [hello]);
  assert.ok(f.flow_risk.includes(24), `${f.flow_risk}`);
  // RFC 8489 §5 Binding request: type, length 0, magic cookie, transaction id.
  const binding = cat(be16(1), be16(0), [0x21, 0x12, 0xa4, 0x42], pattern(12));
  const selfSigned = der(0x30, cat(der(0x30, cat(der(0xa0, der(0x02, [2])), der(0x02, [1]), ALG, name('WebRTC'),
    der(0x30, cat(der(0x17, ascii('230101000000Z')), der(0x17, ascii('330101000000Z')))), name('WebRTC'))), ALG, der(0x03, [0, 1])));
  const certificate = cat(be24(selfSigned.length + 3), be24(selfSigned.length), selfSigned);
  const flight = record(22, cat(handshake(2, serverHello(), { seq: 1 }), handshake(11, certificate, { seq: 2 })));
  f = await udpConversation(40000, 3478, [binding, hello, { reply: flight }]);
  assert.equal(proto(f), 'DTLS [DPI]');
  assert.equal(f['protos.tls.subjectDN'], 'CN=WebRTC');
  assert.ok(!f.flow_risk.includes(24) && !f.flow_risk.includes(15) && !f.flow_risk.includes(6), `${f.flow_risk}`);
  // The server seen alone: its self-signed certificate is flagged.
  f = await udpConversation(3478, 40000, [binding, flight]);
  assert.ok(f.flow_risk.includes(6), `${f.flow_risk}`);
});
