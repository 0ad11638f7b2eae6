// Runs hand-made capture bytes through a fresh engine and collects what a user sees: flows,
// stats and events. Every run checks the counters' invariant (core-as/stats.ts):
// packets == packetsInFlows + sum(skipped).
import assert from 'node:assert/strict';
import { createEngine } from '../../adapters/node/engine.ts';
import type { EngineOptions, EngineStats, FlowEvent, FlowInfo } from '../../runtime/types.ts';
import { pcapOf, type Bytes } from './bytes.ts';

export interface RunResult {
  flows: FlowInfo[];
  stats: EngineStats;
  events: FlowEvent[];
  /** Each flow as its flow_ended event carried it, in event order. */
  ended: FlowInfo[];
}

/**
 * Feeds `input` (one chunk, or the given pieces in order) and ends the engine. Each piece is
 * flushed to the core on its own (the engine would otherwise gather small pieces into one
 * batch), so the core's framing really sees every split point.
 */
export async function run(input: Bytes | Bytes[], options: EngineOptions = {}): Promise<RunResult> {
  const engine = await createEngine(options);
  const events: FlowEvent[] = [];
  const ended: FlowInfo[] = [];
  engine.onEvent = (event) => {
    // The flow is read from the event ring, valid only during the handler: keep a copy.
    events.push({ kind: event.kind, flowId: event.flowId, serial: event.serial, flow: event.flow });
    if (event.kind === 'flow_ended') ended.push(event.flow);
  };
  for (const piece of Array.isArray(input) ? input : [input]) {
    engine.feed(piece);
    engine.flush();
  }
  engine.end();
  const result = { flows: [...engine.flows()], stats: engine.stats(), events, ended };
  assertInvariant(result.stats);
  return result;
}

/** A pcap of the frames (1 ms apart) through a fresh engine. */
export function runFrames(linkType: number, frames: Bytes[], options: EngineOptions = {}): Promise<RunResult> {
  return run(pcapOf(linkType, frames), options);
}

export function assertInvariant(stats: EngineStats): void {
  const skipped = Object.values(stats.skipped).reduce((a, b) => a + b, 0);
  assert.equal(stats.packets, stats.packetsInFlows + skipped,
    `packets (${stats.packets}) == packetsInFlows (${stats.packetsInFlows}) + skipped (${JSON.stringify(stats.skipped)})`);
}

/** The only flow of the run. */
export function onlyFlow(result: RunResult): FlowInfo {
  assert.equal(result.flows.length, 1, `one flow expected, got ${JSON.stringify(result.flows.map(flowLabel))}`);
  return result.flows[0];
}

export function flowLabel(f: FlowInfo): string {
  return `${f['proto.l4']} ${f['cli.ip']}:${f['cli.port']} -> ${f['srv.ip']}:${f['srv.port']} vlan ${f.vlan}`;
}

/** Asserts the listed fields of the flow in one comparison (a diff shows every mismatch). */
export function assertFlow(flow: FlowInfo, expected: Partial<FlowInfo>): void {
  const actual: Record<string, unknown> = {};
  for (const key of Object.keys(expected)) actual[key] = flow[key as keyof FlowInfo];
  assert.deepEqual(actual, expected);
}

/** The skipped counters with every reason 0 except the given ones. */
export function skippedOnly(stats: EngineStats, nonZero: Record<string, number>): void {
  const expected: Record<string, number> = {};
  for (const key of Object.keys(stats.skipped)) expected[key] = nonZero[key] ?? 0;
  for (const key of Object.keys(nonZero)) assert.ok(key in stats.skipped, `stats.skipped has no "${key}"`);
  assert.deepEqual(stats.skipped, expected);
}

/** Capture errors all 0 except the given ones. */
export function captureErrorsOnly(stats: EngineStats, nonZero: Record<string, number>): void {
  const expected: Record<string, number> = {};
  for (const key of Object.keys(stats.captureErrors)) expected[key] = nonZero[key] ?? 0;
  for (const key of Object.keys(nonZero)) assert.ok(key in stats.captureErrors, `stats.captureErrors has no "${key}"`);
  assert.deepEqual(stats.captureErrors, expected);
}

/** Deterministic PRNG (mulberry32) for random split sizes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
