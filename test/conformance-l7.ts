// Application-layer agreement with nDPI's .out files (issue 3): classification pair, host
// name, fingerprints, URL and risks, over the flows the conformance suite matched.
// `npx tsx test/conformance-l7.ts [capture...]` prints the rates and the largest confusions.
import type { FlowInfo } from '../runtime/types.ts';
import { riskIdByName } from '../runtime/ndpi/tables.ts';
import type { ExpectedFlow } from './ndpi-expected.ts';
import { type CaptureResult, type SetName, SETS, findCaptures, listCaptures, runCaptures } from './conformance-report.ts';

/** First id of the custom protocols of nDPI's protos.txt; flows classified by those rules are not comparable. */
const FIRST_CUSTOM_ID = 432;

export interface Metric {
  name: string;
  /** The issue's acceptance threshold. */
  target: number;
  agree: number;
  total: number;
  /** Expected -> ours disagreements, most frequent first. */
  confusions: Map<string, number>;
}

function metric(name: string, target: number): Metric {
  return { name, target, agree: 0, total: 0, confusions: new Map() };
}

function count(m: Metric, expected: string, ours: string): void {
  m.total++;
  if (expected === ours) m.agree++;
  else m.confusions.set(`${expected} -> ${ours}`, (m.confusions.get(`${expected} -> ${ours}`) ?? 0) + 1);
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function l7Metrics(results: CaptureResult[]): Metric[] {
  const pair = metric('master.app pair', 0.90);
  const host = metric('Hostname/SNI', 0.95);
  const ja3c = metric('JA3C', 0.95);
  const ja4 = metric('JA4', 0.95);
  const hasshC = metric('HASSH-C', 0.95);
  const hasshS = metric('HASSH-S', 0.95);
  const url = metric('URL', 0.95);
  const risks = metric('risk set', 0.80);
  for (const r of results) {
    for (const m of r.matched) {
      const e: ExpectedFlow = m.expected;
      const o: FlowInfo = m.ours;
      const custom = e.masterId >= FIRST_CUSTOM_ID || e.appId >= FIRST_CUSTOM_ID || e.confidence === 'Match by custom rule';
      if (!custom) count(pair, `${e.masterName}.${e.appName}`, `${nameOf(o, 'master')}.${nameOf(o, 'app')}`);
      if (e.hostname !== null) count(host, e.hostname, str(o.host_server_name));
      const f = e.fields;
      if (f.JA3C !== undefined) count(ja3c, f.JA3C.split(' ')[0], str(o['protos.tls.ja3.client_hash']));
      if (f.JA4 !== undefined) count(ja4, f.JA4, str(o['protos.tls.ja4.client_hash']));
      if (f['HASSH-C'] !== undefined) count(hasshC, f['HASSH-C'], str(o['protos.ssh.hassh.client_hash']));
      if (f['HASSH-S'] !== undefined) count(hasshS, f['HASSH-S'], str(o['protos.ssh.hassh.server_hash']));
      if (f.URL !== undefined) count(url, f.URL, str(o['protos.http.last_url']));
      const expectedRisks = e.risks.map((name) => riskIdByName(name) ?? -1).sort((a, b) => a - b).join(',');
      count(risks, expectedRisks, [...o.flow_risk].sort((a, b) => a - b).join(','));
    }
  }
  return [pair, host, ja3c, ja4, hasshC, hasshS, url, risks];
}

function nameOf(o: FlowInfo, which: 'master' | 'app'): string {
  // Our pair in the .out's spelling: single protocols print as "Unknown.App" there too.
  const text = o['proto.ndpi'];
  const [first, second] = text.includes('.') ? text.split('.') : ['Unknown', text];
  return which === 'master' ? first : second;
}

export function formatMetric(m: Metric): string {
  const rate = m.total === 0 ? 1 : m.agree / m.total;
  return `${m.name.padEnd(16)} ${(100 * rate).toFixed(2).padStart(6)}%  (${m.agree}/${m.total}, target ${(100 * m.target).toFixed(0)}%)`;
}

export function topConfusions(m: Metric, n: number): string[] {
  return [...m.confusions.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${String(v).padStart(5)}  ${k}`);
}

/**
 * Per protocol name of the ground truth (master or app): how many of its flows have the right
 * pair. The ones mostly wrong are the dissectors still missing, most frequent first.
 */
export function protocolCoverage(results: CaptureResult[]): Array<{ name: string; right: number; total: number }> {
  const total = new Map<string, number>();
  const right = new Map<string, number>();
  for (const r of results) {
    for (const m of r.matched) {
      const e = m.expected;
      const ok = e.masterId === m.ours['proto.master_ndpi_id'] && e.appId === m.ours['proto.ndpi_id'];
      for (const name of new Set([e.masterName, e.appName])) {
        if (!name || name === 'Unknown') continue;
        total.set(name, (total.get(name) ?? 0) + 1);
        if (ok) right.set(name, (right.get(name) ?? 0) + 1);
      }
    }
  }
  return [...total.entries()].map(([name, n]) => ({ name, right: right.get(name) ?? 0, total: n })).sort((a, b) => b.total - a.total);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const refs = args.length > 0 ? findCaptures(args, SETS as SetName[]) : listCaptures();
  const results = await runCaptures(refs);
  for (const m of l7Metrics(results)) {
    console.log(formatMetric(m));
    for (const line of topConfusions(m, 15)) console.log(`    ${line}`);
  }
  const coverage = protocolCoverage(results);
  const missing = coverage.filter((c) => c.right * 2 < c.total);
  console.log(`protocols in the ground truth: ${coverage.length}; most of their flows right: ${coverage.length - missing.length}`);
  console.log(`mostly wrong (right/total): ${missing.map((c) => `${c.name} ${c.right}/${c.total}`).join(', ')}`);
}
