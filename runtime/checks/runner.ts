// Runs check scripts on the engine's flow events, by ntopng's hooks (ntopng-notes §4):
//
//   custom_flow_protocol_detected_script.lua  once per flow when dissection is over (the engine's
//   custom_flow_lua_script.lua                flow_detected event; at the end of the input for
//                                             flows that never got a protocol)
//   custom_flow_periodic_script.lua           every 60 s of packet time while the flow is active
//   custom_flow_end_script.lua                once when the flow ends (idle or end of input)
//
// Any other *.lua is a user script: run once at load with no flow bound, it returns a table
// with check(flow_info) (protocol detected) or hooks = {protocolDetected, periodicUpdate,
// flowEnd} (ntopng 4.x user scripts) and is called on those hooks. A hook file may be a plain
// chunk (re-run per flow; globals persist between flows, as in ntopng) or such a module.
//
// One Lua state per script (ntopng has one per hook), so a script's globals, memory and errors
// stay its own. Periodic calls run on packet time: a flow is due 60 s after its detection, then
// every 60 s; tick() (after every chunk fed) compares the due flows with the capture clock, the
// latest packet time seen in events or in the due flow itself, and a flow_ended event runs a
// last due call before the end hook.
import type { Engine } from '../engine.ts';
import type { FlowEvent, FlowInfo, FlowSummary, FlowValues } from '../types.ts';
import { summaryOf, valuesOf } from '../flow.ts';
import { loadLuaModule, type LuaModule, type LuaWasmSource } from './lua_module.ts';
import {
  HOOK_END, HOOK_PERIODIC, HOOK_PROTOCOL_DETECTED, Sandbox,
  type AbortReason, type CheckEvent, type FlowProvider, type HostModule, type SandboxLimits,
} from './sandbox.ts';
import { FlowView, flowInfo, flowMeta, type FlowScoreView } from './flow_view.ts';
import { LocalNetworks, type AddressClass } from './local_networks.ts';
import { HostScores, type HostScore } from './host_scores.ts';
import { SerialMap } from './serial_map.ts';
import { luaModules } from './modules/lua_modules.ts';
import { FlowsApi, alertLookup, interfaceModule } from './interface.ts';
import { ntopModule } from './modules/ntop.ts';
import {
  AlertStore, CUSTOM_LUA_SCRIPT_ALERT, SCORE_LEVELS, SCORE_MAX_VALUE, flowAlertName, mapScoreToSeverity,
  riskAlertType, type AlertCategory, type FlowAlert, type NewFlowAlert,
} from '../alerts.ts';
import { KVStore } from '../store/kv.ts';

export type HookName = 'protocol_detected' | 'periodic' | 'flow_end';
const HOOK_NAMES: HookName[] = ['protocol_detected', 'protocol_detected', 'periodic', 'flow_end'];

/** ntopng's hook script names (scripts/callbacks/checks/flows/) and the documents' older name. */
export const HOOK_FILES: Readonly<Record<string, number>> = {
  'custom_flow_protocol_detected_script.lua': HOOK_PROTOCOL_DETECTED,
  'custom_flow_lua_script.lua': HOOK_PROTOCOL_DETECTED,
  'custom_flow_periodic_script.lua': HOOK_PERIODIC,
  'custom_flow_end_script.lua': HOOK_END,
};

/** FLOW_LUA_CALL_PERIODIC_UPDATE_SECS. */
export const PERIODIC_INTERVAL_SEC = 60;

/** ntopng's custom script alert: scored SCORE_LEVEL_ERROR, split 50/50 (CLIENT_FAIR_RISK_PERCENTAGE). */
const CUSTOM_ALERT_CLI_SCORE = SCORE_LEVELS.error / 2;
const CUSTOM_ALERT_SRV_SCORE = SCORE_LEVELS.error / 2;
const CUSTOM_ALERT_NAME = flowAlertName(CUSTOM_LUA_SCRIPT_ALERT);

export interface CheckScript {
  /** File name: decides the hook ("custom_flow_end_script.lua") and names the script in errors. */
  name: string;
  source: string;
}

export interface CheckRunnerOptions {
  /** glue.wasm of wasmoon (URL, path or bytes), or an already loaded Lua module. */
  luaWasm: LuaWasmSource | LuaModule;
  scripts: CheckScript[];
  /** Where alerts go (a new store by default). */
  alerts?: AlertStore;
  /** Local networks, ntopng's -m syntax (default 192.168.1.0/24,127.0.0.0/8,fe80::/10). */
  localNetworks?: string | string[];
  limits?: Partial<SandboxLimits>;
  /** Raise ntopng's flow-risk alerts for nDPI risks (default true). */
  riskAlerts?: boolean;
  periodicIntervalSec?: number;
  /** The store behind ntop.getCache/setCache (a new in-memory one by default). */
  kv?: KVStore;
  /**
   * The clock of the cache TTLs (ntop.setCache(k, v, ttl), setLuaCache): 'capture' (default), the
   * latest packet time the runner has seen, so that a capture file expires keys as it did live and
   * the same in every runtime; 'wall' (Date.now), for live traffic; 'store': the kv's own clock.
   */
  cacheClock?: 'capture' | 'wall' | 'store';
  /** More host modules (e.g. interface.*), given the runner. */
  hostModules?: (runner: CheckRunner) => HostModule[];
  /** print/io.write output of the scripts (default: kept, see logs()). */
  onLog?: (script: string, text: string) => void;
  /** Every script error or abort as it happens. */
  onError?: (error: CheckError) => void;
  /** Errors kept for errors() (default 1000; all are counted in the stats). */
  maxErrors?: number;
  /** CPU time in ms (Node: process.cpuUsage), to confirm the time limit (sandbox.ts). */
  cpuClock?: () => number;
}

export interface ScriptStats {
  script: string;
  hooks: HookName[];
  /** chunk: re-run per flow; module: check(); hooks: ntopng 4.x hooks table; pending: not run yet. */
  mode: 'chunk' | 'module' | 'hooks' | 'pending' | 'disabled';
  runs: number;
  errors: number;
  /** Runs stopped by a limit (instructions, time, memory): also counted in errors. */
  aborts: number;
  alerts: number;
  /** Milliseconds spent in the script's runs. */
  timeMs: number;
  /** Why the script does not run (a syntax error, reported with its line). */
  loadError?: string;
}

export interface CheckError {
  script: string;
  hook: HookName | 'load';
  /** "TCP 192.168.1.2:51234 -> 93.184.216.34:443" */
  flow?: string;
  flowSerial?: number;
  message: string;
  aborted?: AbortReason;
}

/** One line for humans: script, hook, flow and the message. */
export function formatCheckError(e: CheckError): string {
  const where = e.flow !== undefined ? ` on flow ${e.flow} [serial ${e.flowSerial}]` : '';
  return `${e.script} (${e.hook})${where}: ${e.message}`;
}

export type { HostScore } from './host_scores.ts';

interface LoadedScript {
  name: string;
  sandbox: Sandbox;
  stats: ScriptStats;
}

interface FlowState extends FlowScoreView {
  serial: number;
  flowId: number;
  /** The status ids set on the flow (a short list). */
  statusIds: readonly number[];
  /** Packet time (µs) of the next periodic call; 0 when none is scheduled. */
  nextPeriodicUs: number;
}

/** A min-heap of periodic calls by due time. */
class DueHeap {
  readonly #items: Array<{ due: number; serial: number }> = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): { due: number; serial: number } | undefined {
    return this.#items[0];
  }

  push(item: { due: number; serial: number }): void {
    const a = this.#items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent].due <= a[i].due) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }

  pop(): { due: number; serial: number } | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      while (true) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && a[l].due < a[m].due) m = l;
        if (r < a.length && a[r].due < a[m].due) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** Released flow states kept for reuse, at most. */
const FREE_STATES_KEPT = 1024;

/** Runs timed individually before the stats switch to sampling one run in TIME_SAMPLE. */
const TIMED_RUNS = 64;
const TIME_SAMPLE = 32;

/** Shared empty lists of a flow without status or alert (replaced on first write). */
const NO_STATUS: readonly number[] = Object.freeze([]);
const NO_SCORES: readonly number[] = Object.freeze([]);

/** The score view of a flow that has no state yet. */
const NO_STATE: FlowScoreView = {
  flowScore: 0, cliScore: 0, srvScore: 0, alertScores: NO_SCORES, predominantAlert: 0, predominantScore: 0,
};

/** True when the flow's alert list (id, score pairs) has alertId. */
function hasAlert(scores: readonly number[], alertId: number): boolean {
  for (let i = 0; i < scores.length; i += 2) if (scores[i] === alertId) return true;
  return false;
}

/** Empties a list in place, keeping its storage. */
function empty(list: number[]): void {
  while (list.length > 0) list.pop();
}

function addStatus(state: FlowState, id: number): void {
  if (state.statusIds === NO_STATUS) state.statusIds = [id];
  else if (!state.statusIds.includes(id)) (state.statusIds as number[]).push(id);
}

function toU8(score: number): number {
  if (!Number.isFinite(score)) return 0;
  return ((Math.trunc(score) % 256) + 256) % 256;
}

function describeFlow(flow: FlowSummary): string {
  const v6 = flow.ipVersion === 6;
  const host = (ip: string, port: number) => (v6 ? `[${ip}]:${port}` : `${ip}:${port}`);
  const vlan = flow.vlan ? ` vlan ${flow.vlan}` : '';
  return `${flow.l4Name} ${host(flow.cliIp, flow.cliPort)} -> ${host(flow.srvIp, flow.srvPort)}${vlan}`;
}

/** Where a run's flow object comes from when a script asks for more than the summary. */
interface FlowSource {
  readonly flow: FlowInfo;
}

export class CheckRunner {
  readonly alerts: AlertStore;
  readonly kv: KVStore;
  readonly networks: LocalNetworks;
  readonly #scripts: LoadedScript[] = [];
  /** Scripts per hook code (index 1..3). */
  readonly #byHook: LoadedScript[][] = [[], [], [], []];
  /** Per-flow state by serial, for the flows that need some (an alert, a status, a periodic call). */
  readonly #states = new SerialMap<FlowState>();
  /** States of ended flows, reused (#release). */
  readonly #freeStates: FlowState[] = [];
  /** What alerts added to their hosts (ntopng's as-client / as-server score). */
  readonly #hostScores = new HostScores();
  readonly #due = new DueHeap();
  readonly #errors: CheckError[] = [];
  readonly #logs: Array<{ script: string; text: string }> = [];
  readonly #options: CheckRunnerOptions;
  readonly #riskAlerts: boolean;
  readonly #intervalUs: number;
  #view!: FlowView;
  #engine: Engine | null = null;
  /** Latest packet time seen, µs. */
  #clockUs = 0;
  /** The flow being handled: serial, record id, and its state when it has one. */
  readonly #ref: { serial: number; flowId: number; state: FlowState | null } = { serial: 0, flowId: 0, state: null };
  /**
   * The flow being handled: its numbers (what every run reads, from the event's record) and its
   * summary, built from the event only when something needs more (an alert, an IPv6 address, an
   * error message).
   */
  readonly #values: FlowValues = {
    cliV4: 0, srvV4: 0, cliPort: 0, srvPort: 0, l4: 0, vlan: 0, c2sPackets: 0, s2cPackets: 0, c2sBytes: 0, s2cBytes: 0,
    twhOk: false, master: 0, app: 0, protoName: '', categoryId: 0, riskCount: 0, malwareHostRisk: false, lastSeenUs: 0,
  };
  #summary: FlowSummary | null = null;
  #summarySource: FlowEvent | null = null;
  /** The flow being checked, for the sandboxes' on-demand tables (its object built on demand). */
  #current: FlowSource | null = null;
  #currentCli: AddressClass | null = null;
  #currentSrv: AddressClass | null = null;
  #metaCache: unknown = null;
  #errorCount = 0;

  private constructor(options: CheckRunnerOptions) {
    this.#options = options;
    this.alerts = options.alerts ?? new AlertStore();
    this.kv = options.kv ?? new KVStore();
    const cacheClock = options.cacheClock ?? 'capture';
    if (cacheClock === 'capture') this.kv.useClock(() => (this.#clockUs > 0 ? Math.floor(this.#clockUs / 1000) : null), 'capture');
    else if (cacheClock === 'wall') this.kv.useClock(Date.now, 'wall');
    this.networks = new LocalNetworks(options.localNetworks);
    this.#riskAlerts = options.riskAlerts ?? true;
    this.#intervalUs = (options.periodicIntervalSec ?? PERIODIC_INTERVAL_SEC) * 1e6;
  }

  /** Loads the scripts (syntax errors disable a script and are reported, they do not throw). */
  static async create(options: CheckRunnerOptions): Promise<CheckRunner> {
    const runner = new CheckRunner(options);
    const module = isModule(options.luaWasm) ? options.luaWasm : await loadLuaModule(options.luaWasm);
    runner.#view = new FlowView(module, runner.networks);
    const scripts = [...options.scripts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const script of scripts) await runner.#load(module, script);
    return runner;
  }

  async #load(module: LuaModule, script: CheckScript): Promise<void> {
    const provider: FlowProvider = {
      meta: () => (this.#metaCache ??= this.#current ? flowMeta(this.#current.flow) : null),
      info: () => (this.#current && this.#currentCli && this.#currentSrv
        ? flowInfo(this.#current.flow, this.#currentCli, this.#currentSrv, this.#ref.state ?? NO_STATE) : null),
      status: () => {
        if (this.#current === null) return null;
        const state = this.#ref.state;
        return state === null ? { ids: [], score: 0 } : { ids: [...state.statusIds], score: state.flowScore };
      },
    };
    const ntop = ntopModule(this.kv, { localNetworks: this.networks, log: (text) => this.#log(script.name, text) });
    const hostModules = [ntop, interfaceModule(() => this.flowsApi()), ...(this.#options.hostModules?.(this) ?? [])];
    const sandbox = await Sandbox.create(module, {
      limits: this.#options.limits, luaModules: luaModules(), hostModules, flowProvider: provider, cpuClock: this.#options.cpuClock,
    });
    const stats: ScriptStats = { script: script.name, hooks: [], mode: 'pending', runs: 0, errors: 0, aborts: 0, alerts: 0, timeMs: 0 };
    const loaded: LoadedScript = { name: script.name, sandbox, stats };
    this.#scripts.push(loaded);
    const baseName = script.name.split(/[\\/]/).pop() ?? script.name;
    const syntaxError = sandbox.compile(script.source, baseName);
    if (syntaxError !== null) {
      stats.mode = 'disabled';
      stats.loadError = syntaxError;
      this.#error({ script: script.name, hook: 'load', message: syntaxError });
      return;
    }
    let hooks: number[];
    const fixed = HOOK_FILES[baseName];
    if (fixed !== undefined) {
      hooks = [fixed];
    } else {
      const started = performance.now();
      const init = sandbox.init();
      stats.timeMs += performance.now() - started;
      for (const event of init.result.events) if (event.kind === 'log') this.#log(script.name, event.text);
      if (!init.result.ok && init.result.aborted) {
        stats.mode = 'disabled';
        stats.loadError = init.result.error;
        this.#error({ script: script.name, hook: 'load', message: init.result.error ?? 'error', aborted: init.result.aborted });
        return;
      }
      stats.mode = init.mode;
      hooks = init.hooks;
    }
    for (const hook of hooks) {
      if (hook >= 1 && hook <= 3) {
        this.#byHook[hook].push(loaded);
        stats.hooks.push(HOOK_NAMES[hook]);
      }
    }
  }

  /** Runs the checks on the engine's events; tick() after each chunk drives the periodic hook. */
  attach(engine: Engine): void {
    this.#engine = engine;
    const previous = engine.onEvent;
    engine.onEvent = (event) => {
      previous?.(event);
      this.handleEvent(event);
    };
  }

  /**
   * One engine event. The engine sends flow_detected exactly once per flow, before its
   * flow_ended (runtime/engine.ts); a flow's state is only kept once something needs it (an
   * alert, a status, a periodic call), so most flows cost no bookkeeping.
   */
  handleEvent(event: FlowEvent): void {
    if (event.kind === 'flow_created') return;
    if (event.kind === 'flow_ended' && this.#endIsQuiet(event)) return;
    // The numbers, read from the record, serve most runs; the summary is built only for what
    // needs more (#flow()), the flow object only if a script asks for it (flow.http()...).
    const values = this.#values;
    this.#summary = null;
    this.#summarySource = event;
    if (event.values !== undefined) event.values(values);
    else valuesOf(this.#flow(), values);
    if (values.lastSeenUs > this.#clockUs) this.#clockUs = values.lastSeenUs;
    const ref = this.#ref;
    ref.serial = event.serial;
    ref.flowId = event.flowId;
    // flow_detected is a flow's first event here (the engine sends it once, before its end): it has
    // no state yet.
    ref.state = event.kind === 'flow_detected' ? null : this.#states.get(event.serial) ?? null;
    if (event.kind === 'flow_detected') {
      if (this.#riskAlerts && values.riskCount > 0) this.#raiseRiskAlerts('protocol_detected');
      this.#runHook(HOOK_PROTOCOL_DETECTED, event);
      if (this.#byHook[HOOK_PERIODIC].length > 0) {
        const state = this.#state();
        state.nextPeriodicUs = values.lastSeenUs + this.#intervalUs;
        this.#due.push({ due: state.nextPeriodicUs, serial: state.serial });
      }
      return;
    }
    // flow_ended: a last periodic call if one is due, the risks found since, the end hook.
    if (ref.state !== null && ref.state.nextPeriodicUs !== 0 && values.lastSeenUs >= ref.state.nextPeriodicUs) this.#runHook(HOOK_PERIODIC, event);
    if (this.#riskAlerts && values.riskCount > 0) this.#raiseRiskAlerts('flow_end');
    this.#runHook(HOOK_END, event);
    if (ref.state !== null) this.#release(ref.state);
  }

  /** The summary of the flow being handled, built on first need. */
  #flow(): FlowSummary {
    if (this.#summary === null) {
      const event = this.#summarySource!;
      this.#summary = event.summary !== undefined ? event.summary() : summaryOf(event.flow);
    }
    return this.#summary;
  }

  /**
   * A flow_ended event with nothing to run or raise: no end or periodic script, and no nDPI risk
   * without its alert yet. It only moves the clock and drops the flow's state, without reading
   * the flow's summary (engine events can tell their time and risks alone).
   */
  #endIsQuiet(event: FlowEvent): boolean {
    const last = event.lastSeenUs;
    if (last === undefined || event.risks === undefined) return false;
    if (this.#byHook[HOOK_END].length > 0 || this.#byHook[HOOK_PERIODIC].length > 0) return false;
    const state = this.#states.get(event.serial);
    if (this.#riskAlerts) {
      for (const riskId of event.risks()) {
        const type = riskAlertType(riskId);
        if (type !== null && (state === undefined || !hasAlert(state.alertScores, type.alertId))) return false;
      }
    }
    if (last > this.#clockUs) this.#clockUs = last;
    if (state !== undefined) this.#release(state);
    return true;
  }

  /** The current flow's state, created on first need (a released one when there is one). */
  #state(): FlowState {
    const ref = this.#ref;
    if (ref.state === null) {
      const state = this.#freeStates.pop();
      if (state === undefined) {
        ref.state = {
          serial: ref.serial, flowId: ref.flowId, statusIds: NO_STATUS, nextPeriodicUs: 0,
          flowScore: 0, cliScore: 0, srvScore: 0, alertScores: NO_SCORES, predominantAlert: 0, predominantScore: 0,
        };
      } else {
        state.serial = ref.serial;
        state.flowId = ref.flowId;
        ref.state = state;
      }
      this.#states.set(ref.serial, ref.state);
    }
    return ref.state;
  }

  /**
   * Drops an ended flow's state and keeps the object for a later flow: one flow in five raising
   * an alert would otherwise make a state and two lists per alert. Nothing else holds a state
   * once its flow has ended (periodic calls are queued by serial).
   */
  #release(state: FlowState): void {
    this.#states.delete(state.serial);
    if (this.#freeStates.length >= FREE_STATES_KEPT) return;
    // Emptied lists are kept with their storage; the shared empty ones stay shared. (pop() is
    // inlined; setting length is a runtime call, as costly as the rest of the release.)
    if (state.statusIds !== NO_STATUS) empty(state.statusIds as number[]);
    if (state.alertScores !== NO_SCORES) empty(state.alertScores as number[]);
    state.nextPeriodicUs = 0;
    state.flowScore = 0;
    state.cliScore = 0;
    state.srvScore = 0;
    state.predominantAlert = 0;
    state.predominantScore = 0;
    this.#freeStates.push(state);
  }

  /**
   * Runs the periodic calls that are due on packet time. Call after each chunk fed (the CLI does
   * it from analyzeStream's onProgress); a flow_ended event also runs its own due call.
   */
  tick(): void {
    const engine = this.#engine;
    if (engine === null || this.#byHook[HOOK_PERIODIC].length === 0) return;
    while (this.#due.size > 0) {
      const top = this.#due.peek()!;
      const state = this.#states.get(top.serial);
      if (state === undefined || state.nextPeriodicUs !== top.due) {
        this.#due.pop();
        continue;
      }
      const live = this.#liveFlow(engine, state);
      if (live === null) {
        this.#due.pop();
        continue;
      }
      const flow = summaryOf(live);
      this.#summary = flow;
      this.#summarySource = null;
      valuesOf(flow, this.#values);
      if (flow.lastSeenUs > this.#clockUs) this.#clockUs = flow.lastSeenUs;
      if (top.due > this.#clockUs) break;
      this.#due.pop();
      this.#ref.serial = state.serial;
      this.#ref.flowId = state.flowId;
      this.#ref.state = state;
      this.#runHook(HOOK_PERIODIC, { flow: live });
      state.nextPeriodicUs = this.#clockUs + this.#intervalUs;
      this.#due.push({ due: state.nextPeriodicUs, serial: state.serial });
    }
  }

  #liveFlow(engine: Engine, state: FlowState): FlowInfo | null {
    const flow = engine.flow(state.flowId);
    if (flow === null || flow.hash_entry_id !== (state.serial & 0xffffff)) return null;
    return flow;
  }

  /** After engine.end(): every flow has ended; frees what the runs kept. */
  finish(): void {
    this.#states.clear();
    this.#view.clearStrings();
  }

  #runHook(hook: number, source: FlowSource): void {
    const scripts = this.#byHook[hook];
    if (scripts.length === 0) return;
    const values = this.#values;
    // IPv6 addresses go to Lua as their texts, which only the summary has.
    const texts = values.cliV4 < 0 || values.srvV4 < 0 ? this.#flow() : null;
    const args = this.#view.prepare(values, texts, Math.floor(this.#clockUs / 1e6));
    this.#current = source;
    this.#currentCli = this.#view.cli;
    this.#currentSrv = this.#view.srv;
    this.#metaCache = null;
    for (const script of scripts) {
      const stats = script.stats;
      // Time every run of the first TIMED_RUNS, then one in TIME_SAMPLE (scaled): a clock read
      // costs about as much as a short script.
      const timed = stats.runs < TIMED_RUNS || (stats.runs & (TIME_SAMPLE - 1)) === 0;
      const started = timed ? performance.now() : 0;
      const result = script.sandbox.run(args, hook);
      if (timed) stats.timeMs += (performance.now() - started) * (stats.runs < TIMED_RUNS ? 1 : TIME_SAMPLE);
      stats.runs++;
      if (!result.ok) {
        stats.errors++;
        if (result.aborted) stats.aborts++;
        const error: CheckError = {
          script: script.name, hook: HOOK_NAMES[hook], flow: describeFlow(this.#flow()), flowSerial: this.#ref.serial,
          message: result.error ?? 'error',
        };
        if (result.aborted) error.aborted = result.aborted;
        this.#error(error);
      }
      if (result.events.length > 0) this.#apply(script, hook, this.#flow(), this.#state(), result.events);
    }
    this.#current = null;
  }

  #apply(script: LoadedScript, hook: number, flow: FlowSummary, state: FlowState, events: CheckEvent[]): void {
    for (const event of events) {
      switch (event.kind) {
        case 'alert': {
          const score = toU8(event.score);
          this.#account(flow, state, CUSTOM_LUA_SCRIPT_ALERT, CUSTOM_ALERT_CLI_SCORE, CUSTOM_ALERT_SRV_SCORE);
          this.#store(flow, state, CUSTOM_LUA_SCRIPT_ALERT, CUSTOM_ALERT_NAME, 'security', score, event.msg, 'lua_script', script.name, HOOK_NAMES[hook]);
          script.stats.alerts++;
          break;
        }
        case 'set_status':
          this.#setStatus(flow, state, event.key, event.flowScore, event.cliScore, event.srvScore);
          break;
        case 'clear_status': {
          const at = state.statusIds.indexOf(event.key);
          if (at >= 0) (state.statusIds as number[]).splice(at, 1);
          break;
        }
        case 'trigger_status': {
          this.#setStatus(flow, state, event.key, event.flowScore, event.cliScore, event.srvScore);
          this.#store(flow, state, event.key, flowAlertName(event.key), 'security', Math.max(0, event.flowScore), event.info, 'flow_status', script.name, HOOK_NAMES[hook]);
          script.stats.alerts++;
          break;
        }
        case 'log':
          this.#log(script.name, event.text);
          break;
      }
    }
  }

  /** ntopng 4.x setStatus: the flow score takes flow_score, the hosts cli/srv scores, once per status. */
  #setStatus(flow: FlowSummary, state: FlowState, key: number, flowScore: number, cliScore: number, srvScore: number): void {
    if (state.statusIds.includes(key)) return;
    addStatus(state, key);
    if (hasAlert(state.alertScores, key)) return;
    const inc = Math.min(Math.max(0, flowScore), SCORE_MAX_VALUE);
    this.#credit(flow, state, key, inc, Math.min(Math.max(0, cliScore), SCORE_MAX_VALUE), Math.min(Math.max(0, srvScore), SCORE_MAX_VALUE));
  }

  /**
   * Flow::setAlertsBitmap: an alert type counts once per flow; its client and server increments
   * are each clamped to SCORE_MAX_VALUE, and so is their sum, which the flow score takes.
   */
  #account(flow: FlowSummary, state: FlowState, alertId: number, cliScore: number, srvScore: number): void {
    addStatus(state, alertId);
    if (hasAlert(state.alertScores, alertId)) return;
    const cli = Math.min(cliScore, SCORE_MAX_VALUE);
    const srv = Math.min(srvScore, SCORE_MAX_VALUE - cli);
    this.#credit(flow, state, alertId, cli + srv, cli, srv);
  }

  #credit(flow: FlowSummary, state: FlowState, alertId: number, flowInc: number, cliInc: number, srvInc: number): void {
    // Callers add an alert id once (they check hasAlert first).
    if (state.alertScores === NO_SCORES) state.alertScores = [alertId, flowInc];
    else (state.alertScores as number[]).push(alertId, flowInc);
    state.flowScore = (state.flowScore + flowInc) & 0xffff;
    state.cliScore += cliInc;
    state.srvScore += srvInc;
    if (flowInc > state.predominantScore || state.predominantAlert === 0) {
      state.predominantAlert = alertId;
      state.predominantScore = flowInc;
    }
    this.#hostScores.credit(flow.cliIp, flow.cliV4, flow.vlan, cliInc, 0);
    this.#hostScores.credit(flow.srvIp, flow.srvV4, flow.vlan, 0, srvInc);
  }

  /** ntopng's flow-risk alerts: one per nDPI risk that maps to an alert type, once per flow. */
  #raiseRiskAlerts(hook: HookName): void {
    const flow = this.#flow();
    for (const riskId of flow.risks) {
      const type = riskAlertType(riskId);
      if (type === null || (this.#ref.state !== null && hasAlert(this.#ref.state.alertScores, type.alertId))) continue;
      const state = this.#state();
      this.#account(flow, state, type.alertId, type.clientScore, type.serverScore);
      const info = flow.riskInfo !== '' ? ` (${flow.riskInfo})` : '';
      this.#store(flow, state, type.alertId, type.alertName, type.category, type.score, `${type.riskName}${info}`, 'ndpi_risk', undefined, hook, riskId, type.riskName);
    }
  }

  /**
   * Stores an alert. The store copies the fields, so one scratch object serves every alert and
   * the hot path allocates none.
   */
  #store(
    flow: FlowSummary, state: FlowState, alertId: number, alertName: string, category: AlertCategory, score: number, msg: string,
    source: FlowAlert['source'], script: string | undefined, hook: HookName, riskId?: number, riskName?: string,
  ): void {
    const a = this.#scratch;
    a.tstamp = Math.floor(this.#clockUs / 1e6);
    a.alert_id = alertId;
    a.alert_name = alertName;
    a.alert_category = category;
    a.score = score;
    a.severity = mapScoreToSeverity(score);
    a.msg = msg;
    a.source = source;
    a.script = script;
    a.hook = hook;
    a.risk_id = riskId;
    a.risk_name = riskName;
    a.cli_ip = flow.cliIp;
    a.cli_port = flow.cliPort;
    a.srv_ip = flow.srvIp;
    a.srv_port = flow.srvPort;
    a.vlan_id = flow.vlan;
    a.proto = flow.l4;
    a.l4_proto = flow.l4Name;
    a.l7_proto = flow.app;
    a.l7_master_proto = flow.master;
    a.l7_proto_name = flow.protoName;
    a.flow_key = flow.ntopngKey;
    a.hash_id = flow.hashId;
    a.flow_serial = state.serial;
    a.total_bytes = flow.c2sBytes + flow.s2cBytes;
    a.flow_score = state.flowScore;
    this.alerts.add(a);
  }

  readonly #scratch: NewFlowAlert = {
    tstamp: 0, alert_id: 0, alert_name: '', alert_category: 'security', score: 0, severity: 0, msg: '', source: 'lua_script',
    script: undefined, hook: undefined, risk_id: undefined, risk_name: undefined, cli_ip: '', cli_port: 0, srv_ip: '', srv_port: 0,
    vlan_id: 0, proto: 0, l4_proto: '', l7_proto: 0, l7_master_proto: 0, l7_proto_name: '', flow_key: 0, hash_id: 0,
    flow_serial: 0, total_bytes: 0, flow_score: 0,
  };

  #error(error: CheckError): void {
    this.#errorCount++;
    if (this.#errors.length < (this.#options.maxErrors ?? 1000)) this.#errors.push(error);
    this.#options.onError?.(error);
  }

  #log(script: string, text: string): void {
    if (this.#options.onLog) this.#options.onLog(script, text);
    else if (this.#logs.length < 10_000) this.#logs.push({ script, text });
  }

  /** Per script: hooks, mode, runs, errors, aborts, alerts, time. */
  stats(): ScriptStats[] {
    for (const s of this.#scripts) if (s.stats.mode === 'pending') s.stats.mode = s.sandbox.mode();
    return this.#scripts.map((s) => ({ ...s.stats, hooks: [...s.stats.hooks] }));
  }

  /** The first maxErrors errors, in order. */
  errors(): CheckError[] {
    return [...this.#errors];
  }

  get errorCount(): number {
    return this.#errorCount;
  }

  /** Script output kept when no onLog was given. */
  logs(): Array<{ script: string; text: string }> {
    return [...this.#logs];
  }

  /** Host scores accumulated from flow alerts (ntopng's as-client / as-server scores). */
  hostScores(): HostScore[] {
    return this.#hostScores.list();
  }

  /** The score bookkeeping of a live flow, by creation serial. */
  flowScore(serial: number): { flowScore: number; statusIds: number[]; alertScores: Record<string, number> } | null {
    const state = this.#states.get(serial);
    if (state === undefined) return null;
    const alertScores: Record<string, number> = {};
    for (let i = 0; i < state.alertScores.length; i += 2) alertScores[String(state.alertScores[i])] = state.alertScores[i + 1];
    return { flowScore: state.flowScore, statusIds: [...state.statusIds], alertScores };
  }

  /**
   * The Flows API (interface.*) over the attached engine's flow table. Inside a hook run it is a
   * snapshot taken on the first interface.* call of the run and shared by the scripts handling
   * the same flow event (the flows as they were when that event was handled); outside a run a new
   * snapshot per call. Alerts are those raised so far.
   */
  flowsApi(): FlowsApi {
    const current = this.#current;
    if (current !== null && this.#snapshot !== null && this.#snapshot.flow === current) return this.#snapshot.api;
    const flows = this.#engine !== null ? [...this.#engine.flows()] : [];
    const api = new FlowsApi(flows, { networks: this.networks, alerts: alertLookup(this.alerts.list()) });
    this.#snapshot = current !== null ? { flow: current, api } : null;
    return api;
  }

  #snapshot: { flow: FlowSource; api: FlowsApi } | null = null;

  close(): void {
    for (const script of this.#scripts) script.sandbox.close();
    this.#view?.clearStrings();
  }
}

function isModule(value: unknown): value is LuaModule {
  return typeof value === 'object' && value !== null && 'api' in value && 'heap' in value;
}
