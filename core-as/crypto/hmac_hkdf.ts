// HMAC-SHA256 (RFC 2104), HKDF (RFC 5869) and TLS 1.3's HKDF-Expand-Label (RFC 8446 §7.1):
// the key schedule of QUIC Initial packets (RFC 9001 §5.2).
//
// An HMAC context (HMAC_SHA256_CONTEXT_SIZE bytes of caller memory) keeps, besides the running
// inner hash, the SHA-256 state after the key's ipad block and after its opad block. Restarting
// with the same key (HKDF-Expand does once per output block) then costs no compression for the
// key (the precomputation RFC 2104 §4 suggests).
import {
  SHA256_BLOCK_LEN, SHA256_CONTEXT_SIZE, SHA256_DIGEST_LEN,
  sha256, sha256Compress, sha256Final, sha256InitialState, sha256Resume, sha256Update,
} from "./sha256";

export const HMAC_SHA256_LEN: usize = SHA256_DIGEST_LEN;

export const HMAC_SHA256_HASH: usize = 0;                                    // a SHA-256 context
export const HMAC_SHA256_INNER_KEYED: usize = SHA256_CONTEXT_SIZE;           // state after K ^ ipad
export const HMAC_SHA256_OUTER_KEYED: usize = SHA256_CONTEXT_SIZE + 32;      // state after K ^ opad
export const HMAC_SHA256_CONTEXT_SIZE: usize = SHA256_CONTEXT_SIZE + 64;

/** RFC 2104 §2: ipad = 0x36 and opad = 0x5c repeated B times (here as four bytes at once). */
const IPAD_WORD: u32 = 0x36363636;
const OPAD_WORD: u32 = 0x5c5c5c5c;

/** RFC 5869 §2.3: L <= 255 * HashLen. */
export const HKDF_MAX_OUTPUT: usize = 255 * SHA256_DIGEST_LEN;

/** RFC 8446 §7.1: every label is prefixed with "tls13 ". */
const TLS13_LABEL_PREFIX: usize = memory.data<u8>([0x74, 0x6c, 0x73, 0x31, 0x33, 0x20]);
const TLS13_LABEL_PREFIX_LEN: usize = 6;
const HKDF_LABEL_MAX_LEN: usize = 255;   // opaque label<7..255>, opaque context<0..255>
const HKDF_CONTEXT_MAX_LEN: usize = 255;

const paddedKey: usize = memory.data(<i32>SHA256_BLOCK_LEN, 16);
const keyPad: usize = memory.data(<i32>SHA256_BLOCK_LEN, 16);
const innerDigest: usize = memory.data(<i32>SHA256_DIGEST_LEN, 16);
const expandBlock: usize = memory.data(<i32>SHA256_DIGEST_LEN, 16);
const expandCounter: usize = memory.data(1);
/** HkdfLabel: uint16 length, label<7..255> with its length byte, context<0..255> with its length byte. */
const HKDF_LABEL_BUFFER_LEN: usize = 2 + 1 + HKDF_LABEL_MAX_LEN + 1 + HKDF_CONTEXT_MAX_LEN;
const hkdfLabel: usize = memory.data(<i32>HKDF_LABEL_BUFFER_LEN, 16);
const oneShot: usize = memory.data(<i32>HMAC_SHA256_CONTEXT_SIZE, 16);

/** SHA-256 state after compressing one block of the padded key xored with `pad`. */
function keyedState(state: usize, pad: u32): void {
  for (let i: usize = 0; i < SHA256_BLOCK_LEN; i += 4) {
    store<u32>(keyPad + i, load<u32>(paddedKey + i) ^ pad);
  }
  sha256InitialState(state);
  sha256Compress(state, keyPad);
}

/** Keys ctx (RFC 2104 §2: a key longer than B = 64 bytes is hashed first, shorter ones zero-padded) and starts a MAC. */
export function hmacSha256Init(ctx: usize, keyPtr: usize, keyLen: usize): void {
  memory.fill(paddedKey, 0, SHA256_BLOCK_LEN);
  if (keyLen > SHA256_BLOCK_LEN) sha256(keyPtr, keyLen, paddedKey);
  else memory.copy(paddedKey, keyPtr, keyLen);
  keyedState(ctx + HMAC_SHA256_INNER_KEYED, IPAD_WORD);
  keyedState(ctx + HMAC_SHA256_OUTER_KEYED, OPAD_WORD);
  hmacSha256Restart(ctx);
}

/** Starts a new MAC under the key ctx already holds. */
export function hmacSha256Restart(ctx: usize): void {
  sha256Resume(ctx + HMAC_SHA256_HASH, ctx + HMAC_SHA256_INNER_KEYED, 1);
}

export function hmacSha256Update(ctx: usize, ptr: usize, len: usize): void {
  sha256Update(ctx + HMAC_SHA256_HASH, ptr, len);
}

/** H(K ^ opad, H(K ^ ipad, text)) into out[0, 32). */
export function hmacSha256Final(ctx: usize, out: usize): void {
  const hash = ctx + HMAC_SHA256_HASH;
  sha256Final(hash, innerDigest);
  sha256Resume(hash, ctx + HMAC_SHA256_OUTER_KEYED, 1);
  sha256Update(hash, innerDigest, SHA256_DIGEST_LEN);
  sha256Final(hash, out);
}

/** HMAC-SHA256 of msg under key into out[0, 32). */
export function hmacSha256(keyPtr: usize, keyLen: usize, msgPtr: usize, msgLen: usize, outPtr: usize): void {
  hmacSha256Init(oneShot, keyPtr, keyLen);
  hmacSha256Update(oneShot, msgPtr, msgLen);
  hmacSha256Final(oneShot, outPtr);
}

/** HKDF-Extract (RFC 5869 §2.2): PRK = HMAC(salt, IKM) into prk[0, 32). An empty salt acts as 32 zeros, as HMAC pads it so. */
export function hkdfExtract(saltPtr: usize, saltLen: usize, ikmPtr: usize, ikmLen: usize, prkPtr: usize): void {
  hmacSha256(saltPtr, saltLen, ikmPtr, ikmLen, prkPtr);
}

/**
 * HKDF-Expand (RFC 5869 §2.3): out[0, outLen) = the first outLen bytes of T(1) | T(2) | ...,
 * T(i) = HMAC(PRK, T(i-1) | info | i). Returns false (writing nothing) when outLen > 255 * 32.
 */
export function hkdfExpand(prkPtr: usize, prkLen: usize, infoPtr: usize, infoLen: usize, outPtr: usize, outLen: usize): bool {
  if (outLen > HKDF_MAX_OUTPUT) return false;
  hmacSha256Init(oneShot, prkPtr, prkLen);
  let done: usize = 0;
  for (let i: u32 = 1; done < outLen; i++) {
    if (i > 1) {
      hmacSha256Restart(oneShot);
      hmacSha256Update(oneShot, expandBlock, SHA256_DIGEST_LEN);
    }
    hmacSha256Update(oneShot, infoPtr, infoLen);
    store<u8>(expandCounter, <u8>i);
    hmacSha256Update(oneShot, expandCounter, 1);
    hmacSha256Final(oneShot, expandBlock);
    const take = min(SHA256_DIGEST_LEN, outLen - done);
    memory.copy(outPtr + done, expandBlock, take);
    done += take;
  }
  return true;
}

/**
 * HKDF-Expand-Label (RFC 8446 §7.1): HKDF-Expand(Secret, HkdfLabel, Length) with
 * HkdfLabel = uint16 Length || opaque label<7..255> = "tls13 " + Label || opaque context<0..255>.
 * Label is given without the prefix. Returns false when a length is out of range.
 */
export function hkdfExpandLabel(
  secretPtr: usize, secretLen: usize, labelPtr: usize, labelLen: usize,
  contextPtr: usize, contextLen: usize, outPtr: usize, outLen: usize,
): bool {
  const fullLabelLen = TLS13_LABEL_PREFIX_LEN + labelLen;
  if (fullLabelLen > HKDF_LABEL_MAX_LEN || contextLen > HKDF_CONTEXT_MAX_LEN || outLen > 0xffff) return false;
  let at = hkdfLabel;
  store<u16>(at, bswap<u16>(<u16>outLen));
  at += 2;
  store<u8>(at, <u8>fullLabelLen);
  at += 1;
  memory.copy(at, TLS13_LABEL_PREFIX, TLS13_LABEL_PREFIX_LEN);
  at += TLS13_LABEL_PREFIX_LEN;
  memory.copy(at, labelPtr, labelLen);
  at += labelLen;
  store<u8>(at, <u8>contextLen);
  at += 1;
  memory.copy(at, contextPtr, contextLen);
  at += contextLen;
  return hkdfExpand(secretPtr, secretLen, hkdfLabel, at - hkdfLabel, outPtr, outLen);
}
