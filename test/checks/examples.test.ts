// examples/checks: every script loads, runs on every dev capture without an error, and raises the
// alerts it is written for on the captures that have them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeFile } from '../../adapters/node/engine.ts';
import { loadCheckScripts } from '../../adapters/node/checks.ts';
import { CheckRunner } from '../../runtime/checks/runner.ts';
import { listCaptures, PCAPS_DIR } from '../conformance-report.ts';
import { cpuClock, LUA_WASM } from './helpers.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/checks/', import.meta.url));

/** capture -> [script, substring of the alert message] that must appear. */
const EXPECTED: Record<string, Array<[string, string]>> = {
  'selfsigned.pcap': [['tls_certificates.lua', 'expired on 2016-10-09, self-signed']],
  'ssh.pcap': [['obsolete_ssh.lua', 'client OpenSSH 5.3, server OpenSSH 5.6']],
  'ftp.pcap': [['cleartext_credentials.lua', 'user "anonymous"']],
  'http_auth.pcap': [['cleartext_credentials.lua', 'Clear-text credentials over HTTP']],
  '4in4tunnel.pcap': [['long_lived_flows.lua', '"duration":121572']],
  'gnutella.pcap': [['tls_certificates.lua', 'self-signed (CN=gtk-gnutella/1.2.1)']],
};

test('examples/checks run on every dev capture without errors and raise their alerts', async (t) => {
  if (!existsSync(PCAPS_DIR)) assert.fail(`shared corpus missing: ${PCAPS_DIR} (../shared/pcaps beside the repository)`);
  const scripts = await loadCheckScripts(EXAMPLES);
  assert.deepEqual(scripts.map((s) => s.name), [
    'cleartext_credentials.lua', 'dns_tunnelling.lua', 'flow_user_scripts.lua', 'long_lived_flows.lua', 'obsolete_ssh.lua', 'tls_certificates.lua',
  ]);
  const found = new Map<string, string[]>();
  let total = 0;
  for (const capture of listCaptures(['dev'])) {
    const runner = await CheckRunner.create({ luaWasm: LUA_WASM, cpuClock, scripts });
    try {
      await analyzeFile(capture.path, { engine: (engine) => runner.attach(engine), onProgress: () => runner.tick() });
    } catch {
      // damaged captures may stop early; what ran must still be clean
    }
    runner.finish();
    assert.deepEqual(runner.errors(), [], `${capture.name}: script errors`);
    for (const s of runner.stats()) assert.ok(s.mode === 'hooks', `${s.script}: ${s.mode}`);
    const messages = runner.alerts.list({ source: 'lua_script' }).concat(runner.alerts.list({ source: 'flow_status' }));
    total += messages.length;
    found.set(capture.name, messages.map((a) => `${a.script}|${a.msg}`));
    runner.close();
  }
  for (const [capture, wanted] of Object.entries(EXPECTED)) {
    for (const [script, text] of wanted) {
      const hits = (found.get(capture) ?? []).filter((m) => m.startsWith(`${script}|`) && m.includes(text));
      assert.ok(hits.length > 0, `${capture}: no ${script} alert with "${text}" in ${JSON.stringify(found.get(capture))}`);
    }
  }
  t.diagnostic(`${total} example alerts over ${found.size} captures`);
});

test('the document examples load as ntopng hook folders', async () => {
  for (const folder of ['doc001-boilerplate', 'doc001-dns', 'doc003']) {
    const scripts = await loadCheckScripts(`${EXAMPLES}${folder}`);
    assert.equal(scripts.length, 1);
    const runner = await CheckRunner.create({ luaWasm: LUA_WASM, cpuClock, scripts });
    assert.deepEqual(runner.stats().map((s) => [s.hooks, s.mode]), [[['protocol_detected'], 'pending']]);
    assert.deepEqual(runner.errors(), []);
    runner.close();
  }
});
