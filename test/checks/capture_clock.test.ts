// ntop.* cache TTLs on capture time (runner.ts cacheClock, store/kv.ts): on a real capture a key set
// with a TTL expires when the packet time passes it, not the wall clock; the CLI's --state keeps the
// expiry times on that clock, so the next file of a rotated capture sees them expire on time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFile } from '../../adapters/node/engine.ts';
import { CheckRunner } from '../../runtime/checks/runner.ts';
import { PCAPS_DIR } from '../conformance-report.ts';
import { LUA_WASM, cpuClock } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../adapters/node/bin.js', import.meta.url));
/** 3905 packets over 600 s of packet time (starting at the epoch), 760 flows. */
const CAPTURE = join(PCAPS_DIR, 'dev', 'gnutella.pcap');

/** A key set with a 60 s TTL whenever it is missing: one alert per window of packet time. */
const WINDOW_SCRIPT = `
  if ntop.getCache('window') == '' then
    ntop.setCache('window', 'open', 60)
    flow.triggerAlert(1, 'window')
  end`;

async function windows(cacheClock: 'capture' | 'wall') {
  const runner = await CheckRunner.create({
    luaWasm: LUA_WASM, cpuClock, riskAlerts: false, cacheClock,
    scripts: [{ name: 'custom_flow_protocol_detected_script.lua', source: WINDOW_SCRIPT }],
  });
  // The packet time each protocol-detected run sees: the latest seen.last_us of the events so far
  // (flow_detected and flow_ended), recorded before the runner handles each event.
  const runClocksUs: number[] = [];
  let clockUs = 0;
  await analyzeFile(CAPTURE, {
    engine: (engine) => {
      engine.onEvent = (event) => {
        if (event.kind === 'flow_created') return;
        clockUs = Math.max(clockUs, event.flow['seen.last_us']);
        if (event.kind === 'flow_detected') runClocksUs.push(clockUs);
      };
      runner.attach(engine);
    },
    onProgress: () => runner.tick(),
  });
  runner.finish();
  assert.deepEqual(runner.errors(), []);
  const tstamps = runner.alerts.list().filter((a) => a.msg === 'window').map((a) => a.tstamp);
  runner.close();
  return { tstamps, runClocksUs };
}

test('a TTL set by a check expires on packet time: one 60 s window after another over the 600 s capture', async () => {
  if (!existsSync(CAPTURE)) assert.fail(`shared corpus missing: ${CAPTURE}`);
  const { tstamps, runClocksUs } = await windows('capture');
  // Expected from the event times alone: a run opens a window when the previous one (opened at
  // time t) has expired, i.e. its packet time in ms has reached t + 60000.
  const expected: number[] = [];
  let expiresMs = -Infinity;
  for (const us of runClocksUs) {
    const ms = Math.floor(us / 1000);
    if (ms >= expiresMs) {
      expected.push(Math.floor(us / 1e6));
      expiresMs = ms + 60_000;
    }
  }
  assert.ok(expected.length >= 8, `windows ${expected}`);
  assert.deepEqual(tstamps, expected);
  for (let i = 1; i < tstamps.length; i++) assert.ok(tstamps[i] - tstamps[i - 1] >= 59, `${tstamps[i - 1]} -> ${tstamps[i]}`);
  // On the wall clock the whole capture is read within the first window.
  assert.deepEqual((await windows('wall')).tstamps.length, 1);
});

/** Splits a classic little-endian pcap at the first record at or after `splitSec`. */
function splitPcap(bytes: Buffer, splitSec: number): [Buffer, Buffer] {
  assert.equal(bytes.readUInt32LE(0), 0xa1b2c3d4, 'classic little-endian pcap');
  let at = 24;
  while (at + 16 <= bytes.length && bytes.readUInt32LE(at) < splitSec) at += 16 + bytes.readUInt32LE(at + 8);
  const header = bytes.subarray(0, 24);
  return [Buffer.concat([header, bytes.subarray(24, at)]), Buffer.concat([header, bytes.subarray(at)])];
}

function flowscope(...args: string[]) {
  return spawnSync(process.execPath, [BIN, 'analyze', ...args, '-q'], { encoding: 'utf8', timeout: 120_000 });
}

test('--state across rotated files: a key set in the first file expires at its packet time in the second', () => {
  if (!existsSync(CAPTURE)) assert.fail(`shared corpus missing: ${CAPTURE}`);
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-capture-clock-'));
  const [first, second] = splitPcap(readFileSync(CAPTURE), 300);
  writeFileSync(join(dir, 'part1.pcap'), first);
  writeFileSync(join(dir, 'part2.pcap'), second);
  mkdirSync(join(dir, 'set'));
  mkdirSync(join(dir, 'read'));
  // First file: the first flow opens a 400 s session.
  writeFileSync(join(dir, 'set', 'custom_flow_protocol_detected_script.lua'), `
    if not opened then
      ntop.setCache('session', 'open', 400)
      opened = true
      flow.triggerAlert(1, 'opened')
    end`);
  // Second file: every flow says whether the session is still open.
  writeFileSync(join(dir, 'read', 'custom_flow_protocol_detected_script.lua'), `
    flow.triggerAlert(1, ntop.getCache('session') == 'open' and 'present' or 'absent')`);
  const state = join(dir, 'state.json');
  const alertsOf = (run: ReturnType<typeof flowscope>) => {
    assert.equal(run.status, 0, run.stderr);
    return run.stdout.trim().split('\n').map((line) => JSON.parse(line)).filter((a) => a.source === 'lua_script');
  };

  const opened = alertsOf(flowscope(join(dir, 'part1.pcap'), '--checks', join(dir, 'set'), '--alerts', '-', '--state', state));
  assert.deepEqual(opened.map((a) => a.msg), ['opened']);
  const saved = JSON.parse(readFileSync(state, 'utf8'));
  assert.equal(saved.clock, 'capture');
  assert.ok(saved.savedAt > 290_000 && saved.savedAt < 300_000, `saved at ${saved.savedAt} ms of packet time`);
  const [[key, entry]] = saved.entries;
  assert.equal(key, 'session');
  // Absolute packet time: the opening run's time (whole seconds in the alert) + 400 s.
  const expiresAt: number = entry.expiresAt;
  assert.ok(expiresAt >= opened[0].tstamp * 1000 + 400_000 && expiresAt < (opened[0].tstamp + 1) * 1000 + 400_000, `expires at ${expiresAt}`);

  const readArgs = [join(dir, 'part2.pcap'), '--checks', join(dir, 'read'), '--alerts', '-', '--state', state];
  const seen = alertsOf(flowscope(...readArgs));
  const present = seen.filter((a) => a.msg === 'present'), absent = seen.filter((a) => a.msg === 'absent');
  assert.ok(present.length > 0 && absent.length > 0, `${present.length} present, ${absent.length} absent`);
  for (const a of present) assert.ok(a.tstamp * 1000 < expiresAt, `present at ${a.tstamp} s`);
  for (const a of absent) assert.ok(a.tstamp >= Math.floor(expiresAt / 1000), `absent at ${a.tstamp} s`);
  assert.ok(seen.findIndex((a) => a.msg === 'absent') > seen.findLastIndex((a) => a.msg === 'present'), 'expired once, for good');
  // Saved after the second file: the session has expired by then.
  assert.deepEqual(JSON.parse(readFileSync(state, 'utf8')).entries, []);
});

test('--cache-clock wall: the same state read on the wall clock has expired long ago (1970 packet times)', () => {
  if (!existsSync(CAPTURE)) assert.fail(`shared corpus missing: ${CAPTURE}`);
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-capture-clock-'));
  mkdirSync(join(dir, 'read'));
  writeFileSync(join(dir, 'read', 'custom_flow_protocol_detected_script.lua'), `
    flow.triggerAlert(1, ntop.getCache('session') == 'open' and 'present' or 'absent')`);
  const state = join(dir, 'state.json');
  writeFileSync(state, JSON.stringify({ version: 1, entries: [['session', { type: 'string', value: 'open', expiresAt: 400_000 }]], clock: 'capture', savedAt: 299_000 }));
  const onCapture = flowscope(CAPTURE, '--checks', join(dir, 'read'), '--alerts', '-', '--state', state);
  assert.equal(onCapture.status, 0, onCapture.stderr);
  // The state file was rewritten after that run (the session has expired at 600 s): restore it.
  writeFileSync(state, JSON.stringify({ version: 1, entries: [['session', { type: 'string', value: 'open', expiresAt: 400_000 }]], clock: 'capture', savedAt: 299_000 }));
  const onWall = flowscope(CAPTURE, '--checks', join(dir, 'read'), '--alerts', '-', '--state', state, '--cache-clock', 'wall');
  assert.equal(onWall.status, 0, onWall.stderr);
  const msgs = (out: string) => new Set(out.trim().split('\n').map((l) => JSON.parse(l)).filter((a) => a.source === 'lua_script').map((a) => a.msg));
  assert.deepEqual(msgs(onCapture.stdout), new Set(['present', 'absent']));
  assert.deepEqual(msgs(onWall.stdout), new Set(['absent']));
});
