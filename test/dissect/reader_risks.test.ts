// The risks nDPI's expected results owe to the reader's own lists (../shared/ndpi/SOURCE.md):
// NDPI_RISKY_DOMAIN (27) for a host name in risky_domains.txt, raised from the DNS query, the
// TLS SNI and the HTTP Host (core-as/classify/classify.ts applyHostName), and
// NDPI_MALICIOUS_SHA1_CERTIFICATE (29) for a server certificate whose SHA-1 is in
// sha1_fingerprints.csv (core-as/dissect/tls_server.ts). Messages built by hand (RFC 1035 §4.1,
// RFC 8446 §4 and §5.1, RFC 9112 §3); the one listed certificate is the real one of nDPI's test
// capture tls_malicious_sha1.pcapng (its SHA-1 is the list's first, fake, entry).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { ascii, be16, cat, type Bytes } from '../core/bytes.ts';
import { tcpConversation, udpConversation } from './l7-flows.ts';
import type { FlowInfo } from '../../runtime/types.ts';

const RISKY_DOMAIN = 27;
const MALICIOUS_SHA1 = 29;

const riskInfo = (f: FlowInfo): unknown => (f as unknown as Record<string, unknown>).risk_info;

// --- DNS (RFC 1035 §4.1) ----------------------------------------------------------------------

const dnsName = (dotted: string) => cat(...dotted.split('.').map((l) => cat([l.length], ascii(l))), [0]);
const dnsQuery = (dotted: string) => cat(be16(0x1234), be16(0x0100), be16(1), be16(0), be16(0), be16(0), dnsName(dotted), be16(1), be16(1));
const dnsNxdomain = (dotted: string) => cat(be16(0x1234), be16(0x8183), be16(1), be16(0), be16(0), be16(0), dnsName(dotted), be16(1), be16(1));

test('risky domain: the DNS query whois.dot.tk (tk.pcap: "Risky Domain Name", info the name)', async () => {
  const f = await udpConversation(53820, 53, [dnsQuery('whois.dot.tk'), { reply: dnsNxdomain('whois.dot.tk') }]);
  assert.equal(f.host_server_name, 'whois.dot.tk');
  assert.ok(f.flow_risk.includes(RISKY_DOMAIN), `risks ${f.flow_risk}`);
  assert.equal(riskInfo(f), 'whois.dot.tk');
});

test('risky domain: a name that only contains a listed suffix is not flagged', async () => {
  for (const name of ['whois.dot.tk.example.com', 'dot.tkx', 'workgroup.example', 'tk']) {
    const f = await udpConversation(40000, 53, [dnsQuery(name)]);
    assert.equal(f.host_server_name, name);
    assert.ok(!f.flow_risk.includes(RISKY_DOMAIN), `${name}: risks ${f.flow_risk}`);
  }
});

test('risky domain: the HTTP Host, in any case and with a port', async () => {
  const req = ascii('GET / HTTP/1.1\r\nHost: Shop.Example.XYZ:8080\r\nUser-Agent: Mozilla/5.0 (X11)\r\n\r\n');
  const f = await tcpConversation(40000, 80, [req]);
  assert.equal(f.host_server_name, 'shop.example.xyz');
  assert.ok(f.flow_risk.includes(RISKY_DOMAIN), `risks ${f.flow_risk}`);
});

// --- TLS (RFC 8446 §4, §5.1) --------------------------------------------------------------------

const be24 = (v: number): number[] => [(v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const record = (type: number, body: Bytes) => cat([type], be16(0x0303), be16(body.length), body);
const handshake = (type: number, body: Bytes) => cat([type], be24(body.length), body);

function clientHello(sni: string): Bytes {
  const name = ascii(sni);
  const sniExt = cat(be16(0), be16(name.length + 5), be16(name.length + 3), [0], be16(name.length), name);
  return record(22, handshake(1, cat(be16(0x0303), new Uint8Array(32).fill(7), [0], be16(2), be16(0xc02f), [1, 0],
    be16(sniExt.length), sniExt)));
}

const serverHello = () => handshake(2, cat(be16(0x0303), new Uint8Array(32).fill(3), [0], be16(0xc02f), [0], be16(0)));

/** Certificate (RFC 5246 §7.4.2): certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. */
function certificateMessage(...certs: Bytes[]): Bytes {
  const list = cat(...certs.map((c) => cat(be24(c.length), c)));
  return handshake(11, cat(be24(list.length), list));
}

/** ServerHello, Certificate and ServerHelloDone in one handshake record. */
const serverFlight = (certMessage: Bytes) => record(22, cat(serverHello(), certMessage, handshake(14, new Uint8Array(0))));

/** The server certificate of tls_malicious_sha1.pcapng: the DER SEQUENCE whose SHA-1 is the list's fake entry. */
const LISTED_SHA1 = '0DDB34F875632C7E1EC09D75827F82D2336DFEB6';
function listedCertificate(): Bytes {
  const capture = readFileSync(new URL('../../../shared/pcaps/extra/tls_malicious_sha1.pcapng', import.meta.url));
  for (let i = 0; i + 4 < capture.length; i++) {
    if (capture[i] !== 0x30 || capture[i + 1] !== 0x82) continue;
    const der = capture.subarray(i, i + 4 + capture.readUInt16BE(i + 2));
    if (createHash('sha1').update(der).digest('hex').toUpperCase() === LISTED_SHA1) return Uint8Array.from(der);
  }
  throw new Error('tls_malicious_sha1.pcapng: the listed certificate was not found');
}

/** Runs a ClientHello and the server flight, cut into segments at the given offsets. */
async function tlsFlow(sni: string, flight: Bytes, cuts: number[] = []): Promise<FlowInfo> {
  const points = [0, ...cuts, flight.length];
  const replies = points.slice(1).map((end, i) => ({ reply: flight.slice(points[i], end) }));
  return tcpConversation(40294, 443, [clientHello(sni), ...replies]);
}

test('malicious certificate: the listed certificate in one segment (tls_malicious_sha1.pcapng)', async () => {
  const cert = listedCertificate();
  const f = await tlsFlow('www.prbtest.dev', serverFlight(certificateMessage(cert)));
  assert.equal((f as unknown as Record<string, unknown>)['protos.tls.subjectDN'], 'CN=www.prbtest.dev');
  assert.ok(f.flow_risk.includes(MALICIOUS_SHA1), `risks ${f.flow_risk}`);
  assert.equal(riskInfo(f), LISTED_SHA1);
});

test('malicious certificate: the flight cut inside the certificate over four segments', async () => {
  const flight = serverFlight(certificateMessage(listedCertificate()));
  const f = await tlsFlow('www.prbtest.dev', flight, [3, 100, 700]);
  assert.ok(f.flow_risk.includes(MALICIOUS_SHA1), `risks ${f.flow_risk}`);
});

test('malicious certificate: one byte changed, listed only second, or cut short: not flagged', async () => {
  const cert = listedCertificate();
  const changed = Uint8Array.from(cert);
  changed[changed.length - 1] ^= 1; // in the signature: the DER still parses
  let f = await tlsFlow('www.prbtest.dev', serverFlight(certificateMessage(changed)));
  assert.equal((f as unknown as Record<string, unknown>)['protos.tls.subjectDN'], 'CN=www.prbtest.dev');
  assert.ok(!f.flow_risk.includes(MALICIOUS_SHA1), `changed: risks ${f.flow_risk}`);
  // Only the first certificate (the server's own, RFC 5246 §7.4.2) is fingerprinted.
  f = await tlsFlow('www.prbtest.dev', serverFlight(certificateMessage(changed, cert)));
  assert.ok(!f.flow_risk.includes(MALICIOUS_SHA1), `second: risks ${f.flow_risk}`);
  // A certificate entry longer than its message: no digest of a part.
  const message = certificateMessage(cert);
  const lying = Uint8Array.from(message);
  lying.set(be24(cert.length + 50), 7);
  f = await tlsFlow('www.prbtest.dev', serverFlight(lying));
  assert.ok(!f.flow_risk.includes(MALICIOUS_SHA1), `overlong: risks ${f.flow_risk}`);
  // The capture ends inside the certificate.
  f = await tlsFlow('www.prbtest.dev', serverFlight(message).slice(0, 900));
  assert.ok(!f.flow_risk.includes(MALICIOUS_SHA1), `truncated: risks ${f.flow_risk}`);
});

test('risky domain: the TLS SNI, but not a certificate name (pinterest.pcap, assets.verishop.xyz)', async () => {
  let f = await tcpConversation(40000, 443, [clientHello('cdn.example.gq')]);
  assert.ok(f.flow_risk.includes(RISKY_DOMAIN), `SNI: risks ${f.flow_risk}`);
  f = await tcpConversation(40000, 443, [clientHello('www.example.com')]);
  assert.ok(!f.flow_risk.includes(RISKY_DOMAIN), `plain SNI: risks ${f.flow_risk}`);
  // A self-made certificate whose subjectAltName lists a .xyz name (RFC 5280 §4.2.1.6).
  const tlv = (tag: number, ...parts: Array<Bytes | number[]>): Bytes => {
    const body = cat(...parts);
    const len = body.length < 128 ? [body.length] : [0x82, ...be16(body.length)];
    return cat([tag], len, body);
  };
  const seq = (...p: Bytes[]) => tlv(0x30, ...p);
  const name = seq(tlv(0x31, seq(tlv(0x06, [0x55, 0x04, 0x03]), tlv(0x13, ascii('images.unsplash.com')))));
  const algo = seq(tlv(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), tlv(0x05));
  const spki = seq(seq(tlv(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]), tlv(0x05)), tlv(0x03, [0, 1, 2, 3]));
  const sans = tlv(0xa3, seq(seq(tlv(0x06, [0x55, 0x1d, 0x11]), tlv(0x04, seq(tlv(0x82, ascii('assets.verishop.xyz')))))));
  const tbs = seq(tlv(0xa0, tlv(0x02, [2])), tlv(0x02, [1]), algo, name,
    seq(tlv(0x17, ascii('230101000000Z')), tlv(0x17, ascii('241231235959Z'))), name, spki, sans);
  const cert = seq(tbs, algo, tlv(0x03, [0, 9, 9]));
  f = await tlsFlow('images.unsplash.com', serverFlight(certificateMessage(cert)));
  assert.equal((f as unknown as Record<string, unknown>)['protos.tls.server_names'], 'assets.verishop.xyz');
  assert.ok(!f.flow_risk.includes(RISKY_DOMAIN), `SAN: risks ${f.flow_risk}`);
});
