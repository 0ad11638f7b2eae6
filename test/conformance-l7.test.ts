// Application-layer conformance against nDPI's .out files (issue 3). Prints every rate with the
// issue's target and the largest confusions, and fails when a rate drops below the floor this
// project has already reached (FLOORS: raised as dissectors land; the targets are the issue's).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listCaptures, runCaptures } from './conformance-report.ts';
import { formatMetric, l7Metrics, topConfusions } from './conformance-l7.ts';

/** Rates already reached on dev+extra; a change that lowers one is a regression. */
const FLOORS: Record<string, number> = {
  'master.app pair': 0.994,
  'Hostname/SNI': 0.981,
  'JA3C': 0.99,
  'JA4': 0.99,
  'HASSH-C': 0.95,
  'HASSH-S': 0.95,
  'URL': 0.99,
  'risk set': 0.984,
};

test('application layer: agreement with nDPI on dev+extra, no regression below the reached floors', async (t) => {
  const metrics = l7Metrics(await runCaptures(listCaptures()));
  for (const m of metrics) {
    t.diagnostic(formatMetric(m));
    for (const line of topConfusions(m, 5)) t.diagnostic(`    ${line}`);
  }
  for (const m of metrics) {
    const floor = FLOORS[m.name];
    if (floor === undefined) continue;
    const rate = m.total === 0 ? 1 : m.agree / m.total;
    assert.ok(rate >= floor, `${m.name}: ${(100 * rate).toFixed(2)}% fell below the reached floor ${100 * floor}%\n${topConfusions(m, 15).join('\n')}`);
  }
});
