// Test and benchmark entry for the crypto modules, compiled on its own by test/crypto/ (the
// engine's ABI, core-as/index.ts, does not include it). Thin re-exports, one scratch region the
// tests copy bytes into, and loops that time a primitive with one JS/wasm crossing per run.
import { md5, md5Init, md5Update, md5Final, MD5_CONTEXT_SIZE } from "./md5";
import { sha1, sha1Init, sha1Update, sha1Final, SHA1_CONTEXT_SIZE } from "./sha1";
import { sha256, sha256Init, sha256Update, sha256Final, SHA256_CONTEXT_SIZE } from "./sha256";
import {
  hmacSha256, hmacSha256Init, hmacSha256Update, hmacSha256Final, hmacSha256Restart,
  hkdfExtract, hkdfExpand, hkdfExpandLabel, HMAC_SHA256_CONTEXT_SIZE,
} from "./hmac_hkdf";
import { aes128ExpandKey, aes128EncryptBlock, aesSboxPtr, AES128_ROUND_KEYS_SIZE } from "./aes";
import { aes128GcmInit, aes128GcmDecrypt, GCM_CONTEXT_SIZE } from "./gcm";
import { hexEncode } from "./hex";

export {
  md5, md5Init, md5Update, md5Final,
  sha1, sha1Init, sha1Update, sha1Final,
  sha256, sha256Init, sha256Update, sha256Final,
  hmacSha256, hmacSha256Init, hmacSha256Update, hmacSha256Final, hmacSha256Restart,
  hkdfExtract, hkdfExpand, hkdfExpandLabel,
  aes128ExpandKey, aes128EncryptBlock, aesSboxPtr,
  aes128GcmInit, aes128GcmDecrypt,
  hexEncode,
};

export function md5ContextSize(): usize { return MD5_CONTEXT_SIZE; }
export function sha1ContextSize(): usize { return SHA1_CONTEXT_SIZE; }
export function sha256ContextSize(): usize { return SHA256_CONTEXT_SIZE; }
export function hmacSha256ContextSize(): usize { return HMAC_SHA256_CONTEXT_SIZE; }
export function aes128RoundKeysSize(): usize { return AES128_ROUND_KEYS_SIZE; }
export function gcmContextSize(): usize { return GCM_CONTEXT_SIZE; }

let scratchBase: usize = 0;
let scratchCapacity: usize = 0;

/** A region of at least `size` bytes for the tests' inputs, outputs and contexts (16-aligned). */
export function scratch(size: usize): usize {
  if (size > scratchCapacity) {
    if (scratchBase != 0) heap.free(scratchBase);
    scratchBase = heap.alloc(size);
    scratchCapacity = size;
  }
  return scratchBase;
}

// Benchmarks: run a primitive `runs` times over the same input.
export function benchMd5(inPtr: usize, len: usize, outPtr: usize, runs: u32): void {
  for (let i: u32 = 0; i < runs; i++) md5(inPtr, len, outPtr);
}
export function benchSha1(inPtr: usize, len: usize, outPtr: usize, runs: u32): void {
  for (let i: u32 = 0; i < runs; i++) sha1(inPtr, len, outPtr);
}
export function benchSha256(inPtr: usize, len: usize, outPtr: usize, runs: u32): void {
  for (let i: u32 = 0; i < runs; i++) sha256(inPtr, len, outPtr);
}
export function benchHmacSha256(keyPtr: usize, keyLen: usize, inPtr: usize, len: usize, outPtr: usize, runs: u32): void {
  for (let i: u32 = 0; i < runs; i++) hmacSha256(keyPtr, keyLen, inPtr, len, outPtr);
}
/** AES-128 in ECB over len bytes (a multiple of 16), `runs` times. */
export function benchAesEcb(roundKeys: usize, inPtr: usize, len: usize, outPtr: usize, runs: u32): void {
  for (let i: u32 = 0; i < runs; i++) {
    for (let at: usize = 0; at < len; at += 16) aes128EncryptBlock(roundKeys, inPtr + at, outPtr + at);
  }
}
/** Decrypts a valid message `runs` times; returns how many tags verified. */
export function benchGcmDecrypt(
  ctx: usize, iv: usize, aad: usize, aadLen: usize, inPtr: usize, len: usize, tag: usize, outPtr: usize, runs: u32,
): u32 {
  let ok: u32 = 0;
  for (let i: u32 = 0; i < runs; i++) if (aes128GcmDecrypt(ctx, iv, 12, aad, aadLen, inPtr, len, tag, outPtr)) ok++;
  return ok;
}
export function benchHkdfExpandLabel(secret: usize, label: usize, labelLen: usize, outPtr: usize, outLen: usize, runs: u32): void {
  for (let i: u32 = 0; i < runs; i++) hkdfExpandLabel(secret, 32, label, labelLen, 0, 0, outPtr, outLen);
}
export function benchHex(inPtr: usize, len: usize, outPtr: usize, runs: u32): void {
  for (let i: u32 = 0; i < runs; i++) hexEncode(inPtr, len, outPtr);
}
