// Conformance of flow building with nDPI's reader: every capture of ../shared/pcaps/dev and
// ../shared/pcaps/extra through the engine, flows and per-direction counters compared with the
// expected .out files. Run: node --import tsx --test test/conformance.test.ts
// Details of one capture: npx tsx test/conformance-report.ts <capture>
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeOutFile } from './ndpi-expected.ts';
import {
  MALFORMED_NAME,
  SETS,
  captureDetails,
  captureSummary,
  formatRates,
  listCaptures,
  rates,
  runCaptures,
  statsLine,
  worstCaptures,
  type CaptureRef,
  type CaptureResult,
} from './conformance-report.ts';

const MIN_RECALL = 0.99;
const MIN_COUNTERS_EXACT = 0.99;
// Packet time held monotonic, as nDPI's reader does, makes durations agree too.
const MIN_DURATION_AGREES = 0.99;

let pending: Promise<CaptureResult[]> | null = null;

/** Runs the whole corpus once (sequentially), shared by every test below. */
function corpus(): Promise<CaptureResult[]> {
  pending ??= (async () => {
    const refs = listCaptures();
    const t0 = performance.now();
    const results = await runCaptures(refs);
    const seconds = (performance.now() - t0) / 1000;
    const lines = [''];
    for (const set of SETS) lines.push(formatRates(set, rates(results.filter((r) => r.set === set))));
    lines.push(formatRates('all', rates(results)));
    lines.push(`${results.length} captures in ${seconds.toFixed(1)} s`);
    console.log(lines.join('\n'));
    return results;
  })();
  return pending;
}

function worstReport(results: CaptureResult[], n = 8): string {
  const lines: string[] = ['worst captures (npx tsx test/conformance-report.ts <name> for all details):'];
  for (const r of worstCaptures(results, n)) {
    lines.push(`  ${captureSummary(r)}`);
    lines.push(...captureDetails(r, 3));
  }
  return lines.join('\n');
}

test('the shared corpus is present next to the repository', () => {
  let refs: CaptureRef[] = [];
  assert.doesNotThrow(() => {
    refs = listCaptures();
  });
  for (const set of SETS) assert.ok(refs.some((r) => r.set === set), `no capture found in ${set}`);
});

test('expected results are self-consistent (flow lines vs per-protocol summary)', () => {
  const problems: string[] = [];
  for (const ref of listCaptures()) {
    const out = decodeOutFile(readFileSync(ref.outPath));
    const sum = (k: 'packets' | 'bytes' | 'flows') => out.protocols.reduce((a, p) => a + p[k], 0);
    const packets = out.flows.reduce((a, f) => a + f.srcToDst.packets + f.dstToSrc.packets, 0);
    const bytes = out.flows.reduce((a, f) => a + f.srcToDst.bytes + f.dstToSrc.bytes, 0);
    if (sum('flows') !== out.flows.length || sum('packets') !== packets || sum('bytes') !== bytes)
      problems.push(`${ref.set}/${ref.name}: block 2 says ${sum('flows')} flows/${sum('packets')} pkts/${sum('bytes')} B, flow lines ${out.flows.length}/${packets}/${bytes}`);
  }
  assert.deepEqual(problems, [], 'the .out parser disagrees with the files');
});

test('no capture throws', async () => {
  const results = await corpus();
  const threw = results.filter((r) => r.error !== null);
  assert.equal(threw.length, 0, `analyzeFile threw on:\n${threw.map((r) => `  ${r.set}/${r.name}: ${r.error}`).join('\n')}`);
});

test('malformed, fuzzed and truncated captures are processed and report stats', async () => {
  const results = (await corpus()).filter((r) => MALFORMED_NAME.test(r.name));
  assert.ok(results.length > 0, 'no malformed capture found in the corpus');
  // Processed = no exception, stats returned, and either frames were read or the damage was reported.
  const errorsReported = (r: CaptureResult) => Object.values(r.stats?.captureErrors ?? {}).some((n) => n > 0);
  const bad = results.filter(
    (r) =>
      r.error !== null ||
      r.stats === null ||
      !Number.isFinite(r.stats.packets) ||
      r.stats.format === '' ||
      (r.stats.packets < 1 && !errorsReported(r)),
  );
  assert.equal(
    bad.length,
    0,
    `not processed:\n${bad.map((r) => `  ${r.set}/${r.name}: ${r.error ?? statsLine(r.stats)}`).join('\n')}`,
  );
  console.log(results.map((r) => `  ${r.set}/${r.name}: ${r.ours.length} flows; ${statsLine(r.stats)}`).join('\n'));
});

test('stats: packets == packetsInFlows + sum(skipped) for every capture', async () => {
  const broken: string[] = [];
  for (const r of await corpus()) {
    if (!r.stats) continue; // reported by "no capture throws"
    const skipped = Object.values(r.stats.skipped).reduce((a, n) => a + n, 0);
    if (r.stats.packets !== r.stats.packetsInFlows + skipped)
      broken.push(`  ${r.set}/${r.name}: packets ${r.stats.packets} != inFlows ${r.stats.packetsInFlows} + skipped ${skipped} ${JSON.stringify(r.stats.skipped)}`);
  }
  assert.equal(broken.length, 0, `invariant broken:\n${broken.join('\n')}`);
});

test(`flow recall >= ${MIN_RECALL} (matched expected flows / expected flows, dev+extra pooled)`, async () => {
  const results = await corpus();
  const all = rates(results);
  const perSet = SETS.map((s) => formatRates(s, rates(results.filter((r) => r.set === s)))).join('\n');
  assert.ok(
    all.recall >= MIN_RECALL,
    `flow recall ${(100 * all.recall).toFixed(2)}% < ${100 * MIN_RECALL}% (${all.matched}/${all.expectedFlows})\n${perSet}\n${worstReport(results)}`,
  );
});

test(`per-direction packets and bytes exact on >= ${MIN_COUNTERS_EXACT} of matched flows`, async () => {
  const results = await corpus();
  const all = rates(results);
  const perSet = SETS.map((s) => formatRates(s, rates(results.filter((r) => r.set === s)))).join('\n');
  assert.ok(
    all.countersExactRate >= MIN_COUNTERS_EXACT,
    `counters exact on ${(100 * all.countersExactRate).toFixed(2)}% < ${100 * MIN_COUNTERS_EXACT}% (${all.countersExact}/${all.matched})\n${perSet}\n${worstReport(results)}`,
  );
});

test(`flow durations within nDPI's printed rounding on >= ${MIN_DURATION_AGREES} of matched flows`, async () => {
  const results = await corpus();
  const all = rates(results);
  const perSet = SETS.map((s) => formatRates(s, rates(results.filter((r) => r.set === s)))).join('\n');
  assert.ok(
    all.durationRate >= MIN_DURATION_AGREES,
    `durations agree on ${(100 * all.durationRate).toFixed(2)}% < ${100 * MIN_DURATION_AGREES}% (${all.durationAgrees}/${all.matched})\n${perSet}`,
  );
});
