// The checks part of `npm run bench -- [FILE] --checks [DIR|FILE]`: the pipeline's packets/s with
// the checks attached, and checks/s, the rate of one script run per flow on the protocol-detected
// hook, measured on CPU time over the flows of the capture (their flow objects are taken from the
// pipeline run, then the runner is driven with them until at least two seconds have passed).
//
// Without a path the script is the built-in one below: six flow.* reads and an alert on one flow
// in five, the figure the issue asks for.

import { CheckRunner, type CheckScript } from '../runtime/checks/runner.ts';
import { AlertStore } from '../runtime/alerts.ts';
import type { FlowEvent, FlowInfo, FlowSummary, FlowValues } from '../runtime/types.ts';
import { summaryOf, valuesOf } from '../runtime/flow.ts';
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
  /** The median window's rate: what the figure is. */
  checksPerSec: number;
  /** The fastest window's rate (other load on the host only ever slows a window down). */
  checksPerSecBest: number;
  /** Each window's rate, in the order measured. */
  windows: number[];
  runs: number;
  cpuSeconds: number;
  alerts: number;
  errors: number;
  /** Distinct flows cycled through. */
  flows: number;
}

/**
 * Drives a fresh runner with the flows' protocol-detected (and end) events on CPU time. The
 * events give their numbers (FlowEvent.values) and their summary as engine events do; where an
 * engine event reads them from its record copy in the event ring, these read them from a flat
 * row per flow made beforehand (the engine's reads are in the pipeline figure, not in this one).
 *
 * The time (at least minSeconds of CPU) is cut into `windowCount` windows, each at least one
 * full cycle through the flows: the figure is the median window's rate, reported with the best
 * and every window. On a shared host the rate of the same loop moves by a third within minutes
 * (bench/README.md); a median says what a run typically gets, the spread how far to trust it.
 */
export async function measureChecksPerSecond(scripts: CheckScript[], flows: DetectedFlow[], minSeconds = 2, windowCount = 5): Promise<ChecksPerSecond> {
  if (flows.length === 0) throw new Error('the capture gave no flows to check');
  const runner = await CheckRunner.create({
    luaWasm: luaWasmPath(), scripts, cpuClock, riskAlerts: false, alerts: new AlertStore(100_000),
  });
  // As the engine's events: the numbers, the summary, and the time and risks alone (what a
  // flow_ended listener with nothing to run reads, runtime/types.ts FlowEvent). The numbers sit
  // in one flat row per flow, as the engine's record copies sit in its event ring: each event
  // reads its own few cache lines, not a summary object somewhere in a heap of 207k of them.
  const rows = new FlowRows(flows.map((d) => d.summary));
  const events = flows.map((d, i) => {
    // (The address texts are getters on engine summaries: read them into the copy.)
    const summary: FlowSummary = { ...d.summary, cliIp: d.summary.cliIp, srvIp: d.summary.srvIp };
    return { detected: new ReplayEvent('flow_detected', i, d.flow, summary, rows), ended: new ReplayEvent('flow_ended', i, d.flow, summary, rows) };
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
  // Scripts on the hook: each event pass is that many checks.
  const perEvent = Math.max(1, runner.stats().reduce((n, s) => n + (s.hooks.includes('protocol_detected') ? 1 : 0), 0));
  // Passes between two reads of the CPU clock (itself ~1 µs): at least 10,000 runs.
  const passes = Math.max(1, Math.ceil(10_000 / events.length));
  const windowSeconds = minSeconds / windowCount;
  const windows: number[] = [];
  let runs = 0;
  let elapsed = 0;
  for (let w = 0; w < windowCount; w++) {
    const start = cpuClock();
    let windowRuns = 0;
    let windowElapsed = 0;
    do {
      for (let i = 0; i < passes; i++) pass();
      windowRuns += events.length * passes;
      windowElapsed = (cpuClock() - start) / 1000;
    } while (windowElapsed < windowSeconds);
    windows.push(Math.round((windowRuns * perEvent) / windowElapsed));
    runs += windowRuns;
    elapsed += windowElapsed;
  }
  const sorted = [...windows].sort((a, b) => a - b);
  const result = {
    checksPerSec: sorted[sorted.length >> 1],
    checksPerSecBest: sorted[sorted.length - 1],
    windows,
    runs: runs * perEvent,
    cpuSeconds: Number(elapsed.toFixed(3)),
    alerts: runner.alerts.total,
    errors: runner.errorCount,
    flows: flows.length,
  };
  runner.close();
  return result;
}

/** A flow event replayed: what an engine event offers, from a summary kept and a row. */
class ReplayEvent implements FlowEvent {
  readonly lastSeenUs: number;
  readonly #summary: FlowSummary;
  readonly #rows: FlowRows;

  constructor(readonly kind: FlowEvent['kind'], readonly serial: number, readonly flow: FlowInfo, summary: FlowSummary, rows: FlowRows) {
    this.#summary = summary;
    this.#rows = rows;
    this.lastSeenUs = summary.lastSeenUs;
  }

  get flowId(): number {
    return this.serial;
  }

  summary(): FlowSummary {
    return this.#summary;
  }

  risks(): number[] {
    return this.#summary.risks;
  }

  values(out: FlowValues): void {
    this.#rows.read(this.serial, out);
  }
}

/** The FlowValues of many flows, a flat row of numbers each (the texts in a parallel array). */
class FlowRows {
  static readonly WIDTH = 17;
  readonly #numbers: Float64Array;
  readonly #names: string[];

  constructor(summaries: FlowSummary[]) {
    const width = FlowRows.WIDTH;
    this.#numbers = new Float64Array(summaries.length * width);
    this.#names = new Array<string>(summaries.length);
    const v = {} as FlowValues;
    summaries.forEach((summary, i) => {
      valuesOf(summary, v);
      this.#numbers.set([
        v.cliV4, v.srvV4, v.cliPort, v.srvPort, v.l4, v.vlan, v.c2sPackets, v.s2cPackets, v.c2sBytes, v.s2cBytes,
        v.twhOk ? 1 : 0, v.master, v.app, v.categoryId, v.riskCount, v.malwareHostRisk ? 1 : 0, v.lastSeenUs,
      ], i * width);
      this.#names[i] = v.protoName;
    });
  }

  read(i: number, out: FlowValues): void {
    const n = this.#numbers, o = i * FlowRows.WIDTH;
    out.cliV4 = n[o];
    out.srvV4 = n[o + 1];
    out.cliPort = n[o + 2];
    out.srvPort = n[o + 3];
    out.l4 = n[o + 4];
    out.vlan = n[o + 5];
    out.c2sPackets = n[o + 6];
    out.s2cPackets = n[o + 7];
    out.c2sBytes = n[o + 8];
    out.s2cBytes = n[o + 9];
    out.twhOk = n[o + 10] !== 0;
    out.master = n[o + 11];
    out.app = n[o + 12];
    out.categoryId = n[o + 13];
    out.riskCount = n[o + 14];
    out.malwareHostRisk = n[o + 15] !== 0;
    out.lastSeenUs = n[o + 16];
    out.protoName = this.#names[i];
  }
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
