// core-as/classify/generated/sha1_fingerprints.ts: the certificate SHA-1 fingerprints of the
// reader's -S file (../shared/ndpi/reader-inputs/sha1_fingerprints.csv, abuse.ch's SSLBL list as
// nDPI's tests load it: "Listingdate,SHA1,Listingreason" lines). A TLS server whose certificate
// hashes to a listed SHA-1 raises NDPI_MALICIOUS_SHA1_CERTIFICATE.
// Stored as sorted records of five u32 (the digest's 20 bytes as big-endian words), so the whole
// digest is compared (no prefix shortcut) by a binary search.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataBlocks, generatedHeader } from './as-data.ts';
import type { NdpiFacts } from './load.ts';

/** The lower-cased hex SHA-1s of the file (the second field of each non-comment line). */
export function readSha1Fingerprints(text: string): string[] {
  const digests = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const sha1 = (line.split(',')[1] ?? '').trim().toLowerCase();
    if (!/^[0-9a-f]{40}$/.test(sha1)) throw new Error(`gen-ndpi-tables: no SHA-1 in sha1_fingerprints.csv line ${JSON.stringify(line)}`);
    digests.add(sha1);
  }
  return [...digests].sort();
}

export function emitSha1Fingerprints(facts: NdpiFacts, dataDir: string): { source: string; dataBytes: number } {
  const digests = readSha1Fingerprints(readFileSync(join(dataDir, 'reader-inputs', 'sha1_fingerprints.csv'), 'utf8'));
  if (digests.length === 0) throw new Error('gen-ndpi-tables: no SHA-1 fingerprint in reader-inputs/sha1_fingerprints.csv');
  const risk = facts.risks.find((r) => r.symbol === 'NDPI_MALICIOUS_SHA1_CERTIFICATE');
  if (!risk) throw new Error('gen-ndpi-tables: risks.json has no NDPI_MALICIOUS_SHA1_CERTIFICATE');
  // Hex order of equal-length strings is the numeric order of their big-endian words.
  const words = digests.flatMap((h) => [0, 8, 16, 24, 32].map((at) => parseInt(h.slice(at, at + 8), 16)));
  const data = new DataBlocks();
  const out = [
    generatedHeader(facts, 'reader-inputs/sha1_fingerprints.csv', 'Certificate SHA-1s the reader flags (NDPI_MALICIOUS_SHA1_CERTIFICATE).'),
    `export const SHA1_BLOCKED_RISK: u8 = ${risk.id};`,
    `const SHA1_COUNT: i32 = ${digests.length};`,
    '/** Five u32 per digest (its bytes as big-endian words), sorted. */',
    `const SHA1_DIGESTS: usize = ${data.block('u32', words)};`,
    '',
    '/** -1, 0 or 1 as the 20-byte digest at `digest` sorts before, equals or after record `index`. */',
    'function compareRecord(digest: usize, index: i32): i32 {',
    '  const at = SHA1_DIGESTS + <usize>index * 20;',
    '  for (let i: usize = 0; i < 20; i += 4) {',
    '    const mine = bswap<u32>(load<u32>(digest + i));',
    '    const listed = load<u32>(at + i);',
    '    if (mine != listed) return mine < listed ? -1 : 1;',
    '  }',
    '  return 0;',
    '}',
    '',
    '/** True when the 20-byte SHA-1 at digest is listed. */',
    'export function isBlockedSha1(digest: usize): bool {',
    '  let low: i32 = 0;',
    '  let high: i32 = SHA1_COUNT - 1;',
    '  while (low <= high) {',
    '    const mid = (low + high) >>> 1;',
    '    const order = compareRecord(digest, mid);',
    '    if (order == 0) return true;',
    '    if (order > 0) low = mid + 1; else high = mid - 1;',
    '  }',
    '  return false;',
    '}',
    '',
  ];
  return { source: out.join('\n'), dataBytes: data.bytes };
}
