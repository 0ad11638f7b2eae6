// SHA-1 (FIPS 180-4 §6.1, RFC 3174). nDPI fingerprints a TLS server certificate by the SHA-1 of
// its DER bytes and flags the ones of the reader's -S list (NDPI_MALICIOUS_SHA1_CERTIFICATE).
// Same shape as sha256.ts: a context lives in caller memory (SHA1_CONTEXT_SIZE bytes), so nothing
// allocates; sha1() hashes in one go with a static context of its own.
//
// Context layout: the five working hash words H0..H4 as native u32, the pending partial block,
// and the byte count so far (the partial block's fill is total % 64).

export const SHA1_BLOCK_LEN: usize = 64;
export const SHA1_DIGEST_LEN: usize = 20;

export const SHA1_STATE: usize = 0;    // 5 x u32 (+ 4 bytes of padding)
export const SHA1_PENDING: usize = 24; // 64 bytes
export const SHA1_TOTAL: usize = 88;   // u64 byte count
export const SHA1_CONTEXT_SIZE: usize = 96;

/** Offset in the block where the 64-bit message length goes (§5.1.1: pad to 448 mod 512 bits). */
const LENGTH_AT: usize = 56;
const PAD_FIRST_BYTE: u8 = 0x80;

// §4.2.1: the four round constants, one per 20 rounds.
const K0: u32 = 0x5a827999;
const K1: u32 = 0x6ed9eba1;
const K2: u32 = 0x8f1bbcdc;
const K3: u32 = 0xca62c1d6;

// §5.3.1: the initial hash value.
const H0: usize = memory.data<u32>([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0], 16);

/** The message schedule W0..W79 of the block being compressed (§6.1.2 step 1). */
const schedule: usize = memory.data(80 * 4, 16);
/** Context of the one-shot sha1(). */
const oneShot: usize = memory.data(<i32>SHA1_CONTEXT_SIZE, 16);

// §4.1.1 functions: Ch (rounds 0-19), Parity (20-39 and 60-79), Maj (40-59).
@inline function ch(x: u32, y: u32, z: u32): u32 { return (x & y) ^ (~x & z); }
@inline function parity(x: u32, y: u32, z: u32): u32 { return x ^ y ^ z; }
@inline function maj(x: u32, y: u32, z: u32): u32 { return (x & y) ^ (x & z) ^ (y & z); }

@inline function word(index: usize): u32 { return load<u32>(schedule + (index << 2)); }

/** One application of the compression function (§6.1.2) to the 64-byte block at `block`. */
function sha1Compress(state: usize, block: usize): void {
  // Step 1: the first 16 words are the block read big-endian (§3.1), the rest expand with ROTL^1.
  for (let t: usize = 0; t < 16; t++) {
    store<u32>(schedule + (t << 2), bswap<u32>(load<u32>(block + (t << 2))));
  }
  for (let t: usize = 16; t < 80; t++) {
    store<u32>(schedule + (t << 2), rotl<u32>(word(t - 3) ^ word(t - 8) ^ word(t - 14) ^ word(t - 16), 1));
  }
  // Step 2: the working variables.
  let a = load<u32>(state, 0), b = load<u32>(state, 4), c = load<u32>(state, 8);
  let d = load<u32>(state, 12), e = load<u32>(state, 16);
  // Step 3: 80 rounds, T = ROTL^5(a) + f_t(b, c, d) + e + K_t + W_t.
  for (let t: usize = 0; t < 80; t++) {
    let f: u32;
    let k: u32;
    if (t < 20) { f = ch(b, c, d); k = K0; }
    else if (t < 40) { f = parity(b, c, d); k = K1; }
    else if (t < 60) { f = maj(b, c, d); k = K2; }
    else { f = parity(b, c, d); k = K3; }
    const temp = rotl<u32>(a, 5) + f + e + k + word(t);
    e = d; d = c; c = rotl<u32>(b, 30); b = a; a = temp;
  }
  // Step 4: the next intermediate hash value.
  store<u32>(state, load<u32>(state, 0) + a, 0);
  store<u32>(state, load<u32>(state, 4) + b, 4);
  store<u32>(state, load<u32>(state, 8) + c, 8);
  store<u32>(state, load<u32>(state, 12) + d, 12);
  store<u32>(state, load<u32>(state, 16) + e, 16);
}

export function sha1Init(ctx: usize): void {
  memory.copy(ctx + SHA1_STATE, H0, SHA1_DIGEST_LEN);
  store<u64>(ctx + SHA1_TOTAL, 0);
}

export function sha1Update(ctx: usize, ptr: usize, len: usize): void {
  const total = load<u64>(ctx + SHA1_TOTAL);
  store<u64>(ctx + SHA1_TOTAL, total + <u64>len);
  const state = ctx + SHA1_STATE;
  const pending = ctx + SHA1_PENDING;
  let fill = <usize>(total & <u64>(SHA1_BLOCK_LEN - 1));
  if (fill != 0) {
    const take = min(SHA1_BLOCK_LEN - fill, len);
    memory.copy(pending + fill, ptr, take);
    ptr += take;
    len -= take;
    fill += take;
    if (fill < SHA1_BLOCK_LEN) return;
    sha1Compress(state, pending);
  }
  // Whole blocks straight from the caller's bytes, no copy.
  while (len >= SHA1_BLOCK_LEN) {
    sha1Compress(state, ptr);
    ptr += SHA1_BLOCK_LEN;
    len -= SHA1_BLOCK_LEN;
  }
  if (len != 0) memory.copy(pending, ptr, len);
}

/** Pads (§5.1.1), compresses the last block(s) and writes the 20-byte digest big-endian to out. */
export function sha1Final(ctx: usize, out: usize): void {
  const total = load<u64>(ctx + SHA1_TOTAL);
  const state = ctx + SHA1_STATE;
  const pending = ctx + SHA1_PENDING;
  let fill = <usize>(total & <u64>(SHA1_BLOCK_LEN - 1));
  store<u8>(pending + fill, PAD_FIRST_BYTE);
  fill++;
  if (fill > LENGTH_AT) {
    // No room for the length: finish this block with zeros and pad a whole new one.
    memory.fill(pending + fill, 0, SHA1_BLOCK_LEN - fill);
    sha1Compress(state, pending);
    fill = 0;
  }
  memory.fill(pending + fill, 0, LENGTH_AT - fill);
  store<u64>(pending + LENGTH_AT, bswap<u64>(total << 3)); // length in bits, big-endian
  sha1Compress(state, pending);
  for (let i: usize = 0; i < SHA1_DIGEST_LEN; i += 4) {
    store<u32>(out + i, bswap<u32>(load<u32>(state + i)));
  }
}

/** SHA-1 of in[0, len) into out[0, 20). */
export function sha1(inPtr: usize, len: usize, outPtr: usize): void {
  sha1Init(oneShot);
  sha1Update(oneShot, inPtr, len);
  sha1Final(oneShot, outPtr);
}
