// ntop.addLocalNetwork changes the interface's local networks, as in ntopng: one LocalNetworks
// shared by the runner, flow.*, getFullInfo, the Flows API and every script's ntop.*.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../adapters/node/engine.ts';
import { CheckRunner, type CheckScript } from '../../runtime/checks/runner.ts';
import { LocalNetworks } from '../../runtime/checks/local_networks.ts';
import { PCAPS_DIR } from '../conformance-report.ts';
import { LUA_WASM, cpuClock } from './helpers.ts';

/** 10.0.2.15 talks to remote peers; 10.0.2.0/24 is not in ntopng's default local networks. */
const CAPTURE = join(PCAPS_DIR, 'dev', 'gnutella.pcap');

/** Another script (its own Lua state) reports what it sees of each flow of 10.0.2.15 at its end. */
const REPORTER: CheckScript = {
  name: 'custom_flow_end_script.lua',
  source: `
    if flow.cli() == '10.0.2.15' and flow.is_unicast() and flow.srv():find('^10%.0%.2%.') == nil then
      local info = flow.getFullInfo()
      local byNet = interface.getFlowsInfo(nil, { LocalNetworkFilter = 3, maxHits = 1 })
      local localClients = interface.getFlowsInfo('10.0.2.15', { clientMode = 'local', maxHits = 1 })
      print(table.concat({ flow.direction(), tostring(flow.isLocalToRemote()), tostring(info['cli.localhost']),
        tostring(ntop.isLocalAddress('10.0.2.15')), tostring(ntop.getNetworks()['10.0.2.0/24']),
        tostring(byNet.numFlows > 0), tostring(localClients.numFlows > 0) }, ' '))
    end`,
};

async function run(scripts: CheckScript[]) {
  // The Flows API snapshots the table inside the run; on a loaded machine that alone can pass the
  // default 50 ms, and this test is not about the time limit (hostile.test.ts is).
  const runner = await CheckRunner.create({ luaWasm: LUA_WASM, cpuClock, riskAlerts: false, scripts, limits: { timeLimitMs: 2000 } });
  await analyzeFile(CAPTURE, { engine: (e) => runner.attach(e), onProgress: () => runner.tick() });
  runner.finish();
  assert.deepEqual(runner.errors(), []);
  const lines = runner.logs().filter((l) => l.script === REPORTER.name).map((l) => l.text.trim());
  const networks = runner.networks.networks;
  runner.close();
  return { lines: new Set(lines), count: lines.length, networks };
}

test('ntop.addLocalNetwork in one script: flow.direction, isLocalToRemote, getFullInfo, ntop.* and the Flows API of another see it', async () => {
  if (!existsSync(CAPTURE)) assert.fail(`shared corpus missing: ${CAPTURE}`);
  const before = await run([REPORTER]);
  assert.ok(before.count > 10);
  // 10.0.2.15 is remote for ntopng's defaults.
  assert.deepEqual([...before.lines], ['remote2remote false false false nil false false']);
  assert.deepEqual(before.networks, ['192.168.1.0/24', '127.0.0.0/8', 'fe80::/10']);

  // A user script adds the network when it sees its first flow (protocol detected): every flow
  // ends after that, so the end hook of the other script sees 10.0.2.15 as local.
  const adder: CheckScript = {
    name: 'adder.lua',
    source: `
      local added = false
      return { check = function()
        if not added then ntop.addLocalNetwork('10.0.2.0/24'); ntop.addLocalNetwork('10.0.2.0/24'); added = true end
      end }`,
  };
  const after = await run([adder, REPORTER]);
  assert.equal(after.count, before.count);
  assert.deepEqual([...after.lines], ['local@remote true true true 3 true true']);
  assert.deepEqual(after.networks, ['192.168.1.0/24', '127.0.0.0/8', 'fe80::/10', '10.0.2.0/24'], 'added once');
});

test('LocalNetworks.add: ids in order, most specific network wins, aliases, invalid input adds nothing', () => {
  const nets = new LocalNetworks('10.0.0.0/8=corp');
  assert.equal(nets.classify('10.0.2.15').local, true);
  assert.equal(nets.classify('172.16.0.1').local, false);
  assert.equal(nets.add('172.16.0.0/12,10.0.2.0/24=lab'), 2);
  assert.equal(nets.add(['10.0.2.0/24']), 0);
  assert.deepEqual(nets.networks, ['10.0.0.0/8', '172.16.0.0/12', '10.0.2.0/24']);
  assert.equal(nets.classify('172.16.0.1').local, true, 'the classification cache was refreshed');
  assert.equal(nets.networkId('10.0.2.15'), 2);
  assert.equal(nets.networkId('10.9.9.9'), 0);
  assert.equal(nets.networkId('127.0.0.1'), -1, 'loopback is local without a network id');
  assert.equal(nets.classify('127.0.0.1').local, true);
  assert.equal(nets.alias('10.0.0.0/8'), 'corp');
  assert.equal(nets.alias('10.0.2.0/24'), 'lab');
  assert.equal(nets.alias('172.16.0.0/12'), null);
  assert.throws(() => nets.add('192.168.0.0/16,not-a-network'), /invalid local network/);
  assert.equal(nets.classify('192.168.5.5').local, false, 'nothing added on error');
  // The IPv6 fast path gives way once an IPv6 network is configured.
  assert.equal(nets.classify('2001:db8::1').local, false);
  nets.add('2001:db8::/32');
  assert.equal(nets.classify('2001:db8::1').local, true);
  assert.equal(nets.networkId('2001:db8::1'), 3);
});
