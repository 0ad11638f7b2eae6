// The checks part of `npm run bench -- [FILE] --checks [DIR|FILE]`: the pipeline's packets/s with
// the checks attached, and checks/s, the rate of one script run per flow on the protocol-detected
// hook, measured on CPU time over the flows of the capture (their flow objects are taken from the
// pipeline run, then the runner is driven with them until at least two seconds have passed).
//
// Without a path the script is the built-in one below: six flow.* reads and an alert on one flow
// in five, the figure the issue asks for.

import { CheckRunner, type CheckScript } from '../runtime/checks/runner.ts';
import { AlertStore } from '../runtime/alerts.ts';
import type { FlowEvent, FlowInfo, FlowSummary } from '../runtime/types.ts';
import { summaryOf } from '../runtime/flow.ts';
import { cpuClock, loadCheckScripts, luaWasmPath } from '../adapters/node/checks.ts';
import { createReadStream, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEngine } from '../adapters/node/engine.ts';
import { Engine } from '../runtime/engine.ts';

export const BENCH_SCRIPT: CheckScript = {
  name: 'custom_flow_protocol_detected_script.lua',
  source: `-- bench: six flow.* reads, an alert on one flow in five
local cli, srv = flow.cli(), flow.srv()
local cli_port, srv_port = flow.cli_port(), flow.srv_port()
local bytes, name = flow.bytes(), flow.l7_proto_name()
checked = (checked or 0) + 1
if checked % 5 == 0 then
  flow.triggerAlert(10, "bench " .. name)
end
`,
};

export async function benchScripts(path: string | undefined): Promise<CheckScript[]> {
  return path === undefined ? [BENCH_SCRIPT] : loadCheckScripts(path);
}

/** A runner for the pipeline run (alerts kept as the CLI keeps them, up to 100,000). */
export async function pipelineRunner(scripts: CheckScript[]): Promise<CheckRunner> {
  return CheckRunner.create({ luaWasm: luaWasmPath(), scripts, cpuClock, alerts: new AlertStore(100_000) });
}

/** A flow_detected event kept for later: its summary and flow object (the ring is reused). */
export interface DetectedFlow {
  summary: FlowSummary;
  flow: FlowInfo;
}

/** The flow_detected events of a capture, as a runner gets them. */
export async function detectedFlows(engine: Engine, file: string): Promise<DetectedFlow[]> {
  const detected: DetectedFlow[] = [];
  engine.onEvent = (event: FlowEvent) => {
    if (event.kind === 'flow_detected') detected.push({ summary: event.summary?.() ?? summaryOf(event.flow), flow: event.flow });
  };
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  for await (const chunk of stream) engine.feed(chunk as Buffer);
  engine.end();
  return detected;
}

export interface ChecksPerSecond {
  checksPerSec: number;
  runs: number;
  cpuSeconds: number;
  alerts: number;
  errors: number;
  /** Distinct flows cycled through. */
  flows: number;
}

/**
 * Drives a fresh runner with the flows' protocol-detected (and end) events on CPU time. The
 * events carry their summary as engine events do (read from the record there: that read is in
 * the pipeline figure, not in this one).
 */
export async function measureChecksPerSecond(scripts: CheckScript[], flows: DetectedFlow[], minSeconds = 2): Promise<ChecksPerSecond> {
  if (flows.length === 0) throw new Error('the capture gave no flows to check');
  const runner = await CheckRunner.create({
    luaWasm: luaWasmPath(), scripts, cpuClock, riskAlerts: false, alerts: new AlertStore(100_000),
  });
  // As the engine's events: the summary, and the time and risks alone (what a flow_ended listener
  // with nothing to run reads, runtime/types.ts FlowEvent). Each flow's summary is copied here,
  // next to its events: the engine hands a listener a summary just made from the record, not one
  // left somewhere in a heap of 207k flow objects.
  const event = (kind: FlowEvent['kind'], i: number, d: DetectedFlow, summary: FlowSummary): FlowEvent => ({
    kind, flowId: i, serial: i, flow: d.flow, summary: () => summary, lastSeenUs: summary.lastSeenUs, risks: () => summary.risks,
  });
  const events = flows.map((d, i) => {
    // (The address texts are getters on engine summaries: read them into the copy.)
    const summary: FlowSummary = { ...d.summary, cliIp: d.summary.cliIp, srvIp: d.summary.srvIp };
    return { detected: event('flow_detected', i, d, summary), ended: event('flow_ended', i, d, summary) };
  });
  const pass = () => {
    for (const e of events) {
      runner.handleEvent(e.detected);
      runner.handleEvent(e.ended);
    }
  };
  pass(); // warm-up: JIT tiers, string pool, module loads
  // The events just made (hundreds of MB for a big capture) would otherwise be promoted by the
  // young-generation collections of the timed loop, slowing them tenfold: collect first.
  settleHeap();
  const start = cpuClock();
  let runs = 0;
  let elapsed = 0;
  // Passes between two reads of the CPU clock (itself ~1 µs): at least 10,000 runs.
  const passes = Math.max(1, Math.ceil(10_000 / events.length));
  do {
    for (let i = 0; i < passes; i++) pass();
    runs += events.length * passes;
    elapsed = (cpuClock() - start) / 1000;
  } while (elapsed < minSeconds);
  const hookRuns = runner.stats().reduce((n, s) => n + (s.hooks.includes('protocol_detected') ? 1 : 0), 0);
  const result = {
    checksPerSec: Math.round((runs * Math.max(1, hookRuns)) / elapsed),
    runs: runs * Math.max(1, hookRuns),
    cpuSeconds: Number(elapsed.toFixed(3)),
    alerts: runner.alerts.total,
    errors: runner.errorCount,
    flows: flows.length,
  };
  runner.close();
  return result;
}

/** Full garbage collections until the old generation has taken everything that survives. */
function settleHeap(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

/**
 * Run as a script (`node --import tsx bench/checks.ts FILE [WASM] [DIR|FILE.lua]`): checks/s on the
 * capture's flows, in this fresh process, printed as one JSON line. bench.ts runs it this way so
 * that the figure does not depend on what the pipeline runs before it left in the heap and JIT.
 */
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, wasm, scriptsPath] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: node --import tsx bench/checks.ts FILE [WASM|-] [DIR|FILE.lua]\n');
    process.exit(2);
  }
  const scripts = await benchScripts(scriptsPath);
  const engine = wasm === undefined || wasm === '-' ? await createEngine() : await Engine.create(readFileSync(wasm));
  const flows = await detectedFlows(engine, file);
  process.stdout.write(`${JSON.stringify(await measureChecksPerSecond(scripts, flows))}\n`);
}
