// Builds core-as/classify/test_entry.ts (regenerating the nDPI tables first, so the tests
// always see tables made from ../shared/ndpi as it is) and wraps its exports for the tests.
// The module is written to .tmp/classify-test/ (gitignored) for inspection.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import asc from 'assemblyscript/asc';
import { REPO_ROOT, generateNdpiTables, type GenerateResult } from '../../scripts/gen-ndpi-tables.ts';

const ENTRY = 'core-as/classify/test_entry.ts';
const OUT = '.tmp/classify-test/classify.wasm';

/** The raw exports of test_entry.ts. */
export interface ClassifyExports {
  memory: WebAssembly.Memory;
  scratchPtr(): number;
  hostMatch(len: number): number;
  hostCategory(len: number): number;
  certSubjectMatch(len: number): number;
  riskyDomain(len: number): number;
  sha1Blocked(): number;
  ipv4(addr: number): number;
  ipv6(): number;
  ipv4Risk(addr: number): number;
  ipv6Risk(): number;
  tcpPort(port: number): number;
  udpPort(port: number): number;
  guessPorts(l4: number, srcPort: number, dstPort: number): number;
  protoCount(): number;
  category(id: number): number;
  breed(id: number): number;
  encrypted(id: number): number;
  isApp(id: number): number;
  riskCount(): number;
  score(id: number): number;
  clientScore(id: number): number;
  serverScore(id: number): number;
  severity(id: number): number;
  maskScore(mask: bigint): number;
  cipher(id: number): number;
}

export interface Compiled {
  binary: Uint8Array;
  generated: GenerateResult;
  compileMillis: number;
}

let compiled: Promise<Compiled> | null = null;

/** Generates the tables and compiles the test entry with the release build's options, once per process. */
export function compileClassifyWasm(): Promise<Compiled> {
  compiled ??= (async () => {
    const generated = generateNdpiTables();
    const started = performance.now();
    let binary: Uint8Array | null = null;
    let diagnostics = '';
    const sink = { write(chunk: Uint8Array | string) { diagnostics += String(chunk); } };
    const { error } = await asc.main([
      '--baseDir', REPO_ROOT, ENTRY, '-o', OUT,
      '-O3', '--noAssert', '--runtime', 'minimal', '--enable', 'simd', '--enable', 'bulk-memory',
    ], {
      stdout: sink,
      stderr: sink,
      writeFile: async (name, contents, baseDir) => {
        const path = resolve(REPO_ROOT, baseDir, name);
        if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
        await mkdir(dirname(path), { recursive: true });
        const temp = `${path}.${process.pid}.tmp`;
        await writeFile(temp, contents);
        await rename(temp, path); // concurrent runs each leave a whole file
      },
    });
    if (error) throw new Error(`asc failed: ${error.message}\n${diagnostics}`);
    if (binary === null) throw new Error(`asc wrote no .wasm\n${diagnostics}`);
    if (/WARNING|ERROR/.test(diagnostics)) throw new Error(`asc diagnostics:\n${diagnostics}`);
    return { binary, generated, compileMillis: performance.now() - started };
  })();
  return compiled;
}

const encoder = new TextEncoder();

/** String- and address-level wrappers over the exports; inputs go through the scratch buffer. */
export class ClassifyWasm {
  readonly raw: ClassifyExports;
  readonly binarySize: number;
  private readonly scratch: number;

  private constructor(raw: ClassifyExports, binarySize: number) {
    this.raw = raw;
    this.binarySize = binarySize;
    this.scratch = raw.scratchPtr();
  }

  static async load(): Promise<ClassifyWasm> {
    const { binary } = await compileClassifyWasm();
    const module = await WebAssembly.compile(binary as Uint8Array<ArrayBuffer>);
    const instance = await WebAssembly.instantiate(module, { env: { abort() { throw new Error('wasm abort'); } } });
    return new ClassifyWasm(instance.exports as unknown as ClassifyExports, binary.length);
  }

  private put(bytes: Uint8Array): number {
    if (bytes.length > 4096) throw new Error('scratch holds 4096 bytes');
    new Uint8Array(this.raw.memory.buffer).set(bytes, this.scratch);
    return bytes.length;
  }

  /** matchHost's packed result: protocol id | category << 16 | breed << 24 (0 = no match). */
  host(name: string): number {
    return this.raw.hostMatch(this.put(encoder.encode(name))) >>> 0;
  }

  hostProto(name: string): number {
    return this.host(name) & 0xffff;
  }

  hostCategory(name: string): number {
    return this.raw.hostCategory(this.put(encoder.encode(name)));
  }

  riskyDomain(name: string): boolean {
    return this.raw.riskyDomain(this.put(encoder.encode(name))) === 1;
  }

  /** Whether a 20-byte SHA-1 is in the reader's malicious-certificate list. */
  sha1Blocked(digest: Uint8Array): boolean {
    if (digest.length !== 20) throw new Error('a SHA-1 is 20 bytes');
    this.put(digest);
    return this.raw.sha1Blocked() === 1;
  }

  certSubject(subject: string): number {
    return this.raw.certSubjectMatch(this.put(encoder.encode(subject)));
  }

  /** Protocol for an IPv4 or IPv6 address in text form. */
  ip(addr: string): number {
    const bytes = parseAddress(addr);
    if (bytes.length === 4) return this.raw.ipv4(((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0);
    this.put(bytes);
    return this.raw.ipv6();
  }

  /** Protocol for an address given as a number (IPv4) or bigint (IPv6). */
  ipOf(addr: bigint, bits: 32 | 128): number {
    if (bits === 32) return this.raw.ipv4(Number(addr));
    this.put(bigIntToBytes16(addr));
    return this.raw.ipv6();
  }

  ipRiskOf(addr: bigint, bits: 32 | 128): number {
    if (bits === 32) return this.raw.ipv4Risk(Number(addr));
    this.put(bigIntToBytes16(addr));
    return this.raw.ipv6Risk();
  }

  ipRisk(addr: string): number {
    const bytes = parseAddress(addr);
    if (bytes.length === 4) return this.raw.ipv4Risk(((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0);
    this.put(bytes);
    return this.raw.ipv6Risk();
  }
}

function bigIntToBytes16(v: bigint): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 15; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** 4 or 16 bytes from a textual IPv4/IPv6 address. */
export function parseAddress(text: string): Uint8Array {
  if (text.includes(':')) {
    let s = text;
    let tail: number[] = [];
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
    if (v4) {
      const b = v4[1].split('.').map(Number);
      tail = [(b[0] << 8) | b[1], (b[2] << 8) | b[3]];
      s = s.slice(0, -v4[1].length);
      if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
    }
    const [head, rest] = s.split('::');
    const h = head ? head.split(':').map((g) => Number.parseInt(g, 16)) : [];
    const r = rest ? rest.split(':').map((g) => Number.parseInt(g, 16)) : [];
    const groups = rest === undefined ? [...h, ...tail] : [...h, ...new Array(8 - h.length - r.length - tail.length).fill(0), ...r, ...tail];
    if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) throw new Error(`bad IPv6 address ${text}`);
    const out = new Uint8Array(16);
    groups.forEach((g, i) => {
      out[2 * i] = g >> 8;
      out[2 * i + 1] = g & 0xff;
    });
    return out;
  }
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) throw new Error(`bad IPv4 address ${text}`);
  return Uint8Array.from(parts);
}
