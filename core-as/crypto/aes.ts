// AES-128 forward cipher (FIPS 197): key expansion and the encryption of one block. QUIC header
// protection is AES-ECB of a 16-byte sample (RFC 9001 §5.4.3) and GCM (gcm.ts) runs the cipher
// in counter mode, so the inverse cipher is never needed.
//
// The S-box is computed once from its definition (§5.1.1: multiplicative inverse in GF(2^8),
// then the affine transformation), and from it one 1 KiB table T with SubBytes and MixColumns
// folded together, so a round is 16 table loads, rotations and xors. Table lookups are not
// constant-time; that is fine here, where the keys being used are derived from what travels on
// the wire (QUIC Initial secrets come from the client's connection id).
//
// State and round-key words are the four columns of §3.4, loaded little-endian: row r of a
// column is byte r of its word, as the bytes sit in memory.

export const AES_BLOCK_LEN: usize = 16;
export const AES128_KEY_LEN: usize = 16;
const AES128_ROUNDS: usize = 10;                                // Nr for Nk = 4 (§5, Figure 4)
/** Bytes of an expanded AES-128 key: Nb * (Nr + 1) words (§5.2). */
export const AES128_ROUND_KEYS_SIZE: usize = 4 * 4 * (AES128_ROUNDS + 1);

/** The irreducible polynomial m(x) = x^8 + x^4 + x^3 + x + 1 without its x^8 term (§4.2). */
const REDUCTION: u32 = 0x1b;
/** The constant c of the S-box affine transformation (§5.1.1). */
const AFFINE_CONSTANT: u32 = 0x63;

const sbox: usize = memory.data(256, 16);
/** T[x] = the MixColumns column for input column (S(x), 0, 0, 0): rows 2S, S, S, 3S. */
const mixTable: usize = memory.data(256 * 4, 16);
let tablesReady = false;

/** Multiplication by x in GF(2^8) (§4.2.1 xtime). */
@inline function xtime(a: u32): u32 {
  return ((a << 1) ^ (REDUCTION & (0 - (a >> 7)))) & 0xff;
}

function gfMultiply(a: u32, b: u32): u32 {
  let product: u32 = 0;
  while (b != 0) {
    if ((b & 1) != 0) product ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return product;
}

/** a^-1 = a^254, the multiplicative group having 255 elements; 0 maps to 0 as §5.1.1 says. */
function gfInverse(a: u32): u32 {
  let result: u32 = 1;
  let power = a;
  for (let exponent: u32 = 254; exponent != 0; exponent >>= 1) {
    if ((exponent & 1) != 0) result = gfMultiply(result, power);
    power = gfMultiply(power, power);
  }
  return a == 0 ? 0 : result;
}

@inline function rotl8(b: u32, n: u32): u32 { return ((b << n) | (b >> (8 - n))) & 0xff; }

function initTables(): void {
  for (let x: u32 = 0; x < 256; x++) {
    const inv = gfInverse(x);
    // b'_i = b_i ^ b_(i+4) ^ b_(i+5) ^ b_(i+6) ^ b_(i+7) ^ c_i, i.e. rotations left by 1..4.
    const s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ AFFINE_CONSTANT;
    store<u8>(sbox + <usize>x, <u8>s);
    const s2 = xtime(s);
    store<u32>(mixTable + (<usize>x << 2), s2 | (s << 8) | (s << 16) | ((s2 ^ s) << 24));
  }
  tablesReady = true;
}

@inline function subByte(x: u32): u32 { return <u32>load<u8>(sbox + <usize>(x & 0xff)); }
@inline function mixed(x: u32): u32 { return load<u32>(mixTable + (<usize>(x & 0xff) << 2)); }

/** SubWord (§5.2): the S-box on each byte of a word. */
@inline function subWord(w: u32): u32 {
  return subByte(w) | (subByte(w >> 8) << 8) | (subByte(w >> 16) << 16) | (subByte(w >> 24) << 24);
}

/** KeyExpansion (§5.2) of the 16-byte key at keyPtr into AES128_ROUND_KEYS_SIZE bytes at roundKeys. */
export function aes128ExpandKey(keyPtr: usize, roundKeys: usize): void {
  if (!tablesReady) initTables();
  memory.copy(roundKeys, keyPtr, AES128_KEY_LEN);
  let rcon: u32 = 1; // Rcon[i/Nk] = (x^(i/Nk - 1), 0, 0, 0)
  let previous = load<u32>(roundKeys, 12);
  for (let i: usize = 4; i < 4 * (AES128_ROUNDS + 1); i++) {
    let temp = previous;
    if ((i & 3) == 0) {
      temp = subWord(rotr<u32>(temp, 8)) ^ rcon; // RotWord moves byte 0 to the top
      rcon = xtime(rcon);
    }
    previous = load<u32>(roundKeys + ((i - 4) << 2)) ^ temp;
    store<u32>(roundKeys + (i << 2), previous);
  }
}

/**
 * One full round for output column j: SubBytes and ShiftRows pick row r from column j + r
 * (§5.1.2), MixColumns turns each picked byte into a column of the table rotated down r rows.
 */
@inline function roundColumn(c0: u32, c1: u32, c2: u32, c3: u32, roundKey: u32): u32 {
  return mixed(c0) ^ rotl<u32>(mixed(c1 >> 8), 8) ^ rotl<u32>(mixed(c2 >> 16), 16) ^ rotl<u32>(mixed(c3 >> 24), 24) ^ roundKey;
}

/** The last round has no MixColumns (§5.1, Figure 5). */
@inline function finalColumn(c0: u32, c1: u32, c2: u32, c3: u32, roundKey: u32): u32 {
  return (subByte(c0) | (subByte(c1 >> 8) << 8) | (subByte(c2 >> 16) << 16) | (subByte(c3 >> 24) << 24)) ^ roundKey;
}

/**
 * Cipher (§5.1) of the 16 bytes at inPtr into outPtr (they may be the same) under roundKeys from
 * aes128ExpandKey (which also builds the tables this reads, on first use).
 */
export function aes128EncryptBlock(roundKeys: usize, inPtr: usize, outPtr: usize): void {
  let s0 = load<u32>(inPtr, 0) ^ load<u32>(roundKeys, 0);
  let s1 = load<u32>(inPtr, 4) ^ load<u32>(roundKeys, 4);
  let s2 = load<u32>(inPtr, 8) ^ load<u32>(roundKeys, 8);
  let s3 = load<u32>(inPtr, 12) ^ load<u32>(roundKeys, 12);
  let rk = roundKeys;
  for (let round: usize = 1; round < AES128_ROUNDS; round++) {
    rk += AES_BLOCK_LEN;
    const t0 = roundColumn(s0, s1, s2, s3, load<u32>(rk, 0));
    const t1 = roundColumn(s1, s2, s3, s0, load<u32>(rk, 4));
    const t2 = roundColumn(s2, s3, s0, s1, load<u32>(rk, 8));
    const t3 = roundColumn(s3, s0, s1, s2, load<u32>(rk, 12));
    s0 = t0; s1 = t1; s2 = t2; s3 = t3;
  }
  rk += AES_BLOCK_LEN;
  store<u32>(outPtr, finalColumn(s0, s1, s2, s3, load<u32>(rk, 0)), 0);
  store<u32>(outPtr, finalColumn(s1, s2, s3, s0, load<u32>(rk, 4)), 4);
  store<u32>(outPtr, finalColumn(s2, s3, s0, s1, load<u32>(rk, 8)), 8);
  store<u32>(outPtr, finalColumn(s3, s0, s1, s2, load<u32>(rk, 12)), 12);
}

/** The S-box, for tests that check it against FIPS 197 Figure 7 (valid after a key expansion). */
export function aesSboxPtr(): usize { return sbox; }
