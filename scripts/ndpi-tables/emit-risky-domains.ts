// core-as/classify/generated/risky_domains.ts: the domains of the reader's -r file
// (../shared/ndpi/reader-inputs/risky_domains.txt: one name per line, '#' comments; nDPI's tests
// load it, and a host name that matches raises NDPI_RISKY_DOMAIN). nDPI puts them in a domain
// automaton that matches like its host list (hosts.json meta.matching); a leading '.' (".tk")
// is part of the pattern, so it matches any name ending in it. Matched by
// core-as/classify/host_match.ts matchRiskyDomain(), as a string hash table (strtable.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataBlocks, generatedHeader } from './as-data.ts';
import type { NdpiFacts } from './load.ts';
import { buildStrTable } from './strtable.ts';

/** The domain patterns of the file, lower-cased, in file order without duplicates. */
export function readRiskyDomains(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim().toLowerCase();
    if (line === '' || line.startsWith('#')) continue;
    if (!/^[a-z0-9._-]+$/.test(line)) throw new Error(`gen-ndpi-tables: unexpected risky domain ${JSON.stringify(raw)}`);
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

export function emitRiskyDomains(facts: NdpiFacts, dataDir: string): { source: string; dataBytes: number } {
  const domains = readRiskyDomains(readFileSync(join(dataDir, 'reader-inputs', 'risky_domains.txt'), 'utf8'));
  if (domains.length === 0) throw new Error('gen-ndpi-tables: no domain in reader-inputs/risky_domains.txt');
  const risk = facts.risks.find((r) => r.symbol === 'NDPI_RISKY_DOMAIN');
  if (!risk) throw new Error('gen-ndpi-tables: risks.json has no NDPI_RISKY_DOMAIN');
  const table = buildStrTable(domains.map((key) => ({ key, level: 0, value: 1 })));
  const data = new DataBlocks();
  const out = [
    generatedHeader(facts, 'reader-inputs/risky_domains.txt', 'Risky domains the reader flags (NDPI_RISKY_DOMAIN); layout: scripts/ndpi-tables/strtable.ts.'),
    `export const RISKY_DOMAIN_RISK: u8 = ${risk.id};`,
    `export const RISKY_COUNT: u32 = ${domains.length};`,
    `export const RISKY_MAX_LEN: u32 = ${table.maxLen};`,
    `export const RISKY_SLOT_MASK: u32 = ${table.mask};`,
    `export const RISKY_STR: usize = ${data.block('u8', table.str)};`,
    `export const RISKY_ENT: usize = ${data.block('u32', table.ent)};`,
    `export const RISKY_SLOTS: usize = ${data.block('u32', table.slots)};`,
    '',
  ];
  return { source: out.join('\n'), dataBytes: data.bytes };
}
