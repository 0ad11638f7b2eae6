// AES-128-GCM authenticated decryption (NIST SP 800-38D §7.2), what QUIC Initial packets are
// protected with (RFC 9001 §5.3). A context (GCM_CONTEXT_SIZE bytes of caller memory) holds the
// expanded key and a table of multiples of the hash subkey H; decryption checks the tag first and
// writes plaintext only when it matches, so the output may overwrite the ciphertext in place.
//
// GHASH (§6.4) multiplies in GF(2^128) by H with Shoup's 4-bit method: a 16-entry table of
// H * (each 4-bit polynomial), built once per key, and 32 shift-by-4 steps per block.
//
// Bit order (§6.3): block byte 0's most significant bit is the coefficient of x^0. A block is
// held as two u64, hi = bytes 0..7 and lo = bytes 8..15 read big-endian, so x^0 is hi's top bit,
// x^127 is lo's bottom bit, and multiplying by x is a right shift of the 128-bit value.
import { AES_BLOCK_LEN, AES128_ROUND_KEYS_SIZE, aes128EncryptBlock, aes128ExpandKey } from "./aes";

export const GCM_TAG_LEN: usize = 16;
/** IV length for which J0 is IV || 0^31 || 1 without hashing (§7.2 step 2); QUIC's 12 bytes. */
export const GCM_DEFAULT_IV_LEN: usize = 12;

export const GCM_ROUND_KEYS: usize = 0;                           // AES128_ROUND_KEYS_SIZE bytes
export const GCM_H_TABLE: usize = AES128_ROUND_KEYS_SIZE;         // 16 entries x (hi u64, lo u64)
export const GCM_CONTEXT_SIZE: usize = AES128_ROUND_KEYS_SIZE + 16 * 16;

/** R = 11100001 || 0^120 (§6.3): x^128 = 1 + x + x^2 + x^7, the bits of 0xe1 from the top. */
const R_HI: u64 = 0xe100000000000000;

/** REDUCE[b] = what the four bits b shifted out below x^127 by a multiplication by x^4 fold back to. */
const reduceTable: usize = memory.data(16 * 8, 16);
let reduceReady = false;

// Scratch blocks of the call in progress (the core is single-threaded and GCM never nests).
const counterBlock: usize = memory.data(16, 16);
const keystream: usize = memory.data(16, 16);
const lastBlock: usize = memory.data(16, 16);

// The GHASH accumulator Y (§6.4), hi and lo as described above.
let ghashHi: u64 = 0;
let ghashLo: u64 = 0;

function initReduceTable(): void {
  // A bit at position p of lo (coefficient x^(127-p)), p < 4, times x^4 is x^128 * x^(3-p),
  // that is R * x^(3-p): R shifted right by 3 - p.
  for (let bits: u32 = 0; bits < 16; bits++) {
    let folded: u64 = 0;
    for (let p: u32 = 0; p < 4; p++) {
      if ((bits & (1 << p)) != 0) folded ^= R_HI >> (3 - p);
    }
    store<u64>(reduceTable + (<usize>bits << 3), folded);
  }
  reduceReady = true;
}

@inline function tableEntry(table: usize, nibble: u64): usize { return table + (<usize>nibble << 4); }

/**
 * Fills the table with M[n] = H * (the polynomial whose x^0..x^3 coefficients are the bits of n
 * from the top): M[8] = H, M[4] = H x, M[2] = H x^2, M[1] = H x^3, others by linearity.
 */
function buildHTable(table: usize, hHi: u64, hLo: u64): void {
  let vHi = hHi, vLo = hLo;
  for (let n: u64 = 8; n != 0; n >>= 1) {
    store<u64>(tableEntry(table, n), vHi, 0);
    store<u64>(tableEntry(table, n), vLo, 8);
    // V * x (§6.3 algorithm 1 step 3): shift right, fold x^128 back as R.
    const carry = vLo & 1;
    vLo = (vLo >> 1) | (vHi << 63);
    vHi = (vHi >> 1) ^ (R_HI & (0 - carry));
  }
  store<u64>(tableEntry(table, 0), 0, 0);
  store<u64>(tableEntry(table, 0), 0, 8);
  for (let n: u64 = 2; n < 16; n <<= 1) {
    for (let low: u64 = 1; low < n; low++) {
      store<u64>(tableEntry(table, n + low), load<u64>(tableEntry(table, n), 0) ^ load<u64>(tableEntry(table, low), 0), 0);
      store<u64>(tableEntry(table, n + low), load<u64>(tableEntry(table, n), 8) ^ load<u64>(tableEntry(table, low), 8), 8);
    }
  }
}

/** Y = Y * H (§6.3), Horner's rule over nibbles from the x^124..x^127 one down to x^0..x^3. */
function ghashMultiply(table: usize): void {
  let zHi: u64 = 0, zLo: u64 = 0;
  let word = ghashLo;
  for (let step = 0; step < 32; step++) {
    if (step == 16) word = ghashHi;
    // Z = Z * x^4 ...
    const out = zLo & 0xf;
    zLo = (zLo >> 4) | (zHi << 60);
    zHi = (zHi >> 4) ^ load<u64>(reduceTable + (<usize>out << 3));
    // ... + M[nibble]
    const entry = tableEntry(table, word & 0xf);
    zHi ^= load<u64>(entry, 0);
    zLo ^= load<u64>(entry, 8);
    word >>= 4;
  }
  ghashHi = zHi;
  ghashLo = zLo;
}

/** GHASH over data, zero-padding a trailing partial block (the padding of §7.2 step 5). */
function ghashPadded(table: usize, data: usize, len: usize): void {
  while (len >= AES_BLOCK_LEN) {
    ghashHi ^= bswap<u64>(load<u64>(data, 0));
    ghashLo ^= bswap<u64>(load<u64>(data, 8));
    ghashMultiply(table);
    data += AES_BLOCK_LEN;
    len -= AES_BLOCK_LEN;
  }
  if (len != 0) {
    v128.store(lastBlock, i64x2.splat(0));
    memory.copy(lastBlock, data, len);
    ghashHi ^= bswap<u64>(load<u64>(lastBlock, 0));
    ghashLo ^= bswap<u64>(load<u64>(lastBlock, 8));
    ghashMultiply(table);
  }
}

/** The final GHASH block [len(A)]64 || [len(C)]64, lengths in bits. */
function ghashLengths(table: usize, aadLen: usize, textLen: usize): void {
  ghashHi ^= <u64>aadLen << 3;
  ghashLo ^= <u64>textLen << 3;
  ghashMultiply(table);
}

/** Key setup: expands the key and builds the table for H = CIPH_K(0^128) (§7.2 step 1). */
export function aes128GcmInit(ctx: usize, keyPtr: usize): void {
  if (!reduceReady) initReduceTable();
  const roundKeys = ctx + GCM_ROUND_KEYS;
  aes128ExpandKey(keyPtr, roundKeys);
  v128.store(keystream, i64x2.splat(0));
  aes128EncryptBlock(roundKeys, keystream, keystream);
  buildHTable(ctx + GCM_H_TABLE, bswap<u64>(load<u64>(keystream, 0)), bswap<u64>(load<u64>(keystream, 8)));
}

/** J0 (§7.2 step 2) into counterBlock. */
function preCounterBlock(table: usize, iv: usize, ivLen: usize): void {
  if (ivLen == GCM_DEFAULT_IV_LEN) {
    v128.store(counterBlock, i64x2.splat(0));
    memory.copy(counterBlock, iv, GCM_DEFAULT_IV_LEN);
    store<u32>(counterBlock + 12, bswap<u32>(1));
    return;
  }
  // J0 = GHASH(IV || 0^(s+64) || [len(IV)]64): the padded IV, then a block holding only its length.
  ghashHi = 0;
  ghashLo = 0;
  ghashPadded(table, iv, ivLen);
  ghashLengths(table, 0, ivLen);
  store<u64>(counterBlock, bswap<u64>(ghashHi), 0);
  store<u64>(counterBlock, bswap<u64>(ghashLo), 8);
}

/**
 * Authenticated decryption (§7.2): checks the 16-byte tag over aad and the ciphertext
 * in[0, len), and only if it matches writes the plaintext to out[0, len) (out may equal in).
 * Returns false, writing nothing, when the tag does not match.
 */
export function aes128GcmDecrypt(
  ctx: usize, iv: usize, ivLen: usize, aad: usize, aadLen: usize,
  inPtr: usize, len: usize, tag: usize, outPtr: usize,
): bool {
  const roundKeys = ctx + GCM_ROUND_KEYS;
  const table = ctx + GCM_H_TABLE;
  preCounterBlock(table, iv, ivLen);

  // Steps 5-7: S = GHASH(A || 0^v || C || 0^u || [len(A)]64 || [len(C)]64), T = MSB(GCTR(J0, S)).
  ghashHi = 0;
  ghashLo = 0;
  ghashPadded(table, aad, aadLen);
  ghashPadded(table, inPtr, len);
  ghashLengths(table, aadLen, len);
  aes128EncryptBlock(roundKeys, counterBlock, keystream);
  // Step 8, compared without an early exit.
  const diff = (bswap<u64>(ghashHi) ^ load<u64>(keystream, 0) ^ load<u64>(tag, 0)) |
    (bswap<u64>(ghashLo) ^ load<u64>(keystream, 8) ^ load<u64>(tag, 8));
  if (diff != 0) return false;

  // Steps 3-4: P = GCTR(inc32(J0), C), the counter being the last 32 bits, big-endian, mod 2^32.
  let counter = bswap<u32>(load<u32>(counterBlock, 12));
  while (len != 0) {
    counter++;
    store<u32>(counterBlock + 12, bswap<u32>(counter));
    aes128EncryptBlock(roundKeys, counterBlock, keystream);
    if (len >= AES_BLOCK_LEN) {
      v128.store(outPtr, v128.xor(v128.load(inPtr), v128.load(keystream)));
      inPtr += AES_BLOCK_LEN;
      outPtr += AES_BLOCK_LEN;
      len -= AES_BLOCK_LEN;
    } else {
      for (let i: usize = 0; i < len; i++) {
        store<u8>(outPtr + i, load<u8>(inPtr + i) ^ load<u8>(keystream + i));
      }
      len = 0;
    }
  }
  return true;
}
