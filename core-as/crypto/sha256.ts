// SHA-256 (FIPS 180-4 §6.2). JA4 prints a truncated SHA-256 in hex; HMAC and HKDF (hmac_hkdf.ts)
// build QUIC Initial keys on it. A context lives in caller memory (SHA256_CONTEXT_SIZE bytes),
// so nothing allocates; sha256() hashes in one go with a static context of its own.
//
// Context layout: the eight working hash words H0..H7 as native u32, the pending partial block,
// and the byte count so far (the partial block's fill is total % 64).

export const SHA256_BLOCK_LEN: usize = 64;
export const SHA256_DIGEST_LEN: usize = 32;

export const SHA256_STATE: usize = 0;   // 8 x u32
export const SHA256_PENDING: usize = 32; // 64 bytes
export const SHA256_TOTAL: usize = 96;  // u64 byte count
export const SHA256_CONTEXT_SIZE: usize = 104;

/** Offset in the block where the 64-bit message length goes (§5.1.1: pad to 448 mod 512 bits). */
const LENGTH_AT: usize = 56;
const PAD_FIRST_BYTE: u8 = 0x80;

// §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
], 16);

// §5.3.3: the initial hash value, fractional parts of the square roots of the first 8 primes.
const H0: usize = memory.data<u32>([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
], 16);

/** The message schedule W0..W63 of the block being compressed (§6.2.2 step 1). */
const schedule: usize = memory.data(64 * 4, 16);
/** Context of the one-shot sha256(). */
const oneShot: usize = memory.data(<i32>SHA256_CONTEXT_SIZE, 16);

// §4.1.2 functions.
@inline function ch(x: u32, y: u32, z: u32): u32 { return (x & y) ^ (~x & z); }
@inline function maj(x: u32, y: u32, z: u32): u32 { return (x & y) ^ (x & z) ^ (y & z); }
@inline function bigSigma0(x: u32): u32 { return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22); }
@inline function bigSigma1(x: u32): u32 { return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25); }
@inline function smallSigma0(x: u32): u32 { return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3); }
@inline function smallSigma1(x: u32): u32 { return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >>> 10); }

@inline function word(base: usize, index: usize): u32 { return load<u32>(base + (index << 2)); }

/** One application of the compression function (§6.2.2) to the 64-byte block at `block`. */
export function sha256Compress(state: usize, block: usize): void {
  // Step 1: the first 16 words are the block read big-endian (§3.1 bit/word order), the rest expand.
  for (let t: usize = 0; t < 16; t++) {
    store<u32>(schedule + (t << 2), bswap<u32>(load<u32>(block + (t << 2))));
  }
  for (let t: usize = 16; t < 64; t++) {
    store<u32>(schedule + (t << 2),
      smallSigma1(word(schedule, t - 2)) + word(schedule, t - 7) + smallSigma0(word(schedule, t - 15)) + word(schedule, t - 16));
  }
  // Step 2: the working variables.
  let a = load<u32>(state, 0), b = load<u32>(state, 4), c = load<u32>(state, 8), d = load<u32>(state, 12);
  let e = load<u32>(state, 16), f = load<u32>(state, 20), g = load<u32>(state, 24), h = load<u32>(state, 28);
  // Step 3: 64 rounds.
  for (let t: usize = 0; t < 64; t++) {
    const t1 = h + bigSigma1(e) + ch(e, f, g) + word(K, t) + word(schedule, t);
    const t2 = bigSigma0(a) + maj(a, b, c);
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  // Step 4: the next intermediate hash value.
  store<u32>(state, load<u32>(state, 0) + a, 0);
  store<u32>(state, load<u32>(state, 4) + b, 4);
  store<u32>(state, load<u32>(state, 8) + c, 8);
  store<u32>(state, load<u32>(state, 12) + d, 12);
  store<u32>(state, load<u32>(state, 16) + e, 16);
  store<u32>(state, load<u32>(state, 20) + f, 20);
  store<u32>(state, load<u32>(state, 24) + g, 24);
  store<u32>(state, load<u32>(state, 28) + h, 28);
}

/** Sets the hash words to H(0) (§5.3.3). `state` is 32 bytes (a context's SHA256_STATE). */
@inline export function sha256InitialState(state: usize): void {
  memory.copy(state, H0, SHA256_DIGEST_LEN);
}

export function sha256Init(ctx: usize): void {
  sha256InitialState(ctx + SHA256_STATE);
  store<u64>(ctx + SHA256_TOTAL, 0);
}

/**
 * Restarts ctx from intermediate hash words saved after `blocks` whole blocks (HMAC keeps the
 * state after its padded-key block, so each HMAC costs two compressions fewer, RFC 2104 §4).
 */
export function sha256Resume(ctx: usize, savedState: usize, blocks: u64): void {
  memory.copy(ctx + SHA256_STATE, savedState, SHA256_DIGEST_LEN);
  store<u64>(ctx + SHA256_TOTAL, blocks * <u64>SHA256_BLOCK_LEN);
}

export function sha256Update(ctx: usize, ptr: usize, len: usize): void {
  const total = load<u64>(ctx + SHA256_TOTAL);
  store<u64>(ctx + SHA256_TOTAL, total + <u64>len);
  const state = ctx + SHA256_STATE;
  const pending = ctx + SHA256_PENDING;
  let fill = <usize>(total & <u64>(SHA256_BLOCK_LEN - 1));
  if (fill != 0) {
    const take = min(SHA256_BLOCK_LEN - fill, len);
    memory.copy(pending + fill, ptr, take);
    ptr += take;
    len -= take;
    fill += take;
    if (fill < SHA256_BLOCK_LEN) return;
    sha256Compress(state, pending);
  }
  // Whole blocks straight from the caller's bytes, no copy.
  while (len >= SHA256_BLOCK_LEN) {
    sha256Compress(state, ptr);
    ptr += SHA256_BLOCK_LEN;
    len -= SHA256_BLOCK_LEN;
  }
  if (len != 0) memory.copy(pending, ptr, len);
}

/** Pads (§5.1.1), compresses the last block(s) and writes the 32-byte digest big-endian to out. */
export function sha256Final(ctx: usize, out: usize): void {
  const total = load<u64>(ctx + SHA256_TOTAL);
  const state = ctx + SHA256_STATE;
  const pending = ctx + SHA256_PENDING;
  let fill = <usize>(total & <u64>(SHA256_BLOCK_LEN - 1));
  store<u8>(pending + fill, PAD_FIRST_BYTE);
  fill++;
  if (fill > LENGTH_AT) {
    // No room for the length: finish this block with zeros and pad a whole new one.
    memory.fill(pending + fill, 0, SHA256_BLOCK_LEN - fill);
    sha256Compress(state, pending);
    fill = 0;
  }
  memory.fill(pending + fill, 0, LENGTH_AT - fill);
  store<u64>(pending + LENGTH_AT, bswap<u64>(total << 3)); // length in bits, big-endian
  sha256Compress(state, pending);
  for (let i: usize = 0; i < SHA256_DIGEST_LEN; i += 4) {
    store<u32>(out + i, bswap<u32>(load<u32>(state + i)));
  }
}

/** SHA-256 of in[0, len) into out[0, 32). */
export function sha256(inPtr: usize, len: usize, outPtr: usize): void {
  sha256Init(oneShot);
  sha256Update(oneShot, inPtr, len);
  sha256Final(oneShot, outPtr);
}
