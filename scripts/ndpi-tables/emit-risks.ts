// core-as/classify/generated/risks.ts: risk ids (bit positions of nDPI's 64-bit risk mask) and
// per risk its severity score and the client/server split of that score.
import { DataBlocks, assertUnique, constSuffix, generatedHeader } from './as-data.ts';
import type { NdpiFacts } from './load.ts';

export function emitRisks(facts: NdpiFacts): { source: string; dataBytes: number } {
  const data = new DataBlocks();
  const { risks } = facts;
  if (risks.length > 64) throw new Error('gen-ndpi-tables: more than 64 risks do not fit a u64 mask');
  const names = risks.map((r) => 'RISK_' + constSuffix(r.symbol, ['NDPI_']));
  assertUnique('risk', names);
  const out: string[] = [
    generatedHeader(facts, 'risks.json', 'Flow risks: ids (bit positions in the u64 risk mask), scores and their client/server split.'),
    `export const RISK_COUNT: u32 = ${risks.length};`,
  ];
  risks.forEach((r, i) => out.push(`export const ${names[i]}: u8 = ${r.id}; // ${r.name ?? '(sentinel, never reported)'}`));
  out.push('');
  const severities = [...new Map(risks.map((r) => [r.severity_id, r.severity])).entries()].sort((a, b) => a[0] - b[0]);
  for (const [id, name] of severities) out.push(`export const RISK_SEVERITY_${name.toUpperCase()}: u8 = ${id};`);
  out.push('');
  const words = risks.map((r) => {
    for (const v of [r.score, r.client_score, r.server_score, r.severity_id]) {
      if (v < 0 || v > 255) throw new Error(`gen-ndpi-tables: ${r.symbol} score field ${v} over 255`);
    }
    return (r.score | (r.client_score << 8) | (r.server_score << 16) | (r.severity_id << 24)) >>> 0;
  });
  // Sentinels (no risk, max risk) are never set on a flow; their bits are masked out of sums.
  let reportable = 0n;
  for (const r of risks) if (r.name !== null) reportable |= 1n << BigInt(r.id);
  out.push(
    '// One word per risk id: score (bits 0-7) | client score (8-15) | server score (16-23) | severity (24-31).',
    `const RISK_INFO: usize = ${data.block('u32', words)};`,
    '',
    '/** Bits of the risks that can be reported on a flow (the sentinel entries excluded). */',
    `export const RISK_REPORTABLE_MASK: u64 = 0x${reportable.toString(16).toUpperCase()};`,
    '',
    '@inline function riskInfo(id: u32): u32 {',
    '  return id < RISK_COUNT ? load<u32>(RISK_INFO + (<usize>id << 2)) : 0;',
    '}',
    '',
    '/** Score of one risk (its severity score: Low 10 ... Severe 150). */',
    '@inline export function riskScore(id: u32): u32 {',
    '  return riskInfo(id) & 0xff;',
    '}',
    '',
    '/** Part of the score accounted to the client. */',
    '@inline export function riskClientScore(id: u32): u32 {',
    '  return (riskInfo(id) >>> 8) & 0xff;',
    '}',
    '',
    '/** Part of the score accounted to the server. */',
    '@inline export function riskServerScore(id: u32): u32 {',
    '  return (riskInfo(id) >>> 16) & 0xff;',
    '}',
    '',
    '/** Severity id (RISK_SEVERITY_*). */',
    '@inline export function riskSeverity(id: u32): u32 {',
    '  return riskInfo(id) >>> 24;',
    '}',
    '',
    '/** A flow\'s risk score as nDPI sums it (`[Risk Score]`): the scores of the set bits. */',
    'export function riskMaskScore(mask: u64): u32 {',
    '  let m = mask & RISK_REPORTABLE_MASK;',
    '  let sum: u32 = 0;',
    '  while (m != 0) {',
    '    sum += riskScore(<u32>ctz(m));',
    '    m &= m - 1;',
    '  }',
    '  return sum;',
    '}',
    '',
    '/** Client part of a flow\'s risk score. */',
    'export function riskMaskClientScore(mask: u64): u32 {',
    '  let m = mask & RISK_REPORTABLE_MASK;',
    '  let sum: u32 = 0;',
    '  while (m != 0) {',
    '    sum += riskClientScore(<u32>ctz(m));',
    '    m &= m - 1;',
    '  }',
    '  return sum;',
    '}',
    '',
    '/** Server part of a flow\'s risk score. */',
    'export function riskMaskServerScore(mask: u64): u32 {',
    '  let m = mask & RISK_REPORTABLE_MASK;',
    '  let sum: u32 = 0;',
    '  while (m != 0) {',
    '    sum += riskServerScore(<u32>ctz(m));',
    '    m &= m - 1;',
    '  }',
    '  return sum;',
    '}',
    '',
  );
  return { source: out.join('\n'), dataBytes: data.bytes };
}
