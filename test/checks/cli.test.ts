// `flowscope analyze FILE --checks PATH --alerts FILE|- --state FILE` end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PCAPS_DIR } from '../conformance-report.ts';

const BIN = fileURLToPath(new URL('../../adapters/node/bin.js', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../examples/checks/', import.meta.url));

function flowscope(...args: string[]) {
  return spawnSync(process.execPath, [BIN, 'analyze', ...args], { encoding: 'utf8', timeout: 120_000 });
}

test('--checks DIR --alerts - writes NDJSON alerts to stdout and the stats to stderr', () => {
  if (!existsSync(PCAPS_DIR)) assert.fail(`shared corpus missing: ${PCAPS_DIR}`);
  const run = flowscope(join(PCAPS_DIR, 'dev', 'dns.pcap'), '--checks', join(EXAMPLES, 'doc003'), '--alerts', '-');
  assert.equal(run.status, 0, run.stderr);
  const alerts = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
  const script = alerts.filter((a) => a.source === 'lua_script');
  assert.ok(script.length > 0);
  for (const a of script) {
    assert.equal(a.alert_id, 87);
    assert.equal(a.alert_name, 'flow_alert_custom_lua_script');
    assert.equal(a.msg, 'dummy alert message');
    assert.equal(a.score, 100);
    assert.equal(a.severity_name, 'error');
    assert.equal(a.srv_port, 53);
  }
  assert.match(run.stderr, /^checks: custom_flow_lua_script\.lua \[protocol_detected\] chunk: \d+ runs, 0 errors \(0 stopped by limits\), \d+ alerts, [\d.]+ ms/m);
  assert.match(run.stderr, /^alerts: \d+/m);
});

test('--alerts FILE keeps the flow table on stdout; --state keeps ntop\'s cache between runs', () => {
  if (!existsSync(PCAPS_DIR)) assert.fail(`shared corpus missing: ${PCAPS_DIR}`);
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-cli-'));
  mkdirSync(join(dir, 'checks'));
  writeFileSync(join(dir, 'checks', 'custom_flow_protocol_detected_script.lua'), `
    local seen = tonumber(ntop.getCache('flows_seen')) or 0
    ntop.setCache('flows_seen', tostring(seen + 1))
    if seen == 0 then flow.triggerAlert(5, 'first flow ever') end
  `);
  writeFileSync(join(dir, 'checks', 'broken.lua'), 'return {');
  const state = join(dir, 'state.json');
  const alertsFile = join(dir, 'alerts.ndjson');
  const args = [join(PCAPS_DIR, 'dev', 'dns.pcap'), '--checks', join(dir, 'checks'), '--alerts', alertsFile, '--state', state, '-f', 'ndjson'];
  const first = flowscope(...args);
  assert.equal(first.status, 0, first.stderr);
  assert.ok(first.stdout.trim().split('\n').every((line) => 'cli.ip' in JSON.parse(line)), 'flows on stdout');
  assert.match(first.stderr, /check error: broken\.lua \(load\): broken\.lua:1: unexpected symbol near <eof>/);
  assert.match(first.stderr, /^checks: broken\.lua disabled \(broken\.lua:1: unexpected symbol near <eof>\)$/m);
  const flows = first.stdout.trim().split('\n').length;
  const saved = JSON.parse(readFileSync(state, 'utf8'));
  assert.deepEqual(saved.entries, [['flows_seen', { type: 'string', value: String(flows) }]]);
  const alerts = readFileSync(alertsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((a) => a.source === 'lua_script');
  assert.deepEqual(alerts.map((a) => a.msg), ['first flow ever']);
  const second = flowscope(...args);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(JSON.parse(readFileSync(state, 'utf8')).entries[0][1].value, String(2 * flows));
  assert.equal(readFileSync(alertsFile, 'utf8').split('\n').filter((l) => l.includes('first flow ever')).length, 0);
});

test('a missing checks path fails clearly', () => {
  const run = flowscope(join(PCAPS_DIR, 'dev', 'dns.pcap'), '--checks', '/nonexistent/checks');
  assert.equal(run.status, 2);
  assert.match(run.stderr, /flowscope: cannot load checks: ENOENT/);
});
