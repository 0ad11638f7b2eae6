// MD5 (RFC 1321). JA3, JA3S and HASSH print the MD5 of a text fingerprint in hex. A context lives
// in caller memory (MD5_CONTEXT_SIZE bytes); md5() hashes in one go with a static context.
//
// Context layout: the four state words A B C D as native u32 (MD5 is little-endian throughout,
// like wasm, so words load as they are), the pending partial block and the byte count so far.

export const MD5_BLOCK_LEN: usize = 64;
export const MD5_DIGEST_LEN: usize = 16;

export const MD5_STATE: usize = 0;    // 4 x u32
export const MD5_PENDING: usize = 16; // 64 bytes
export const MD5_TOTAL: usize = 80;   // u64 byte count
export const MD5_CONTEXT_SIZE: usize = 88;

/** §3.1-3.2: pad to 448 mod 512 bits, then the 64-bit length, low-order word first. */
const LENGTH_AT: usize = 56;
const PAD_FIRST_BYTE: u8 = 0x80;

// §3.3: the initial buffer words A, B, C, D.
const INIT_A: u32 = 0x67452301;
const INIT_B: u32 = 0xefcdab89;
const INIT_C: u32 = 0x98badcfe;
const INIT_D: u32 = 0x10325476;

const oneShot: usize = memory.data(<i32>MD5_CONTEXT_SIZE, 16);

// §3.4: the auxiliary functions F, G, H, I, each step a = b + ((a + f(b,c,d) + X[k] + T[i]) <<< s).
@inline function ff(a: u32, b: u32, c: u32, d: u32, x: u32, s: u32, t: u32): u32 {
  return b + rotl<u32>(a + ((b & c) | (~b & d)) + x + t, s);
}
@inline function gg(a: u32, b: u32, c: u32, d: u32, x: u32, s: u32, t: u32): u32 {
  return b + rotl<u32>(a + ((b & d) | (c & ~d)) + x + t, s);
}
@inline function hh(a: u32, b: u32, c: u32, d: u32, x: u32, s: u32, t: u32): u32 {
  return b + rotl<u32>(a + (b ^ c ^ d) + x + t, s);
}
@inline function ii(a: u32, b: u32, c: u32, d: u32, x: u32, s: u32, t: u32): u32 {
  return b + rotl<u32>(a + (c ^ (b | ~d)) + x + t, s);
}

/**
 * Processes the 64-byte block at `block` (§3.4). The 64 steps are written out as the RFC lists
 * them, each with its word index k, shift s and T[i] = floor(2^32 * abs(sin(i))).
 */
export function md5Compress(state: usize, block: usize): void {
  const x0 = load<u32>(block, 0), x1 = load<u32>(block, 4), x2 = load<u32>(block, 8), x3 = load<u32>(block, 12);
  const x4 = load<u32>(block, 16), x5 = load<u32>(block, 20), x6 = load<u32>(block, 24), x7 = load<u32>(block, 28);
  const x8 = load<u32>(block, 32), x9 = load<u32>(block, 36), x10 = load<u32>(block, 40), x11 = load<u32>(block, 44);
  const x12 = load<u32>(block, 48), x13 = load<u32>(block, 52), x14 = load<u32>(block, 56), x15 = load<u32>(block, 60);
  let a = load<u32>(state, 0), b = load<u32>(state, 4), c = load<u32>(state, 8), d = load<u32>(state, 12);

  // Round 1: [abcd k s i], k = i - 1, s = 7 12 17 22.
  a = ff(a, b, c, d, x0, 7, 0xd76aa478); d = ff(d, a, b, c, x1, 12, 0xe8c7b756);
  c = ff(c, d, a, b, x2, 17, 0x242070db); b = ff(b, c, d, a, x3, 22, 0xc1bdceee);
  a = ff(a, b, c, d, x4, 7, 0xf57c0faf); d = ff(d, a, b, c, x5, 12, 0x4787c62a);
  c = ff(c, d, a, b, x6, 17, 0xa8304613); b = ff(b, c, d, a, x7, 22, 0xfd469501);
  a = ff(a, b, c, d, x8, 7, 0x698098d8); d = ff(d, a, b, c, x9, 12, 0x8b44f7af);
  c = ff(c, d, a, b, x10, 17, 0xffff5bb1); b = ff(b, c, d, a, x11, 22, 0x895cd7be);
  a = ff(a, b, c, d, x12, 7, 0x6b901122); d = ff(d, a, b, c, x13, 12, 0xfd987193);
  c = ff(c, d, a, b, x14, 17, 0xa679438e); b = ff(b, c, d, a, x15, 22, 0x49b40821);

  // Round 2: k = (1 + 5j) mod 16, s = 5 9 14 20.
  a = gg(a, b, c, d, x1, 5, 0xf61e2562); d = gg(d, a, b, c, x6, 9, 0xc040b340);
  c = gg(c, d, a, b, x11, 14, 0x265e5a51); b = gg(b, c, d, a, x0, 20, 0xe9b6c7aa);
  a = gg(a, b, c, d, x5, 5, 0xd62f105d); d = gg(d, a, b, c, x10, 9, 0x02441453);
  c = gg(c, d, a, b, x15, 14, 0xd8a1e681); b = gg(b, c, d, a, x4, 20, 0xe7d3fbc8);
  a = gg(a, b, c, d, x9, 5, 0x21e1cde6); d = gg(d, a, b, c, x14, 9, 0xc33707d6);
  c = gg(c, d, a, b, x3, 14, 0xf4d50d87); b = gg(b, c, d, a, x8, 20, 0x455a14ed);
  a = gg(a, b, c, d, x13, 5, 0xa9e3e905); d = gg(d, a, b, c, x2, 9, 0xfcefa3f8);
  c = gg(c, d, a, b, x7, 14, 0x676f02d9); b = gg(b, c, d, a, x12, 20, 0x8d2a4c8a);

  // Round 3: k = (5 + 3j) mod 16, s = 4 11 16 23.
  a = hh(a, b, c, d, x5, 4, 0xfffa3942); d = hh(d, a, b, c, x8, 11, 0x8771f681);
  c = hh(c, d, a, b, x11, 16, 0x6d9d6122); b = hh(b, c, d, a, x14, 23, 0xfde5380c);
  a = hh(a, b, c, d, x1, 4, 0xa4beea44); d = hh(d, a, b, c, x4, 11, 0x4bdecfa9);
  c = hh(c, d, a, b, x7, 16, 0xf6bb4b60); b = hh(b, c, d, a, x10, 23, 0xbebfbc70);
  a = hh(a, b, c, d, x13, 4, 0x289b7ec6); d = hh(d, a, b, c, x0, 11, 0xeaa127fa);
  c = hh(c, d, a, b, x3, 16, 0xd4ef3085); b = hh(b, c, d, a, x6, 23, 0x04881d05);
  a = hh(a, b, c, d, x9, 4, 0xd9d4d039); d = hh(d, a, b, c, x12, 11, 0xe6db99e5);
  c = hh(c, d, a, b, x15, 16, 0x1fa27cf8); b = hh(b, c, d, a, x2, 23, 0xc4ac5665);

  // Round 4: k = 7j mod 16, s = 6 10 15 21.
  a = ii(a, b, c, d, x0, 6, 0xf4292244); d = ii(d, a, b, c, x7, 10, 0x432aff97);
  c = ii(c, d, a, b, x14, 15, 0xab9423a7); b = ii(b, c, d, a, x5, 21, 0xfc93a039);
  a = ii(a, b, c, d, x12, 6, 0x655b59c3); d = ii(d, a, b, c, x3, 10, 0x8f0ccc92);
  c = ii(c, d, a, b, x10, 15, 0xffeff47d); b = ii(b, c, d, a, x1, 21, 0x85845dd1);
  a = ii(a, b, c, d, x8, 6, 0x6fa87e4f); d = ii(d, a, b, c, x15, 10, 0xfe2ce6e0);
  c = ii(c, d, a, b, x6, 15, 0xa3014314); b = ii(b, c, d, a, x13, 21, 0x4e0811a1);
  a = ii(a, b, c, d, x4, 6, 0xf7537e82); d = ii(d, a, b, c, x11, 10, 0xbd3af235);
  c = ii(c, d, a, b, x2, 15, 0x2ad7d2bb); b = ii(b, c, d, a, x9, 21, 0xeb86d391);

  store<u32>(state, load<u32>(state, 0) + a, 0);
  store<u32>(state, load<u32>(state, 4) + b, 4);
  store<u32>(state, load<u32>(state, 8) + c, 8);
  store<u32>(state, load<u32>(state, 12) + d, 12);
}

export function md5Init(ctx: usize): void {
  store<u32>(ctx + MD5_STATE, INIT_A, 0);
  store<u32>(ctx + MD5_STATE, INIT_B, 4);
  store<u32>(ctx + MD5_STATE, INIT_C, 8);
  store<u32>(ctx + MD5_STATE, INIT_D, 12);
  store<u64>(ctx + MD5_TOTAL, 0);
}

export function md5Update(ctx: usize, ptr: usize, len: usize): void {
  const total = load<u64>(ctx + MD5_TOTAL);
  store<u64>(ctx + MD5_TOTAL, total + <u64>len);
  const state = ctx + MD5_STATE;
  const pending = ctx + MD5_PENDING;
  let fill = <usize>(total & <u64>(MD5_BLOCK_LEN - 1));
  if (fill != 0) {
    const take = min(MD5_BLOCK_LEN - fill, len);
    memory.copy(pending + fill, ptr, take);
    ptr += take;
    len -= take;
    fill += take;
    if (fill < MD5_BLOCK_LEN) return;
    md5Compress(state, pending);
  }
  // Whole blocks straight from the caller's bytes, no copy.
  while (len >= MD5_BLOCK_LEN) {
    md5Compress(state, ptr);
    ptr += MD5_BLOCK_LEN;
    len -= MD5_BLOCK_LEN;
  }
  if (len != 0) memory.copy(pending, ptr, len);
}

/** Pads (§3.1-3.2), processes the last block(s) and writes the 16-byte digest (§3.5: A B C D, low byte first). */
export function md5Final(ctx: usize, out: usize): void {
  const total = load<u64>(ctx + MD5_TOTAL);
  const state = ctx + MD5_STATE;
  const pending = ctx + MD5_PENDING;
  let fill = <usize>(total & <u64>(MD5_BLOCK_LEN - 1));
  store<u8>(pending + fill, PAD_FIRST_BYTE);
  fill++;
  if (fill > LENGTH_AT) {
    memory.fill(pending + fill, 0, MD5_BLOCK_LEN - fill);
    md5Compress(state, pending);
    fill = 0;
  }
  memory.fill(pending + fill, 0, LENGTH_AT - fill);
  store<u64>(pending + LENGTH_AT, total << 3); // length in bits, little-endian
  md5Compress(state, pending);
  memory.copy(out, state, MD5_DIGEST_LEN);
}

/** MD5 of in[0, len) into out[0, 16). */
export function md5(inPtr: usize, len: usize, outPtr: usize): void {
  md5Init(oneShot);
  md5Update(oneShot, inPtr, len);
  md5Final(oneShot, outPtr);
}
