// QUIC (core-as/dissect/quic.ts, quic_initial.ts, gquic.ts) through the whole engine: Initial
// packets protected here with node:crypto (RFC 9001 §5; checked first against the RFC 9001 and
// RFC 9369 Appendix A packets), gQUIC CHLOs, Version Negotiation, short headers, and broken
// packets that must be rejected without a crash.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import {
  ETH, IPPROTO, LINKTYPE, ascii, be16, be32, cat, ethernet, ipv4, le16, le32, udp, zeros, type Bytes,
} from '../core/bytes.ts';
import { onlyFlow, prng, runFrames } from '../core/run.ts';
import type { FlowInfo } from '../../runtime/types.ts';
import {
  QUIC_A2_CRYPTO_FRAME, QUIC_A2_PAYLOAD_LEN, QUIC_A2_PROTECTED, QUIC_A_DCID, QUIC_V1_INITIAL_SALT, hex,
} from '../crypto/vectors.ts';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// --- Packet protection, the sender's side (RFC 9001 §5) ------------------------------------------

const V1 = 0x00000001;
const V2 = 0x6b3343cf;
const DRAFT_29 = 0xff00001d;
const SALTS: Record<number, string> = {
  [V1]: QUIC_V1_INITIAL_SALT,
  [V2]: '0dede3def700a6db819381be6e269dcbf9bd2ed9', // RFC 9369 §3.3.1
  [DRAFT_29]: 'afbfec289993d24c9e9786f19c6111e04390a899', // draft-ietf-quic-tls-29 §5.2
};

/** HKDF-Expand-Label (RFC 8446 §7.1) with HKDF-Expand (RFC 5869 §2.3) alone; one block suffices here. */
function expandLabel(secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`);
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0, 1])]);
  return crypto.createHmac('sha256', secret).update(info).digest().subarray(0, length);
}

function clientKeys(version: number, dcid: Bytes) {
  const initial = crypto.createHmac('sha256', hex(SALTS[version])).update(dcid).digest();
  const secret = expandLabel(initial, 'client in', 32);
  const prefix = version === V2 ? 'quicv2' : 'quic';
  return { key: expandLabel(secret, `${prefix} key`, 16), iv: expandLabel(secret, `${prefix} iv`, 12), hp: expandLabel(secret, `${prefix} hp`, 16) };
}

function varint(v: number): number[] {
  if (v < 0x40) return [v];
  if (v < 0x4000) return be16(0x4000 | v);
  return be32((0x80000000 | v) >>> 0);
}

interface InitialOptions {
  version?: number;
  dcid?: Bytes;
  scid?: Bytes;
  token?: Bytes;
  pn?: number;
  pnLen?: number;
  /** Frames, padded with PADDING to `payloadLen`. */
  frames: Bytes;
  payloadLen?: number;
}

/** A protected client Initial (RFC 9000 §17.2.2; RFC 9001 §5.3, §5.4; RFC 9369 §3.2 type bits). */
function initial(o: InitialOptions): Bytes {
  const version = o.version ?? V1;
  const dcid = o.dcid ?? hex(QUIC_A_DCID);
  const scid = o.scid ?? zeros(0);
  const token = o.token ?? zeros(0);
  const pnLen = o.pnLen ?? 4;
  const pn = o.pn ?? 2;
  const payload = cat(o.frames, zeros(Math.max(0, (o.payloadLen ?? 1162) - o.frames.length)));
  const type = version === V2 ? 1 : 0;
  const header = cat([0xc0 | (type << 4) | (pnLen - 1)], be32(version), [dcid.length], dcid, [scid.length], scid,
    varint(token.length), token, varint(pnLen + payload.length + 16), be32(pn).slice(4 - pnLen));
  const { key, iv, hp } = clientKeys(version, dcid);
  const nonce = Buffer.from(iv);
  for (let i = 0; i < 4; i++) nonce[11 - i] ^= (pn >>> (8 * i)) & 0xff;
  const cipher = crypto.createCipheriv('aes-128-gcm', key, nonce);
  cipher.setAAD(header);
  const sealed = cat(cipher.update(payload), cipher.final(), cipher.getAuthTag());
  const packet = cat(header, sealed);
  const pnOffset = header.length - pnLen;
  const mask = crypto.createCipheriv('aes-128-ecb', hp, null).update(packet.subarray(pnOffset + 4, pnOffset + 20));
  packet[0] ^= mask[0] & 0x0f;
  for (let i = 0; i < pnLen; i++) packet[pnOffset + i] ^= mask[1 + i];
  return packet;
}

/** CRYPTO frame (RFC 9000 §19.6): type 0x06, offset, length, data. */
const cryptoFrame = (offset: number, data: Bytes) => cat([0x06], varint(offset), varint(data.length), data);

/** A TLS 1.3 ClientHello handshake message with SNI and ALPN (RFC 8446 §4.1.2, RFC 6066 §3, RFC 7301). */
function clientHello(sni: string, alpn = 'h3', padTo = 0, transportParams?: Bytes): Bytes {
  const ext = (type: number, body: Bytes) => cat(be16(type), be16(body.length), body);
  const name = ascii(sni);
  const proto = ascii(alpn);
  const extensions = cat(
    ext(0x0000, cat(be16(name.length + 3), [0], be16(name.length), name)),
    ext(0x0010, cat(be16(proto.length + 1), [proto.length], proto)),
    ext(0x002b, cat([2], be16(0x0304))),
    ext(0x000a, cat(be16(2), be16(0x001d))),
    ext(0x000d, cat(be16(2), be16(0x0403))),
    padTo > 0 ? ext(0x0015, zeros(padTo)) : zeros(0),
    transportParams ? ext(0x0039, transportParams) : zeros(0),
  );
  const body = cat(be16(0x0303), zeros(32), [0], be16(2), be16(0x1301), [1, 0], be16(extensions.length), extensions);
  return cat([1], [body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff], body);
}

// --- Running captures ---------------------------------------------------------------------------

async function udpFlow(cport: number, sport: number, turns: Array<Bytes | { reply: Bytes }>): Promise<FlowInfo> {
  const frames = turns.map((t) => t instanceof Uint8Array
    ? ethernet(ETH.IPV4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.UDP, payload: udp({ sport: cport, dport: sport, payload: t }) }))
    : ethernet(ETH.IPV4, ipv4({ src: '10.0.0.2', dst: '10.0.0.1', protocol: IPPROTO.UDP, payload: udp({ sport, dport: cport, payload: t.reply }) })));
  return onlyFlow(await runFrames(LINKTYPE.ETHERNET, frames));
}

const summary = (f: FlowInfo) => ({
  proto: f['proto.ndpi'],
  confidence: f['proto.ndpi_confidence'],
  host: f.host_server_name,
  version: f['protos.quic.version'],
  versionName: f['protos.quic.version_name'],
});

// --- RFC test vectors ---------------------------------------------------------------------------

const A2_PLAINTEXT_FRAMES = hex(QUIC_A2_CRYPTO_FRAME);

test('the sender used by these tests reproduces RFC 9001 A.2 and RFC 9369 A.2 byte for byte', () => {
  const v1 = initial({ frames: A2_PLAINTEXT_FRAMES, payloadLen: QUIC_A2_PAYLOAD_LEN });
  assert.equal(toHex(v1), toHex(hex(QUIC_A2_PROTECTED)));
  const v2 = initial({ version: V2, frames: A2_PLAINTEXT_FRAMES, payloadLen: QUIC_A2_PAYLOAD_LEN });
  // RFC 9369 A.1 keys and A.2 protected header, sample and start of the packet.
  const keys = clientKeys(V2, hex(QUIC_A_DCID));
  assert.equal(toHex(keys.key), '8b1a0bc121284290a29e0971b5cd045d');
  assert.equal(toHex(keys.iv), '91f73e2351d8fa91660e909f');
  assert.equal(toHex(keys.hp), '45b95e15235d6f45a6b19cbcb0294ba9');
  assert.equal(toHex(v2.subarray(0, 32)), 'd76b3343cf088394c8f03e5157080000449ea0c95e82ffe67b6abcdb4298b485');
  assert.equal(v2.length, 1200);
});

test('RFC 9001 Appendix A client Initial: QUIC V-1, SNI example.com', async () => {
  const f = await udpFlow(51000, 443, [hex(QUIC_A2_PROTECTED)]);
  assert.deepEqual(summary(f), { proto: 'QUIC', confidence: 'DPI', host: 'example.com', version: 1, versionName: 'V-1' });
  assert.equal(f['protos.tls.client_alpn'], 'alpn');
});

test('RFC 9369 Appendix A client Initial (QUIC v2: salt, quicv2 labels, Initial type 0b01): V-2', async () => {
  const v2 = initial({ version: V2, frames: A2_PLAINTEXT_FRAMES, payloadLen: QUIC_A2_PAYLOAD_LEN });
  const f = await udpFlow(51000, 4443, [v2]);
  assert.deepEqual(summary(f), { proto: 'QUIC', confidence: 'DPI', host: 'example.com', version: V2, versionName: 'V-2' });
});

test('draft-29 Initial with its own salt; the SNI selects the application (QUIC.Google)', async () => {
  const f = await udpFlow(51000, 443, [initial({ version: DRAFT_29, frames: cryptoFrame(0, clientHello('www.google.com', 'h3-29')) })]);
  assert.deepEqual(summary(f), { proto: 'QUIC.Google', confidence: 'DPI', host: 'www.google.com', version: DRAFT_29, versionName: 'Draft-29' });
});

test("Chrome's google_user_agent transport parameter (RFC 9000 §18 layout) is the flow's user agent",
  async () => {
    const agent = ascii('dev Chrome/92.0.4503.5 Windows NT 10.0; Win64; x64');
    const params = cat([0x01, 0x04], be32(0x80007530), varint(0x3129), varint(agent.length), agent, [0x0f, 0x00]);
    const f = await udpFlow(51000, 443, [initial({ frames: cryptoFrame(0, clientHello('ua.example.org', 'h3', 0, params)) })]);
    assert.equal(f['protos.http.last_user_agent'], 'dev Chrome/92.0.4503.5 Windows NT 10.0; Win64; x64');
  });

// --- Reassembly of the CRYPTO stream ------------------------------------------------------------

test('ClientHello in out-of-order CRYPTO frames of one packet, with PING and PADDING between them', async () => {
  const hello = clientHello('chaos.example.org');
  const frames = cat(cryptoFrame(200, hello.subarray(200)), [0x01, 0x00, 0x00], cryptoFrame(0, hello.subarray(0, 90)),
    [0x01], cryptoFrame(90, hello.subarray(90, 200)));
  const f = await udpFlow(51000, 443, [initial({ frames })]);
  assert.equal(f.host_server_name, 'chaos.example.org');
});

test('ClientHello split over two Initial packets (second part first), reassembled by offset', async () => {
  const hello = clientHello('split.example.org', 'h3', 1500);
  const first = initial({ pn: 0, frames: cryptoFrame(1000, hello.subarray(1000)), payloadLen: 1162 });
  const second = initial({ pn: 1, frames: cryptoFrame(0, hello.subarray(0, 1000)), payloadLen: 1162 });
  const f = await udpFlow(51000, 443, [first, { reply: zeros(40).fill(0x41) }, second]);
  assert.deepEqual(summary(f), { proto: 'QUIC', confidence: 'DPI', host: 'split.example.org', version: 1, versionName: 'V-1' });
});

test('overlapping and repeated CRYPTO ranges merge; frames past the 8 KiB buffer are dropped', async () => {
  const hello = clientHello('overlap.example.org');
  const frames = cat(cryptoFrame(50, hello.subarray(50, 150)), cryptoFrame(100, hello.subarray(100)),
    cryptoFrame(50, hello.subarray(50, 120)), cryptoFrame(9000, zeros(10)), cryptoFrame(0, hello.subarray(0, 60)));
  const f = await udpFlow(51000, 443, [initial({ frames })]);
  assert.equal(f.host_server_name, 'overlap.example.org');
});

test('0-RTT packet before the Initial: QUIC decided on the Initial', async () => {
  const zeroRtt = cat([0xd0], be32(V1), [8], hex(QUIC_A_DCID), [0], varint(30), zeros(30));
  const f = await udpFlow(51000, 443, [zeroRtt, hex(QUIC_A2_PROTECTED)]);
  assert.equal(f.host_server_name, 'example.com');
});

// --- Broken Initials ----------------------------------------------------------------------------

test('tampered payload (tag check fails): QUIC by its version, no ClientHello', async () => {
  const packet = hex(QUIC_A2_PROTECTED);
  packet[600] ^= 1;
  const f = await udpFlow(51000, 443, [packet]);
  assert.deepEqual(summary(f), { proto: 'QUIC', confidence: 'DPI', host: undefined, version: 1, versionName: 'V-1' });
});

test('truncated Initials at every length: no crash, never a host name', async () => {
  const packet = hex(QUIC_A2_PROTECTED);
  for (const cut of [1, 4, 5, 6, 7, 13, 14, 15, 16, 17, 18, 21, 22, 30, 37, 38, 100, 1000, 1199]) {
    const f = await udpFlow(51000, 443, [packet.subarray(0, cut)]);
    assert.equal(f.host_server_name, undefined, `cut at ${cut}`);
  }
});

test('lengths past the packet, oversized connection ids and tokens, zero lengths: rejected safely', async () => {
  const dcid = hex(QUIC_A_DCID);
  const cases: Bytes[] = [
    cat([0xc3], be32(V1), [21], zeros(40)),                                        // DCID longer than 20
    cat([0xc3], be32(V1), [8], dcid, [21], zeros(40)),                             // SCID longer than 20
    cat([0xc3], be32(V1), [8], dcid, [0], varint(5000), zeros(40)),                // token past the end
    cat([0xc3], be32(V1), [8], dcid, [0], [0], varint(5000), zeros(40)),           // Length past the end
    cat([0xc3], be32(V1), [8], dcid, [0], [0], [0]),                               // Length 0
    cat([0xc3], be32(V1), [8], dcid, [0], [0], [0xff]),                            // varint cut short
    cat([0xc3], be32(V1), [0], [0], [0], varint(40), zeros(40)),                   // empty DCID
    cat([0xc3], be32(V1), [8], dcid, [0], [0], varint(10), zeros(10)),             // too short to sample
  ];
  for (const packet of cases) {
    const f = await udpFlow(51000, 443, [packet]);
    assert.equal(f.host_server_name, undefined);
  }
});

test('garbage frames in a decrypted Initial (ACK with huge range count, CRYPTO past the payload): no host', async () => {
  for (const frames of [
    cat([0x02], varint(5), varint(0), varint(1000000), varint(0)),
    cat([0x06], varint(0), varint(5000), zeros(10)),
    cat([0x06], varint(0), [0x80]),
    cat([0x1c], varint(0), varint(0), varint(9000)),
    cat([0x06], varint(0), varint(4), [0x02, 0, 0, 0]),  // a ServerHello type, not a ClientHello
  ]) {
    const f = await udpFlow(51000, 443, [initial({ frames })]);
    assert.deepEqual([f['proto.ndpi'], f.host_server_name], ['QUIC', undefined]);
  }
});

test('random datagrams with a QUIC long header, gQUIC flags or a short header never crash the engine', async () => {
  const random = prng(9001);
  const frames: Bytes[] = [];
  for (let i = 0; i < 600; i++) {
    const len = 1 + Math.floor(random() * 1400);
    const packet = Uint8Array.from({ length: len }, () => Math.floor(random() * 256));
    const kind = i % 3;
    if (kind === 0 && len > 5) {
      packet[0] = 0xc0 | (packet[0] & 0x3f);
      packet.set(be32([V1, V2, DRAFT_29, 0x51303530, 0x54303531, 0x51303436][i % 6]), 1);
      if (len > 6 && random() < 0.7) packet[5] = Math.floor(random() * 21);
    } else if (kind === 1 && len > 13) {
      packet[0] = 0x0d;
      packet.set(ascii('Q043'), 9);
      if (len > 40 && random() < 0.5) packet.set(ascii('CHLO'), 30);
    }
    const sport = 1000 + i;
    frames.push(ethernet(ETH.IPV4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.UDP, payload: udp({ sport, dport: i % 2 === 0 ? 443 : 4433, payload: packet }) })));
  }
  const result = await runFrames(LINKTYPE.ETHERNET, frames);
  assert.equal(result.flows.length, 600);
  for (const f of result.flows) assert.equal(f.host_server_name, undefined);
});

// --- Google QUIC ----------------------------------------------------------------------------------

/** A gQUIC handshake message: tag, entry count, padding, (tag, end offset) entries, values. */
function handshakeMessage(tag: string, entries: Array<[string, Bytes]>, endOverride?: number): Bytes {
  const tagBytes = (t: string) => cat(ascii(t), zeros(4 - t.length));
  let end = 0;
  const table = entries.map(([t, v], i) => {
    end += v.length;
    return cat(tagBytes(t), le32(i === 0 && endOverride !== undefined ? endOverride : end));
  });
  return cat(tagBytes(tag), le16(entries.length), [0, 0], ...table, ...entries.map(([, v]) => v));
}

/** Public header with version (flags 0x0d: version, 8-byte connection id), packet number, hash, STREAM frame. */
function gquicPacket(version: string, message: Bytes): Bytes {
  return cat([0x0d], zeros(8).fill(0x11), ascii(version), [1], zeros(12), [0xa0, 0x01], le16(message.length), message);
}

test('gQUIC Q025 CHLO: SNI and user agent (UAID), QUIC.YouTube, version Q025', async () => {
  const chlo = handshakeMessage('CHLO', [['PAD', zeros(20)], ['SNI', ascii('www.youtube.com')], ['UAID', ascii('Chrome/49.0 Linux x86_64')], ['VER', ascii('Q025')]]);
  const f = await udpFlow(40000, 443, [gquicPacket('Q025', chlo)]);
  assert.deepEqual(summary(f), { proto: 'QUIC.YouTube', confidence: 'DPI', host: 'www.youtube.com', version: 0x51303235, versionName: 'Q025' });
  assert.equal(f['protos.http.last_user_agent'], 'Chrome/49.0 Linux x86_64');
});

test('gQUIC Q046 (long header) CHLO without SNI: QUIC, risk Missing SNI', async () => {
  const chlo = handshakeMessage('CHLO', [['PAD', zeros(8)], ['VER', ascii('Q046')]]);
  const packet = cat([0xc3], ascii('Q046'), [0x50], zeros(8), be32(1), zeros(12), [0xa0, 0x01], le16(chlo.length), chlo);
  const f = await udpFlow(40000, 443, [packet]);
  assert.deepEqual(summary(f), { proto: 'QUIC', confidence: 'DPI', host: undefined, version: 0x51303436, versionName: 'Q046' });
  assert.ok(f.flow_risk.includes(24), `risks ${f.flow_risk}`);
});

test('gQUIC CHLO whose offsets run past the packet (as quic-fuzz-overflow): no value read, no crash', async () => {
  for (const end of [0xffffffff, 0x7fffffff, 5000]) {
    const chlo = handshakeMessage('CHLO', [['UAID', ascii('x'.repeat(20))], ['SNI', ascii('evil.example')]], end);
    const f = await udpFlow(40000, 443, [gquicPacket('Q024', chlo)]);
    assert.deepEqual([f['proto.ndpi'], f.host_server_name, f['protos.http.last_user_agent']], ['QUIC', undefined, undefined]);
    assert.ok(f.flow_risk.includes(24));
  }
  // An entry count larger than the packet holds.
  const huge = cat(ascii('CHLO'), le16(0xffff), [0, 0], zeros(30));
  const f = await udpFlow(40000, 443, [gquicPacket('Q030', huge)]);
  assert.deepEqual([f['proto.ndpi'], f.host_server_name], ['QUIC', undefined]);
});

test('a server REJ seen without the client side (from port 443): QUIC', async () => {
  const rej = handshakeMessage('REJ', [['STK', zeros(30)], ['SNO', zeros(20)]]);
  const packet = cat([0x08], zeros(8).fill(0x22), [1], zeros(12), [0x40, 0x01, 0x03, 0xa5, 0x01, 0x00, 0x06, 0x00], [0xa0, 0x01], le16(rej.length), rej);
  const frames = [{ reply: packet }, { reply: packet }];
  const f = await udpFlow(60524, 443, frames);
  assert.equal(f['proto.ndpi'], 'QUIC');
  assert.equal(f['proto.ndpi_confidence'], 'DPI');
  assert.equal(f['protos.quic.version_name'], undefined); // a server's packets carry no version
});

// --- Version negotiation, short headers, Snapchat calls ------------------------------------------

test('a client Initial with a reserved version (0x?a?a?a?a) forcing Version Negotiation: Ver-Negotiation', async () => {
  const forcing = cat([0xc3], be32(0x1a2a3a4a), [8], hex(QUIC_A_DCID), [0], [0], varint(1200), zeros(1200));
  const f = await udpFlow(34511, 443, [forcing, forcing]);
  assert.deepEqual(summary(f), { proto: 'QUIC', confidence: 'DPI', host: undefined, version: 0x1a2a3a4a, versionName: 'Ver-Negotiation' });
});

test('Version Negotiation, then the real v1 Initial: the Initial decides (V-1, SNI)', async () => {
  const forcing = cat([0xc3], be32(0xbabababa), [8], hex(QUIC_A_DCID), [0], [0], varint(1200), zeros(1200));
  const vn = cat([0x80], be32(0), [0], [8], hex(QUIC_A_DCID), be32(V1), be32(DRAFT_29));
  const f = await udpFlow(55523, 4433, [forcing, { reply: vn }, hex(QUIC_A2_PROTECTED)]);
  assert.deepEqual(summary(f), { proto: 'QUIC', confidence: 'DPI', host: 'example.com', version: 1, versionName: 'V-1' });
});

test('bytes that only look like a reserved version (fixed bit clear, short, long ids): not QUIC', async () => {
  const f = await udpFlow(43690, 43690, [zeros(90).fill(0xaa)]);
  assert.equal(f['proto.ndpi'], 'Unknown');
});

test('three client short-header packets to 443 with one connection id: QUIC without an Initial', async () => {
  const dcid = [0x01, 0xdf, 0xc0, 0xfe, 0x62, 0xc6, 0x40, 0x77];
  const sh = (first: number, fill: number) => cat([first], dcid, zeros(40).fill(fill));
  const f = await udpFlow(37542, 443, [{ reply: sh(0x40, 3) }, sh(0x53, 1), sh(0x4f, 2), { reply: sh(0x44, 4) }, sh(0x45, 5)]);
  assert.equal(summary(f).proto, 'QUIC');
  assert.equal(summary(f).confidence, 'DPI');
  // Different connection ids: not recognised by payload (only the port guess remains).
  const g = await udpFlow(37543, 443, [sh(0x53, 1), cat([0x4f], zeros(48).fill(9)), sh(0x45, 5)]);
  assert.notEqual(g['proto.ndpi_confidence'], 'DPI');
});

test('RTP/RTCP inside a QUIC flow without SNI after the handshake: QUIC.SnapchatCall', async () => {
  const chlo = handshakeMessage('CHLO', [['PAD', zeros(8)], ['VER', ascii('Q046')]]);
  const hello = cat([0xc3], ascii('Q046'), [0x50], zeros(8), be32(1), zeros(12), [0xa0, 0x01], le16(chlo.length), chlo);
  const rtcp = cat([0x80, 0xc9, 0x00, 0x01], zeros(28));
  const greased = cat([0x89], be32(V1), zeros(40)); // a long header with the fixed bit greased (RFC 9287): not RTP
  const f = await udpFlow(42083, 443, [hello, { reply: greased }, cat([0x40], zeros(40)), rtcp]);
  assert.equal(f['proto.ndpi'], 'QUIC.SnapchatCall');
  const g = await udpFlow(42084, 443, [hello, { reply: greased }]);
  assert.equal(g['proto.ndpi'], 'QUIC');
});
