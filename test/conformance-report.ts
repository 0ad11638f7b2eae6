// Flow-level comparison of the engine with nDPI's expected results (../shared/pcaps/*-expected),
// used by test/conformance.test.ts and, as a CLI, for debugging one or more captures:
//
//   npx tsx test/conformance-report.ts                      every capture of dev/ and extra/
//   npx tsx test/conformance-report.ts dns.pcap gre.pcapng  those captures (name or path)
//   npx tsx test/conformance-report.ts --set dev -v         dev only, every mismatching flow
//
// Flows are matched on (L4 protocol, VLAN, unordered pair of ip:port ends), as ndpiReader keys
// them. Of matched flows, counters are compared per direction after orienting ours by the
// expected src (the first-seen end); the orientation itself is reported separately.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyzeFile } from '../adapters/node/engine.ts';
import type { EngineStats, FlowInfo } from '../runtime/types.ts';
import { decodeOutFile, ndpiIpText, type ExpectedFlow } from './ndpi-expected.ts';

export type SetName = 'dev' | 'extra';
export const SETS: readonly SetName[] = ['dev', 'extra'];
const CAPTURE_EXT = /\.(pcap|pcapng|cap)$/;
/** Captures that are damaged on purpose: they must be processed without throwing. */
export const MALFORMED_NAME = /fuzz|malformed|truncated|garbage/i;

/** ../shared relative to the repository (this file is in <repo>/test/). */
export const SHARED_DIR = fileURLToPath(new URL('../../shared/', import.meta.url));
export const PCAPS_DIR = join(SHARED_DIR, 'pcaps');

export interface CaptureRef {
  set: SetName;
  name: string;
  path: string;
  outPath: string;
}

/** Every capture of the given sets, sorted by name; throws with a clear message if the corpus is absent. */
export function listCaptures(sets: readonly SetName[] = SETS): CaptureRef[] {
  if (!existsSync(PCAPS_DIR)) {
    throw new Error(
      `shared corpus missing: ${PCAPS_DIR} does not exist (expected ../shared/pcaps next to the repository, ` +
        `resolved from ${fileURLToPath(import.meta.url)})`,
    );
  }
  const refs: CaptureRef[] = [];
  for (const set of sets) {
    const dir = join(PCAPS_DIR, set);
    const outDir = join(PCAPS_DIR, `${set}-expected`);
    if (!existsSync(dir) || !existsSync(outDir)) throw new Error(`shared corpus incomplete: ${dir} or ${outDir} missing`);
    for (const name of readdirSync(dir).sort()) {
      if (!CAPTURE_EXT.test(name)) continue;
      const outPath = join(outDir, `${name}.out`);
      if (!existsSync(outPath)) throw new Error(`expected result missing for ${set}/${name}: ${outPath}`);
      refs.push({ set, name, path: join(dir, name), outPath });
    }
  }
  return refs;
}

/** Resolves CLI arguments (capture names or paths) against the sets. */
export function findCaptures(args: string[], sets: readonly SetName[] = SETS): CaptureRef[] {
  const all = listCaptures(sets);
  return args.map((arg) => {
    const name = basename(arg);
    const ref = all.find((r) => r.name === name || r.path === resolve(arg));
    if (!ref) throw new Error(`no capture named ${arg} in ${sets.join('/')} (with a matching .out)`);
    return ref;
  });
}

/**
 * Canonical text of an address for matching: the form ndpiReader prints (glibc inet_ntop plus its
 * ":0:" -> "::" patch, see ndpiIpText), applied to both sides since that form cannot always be parsed back.
 */
export function canonicalIp(ip: string): string {
  return ndpiIpText(ip);
}

function end(ip: string, port: number): string {
  return `${canonicalIp(ip)}:${port}`;
}

export function flowKey(l4: number, vlan: number, a: string, b: string): string {
  return `${l4}|${vlan}|${a < b ? `${a}|${b}` : `${b}|${a}`}`;
}

export function expectedKey(f: ExpectedFlow): string {
  return flowKey(f.l4Proto, f.vlan, end(f.srcIp, f.srcPort), end(f.dstIp, f.dstPort));
}

export function oursKey(f: FlowInfo): string {
  return flowKey(f['proto.l4_id'], f.vlan, end(f['cli.ip'], f['cli.port']), end(f['srv.ip'], f['srv.port']));
}

export interface Counters {
  packets: number;
  bytes: number;
}

export interface MatchedFlow {
  expected: ExpectedFlow;
  ours: FlowInfo;
  /** Our client is the expected src (first-seen end). */
  sameOrientation: boolean;
  /** Ours, oriented as expected: src->dst and dst->src. */
  oursSrcToDst: Counters;
  oursDstToSrc: Counters;
  countersExact: boolean;
  /** Duration within nDPI's printed rounding. */
  durationAgrees: boolean;
}

export interface CaptureResult extends CaptureRef {
  expected: ExpectedFlow[];
  ours: FlowInfo[];
  stats: EngineStats | null;
  /** Message of the exception analyzeFile threw, if any. */
  error: string | null;
  ms: number;
  matched: MatchedFlow[];
  missing: ExpectedFlow[];
  extra: FlowInfo[];
  /** Flows of ours that share a key with an earlier flow of ours (the table should make keys unique). */
  duplicateOurs: FlowInfo[];
}

/**
 * nDPI prints `[< 1 sec]` for a flow whose first and last packet share a millisecond, else
 * `[x.xx sec]` of the millisecond difference: agree within that rounding.
 */
function durationAgrees(e: ExpectedFlow, o: FlowInfo): boolean {
  if (e.durationBelow1ms) return o.duration < 0.001;
  return Math.abs(o.duration - e.durationSec) <= 0.006;
}

function sameCounters(a: Counters, b: Counters): boolean {
  return a.packets === b.packets && a.bytes === b.bytes;
}

/** Matches ours against expected flows of one capture. */
export function compareFlows(expected: ExpectedFlow[], ours: FlowInfo[]) {
  const byKey = new Map<string, FlowInfo>();
  const duplicateOurs: FlowInfo[] = [];
  for (const f of ours) {
    const k = oursKey(f);
    if (byKey.has(k)) duplicateOurs.push(f);
    else byKey.set(k, f);
  }
  const matched: MatchedFlow[] = [];
  const missing: ExpectedFlow[] = [];
  const used = new Set<FlowInfo>();
  for (const e of expected) {
    const o = byKey.get(expectedKey(e));
    if (!o || used.has(o)) {
      missing.push(e);
      continue;
    }
    used.add(o);
    const cli = end(o['cli.ip'], o['cli.port']);
    const srv = end(o['srv.ip'], o['srv.port']);
    const src = end(e.srcIp, e.srcPort);
    const c2s = { packets: o['cli2srv.packets'], bytes: o['cli2srv.bytes'] };
    const s2c = { packets: o['srv2cli.packets'], bytes: o['srv2cli.bytes'] };
    let sameOrientation = cli === src;
    let [oursSrcToDst, oursDstToSrc] = sameOrientation ? [c2s, s2c] : [s2c, c2s];
    if (cli === srv && !sameCounters(oursSrcToDst, e.srcToDst)) {
      // both ends identical (a host talking to itself on one port): orientation is undecidable
      sameOrientation = false;
      [oursSrcToDst, oursDstToSrc] = [s2c, c2s];
    }
    matched.push({
      expected: e,
      ours: o,
      sameOrientation,
      oursSrcToDst,
      oursDstToSrc,
      countersExact: sameCounters(oursSrcToDst, e.srcToDst) && sameCounters(oursDstToSrc, e.dstToSrc),
      durationAgrees: durationAgrees(e, o),
    });
  }
  const dup = new Set(duplicateOurs);
  const extra = ours.filter((f) => !used.has(f) && !dup.has(f));
  return { matched, missing, extra, duplicateOurs };
}

export async function runCapture(ref: CaptureRef): Promise<CaptureResult> {
  const expected = decodeOutFile(readFileSync(ref.outPath)).flows;
  const t0 = performance.now();
  let ours: FlowInfo[] = [];
  let stats: EngineStats | null = null;
  let error: string | null = null;
  try {
    const r = await analyzeFile(ref.path, {});
    ours = r.flows;
    stats = r.stats;
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  const ms = performance.now() - t0;
  return { ...ref, expected, ours, stats, error, ms, ...compareFlows(expected, ours) };
}

/** Runs the captures one at a time (never concurrently). */
export async function runCaptures(refs: CaptureRef[], onDone?: (r: CaptureResult) => void): Promise<CaptureResult[]> {
  const results: CaptureResult[] = [];
  for (const ref of refs) {
    const r = await runCapture(ref);
    onDone?.(r);
    results.push(r);
  }
  return results;
}

export interface Rates {
  captures: number;
  expectedFlows: number;
  oursFlows: number;
  matched: number;
  extra: number;
  countersExact: number;
  sameOrientation: number;
  durationAgrees: number;
  recall: number;
  /** Matched / ours (how many of our flows nDPI also has). */
  precision: number;
  countersExactRate: number;
  orientationRate: number;
  durationRate: number;
}

export function rates(results: CaptureResult[]): Rates {
  const sum = (f: (r: CaptureResult) => number) => results.reduce((a, r) => a + f(r), 0);
  const expectedFlows = sum((r) => r.expected.length);
  const oursFlows = sum((r) => r.ours.length);
  const matched = sum((r) => r.matched.length);
  const countersExact = sum((r) => r.matched.filter((m) => m.countersExact).length);
  const sameOrientation = sum((r) => r.matched.filter((m) => m.sameOrientation).length);
  const durationAgreesCount = sum((r) => r.matched.filter((m) => m.durationAgrees).length);
  return {
    captures: results.length,
    expectedFlows,
    oursFlows,
    matched,
    extra: sum((r) => r.extra.length + r.duplicateOurs.length),
    countersExact,
    sameOrientation,
    durationAgrees: durationAgreesCount,
    recall: expectedFlows === 0 ? 1 : matched / expectedFlows,
    precision: oursFlows === 0 ? 1 : matched / oursFlows,
    countersExactRate: matched === 0 ? 1 : countersExact / matched,
    orientationRate: matched === 0 ? 1 : sameOrientation / matched,
    durationRate: matched === 0 ? 1 : durationAgreesCount / matched,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

export function formatRates(label: string, r: Rates): string {
  return (
    `${label.padEnd(6)} captures ${r.captures}  expected flows ${r.expectedFlows}  ours ${r.oursFlows}  matched ${r.matched}  ` +
    `extra ${r.extra}  recall ${pct(r.recall)}  precision ${pct(r.precision)}  ` +
    `counters exact ${pct(r.countersExactRate)} (${r.countersExact}/${r.matched})  ` +
    `orientation agrees ${pct(r.orientationRate)} (${r.sameOrientation}/${r.matched})  ` +
    `duration agrees ${pct(r.durationRate)} (${r.durationAgrees}/${r.matched})`
  );
}

// ---- human-readable flow descriptions ---------------------------------------------------

function fmtEnd(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function describeExpected(e: ExpectedFlow): string {
  const tunnel = e.tunnel ? ` tunnel ${e.tunnel}` : '';
  return (
    `#${e.index}${e.block === 'undetected' ? 'u' : ''} ${e.l4} ${fmtEnd(e.srcIp, e.srcPort)} ${e.bidirectional ? '<->' : '->'} ` +
    `${fmtEnd(e.dstIp, e.dstPort)} vlan ${e.vlan}${tunnel} [${e.protoText}] ` +
    `${e.srcToDst.packets} pkts/${e.srcToDst.bytes} B <-> ${e.dstToSrc.packets} pkts/${e.dstToSrc.bytes} B`
  );
}

export function describeOurs(o: FlowInfo): string {
  const tunnel = o.tunnel ? ` tunnel ${o.tunnel}` : '';
  return (
    `${o['proto.l4']}(${o['proto.l4_id']}) ${fmtEnd(o['cli.ip'], o['cli.port'])} -> ${fmtEnd(o['srv.ip'], o['srv.port'])} ` +
    `vlan ${o.vlan}${tunnel} ${o['cli2srv.packets']} pkts/${o['cli2srv.bytes']} B <-> ${o['srv2cli.packets']} pkts/${o['srv2cli.bytes']} B`
  );
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** "src->dst pkts +1 bytes +60; dst->src ..." for a matched flow (ours minus expected). */
export function describeCounterDelta(m: MatchedFlow): string {
  const parts: string[] = [];
  const d = (label: string, o: Counters, e: Counters) => {
    if (o.packets !== e.packets || o.bytes !== e.bytes)
      parts.push(`${label} pkts ${signed(o.packets - e.packets)} bytes ${signed(o.bytes - e.bytes)}`);
  };
  d('src->dst', m.oursSrcToDst, m.expected.srcToDst);
  d('dst->src', m.oursDstToSrc, m.expected.dstToSrc);
  return parts.join('; ');
}

/** A likely reason an expected flow is missing: a flow of ours on nearly the same key. */
export function explainMissing(e: ExpectedFlow, ours: FlowInfo[]): string {
  const a = end(e.srcIp, e.srcPort);
  const b = end(e.dstIp, e.dstPort);
  const ips = [canonicalIp(e.srcIp), canonicalIp(e.dstIp)].sort().join('|');
  const hints: string[] = [];
  let sameIps = 0;
  for (const o of ours) {
    const oa = end(o['cli.ip'], o['cli.port']);
    const ob = end(o['srv.ip'], o['srv.port']);
    const oIps = [canonicalIp(o['cli.ip']), canonicalIp(o['srv.ip'])].sort().join('|');
    if (oIps !== ips) continue;
    sameIps++;
    const sameEnds = (oa === a && ob === b) || (oa === b && ob === a);
    const oneEnd = oa === a || oa === b || ob === a || ob === b;
    if (sameEnds && o['proto.l4_id'] === e.l4Proto && o.vlan !== e.vlan) hints.push(`vlan ours ${o.vlan} vs ${e.vlan}`);
    else if (sameEnds && o['proto.l4_id'] !== e.l4Proto) hints.push(`l4 ours ${o['proto.l4_id']} vs ${e.l4Proto}`);
    else if (oneEnd && o['proto.l4_id'] === e.l4Proto && o.vlan === e.vlan && (e.srcPort === 0 || o['cli.port'] === 0))
      hints.push(`ports ours ${o['cli.port']}/${o['srv.port']} vs ${e.srcPort}/${e.dstPort}`);
    if (hints.length >= 3) break;
  }
  if (hints.length) return `near: ${hints.join(', ')}`;
  return sameIps ? `${sameIps} flow(s) of ours between these addresses on other ports` : 'no flow of ours between these addresses';
}

// ---- the per-capture report -------------------------------------------------------------

export function statsLine(s: EngineStats | null): string {
  if (!s) return 'no stats';
  const skipped = Object.entries(s.skipped)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}=${n}`)
    .join(',');
  const errors = Object.entries(s.captureErrors)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}=${n}`)
    .join(',');
  const skippedSum = Object.values(s.skipped).reduce((a, n) => a + n, 0);
  const inv = s.packets === s.packetsInFlows + skippedSum ? '' : `  INVARIANT BROKEN (${s.packetsInFlows}+${skippedSum}!=${s.packets})`;
  return `${s.format} link ${s.linkTypes.join('/')} packets ${s.packets} inFlows ${s.packetsInFlows} skipped {${skipped}} errors {${errors}}${inv}`;
}

export function captureSummary(r: CaptureResult): string {
  const bad = r.matched.filter((m) => !m.countersExact).length;
  const swapped = r.matched.filter((m) => !m.sameOrientation).length;
  const flag = r.error || r.missing.length || r.extra.length || r.duplicateOurs.length || bad ? '✗' : '✓';
  return (
    `${flag} ${r.set}/${r.name}: expected ${r.expected.length}, ours ${r.ours.length}, matched ${r.matched.length}, ` +
    `missing ${r.missing.length}, extra ${r.extra.length}${r.duplicateOurs.length ? `, duplicate keys ${r.duplicateOurs.length}` : ''}, ` +
    `counters off ${bad}, orientation swapped ${swapped} (${r.ms.toFixed(0)} ms)${r.error ? `  THREW ${r.error}` : ''}`
  );
}

/** Detail lines of one capture: up to `limit` examples of each kind of discrepancy. */
export function captureDetails(r: CaptureResult, limit = 5): string[] {
  const lines: string[] = [`    stats: ${statsLine(r.stats)}`];
  const take = <T>(xs: T[]) => xs.slice(0, limit);
  const more = (xs: unknown[]) => (xs.length > limit ? [`      ... ${xs.length - limit} more`] : []);
  if (r.missing.length) {
    lines.push(`    missing (expected, not ours):`);
    for (const e of take(r.missing)) lines.push(`      exp  ${describeExpected(e)}   (${explainMissing(e, r.ours)})`);
    lines.push(...more(r.missing));
  }
  if (r.extra.length || r.duplicateOurs.length) {
    const xs = [...r.extra, ...r.duplicateOurs];
    lines.push(`    extra (ours, not expected):`);
    for (const o of take(xs)) lines.push(`      ours ${describeOurs(o)}`);
    lines.push(...more(xs));
  }
  const off = r.matched.filter((m) => !m.countersExact);
  if (off.length) {
    lines.push(`    counters off (ours - expected, oriented as expected):`);
    for (const m of take(off)) {
      lines.push(`      exp  ${describeExpected(m.expected)}`);
      lines.push(`      ours ${describeOurs(m.ours)}   => ${describeCounterDelta(m)}${m.sameOrientation ? '' : ' (orientation swapped)'}`);
    }
    lines.push(...more(off));
  }
  const swapped = r.matched.filter((m) => !m.sameOrientation);
  if (swapped.length) {
    lines.push(`    orientation swapped (ours cli = expected dst):`);
    for (const m of take(swapped)) lines.push(`      exp  ${describeExpected(m.expected)}`);
    lines.push(...more(swapped));
  }
  return lines;
}

/** Captures ranked by how much they cost the two gated rates. */
export function worstCaptures(results: CaptureResult[], n: number): CaptureResult[] {
  const cost = (r: CaptureResult) => r.missing.length + r.matched.filter((m) => !m.countersExact).length + (r.error ? 1000 : 0);
  return results
    .filter((r) => cost(r) > 0 || r.extra.length > 0)
    .sort((a, b) => cost(b) - cost(a) || b.extra.length - a.extra.length)
    .slice(0, n);
}

// ---- CLI ---------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  let sets: SetName[] = [...SETS];
  let verbose = false;
  let limit = 5;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--set') sets = argv[++i].split(',') as SetName[];
    else if (a === '-v' || a === '--verbose') verbose = true;
    else if (a === '--limit') limit = Number(argv[++i]);
    else if (a === '-h' || a === '--help') {
      console.log('usage: npx tsx test/conformance-report.ts [--set dev,extra] [-v] [--limit n] [capture...]');
      return 0;
    } else names.push(a);
  }
  const refs = names.length ? findCaptures(names, sets) : listCaptures(sets);
  // Explicitly named captures always get details; a full run only for the imperfect ones with -v.
  const detailed = verbose || names.length > 0;
  const results = await runCaptures(refs, (r) => {
    console.log(captureSummary(r));
    const imperfect = r.error || r.missing.length || r.extra.length || r.duplicateOurs.length || r.matched.some((m) => !m.countersExact || !m.sameOrientation);
    if (detailed && (imperfect || names.length)) for (const l of captureDetails(r, limit)) console.log(l);
  });
  console.log('');
  const present = sets.filter((set) => results.some((r) => r.set === set));
  for (const set of present) console.log(formatRates(set, rates(results.filter((r) => r.set === set))));
  if (present.length > 1) console.log(formatRates('all', rates(results)));
  const totalMs = results.reduce((a, r) => a + r.ms, 0);
  console.log(`engine time ${(totalMs / 1000).toFixed(2)} s for ${results.length} captures`);
  return 0;
}

const invokedPath = process.argv[1] ? resolve(process.argv[1]) : '';
if (invokedPath && existsSync(invokedPath) && statSync(invokedPath).isFile() && import.meta.url === pathToFileURL(invokedPath).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(2);
    },
  );
}
