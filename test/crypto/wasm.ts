// Builds core-as/crypto/test_entry.ts with the release options (asconfig.crypto-test.json: -O3,
// runtime minimal, SIMD) and wraps its exports in byte-array functions for the tests and the
// benchmark. The module is written under .tmp/crypto-test/ (gitignored) for inspection.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = 'core-as/crypto/test_entry.ts';
const CONFIG = 'asconfig.crypto-test.json';

/** The raw exports of test_entry.ts (pointers and lengths are byte offsets in `memory`). */
export interface CryptoExports {
  memory: WebAssembly.Memory;
  scratch(size: number): number;
  md5ContextSize(): number;
  sha1ContextSize(): number;
  sha256ContextSize(): number;
  hmacSha256ContextSize(): number;
  aes128RoundKeysSize(): number;
  gcmContextSize(): number;

  md5(inPtr: number, len: number, out: number): void;
  md5Init(ctx: number): void;
  md5Update(ctx: number, ptr: number, len: number): void;
  md5Final(ctx: number, out: number): void;
  sha1(inPtr: number, len: number, out: number): void;
  sha1Init(ctx: number): void;
  sha1Update(ctx: number, ptr: number, len: number): void;
  sha1Final(ctx: number, out: number): void;
  sha256(inPtr: number, len: number, out: number): void;
  sha256Init(ctx: number): void;
  sha256Update(ctx: number, ptr: number, len: number): void;
  sha256Final(ctx: number, out: number): void;
  hmacSha256(key: number, keyLen: number, msg: number, msgLen: number, out: number): void;
  hmacSha256Init(ctx: number, key: number, keyLen: number): void;
  hmacSha256Update(ctx: number, ptr: number, len: number): void;
  hmacSha256Final(ctx: number, out: number): void;
  hmacSha256Restart(ctx: number): void;
  hkdfExtract(salt: number, saltLen: number, ikm: number, ikmLen: number, prk: number): void;
  hkdfExpand(prk: number, prkLen: number, info: number, infoLen: number, out: number, outLen: number): number;
  hkdfExpandLabel(secret: number, secretLen: number, label: number, labelLen: number,
    context: number, contextLen: number, out: number, outLen: number): number;
  aes128ExpandKey(key: number, roundKeys: number): void;
  aes128EncryptBlock(roundKeys: number, inPtr: number, out: number): void;
  aesSboxPtr(): number;
  aes128GcmInit(ctx: number, key: number): void;
  aes128GcmDecrypt(ctx: number, iv: number, ivLen: number, aad: number, aadLen: number,
    inPtr: number, len: number, tag: number, out: number): number;
  hexEncode(inPtr: number, len: number, out: number): number;

  benchMd5(inPtr: number, len: number, out: number, runs: number): void;
  benchSha1(inPtr: number, len: number, out: number, runs: number): void;
  benchSha256(inPtr: number, len: number, out: number, runs: number): void;
  benchHmacSha256(key: number, keyLen: number, inPtr: number, len: number, out: number, runs: number): void;
  benchAesEcb(roundKeys: number, inPtr: number, len: number, out: number, runs: number): void;
  benchGcmDecrypt(ctx: number, iv: number, aad: number, aadLen: number, inPtr: number, len: number,
    tag: number, out: number, runs: number): number;
  benchHkdfExpandLabel(secret: number, label: number, labelLen: number, out: number, outLen: number, runs: number): void;
  benchHex(inPtr: number, len: number, out: number, runs: number): void;
}

let compiled: Promise<Uint8Array> | null = null;

/** Compiles the test entry once per process. */
export function compileCryptoWasm(): Promise<Uint8Array> {
  compiled ??= (async () => {
    let binary: Uint8Array | null = null;
    let diagnostics = '';
    const sink = { write(chunk: Uint8Array | string) { diagnostics += String(chunk); } };
    const { error } = await asc.main(['--baseDir', ROOT, ENTRY, '--config', CONFIG, '--target', 'release'], {
      stdout: sink,
      stderr: sink,
      writeFile: async (name, contents, baseDir) => {
        const path = resolve(ROOT, baseDir, name);
        if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
        await mkdir(dirname(path), { recursive: true });
        const temp = `${path}.${process.pid}.tmp`;
        await writeFile(temp, contents);
        await rename(temp, path); // concurrent builds each leave a whole file
      },
    });
    if (error) throw new Error(`asc failed: ${error.message}\n${diagnostics}`);
    if (binary === null) throw new Error(`asc wrote no .wasm\n${diagnostics}`);
    if (/WARNING|ERROR/.test(diagnostics)) throw new Error(`asc diagnostics:\n${diagnostics}`);
    return binary;
  })();
  return compiled;
}

/** Size of the scratch region the wrappers carve inputs, outputs and contexts from. */
const SCRATCH_SIZE = 8 << 20;
const ALIGN = 16;

/** Byte-array wrappers over the exports; every call copies its inputs into wasm memory. */
export class CryptoWasm {
  readonly raw: CryptoExports;
  private readonly base: number;
  private next = 0;

  private constructor(raw: CryptoExports) {
    this.raw = raw;
    this.base = raw.scratch(SCRATCH_SIZE);
  }

  static async load(): Promise<CryptoWasm> {
    const module = await WebAssembly.compile(await compileCryptoWasm() as Uint8Array<ArrayBuffer>);
    const instance = await WebAssembly.instantiate(module, { env: { abort() { throw new Error('wasm abort'); } } });
    return new CryptoWasm(instance.exports as unknown as CryptoExports);
  }

  get bytes(): Uint8Array { return new Uint8Array(this.raw.memory.buffer); }

  /** Forgets every region handed out; call at the start of each operation. */
  reset(): void { this.next = 0; }

  alloc(len: number): number {
    const ptr = this.base + this.next;
    this.next += Math.ceil(Math.max(len, 1) / ALIGN) * ALIGN;
    if (this.next > SCRATCH_SIZE) throw new Error('crypto scratch exhausted');
    return ptr;
  }

  put(data: Uint8Array): number {
    const ptr = this.alloc(data.length);
    this.bytes.set(data, ptr);
    return ptr;
  }

  read(ptr: number, len: number): Uint8Array { return this.bytes.slice(ptr, ptr + len); }

  md5(data: Uint8Array): Uint8Array {
    this.reset();
    const input = this.put(data), out = this.alloc(16);
    this.raw.md5(input, data.length, out);
    return this.read(out, 16);
  }

  /** MD5 fed in the given pieces through one context. */
  md5Pieces(pieces: Uint8Array[]): Uint8Array {
    this.reset();
    const ctx = this.alloc(this.raw.md5ContextSize()), out = this.alloc(16);
    this.raw.md5Init(ctx);
    for (const piece of pieces) {
      const mark = this.next;
      this.raw.md5Update(ctx, this.put(piece), piece.length);
      this.next = mark;
    }
    this.raw.md5Final(ctx, out);
    return this.read(out, 16);
  }

  sha1(data: Uint8Array): Uint8Array {
    this.reset();
    const input = this.put(data), out = this.alloc(20);
    this.raw.sha1(input, data.length, out);
    return this.read(out, 20);
  }

  sha1Pieces(pieces: Uint8Array[]): Uint8Array {
    this.reset();
    const ctx = this.alloc(this.raw.sha1ContextSize()), out = this.alloc(20);
    this.raw.sha1Init(ctx);
    for (const piece of pieces) {
      const mark = this.next;
      this.raw.sha1Update(ctx, this.put(piece), piece.length);
      this.next = mark;
    }
    this.raw.sha1Final(ctx, out);
    return this.read(out, 20);
  }

  sha256(data: Uint8Array): Uint8Array {
    this.reset();
    const input = this.put(data), out = this.alloc(32);
    this.raw.sha256(input, data.length, out);
    return this.read(out, 32);
  }

  sha256Pieces(pieces: Uint8Array[]): Uint8Array {
    this.reset();
    const ctx = this.alloc(this.raw.sha256ContextSize()), out = this.alloc(32);
    this.raw.sha256Init(ctx);
    for (const piece of pieces) {
      const mark = this.next;
      this.raw.sha256Update(ctx, this.put(piece), piece.length);
      this.next = mark;
    }
    this.raw.sha256Final(ctx, out);
    return this.read(out, 32);
  }

  hmacSha256(key: Uint8Array, msg: Uint8Array): Uint8Array {
    this.reset();
    const k = this.put(key), m = this.put(msg), out = this.alloc(32);
    this.raw.hmacSha256(k, key.length, m, msg.length, out);
    return this.read(out, 32);
  }

  /** HMAC through a context: keyed once, then each message after a restart. */
  hmacSha256Many(key: Uint8Array, messages: Uint8Array[][]): Uint8Array[] {
    this.reset();
    const ctx = this.alloc(this.raw.hmacSha256ContextSize()), out = this.alloc(32);
    this.raw.hmacSha256Init(ctx, this.put(key), key.length);
    return messages.map((pieces, i) => {
      if (i > 0) this.raw.hmacSha256Restart(ctx);
      for (const piece of pieces) {
        const mark = this.next;
        this.raw.hmacSha256Update(ctx, this.put(piece), piece.length);
        this.next = mark;
      }
      this.raw.hmacSha256Final(ctx, out);
      return this.read(out, 32);
    });
  }

  hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
    this.reset();
    const s = this.put(salt), i = this.put(ikm), prk = this.alloc(32);
    this.raw.hkdfExtract(s, salt.length, i, ikm.length, prk);
    return this.read(prk, 32);
  }

  /** null when the core refuses the length. */
  hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array | null {
    this.reset();
    const p = this.put(prk), i = this.put(info), out = this.alloc(length + ALIGN);
    const guard = 0xa5;
    this.bytes.fill(guard, out, out + length + ALIGN);
    if (!this.raw.hkdfExpand(p, prk.length, i, info.length, out, length)) return null;
    if (this.bytes[out + length] !== guard) throw new Error('hkdfExpand wrote past its output');
    return this.read(out, length);
  }

  hkdfExpandLabel(secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array | null {
    this.reset();
    const labelBytes = new TextEncoder().encode(label);
    const s = this.put(secret), l = this.put(labelBytes), c = this.put(context), out = this.alloc(length);
    if (!this.raw.hkdfExpandLabel(s, secret.length, l, labelBytes.length, c, context.length, out, length)) return null;
    return this.read(out, length);
  }

  /** AES-128 of each 16-byte block of data under key (ECB). */
  aes128Ecb(key: Uint8Array, data: Uint8Array): Uint8Array {
    this.reset();
    const roundKeys = this.alloc(this.raw.aes128RoundKeysSize());
    this.raw.aes128ExpandKey(this.put(key), roundKeys);
    const input = this.put(data), out = this.alloc(data.length);
    for (let at = 0; at < data.length; at += 16) this.raw.aes128EncryptBlock(roundKeys, input + at, out + at);
    return this.read(out, data.length);
  }

  aes128RoundKeys(key: Uint8Array): Uint8Array {
    this.reset();
    const roundKeys = this.alloc(this.raw.aes128RoundKeysSize());
    this.raw.aes128ExpandKey(this.put(key), roundKeys);
    return this.read(roundKeys, this.raw.aes128RoundKeysSize());
  }

  sbox(): Uint8Array { return this.read(this.raw.aesSboxPtr(), 256); }

  /**
   * AES-128-GCM decryption. `inPlace` decrypts over the ciphertext's own bytes. Returns the
   * plaintext, or null when the tag is refused (and then checks the output was left untouched).
   */
  aes128GcmDecrypt(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, inPlace = false): Uint8Array | null {
    this.reset();
    const ctx = this.alloc(this.raw.gcmContextSize());
    this.raw.aes128GcmInit(ctx, this.put(key));
    const ivPtr = this.put(iv), aadPtr = this.put(aad), input = this.put(ciphertext), tagPtr = this.put(tag);
    const out = inPlace ? input : this.alloc(ciphertext.length);
    const before = this.read(out, ciphertext.length);
    const ok = this.raw.aes128GcmDecrypt(ctx, ivPtr, iv.length, aadPtr, aad.length, input, ciphertext.length, tagPtr, out);
    const after = this.read(out, ciphertext.length);
    if (!ok) {
      if (!after.every((b, i) => b === before[i])) throw new Error('GCM wrote output for a refused tag');
      return null;
    }
    return after;
  }

  hex(data: Uint8Array): string {
    this.reset();
    const input = this.put(data), out = this.alloc(data.length * 2 + ALIGN);
    const written = this.raw.hexEncode(input, data.length, out);
    if (written !== data.length * 2) throw new Error(`hexEncode returned ${written}`);
    return new TextDecoder().decode(this.read(out, written));
  }
}
