// core-as/classify/generated/hosts.ts: hosts.json compiled for the wasm matchers in
// core-as/classify/host_match.ts: the host_match patterns and the category_match names as
// string hash tables (layout in strtable.ts), the tls_certificate_match substrings as a list.
import { DataBlocks, generatedHeader } from './as-data.ts';
import type { HostEntry, NdpiFacts } from './load.ts';
import { FNV_OFFSET, FNV_PRIME, buildStrTable, type StrTable } from './strtable.ts';

/**
 * A pattern's level as hosts.json meta.matching defines it: the explicit `level` when set,
 * else the number of dot-separated labels ("a.b" = 2, "instagram." = 1). Patterns with an
 * empty label inside or a label starting with '-' after a dot would get level 0 in nDPI;
 * none exist, and the generator refuses them rather than guess.
 */
export function hostPatternLevel(h: HostEntry): number {
  if (h.level) return h.level;
  const p = h.pattern;
  if (p.startsWith('.') || p.includes('..') || p.includes('.-')) throw new Error(`gen-ndpi-tables: unexpected host pattern shape ${p}`);
  return p.split('.').filter((label) => label.length > 0).length;
}

/** The value matchHost returns for an entry: protocol id | category << 16 | breed << 24. */
export function hostMatchValue(h: HostEntry): number {
  if (h.proto_id > 0xffff || h.category_id > 0xff || h.breed_id > 0xff) throw new Error(`gen-ndpi-tables: ${h.pattern} ids too large`);
  return (h.proto_id | (h.category_id << 16) | (h.breed_id << 24)) >>> 0;
}

function tableBlock(data: DataBlocks, prefix: string, table: StrTable, count: number): string[] {
  return [
    `export const ${prefix}_COUNT: u32 = ${count};`,
    `export const ${prefix}_MAX_LEN: u32 = ${table.maxLen};`,
    `export const ${prefix}_SLOT_MASK: u32 = ${table.mask};`,
    `export const ${prefix}_STR: usize = ${data.block('u8', table.str)};`,
    `export const ${prefix}_ENT: usize = ${data.block('u32', table.ent)};`,
    `export const ${prefix}_SLOTS: usize = ${data.block('u32', table.slots)};`,
    '',
  ];
}

export function emitHosts(facts: NdpiFacts): { source: string; dataBytes: number } {
  const data = new DataBlocks();
  const hostTable = buildStrTable(facts.hosts.map((h) => ({ key: h.pattern, level: hostPatternLevel(h), value: hostMatchValue(h) })));
  const catTable = buildStrTable(facts.categoryHosts.map((c) => ({ key: c.pattern, level: 0, value: c.category_id })));

  const certStr: number[] = [];
  const certEnt: number[] = [];
  for (const c of facts.certSubjects) {
    const bytes = [...c.pattern].map((ch) => {
      const code = ch.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) throw new Error(`gen-ndpi-tables: non-ASCII certificate pattern ${c.pattern}`);
      return code >= 65 && code <= 90 ? code | 0x20 : code;
    });
    certEnt.push(certStr.length | (bytes.length << 16), c.proto_id);
    certStr.push(...bytes);
  }

  const out: string[] = [
    generatedHeader(facts, 'hosts.json', 'Host-name lists for core-as/classify/host_match.ts (layout: scripts/ndpi-tables/strtable.ts).'),
    '// String hash tables. STR: keys lower-cased, back to back. ENT: two words per entry,',
    '// word0 = offset (bits 0-15) | length (16-23) | level (24-31), word1 = value.',
    '// SLOTS: 0 = empty, else (hash >>> 16) << 16 | (entry + 1); slot = hash & SLOT_MASK;',
    '// hash = 32-bit FNV-1a over the lower-cased bytes.',
    `export const FNV_OFFSET: u32 = ${FNV_OFFSET};`,
    `export const FNV_PRIME: u32 = ${FNV_PRIME};`,
    '',
    '// host_match[]: value = protocol id | category << 16 | breed << 24; level as in meta.matching.',
    ...tableBlock(data, 'HOST', hostTable, facts.hosts.length),
    '// category_match[]: value = category id.',
    ...tableBlock(data, 'CATHOST', catTable, facts.categoryHosts.length),
    '// tls_certificate_match[]: case-insensitive substrings of the certificate subject DN.',
    '// CERT_ENT: two words per entry, offset | length << 16, then the protocol id.',
    `export const CERT_COUNT: u32 = ${facts.certSubjects.length};`,
    `export const CERT_STR: usize = ${data.block('u8', certStr)};`,
    `export const CERT_ENT: usize = ${data.block('u32', certEnt)};`,
    '',
  ];
  return { source: out.join('\n'), dataBytes: data.bytes };
}
