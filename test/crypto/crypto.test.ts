// core-as/crypto against the published vectors of each primitive, RFC 9001 Appendix A end to end
// (Initial keys from the DCID, header protection removed, payload decrypted), and node:crypto on
// random inputs. The module is compiled with the release options (see wasm.ts).
import assert from 'node:assert/strict';
import { createCipheriv, createHash, createHmac, hkdfSync } from 'node:crypto';
import { before, test } from 'node:test';
import { CryptoWasm } from './wasm.ts';
import {
  AES128_A1_FIRST_ROUND_KEY, AES128_A1_LAST_ROUND_KEY, AES128_B, AES128_C1, GCM_CASES, HKDF_CASES, HMAC_SHA256_CASES,
  MD5_SUITE, QUIC_A1, QUIC_A2_CRYPTO_FRAME, QUIC_A2_HEADER, QUIC_A2_MASK, QUIC_A2_PAYLOAD_LEN, QUIC_A2_PROTECTED,
  QUIC_A2_SAMPLE, QUIC_A3_HEADER, QUIC_A3_PAYLOAD, QUIC_A3_PROTECTED, QUIC_A_DCID, QUIC_V1_INITIAL_SALT,
  SBOX_SAMPLES, SHA1_MILLION_A, SHA1_VECTORS, SHA256_MILLION_A, SHA256_VECTORS, ascii, hex,
} from './vectors.ts';

let wasm: CryptoWasm;
before(async () => { wasm = await CryptoWasm.load(); });

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** xorshift32: reproducible "random" inputs, so a failure names a seed that replays it. */
function rng(seed: number) {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state;
  };
  return {
    int: (below: number): number => next() % below,
    bytes: (len: number): Uint8Array => Uint8Array.from({ length: len }, () => next() & 0xff),
  };
}

/** Splits data at random points (including empty pieces) to exercise the block buffering. */
function randomPieces(data: Uint8Array, random: ReturnType<typeof rng>): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    const len = Math.min(data.length - at, random.int(3) === 0 ? 0 : random.int(150));
    pieces.push(data.subarray(at, at + len));
    at += len;
  }
  return pieces;
}

// ---- MD5 (RFC 1321) -------------------------------------------------------------------------

test('MD5: the RFC 1321 A.5 test suite, one-shot and through a context', () => {
  for (const [input, digest] of MD5_SUITE) {
    assert.equal(toHex(wasm.md5(ascii(input))), digest, JSON.stringify(input));
    assert.equal(toHex(wasm.md5Pieces([...ascii(input)].map((b) => Uint8Array.of(b)))), digest, `${JSON.stringify(input)} byte by byte`);
  }
});

test('MD5: every length 0..300 and random splits agree with node:crypto', () => {
  const random = rng(0x4d44);
  for (let len = 0; len <= 300; len++) {
    const data = random.bytes(len);
    const expected = createHash('md5').update(data).digest('hex');
    assert.equal(toHex(wasm.md5(data)), expected, `length ${len}`);
    assert.equal(toHex(wasm.md5Pieces(randomPieces(data, random))), expected, `length ${len} in pieces`);
  }
  for (let i = 0; i < 200; i++) {
    const data = random.bytes(random.int(5000));
    assert.equal(toHex(wasm.md5(data)), createHash('md5').update(data).digest('hex'), `length ${data.length}`);
  }
});

// ---- SHA-1 (FIPS 180-4, RFC 3174) ----------------------------------------------------------

test('SHA-1: FIPS 180-4 examples and RFC 3174 TEST1/2/4, one-shot and byte by byte', () => {
  for (const [input, digest] of SHA1_VECTORS) {
    assert.equal(toHex(wasm.sha1(ascii(input))), digest, JSON.stringify(input));
    assert.equal(toHex(wasm.sha1Pieces([...ascii(input)].map((b) => Uint8Array.of(b)))), digest, `${JSON.stringify(input)} byte by byte`);
  }
});

test('SHA-1: one million "a" (RFC 3174 TEST3), one-shot and in 997-byte pieces', () => {
  const million = new Uint8Array(1_000_000).fill(0x61);
  assert.equal(toHex(wasm.sha1(million)), SHA1_MILLION_A);
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < million.length; at += 997) pieces.push(million.subarray(at, at + 997));
  assert.equal(toHex(wasm.sha1Pieces(pieces)), SHA1_MILLION_A);
});

test('SHA-1: every length 0..300 and random splits agree with node:crypto', () => {
  const random = rng(0x5331);
  for (let len = 0; len <= 300; len++) {
    const data = random.bytes(len);
    const expected = createHash('sha1').update(data).digest('hex');
    assert.equal(toHex(wasm.sha1(data)), expected, `length ${len}`);
    assert.equal(toHex(wasm.sha1Pieces(randomPieces(data, random))), expected, `length ${len} in pieces`);
  }
  for (let i = 0; i < 200; i++) {
    const data = random.bytes(random.int(5000));
    assert.equal(toHex(wasm.sha1(data)), createHash('sha1').update(data).digest('hex'), `length ${data.length}`);
  }
});

// ---- SHA-256 (FIPS 180-4) -------------------------------------------------------------------

test('SHA-256: FIPS 180-4 examples ("abc", the 448- and 896-bit messages, empty)', () => {
  for (const [input, digest] of SHA256_VECTORS) {
    assert.equal(toHex(wasm.sha256(ascii(input))), digest, JSON.stringify(input));
    assert.equal(toHex(wasm.sha256Pieces([...ascii(input)].map((b) => Uint8Array.of(b)))), digest, `${JSON.stringify(input)} byte by byte`);
  }
});

test('SHA-256: one million "a", one-shot and in 997-byte pieces', () => {
  const million = new Uint8Array(1_000_000).fill(0x61);
  assert.equal(toHex(wasm.sha256(million)), SHA256_MILLION_A);
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < million.length; at += 997) pieces.push(million.subarray(at, at + 997));
  assert.equal(toHex(wasm.sha256Pieces(pieces)), SHA256_MILLION_A);
});

test('SHA-256: every length 0..300 and random splits agree with node:crypto', () => {
  const random = rng(0x5348);
  for (let len = 0; len <= 300; len++) {
    const data = random.bytes(len);
    const expected = createHash('sha256').update(data).digest('hex');
    assert.equal(toHex(wasm.sha256(data)), expected, `length ${len}`);
    assert.equal(toHex(wasm.sha256Pieces(randomPieces(data, random))), expected, `length ${len} in pieces`);
  }
  for (let i = 0; i < 200; i++) {
    const data = random.bytes(random.int(5000));
    assert.equal(toHex(wasm.sha256(data)), createHash('sha256').update(data).digest('hex'), `length ${data.length}`);
  }
});

// ---- HMAC-SHA256 (RFC 2104, RFC 4231) -------------------------------------------------------

test('HMAC-SHA256: RFC 4231 test cases 1-7', () => {
  for (const { name, key, data, mac } of HMAC_SHA256_CASES) {
    assert.equal(toHex(wasm.hmacSha256(key, data)).slice(0, mac.length), mac, name);
  }
});

test('HMAC-SHA256: a keyed context restarted for several messages gives each MAC', () => {
  const key = ascii('Jefe');
  const messages = [[ascii('what do ya '), ascii('want for nothing?')], [], [ascii('x'.repeat(200))]];
  const macs = wasm.hmacSha256Many(key, messages);
  messages.forEach((pieces, i) => {
    const expected = createHmac('sha256', key);
    for (const piece of pieces) expected.update(piece);
    assert.equal(toHex(macs[i]), expected.digest('hex'), `message ${i}`);
  });
});

test('HMAC-SHA256: random keys (0..200 bytes, across the 64-byte block) and messages agree with node:crypto', () => {
  const random = rng(0x484d);
  for (let i = 0; i < 400; i++) {
    const key = random.bytes(i < 130 ? i : random.int(200));
    const msg = random.bytes(random.int(3000));
    assert.equal(toHex(wasm.hmacSha256(key, msg)), createHmac('sha256', key).update(msg).digest('hex'), `key ${key.length}, message ${msg.length}`);
  }
});

// ---- HKDF (RFC 5869) and HKDF-Expand-Label (RFC 8446 §7.1) ----------------------------------

test('HKDF: RFC 5869 test cases 1-3 (PRK and OKM)', () => {
  for (const { name, ikm, salt, info, length, prk, okm } of HKDF_CASES) {
    const actualPrk = wasm.hkdfExtract(salt, ikm);
    assert.equal(toHex(actualPrk), prk, `${name} PRK`);
    assert.equal(toHex(wasm.hkdfExpand(actualPrk, info, length)!), okm, `${name} OKM`);
  }
});

test('HKDF-Expand: lengths 0..8160 agree with node:crypto; more than 255 * HashLen is refused', () => {
  const random = rng(0x484b);
  const lengths = [0, 1, 31, 32, 33, 64, 65, 255 * 32, ...Array.from({ length: 40 }, () => random.int(255 * 32 + 1))];
  for (const length of lengths) {
    const prk = random.bytes(32), info = random.bytes(random.int(100));
    const expected = Buffer.from(hkdfSync('sha256', prk, new Uint8Array(0), info, length)).toString('hex');
    // node's hkdfSync extracts first with an empty salt; expand from the same PRK to compare.
    const nodePrk = createHmac('sha256', new Uint8Array(0)).update(prk).digest();
    assert.equal(toHex(wasm.hkdfExpand(nodePrk, info, length)!), expected, `length ${length}`);
  }
  assert.equal(wasm.hkdfExpand(new Uint8Array(32), new Uint8Array(0), 255 * 32 + 1), null);
});

test('HKDF-Expand-Label builds the HkdfLabel bytes RFC 9001 A.1 lists', () => {
  const secret = hex(QUIC_A1.initialSecret);
  for (const [label, info] of Object.entries(QUIC_A1.hkdfLabels)) {
    const length = (hex(info)[0] << 8) | hex(info)[1];
    assert.deepEqual(wasm.hkdfExpandLabel(secret, label, new Uint8Array(0), length), wasm.hkdfExpand(secret, hex(info), length), label);
  }
  // With a context: "tls13 " + label and the context, each behind a length byte.
  const context = ascii('ctx');
  const info = Uint8Array.of(0, 20, 6 + 4, ...ascii('tls13 test'), 3, ...context);
  assert.deepEqual(wasm.hkdfExpandLabel(secret, 'test', context, 20), wasm.hkdfExpand(secret, info, 20));
  assert.equal(wasm.hkdfExpandLabel(secret, 'x'.repeat(250), new Uint8Array(0), 16), null, 'label over 255 bytes with its prefix');
});

// ---- AES-128 (FIPS 197) ---------------------------------------------------------------------

test('AES-128: FIPS 197 C.1 and Appendix B vectors, A.1 key expansion, S-box entries of Figure 7', () => {
  for (const v of [AES128_C1, AES128_B]) assert.equal(toHex(wasm.aes128Ecb(hex(v.key), hex(v.plaintext))), v.ciphertext, v.key);
  const roundKeys = wasm.aes128RoundKeys(hex(AES128_B.key));
  assert.equal(roundKeys.length, 176);
  assert.equal(toHex(roundKeys.subarray(0, 16)), AES128_B.key);
  assert.equal(toHex(roundKeys.subarray(16, 32)), AES128_A1_FIRST_ROUND_KEY);
  assert.equal(toHex(roundKeys.subarray(160, 176)), AES128_A1_LAST_ROUND_KEY);
  const sbox = wasm.sbox();
  for (const [x, s] of SBOX_SAMPLES) assert.equal(sbox[x], s, `S(${x.toString(16)})`);
  assert.equal(new Set(sbox).size, 256, 'the S-box is a permutation');
});

test('AES-128: random keys and blocks agree with node:crypto aes-128-ecb', () => {
  const random = rng(0x4145);
  for (let i = 0; i < 300; i++) {
    const key = random.bytes(16), data = random.bytes(16 * (1 + random.int(8)));
    const cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
    assert.equal(toHex(wasm.aes128Ecb(key, data)), Buffer.concat([cipher.update(data), cipher.final()]).toString('hex'));
  }
});

// ---- AES-128-GCM (NIST SP 800-38D) ----------------------------------------------------------

test('AES-128-GCM: the GCM specification test cases 1-6 decrypt and verify; tampering is refused', () => {
  for (const c of GCM_CASES) {
    const args = [hex(c.key), hex(c.iv), hex(c.aad), hex(c.ciphertext), hex(c.tag)] as const;
    assert.equal(toHex(wasm.aes128GcmDecrypt(...args)!), c.plaintext, c.name);
    assert.equal(toHex(wasm.aes128GcmDecrypt(...args, true)!), c.plaintext, `${c.name} in place`);
    const badTag = hex(c.tag); badTag[15] ^= 0x01;
    assert.equal(wasm.aes128GcmDecrypt(args[0], args[1], args[2], args[3], badTag), null, `${c.name}: tampered tag`);
    if (c.ciphertext !== '') {
      const badText = hex(c.ciphertext); badText[badText.length - 1] ^= 0x80;
      assert.equal(wasm.aes128GcmDecrypt(args[0], args[1], args[2], badText, args[4], true), null, `${c.name}: tampered ciphertext`);
    }
    if (c.aad !== '') {
      const badAad = hex(c.aad); badAad[0] ^= 0x10;
      assert.equal(wasm.aes128GcmDecrypt(args[0], args[1], badAad, args[3], args[4]), null, `${c.name}: tampered AAD`);
    }
  }
});

test('AES-128-GCM: random messages sealed by node:crypto open in wasm; any flipped bit is refused', () => {
  const random = rng(0x47434d);
  for (let i = 0; i < 300; i++) {
    const key = random.bytes(16);
    const iv = random.bytes(random.int(4) === 0 ? 1 + random.int(40) : 12);
    const aad = random.bytes(random.int(4) === 0 ? 0 : random.int(100));
    const plaintext = random.bytes(i < 70 ? i : random.int(2000));
    const cipher = createCipheriv('aes-128-gcm', key, iv);
    cipher.setAAD(aad);
    const ciphertext = Uint8Array.from(Buffer.concat([cipher.update(plaintext), cipher.final()]));
    const tag = Uint8Array.from(cipher.getAuthTag());
    const what = `iv ${iv.length}, aad ${aad.length}, text ${plaintext.length}`;
    assert.equal(toHex(wasm.aes128GcmDecrypt(key, iv, aad, ciphertext, tag, i % 2 === 0)!), toHex(plaintext), what);
    // Flip one bit somewhere in AAD, ciphertext or tag.
    const parts = [aad, ciphertext, tag].filter((p) => p.length > 0);
    const part = parts[random.int(parts.length)];
    const at = random.int(part.length), bit = 1 << random.int(8);
    part[at] ^= bit;
    assert.equal(wasm.aes128GcmDecrypt(key, iv, aad, ciphertext, tag, true), null, `${what}: flipped bit`);
    part[at] ^= bit;
  }
});

// ---- RFC 9001 Appendix A: a QUIC Initial, end to end -----------------------------------------

interface InitialKeys { key: Uint8Array; iv: Uint8Array; hp: Uint8Array }

/** RFC 9001 §5.2 and §5.1: initial secret from the DCID, then the side's key, iv and hp. */
function initialKeys(dcid: Uint8Array, side: 'client in' | 'server in'): { initialSecret: Uint8Array; secret: Uint8Array } & InitialKeys {
  const initialSecret = wasm.hkdfExtract(hex(QUIC_V1_INITIAL_SALT), dcid);
  const secret = wasm.hkdfExpandLabel(initialSecret, side, new Uint8Array(0), 32)!;
  return {
    initialSecret, secret,
    key: wasm.hkdfExpandLabel(secret, 'quic key', new Uint8Array(0), 16)!,
    iv: wasm.hkdfExpandLabel(secret, 'quic iv', new Uint8Array(0), 12)!,
    hp: wasm.hkdfExpandLabel(secret, 'quic hp', new Uint8Array(0), 16)!,
  };
}

/** RFC 9000 §16 variable-length integer at `at`: [value, bytes used]. */
function varint(bytes: Uint8Array, at: number): [number, number] {
  const size = 1 << (bytes[at] >> 6);
  let value = bytes[at] & 0x3f;
  for (let i = 1; i < size; i++) value = value * 256 + bytes[at + i];
  return [value, size];
}

/**
 * Removes header protection (RFC 9001 §5.4.1-5.4.3) from a long-header Initial (RFC 9000 §17.2.2)
 * and decrypts its payload (§5.3). Returns the unprotected header, the mask and the plaintext.
 */
function openInitial(packet: Uint8Array, keys: InitialKeys) {
  let at = 1 + 4;                                 // first byte, version
  at += 1 + packet[at];                           // DCID
  at += 1 + packet[at];                           // SCID
  const [tokenLen, tokenLenSize] = varint(packet, at);
  at += tokenLenSize + tokenLen;
  const [length, lengthSize] = varint(packet, at);
  const pnOffset = at + lengthSize;
  const sample = packet.subarray(pnOffset + 4, pnOffset + 4 + 16); // §5.4.2: as if the PN were 4 bytes
  const mask = wasm.aes128Ecb(keys.hp, sample).subarray(0, 5);
  const header = packet.slice(0, pnOffset + 4);
  header[0] ^= mask[0] & 0x0f;                    // long header: the low 4 bits
  const pnLength = (header[0] & 0x03) + 1;
  for (let i = 0; i < pnLength; i++) header[pnOffset + i] ^= mask[1 + i];
  const aad = header.subarray(0, pnOffset + pnLength);
  let packetNumber = 0;
  for (let i = 0; i < pnLength; i++) packetNumber = packetNumber * 256 + aad[pnOffset + i];
  const nonce = keys.iv.slice();                  // §5.3: iv XOR the left-padded packet number
  for (let i = 0, pn = packetNumber; i < 8; i++, pn = Math.floor(pn / 256)) nonce[11 - i] ^= pn & 0xff;
  const payloadEnd = pnOffset + length;
  const ciphertext = packet.slice(pnOffset + pnLength, payloadEnd - 16);
  const tag = packet.slice(payloadEnd - 16, payloadEnd);
  return { header: aad.slice(), sample, mask, packetNumber, plaintext: wasm.aes128GcmDecrypt(keys.key, nonce, aad, ciphertext, tag, true) };
}

test('RFC 9001 A.1: Initial secrets and client/server key, iv, hp from DCID 0x8394c8f03e515708', () => {
  const dcid = hex(QUIC_A_DCID);
  for (const [side, expected] of [['client in', QUIC_A1.client], ['server in', QUIC_A1.server]] as const) {
    const keys = initialKeys(dcid, side);
    assert.equal(toHex(keys.initialSecret), QUIC_A1.initialSecret);
    assert.equal(toHex(keys.secret), expected.secret, side);
    assert.equal(toHex(keys.key), expected.key, `${side} key`);
    assert.equal(toHex(keys.iv), expected.iv, `${side} iv`);
    assert.equal(toHex(keys.hp), expected.hp, `${side} hp`);
  }
});

test('RFC 9001 A.2: the protected client Initial opens to its header and CRYPTO frame', () => {
  const packet = hex(QUIC_A2_PROTECTED);
  assert.equal(packet.length, 1200);
  const opened = openInitial(packet, initialKeys(hex(QUIC_A_DCID), 'client in'));
  assert.equal(toHex(opened.sample), QUIC_A2_SAMPLE);
  assert.equal(toHex(opened.mask), QUIC_A2_MASK);
  assert.equal(toHex(opened.header), QUIC_A2_HEADER);
  assert.equal(opened.packetNumber, 2);
  const plaintext = opened.plaintext;
  assert.ok(plaintext, 'the tag verifies');
  assert.equal(plaintext.length, QUIC_A2_PAYLOAD_LEN);
  const frame = hex(QUIC_A2_CRYPTO_FRAME);
  assert.equal(toHex(plaintext.subarray(0, frame.length)), toHex(frame));
  // CRYPTO frame (RFC 9000 §19.6): type 0x06, offset 0, length 0x40f1 = 241, then a ClientHello (0x01).
  assert.deepEqual([...plaintext.subarray(0, 5)], [0x06, 0x00, 0x40, 0xf1, 0x01]);
  assert.ok(plaintext.subarray(frame.length).every((b) => b === 0), 'the rest is PADDING');

  const tampered = packet.slice(); tampered[600] ^= 0x01;
  assert.equal(openInitial(tampered, initialKeys(hex(QUIC_A_DCID), 'client in')).plaintext, null);
  assert.equal(openInitial(packet, initialKeys(hex('8394c8f03e515709'), 'client in')).plaintext, null, 'keys of another DCID');
});

test('RFC 9001 A.3: the protected server Initial (2-byte packet number) opens to its ACK and CRYPTO frames', () => {
  const opened = openInitial(hex(QUIC_A3_PROTECTED), initialKeys(hex(QUIC_A_DCID), 'server in'));
  assert.equal(toHex(opened.header), QUIC_A3_HEADER);
  assert.equal(opened.packetNumber, 1);
  assert.equal(toHex(opened.plaintext!), toHex(hex(QUIC_A3_PAYLOAD)));
});

// ---- Hex ------------------------------------------------------------------------------------

test('hex: lowercase, high nibble first, every byte value; JA4-style truncation', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.equal(wasm.hex(all), Buffer.from(all).toString('hex'));
  assert.equal(wasm.hex(new Uint8Array(0)), '');
  const digest = wasm.sha256(ascii('abc'));
  assert.equal(wasm.hex(digest.subarray(0, 6)), SHA256_VECTORS[1][1].slice(0, 12));
  assert.equal(wasm.hex(wasm.md5(ascii('abc'))), MD5_SUITE[2][1]);
});
