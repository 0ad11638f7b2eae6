// nDPI risks -> ntopng's flow-risk alerts on real captures, through the engine's lazy events: a
// flow_ended event whose flow needs nothing more is not turned into a flow object
// (runner.ts #needsFlow), yet every risk a flow ends with must have raised its alert, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { analyzeFile } from '../../adapters/node/engine.ts';
import { CheckRunner } from '../../runtime/checks/runner.ts';
import { riskAlertType } from '../../runtime/alerts.ts';
import { PCAPS_DIR, listCaptures } from '../conformance-report.ts';
import { cpuClock, LUA_WASM } from './helpers.ts';

/** Captures with many risky flows, some of whose risks appear only after detection. */
const CAPTURES = ['1kxun.pcap', 'ssh.pcap', 'tls_1.2_unidirectional_client.pcapng', 'dns_fragmented.pcap', 'synscan.pcap'];

async function riskAlerts(path: string, endScript: boolean): Promise<{ alerts: string[]; expected: string[] }> {
  const scripts = [{ name: 'custom_flow_protocol_detected_script.lua', source: 'local n = flow.bytes()' }];
  if (endScript) scripts.push({ name: 'custom_flow_end_script.lua', source: 'local n = flow.bytes()' });
  const runner = await CheckRunner.create({ luaWasm: LUA_WASM, cpuClock, scripts });
  const result = await analyzeFile(path, { engine: (engine) => runner.attach(engine), onProgress: () => runner.tick() });
  runner.finish();
  const alerts = runner.alerts.list({ source: 'ndpi_risk' }).map((a) => `${a.hash_id}:${a.alert_id}`).sort();
  // Expected from the final flow objects: one alert per risk that maps to an alert type.
  const expected: string[] = [];
  for (const flow of result.flows) {
    for (const id of flow.flow_risk ?? []) {
      const type = riskAlertType(id);
      if (type !== null) expected.push(`${flow.hash_entry_id}:${type.alertId}`);
    }
  }
  runner.close();
  return { alerts, expected: [...new Set(expected)].sort() };
}

test('every risk a flow ends with raised its alert once, with or without an end script', async () => {
  if (!existsSync(PCAPS_DIR)) assert.fail(`shared corpus missing: ${PCAPS_DIR}`);
  const captures = listCaptures(['dev']).filter((c) => CAPTURES.includes(c.name));
  assert.equal(captures.length, CAPTURES.length, 'captures missing from dev');
  let total = 0;
  for (const capture of captures) {
    const lazy = await riskAlerts(capture.path, false);
    const eager = await riskAlerts(capture.path, true);
    assert.deepEqual(lazy.alerts, eager.alerts, `${capture.name}: the lazy end path lost or added alerts`);
    // A risk seen at detection and cleared later (nDPI unsets some) keeps its alert: a superset.
    const raised = new Set(lazy.alerts);
    assert.deepEqual(lazy.expected.filter((key) => !raised.has(key)), [], `${capture.name}: final risks without their alert`);
    total += lazy.alerts.length;
  }
  assert.ok(total > 50, `only ${total} risk alerts on ${CAPTURES.join(', ')}`);
});
