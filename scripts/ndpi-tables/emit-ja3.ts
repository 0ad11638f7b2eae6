// core-as/classify/generated/ja3_fingerprints.ts: the JA3 client fingerprints of the reader's
// -j file (../shared/ndpi/reader-inputs/ja3_fingerprints.csv, abuse.ch's list as nDPI's tests
// load it). A ClientHello whose JA3 is listed raises NDPI_MALICIOUS_FINGERPRINT.
// Stored as sorted pairs of u64 (the MD5's first and last 8 bytes, big-endian) for a binary search.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataBlocks, generatedHeader } from './as-data.ts';
import type { NdpiFacts } from './load.ts';

export function emitJa3Fingerprints(facts: NdpiFacts, dataDir: string): { source: string; dataBytes: number } {
  const text = readFileSync(join(dataDir, 'reader-inputs', 'ja3_fingerprints.csv'), 'utf8');
  const digests = new Set<string>();
  for (const line of text.split('\n')) {
    const md5 = line.trim().split(',')[0].toLowerCase();
    if (/^[0-9a-f]{32}$/.test(md5)) digests.add(md5);
  }
  if (digests.size === 0) throw new Error('gen-ndpi-tables: no JA3 fingerprint in reader-inputs/ja3_fingerprints.csv');
  const pairs = [...digests].map((h) => [BigInt('0x' + h.slice(0, 16)), BigInt('0x' + h.slice(16))] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const risk = facts.risks.find((r) => r.symbol === 'NDPI_MALICIOUS_FINGERPRINT');
  if (!risk) throw new Error('gen-ndpi-tables: risks.json has no NDPI_MALICIOUS_FINGERPRINT');
  const data = new DataBlocks();
  const out = [
    generatedHeader(facts, 'reader-inputs/ja3_fingerprints.csv', 'JA3 client fingerprints the reader flags (NDPI_MALICIOUS_FINGERPRINT).'),
    `export const JA3_BLOCKED_RISK: u8 = ${risk.id};`,
    `const JA3_COUNT: i32 = ${pairs.length};`,
    `const JA3_DIGESTS: usize = ${data.block('u64', pairs.flat())};`,
    '',
    '/** True when the 16-byte MD5 at digest is a listed JA3. */',
    'export function isBlockedJa3(digest: usize): bool {',
    '  const hi = bswap<u64>(load<u64>(digest));',
    '  const lo = bswap<u64>(load<u64>(digest + 8));',
    '  let low: i32 = 0;',
    '  let high: i32 = JA3_COUNT - 1;',
    '  while (low <= high) {',
    '    const mid = (low + high) >>> 1;',
    '    const at = JA3_DIGESTS + (<usize>mid << 4);',
    '    const h = load<u64>(at);',
    '    const l = load<u64>(at + 8);',
    '    if (h == hi && l == lo) return true;',
    '    if (h < hi || (h == hi && l < lo)) low = mid + 1; else high = mid - 1;',
    '  }',
    '  return false;',
    '}',
    '',
  ];
  return { source: out.join('\n'), dataBytes: data.bytes };
}
