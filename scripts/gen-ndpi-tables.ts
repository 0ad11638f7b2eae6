// Generates nDPI's facts as code from ../shared/ndpi/*.json (`npm run build:tables`, the first
// step of `npm run build`). Nothing it writes is committed (all outputs are gitignored):
//   core-as/classify/generated/{protocols,risks,hosts,ip_lists,tls_ciphers,ja3_fingerprints,
//     sha1_fingerprints,risky_domains}.ts                                      (AssemblyScript)
//   runtime/ndpi/generated.ts                                                   (TypeScript)
// Files are rewritten only when their content changes, so asc and tsc see stable mtimes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitCiphers } from './ndpi-tables/emit-ciphers.ts';
import { emitHosts } from './ndpi-tables/emit-hosts.ts';
import { emitIpLists } from './ndpi-tables/emit-ip.ts';
import { emitJa3Fingerprints } from './ndpi-tables/emit-ja3.ts';
import { emitProtocols } from './ndpi-tables/emit-protocols.ts';
import { emitRisks } from './ndpi-tables/emit-risks.ts';
import { emitRiskyDomains } from './ndpi-tables/emit-risky-domains.ts';
import { emitRuntime } from './ndpi-tables/emit-runtime.ts';
import { emitSha1Fingerprints } from './ndpi-tables/emit-sha1.ts';
import { loadNdpiFacts } from './ndpi-tables/load.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const NDPI_DATA_DIR = resolve(REPO_ROOT, '..', 'shared', 'ndpi');
export const AS_GENERATED_DIR = join(REPO_ROOT, 'core-as', 'classify', 'generated');
export const RUNTIME_GENERATED_FILE = join(REPO_ROOT, 'runtime', 'ndpi', 'generated.ts');

export interface GeneratedFile {
  path: string;
  bytes: number;
  /** Static data the file puts in the wasm data segment (0 for runtime files). */
  dataBytes: number;
  changed: boolean;
}

export interface GenerateResult {
  files: GeneratedFile[];
  ipIntervals: Record<string, number>;
  millis: number;
}

function writeIfChanged(path: string, content: string): boolean {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return true;
}

/** Reads the fact files from `dataDir` and writes every generated file. */
export function generateNdpiTables(dataDir = NDPI_DATA_DIR): GenerateResult {
  const started = performance.now();
  const facts = loadNdpiFacts(dataDir);
  const ip = emitIpLists(facts);
  const outputs: Array<{ path: string; source: string; dataBytes: number }> = [
    { path: join(AS_GENERATED_DIR, 'protocols.ts'), ...emitProtocols(facts) },
    { path: join(AS_GENERATED_DIR, 'risks.ts'), ...emitRisks(facts) },
    { path: join(AS_GENERATED_DIR, 'hosts.ts'), ...emitHosts(facts) },
    { path: join(AS_GENERATED_DIR, 'ip_lists.ts'), source: ip.source, dataBytes: ip.dataBytes },
    { path: join(AS_GENERATED_DIR, 'tls_ciphers.ts'), ...emitCiphers(facts) },
    { path: join(AS_GENERATED_DIR, 'ja3_fingerprints.ts'), ...emitJa3Fingerprints(facts, dataDir) },
    { path: join(AS_GENERATED_DIR, 'sha1_fingerprints.ts'), ...emitSha1Fingerprints(facts, dataDir) },
    { path: join(AS_GENERATED_DIR, 'risky_domains.ts'), ...emitRiskyDomains(facts, dataDir) },
    { path: RUNTIME_GENERATED_FILE, source: emitRuntime(facts), dataBytes: 0 },
  ];
  const files = outputs.map((o) => ({
    path: o.path,
    bytes: Buffer.byteLength(o.source),
    dataBytes: o.dataBytes,
    changed: writeIfChanged(o.path, o.source),
  }));
  return { files, ipIntervals: ip.counts, millis: performance.now() - started };
}

/** True when every generated file exists (the tests call this before importing them). */
export function generatedTablesExist(): boolean {
  return [
    ...['protocols', 'risks', 'hosts', 'ip_lists', 'tls_ciphers', 'ja3_fingerprints', 'sha1_fingerprints', 'risky_domains'].map((n) => join(AS_GENERATED_DIR, `${n}.ts`)),
    RUNTIME_GENERATED_FILE,
  ].every((p) => existsSync(p));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const result = generateNdpiTables(process.argv[2] ? resolve(process.argv[2]) : NDPI_DATA_DIR);
    let total = 0;
    for (const f of result.files) {
      total += f.dataBytes;
      const data = f.dataBytes ? `, ${(f.dataBytes / 1024).toFixed(1)} KiB wasm data` : '';
      console.log(`  ${relative(REPO_ROOT, f.path)}: ${(f.bytes / 1024).toFixed(1)} KiB source${data}${f.changed ? '' : ' (unchanged)'}`);
    }
    console.log(`gen-ndpi-tables: ${(total / 1024).toFixed(1)} KiB of static data in ${result.millis.toFixed(0)} ms`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
