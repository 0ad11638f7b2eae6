// Throughput of the core-as/crypto primitives inside wasm: `npx tsx test/crypto/bench.ts`.
// Each measurement is one call into a loop in the module (test_entry.ts bench*), so no JS/wasm
// crossing is counted; the best of several runs of at least ~100 ms is reported.
import { createCipheriv, randomBytes } from 'node:crypto';
import { CryptoWasm } from './wasm.ts';

const MIN_MS = 100;
const REPEATS = 5;

/** Calls run(n) with n growing until it takes MIN_MS, then reports the best ns per call. */
function measure(run: (runs: number) => void): number {
  let runs = 1;
  for (;;) {
    const start = performance.now();
    run(runs);
    const elapsed = performance.now() - start;
    if (elapsed >= MIN_MS) break;
    runs *= elapsed < MIN_MS / 10 ? 10 : 2;
  }
  let best = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    run(runs);
    best = Math.min(best, (performance.now() - start) / runs);
  }
  return best * 1e6;
}

const wasm = await CryptoWasm.load();
const raw = wasm.raw;
const rows: Array<{ primitive: string; size: string; 'MB/s': number; 'ns/call': number }> = [];
const record = (primitive: string, bytes: number, nsPerCall: number) => {
  const size = bytes % (1 << 20) === 0 ? `${bytes >> 20} MiB` : bytes % 1024 === 0 ? `${bytes >> 10} KiB` : `${bytes} B`;
  rows.push({ primitive, size,
    'MB/s': Math.round(bytes / nsPerCall * 1e3 * 10) / 10, 'ns/call': Math.round(nsPerCall) });
};

const SIZES = [64, 1024, 1 << 20];
wasm.reset();
const input = wasm.put(randomBytes(1 << 20));
const output = wasm.alloc(1 << 20);

for (const size of SIZES) record('md5', size, measure((n) => raw.benchMd5(input, size, output, n)));
for (const size of SIZES) record('sha1', size, measure((n) => raw.benchSha1(input, size, output, n)));
for (const size of SIZES) record('sha256', size, measure((n) => raw.benchSha256(input, size, output, n)));
const hmacKey = wasm.put(randomBytes(32));
for (const size of [64, 1024, 1 << 20]) record('hmac-sha256 (32-byte key)', size, measure((n) => raw.benchHmacSha256(hmacKey, 32, input, size, output, n)));

const roundKeys = wasm.alloc(raw.aes128RoundKeysSize());
raw.aes128ExpandKey(wasm.put(randomBytes(16)), roundKeys);
for (const size of [16, 1024, 1 << 20]) record('aes-128 block (ECB)', size, measure((n) => raw.benchAesEcb(roundKeys, input, size, output, n)));
record('aes-128 key expansion', 16, measure((n) => { for (let i = 0; i < n; i++) raw.aes128ExpandKey(input, roundKeys); }));

// GCM: a message sealed by node:crypto, opened (tag checked, then decrypted) in wasm.
const gcmKey = randomBytes(16), iv = randomBytes(12);
const gcm = wasm.alloc(raw.gcmContextSize());
raw.aes128GcmInit(gcm, wasm.put(gcmKey));
const ivPtr = wasm.put(iv);
for (const [size, aadLen] of [[1200 - 22 - 16, 22], [64 << 10, 0], [1 << 20, 0]] as const) {
  const cipher = createCipheriv('aes-128-gcm', gcmKey, iv);
  const aad = randomBytes(aadLen);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(randomBytes(size)), cipher.final()]);
  const aadPtr = wasm.put(aad), textPtr = wasm.put(ciphertext), tagPtr = wasm.put(cipher.getAuthTag());
  const label = aadLen > 0 ? 'aes-128-gcm decrypt (QUIC Initial: 22-byte AAD)' : 'aes-128-gcm decrypt';
  record(label, size, measure((n) => {
    if (raw.benchGcmDecrypt(gcm, ivPtr, aadPtr, aadLen, textPtr, size, tagPtr, output, n) !== n) throw new Error('tag refused');
  }));
}
record('aes-128-gcm key setup (expansion + H table)', 16, measure((n) => { for (let i = 0; i < n; i++) raw.aes128GcmInit(gcm, input); }));

const secret = wasm.put(randomBytes(32)), label = wasm.put(new TextEncoder().encode('quic key'));
record('hkdf-expand-label (16-byte output)', 16, measure((n) => raw.benchHkdfExpandLabel(secret, label, 8, output, 16, n)));
for (const size of [32, 1024]) record('hex', size, measure((n) => raw.benchHex(input, size, output, n)));

console.table(rows);
