// The periodic hook on a real capture: called on packet time, 60 s after the protocol was
// detected and every 60 s after, only while the flow is in the table, never before detection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../adapters/node/engine.ts';
import { CheckRunner } from '../../runtime/checks/runner.ts';
import type { FlowEvent } from '../../runtime/types.ts';
import { PCAPS_DIR } from '../conformance-report.ts';
import { cpuClock, LUA_WASM } from './helpers.ts';

test('custom_flow_periodic_script.lua runs every 60 s of packet time after detection', async () => {
  const capture = join(PCAPS_DIR, 'dev', '1kxun.pcap');
  if (!existsSync(capture)) assert.fail(`shared corpus missing: ${capture}`);
  const calls: Array<{ serial: number; now: number }> = [];
  const detectedAt = new Map<number, number>();
  const endedAt = new Map<number, number>();
  let current: FlowEvent | null = null;
  let ticking = false;
  const runner = await CheckRunner.create({
    luaWasm: LUA_WASM, cpuClock, riskAlerts: false,
    scripts: [
      { name: 'custom_flow_periodic_script.lua', source: 'print(os.time() > 0 and flow.getLastSeen() or 0)' },
      { name: 'clock.lua', source: 'return { hooks = { periodicUpdate = function(now) print("now", now) end } }' },
    ],
    onLog: (script, text) => {
      if (script !== 'clock.lua') return;
      const now = Number(text.split('\t')[1]);
      // During tick() the runner reads the flow itself; during an event, it is that event's flow.
      calls.push({ serial: ticking ? -1 : current?.serial ?? -1, now });
    },
  });
  await analyzeFile(capture, {
    engine: (engine) => {
      engine.onEvent = (event) => {
        current = event;
        if (event.kind === 'flow_detected') detectedAt.set(event.serial, event.flow['seen.last']);
        if (event.kind === 'flow_ended') endedAt.set(event.serial, event.flow['seen.last']);
      };
      runner.attach(engine);
    },
    onProgress: () => {
      ticking = true;
      runner.tick();
      ticking = false;
    },
  });
  runner.finish();
  assert.deepEqual(runner.errors(), []);
  const stats = runner.stats();
  const periodic = stats.find((s) => s.script === 'custom_flow_periodic_script.lua')!;
  const clock = stats.find((s) => s.script === 'clock.lua')!;
  assert.deepEqual(clock.hooks, ['periodic']);
  assert.ok(periodic.runs > 10, `${periodic.runs} periodic runs`);
  assert.equal(clock.runs, periodic.runs);
  // Every call is at least 60 s after the first detection in the capture.
  const firstDetection = Math.min(...detectedAt.values());
  for (const c of calls) assert.ok(c.now >= firstDetection + 60, `a periodic call at ${c.now}, before ${firstDetection} + 60`);
  // Calls made at a flow's end event come after its detection by 60 s at least.
  for (const c of calls.filter((x) => x.serial >= 0)) {
    const detected = detectedAt.get(c.serial);
    assert.ok(detected !== undefined && c.now >= detected + 60 - 1, `flow ${c.serial}: called at ${c.now}, detected at ${detected}`);
  }
  runner.close();
});
