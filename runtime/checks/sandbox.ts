// One Lua 5.4 state that runs one check script under limits. Web standards only.
//
// Limits, and how each is enforced:
// - instructions per run: a count hook fires every HOOK_PERIOD VM instructions and ends the
//   run past the budget; C functions whose work grows with their input (patterns, sort, rep,
//   concat...) charge the budget by input size (lua/lockdown.ts). The hook makes every VM
//   instruction slower, so a run starts without it: every chunk is compiled with gates
//   (gate.ts) that turn it on once the run has looped or called back into code more than
//   GATE_BUDGET tokens' worth, which straight-line checks never do;
// - time per run: the same hook (and large allocations) compare the clock with the run's start,
//   a backstop for work the instruction count does not see;
// - memory per state: a JS allocator counts every byte Lua allocates and refuses growth past the
//   limit; a single string may not exceed maxStringBytes, which bounds what one VM instruction
//   (a comparison, a concatenation) can cost between two hook calls;
// - termination: the hook raises an error with a sentinel no script can create, keeps raising it
//   at every instruction after, and pcall/xpcall/coroutine.resume re-raise it, so a script
//   cannot catch its own end. The run returns "aborted" and the state stays usable.
// What cannot be interrupted: one C call runs to completion. Every library function that can
// run long is bounded or charged before it starts; what remains is a single VM instruction over
// a long string (<, a string-to-number coercion inside a C function), bounded by maxStringBytes.
import { loadLuaModule, perModule, type LuaApi, type LuaModule, type LuaWasmSource } from './lua_module.ts';
import { decodeText } from '../flow_l7.ts';
import { ByteWriter, decodeValue, encodeValue, type LuaValue } from './value_codec.ts';
import { BOOTSTRAP_LUA } from './lua/bootstrap.ts';
import { LOCKDOWN_LUA } from './lua/lockdown.ts';
import { PATTERNS_LUA } from './lua/patterns.ts';
import { ADDRESS_SLOT_BITS, ADDRESS_SLOTS_LOG2, FLOW_API_LUA, MESSAGE_SLOTS_LOG2 } from './lua/flow_api.ts';
import { HOST_MODULES_LUA } from './lua/host_modules.ts';
import { GATE_BUDGET, GATE_COUNTER, GATE_ENABLE, GATE_OFF, GateError, gateSource, rejectReservedNames, tokenize, type GateOptions } from './gate.ts';
import { INLINE_PREFIX, inlineFlowGetters } from './inline.ts';
import { FIRST_MODULE_OP, HOST_OP } from './lua/host_ops.ts';
import { writeDottedQuad } from '../ip.ts';

export interface SandboxLimits {
  /** VM instructions one run may execute (C work is charged by size). Default 1,000,000. */
  instructionBudget: number;
  /**
   * Milliseconds one run may take. Measured on the wall clock, and when SandboxOptions.cpuClock
   * is given, confirmed on the CPU clock before a run is stopped (so that a busy machine does not
   * stop a script that was merely waiting for the processor). Default 50.
   */
  timeLimitMs: number;
  /** Bytes the state may hold. Default 32 MiB. */
  memoryLimitBytes: number;
  /**
   * Longest string a script may create. Default 16 KiB: one VM instruction over a string (an
   * ordering comparison, a string-to-number coercion inside a C function) costs up to ~10 ns per
   * byte and the hook only checks every HOOK_PERIOD instructions, so this bounds the time between
   * two checks (~15 ms at worst).
   */
  maxStringBytes: number;
}

export const DEFAULT_LIMITS: Readonly<SandboxLimits> = {
  instructionBudget: 1_000_000,
  timeLimitMs: 50,
  memoryLimitBytes: 32 << 20,
  maxStringBytes: 16 << 10,
};

/** A host function callable from Lua as namespace.name(...). Arguments arrive decoded. */
export type HostFunction = (...args: LuaValue[]) => unknown;

/** A group of host functions exposed as one Lua table (ntop, interface...). */
export interface HostModule {
  namespace: string;
  functions: Record<string, HostFunction>;
  /** Names that exist in ntopng but not here: calling one raises a clear error. */
  unavailable?: string[];
}

/** What the flow.* functions fetch on demand for the flow being checked. */
export interface FlowProvider {
  /** {http, dns, ssh, tls}: the metadata tables of flow.http() and the others. */
  meta(): unknown;
  /** The Flow::lua table (flow.getFullInfo()). */
  info(): unknown;
  /** {ids: number[], score: number}: the flow's status bits and score. */
  status(): unknown;
}

/** What a run produced (lua/flow_api.ts). */
export type CheckEvent =
  | { kind: 'alert'; score: number; msg: string }
  | { kind: 'set_status'; key: number; flowScore: number; cliScore: number; srvScore: number }
  | { kind: 'clear_status'; key: number }
  | { kind: 'trigger_status'; key: number; info: string; flowScore: number; cliScore: number; srvScore: number }
  | { kind: 'log'; text: string };

export type AbortReason = 'instructions' | 'time' | 'memory';

export interface RunResult {
  ok: boolean;
  /** The error with the script's traceback, when !ok. */
  error?: string;
  aborted?: AbortReason;
  events: CheckEvent[];
}

/** The flow values a run receives (prepared once per event, shared by every script). */
export interface FlowArgs {
  cliPort: number;
  srvPort: number;
  l4: number;
  vlan: number;
  c2sBytes: number;
  s2cBytes: number;
  master: number;
  app: number;
  flags: number;
  /**
   * The protocol name's number in the module's name pool (flow_view.ts NamePool), 0 when it is
   * not pooled. A sandbox sends a pooled name to its Lua state once, then only its number.
   */
  nameId: number;
  /**
   * The addresses as IPv4 numbers, -1 for IPv6: the sandbox writes an IPv4 text itself, and only
   * when its Lua state does not hold it yet (#addressKeys).
   */
  cliV4: number;
  srvV4: number;
  /** Pointers and lengths of the strings in the Lua module's memory (addresses: IPv6 only). */
  cliPtr: number;
  cliLen: number;
  srvPtr: number;
  srvLen: number;
  namePtr: number;
  nameLen: number;
  /** Epoch seconds of packet time. */
  now: number;
}

export const HOOK_PROTOCOL_DETECTED = 1;
export const HOOK_PERIODIC = 2;
export const HOOK_END = 3;

const LUA_OK = 0;
const LUA_ERRMEM = 4;
const LUA_MULTRET = -1;
const LUA_MASKCOUNT = 8;
const LUA_TNIL = 0, LUA_TBOOLEAN = 1, LUA_TNUMBER = 3, LUA_TSTRING = 4;
/** The longest string Lua interns (luaconf.h LUAI_MAXSHORTLEN). */
const MAX_SHORT_STRING = 40;
/** Lua's type tags for new string objects (lobject.h: LUA_VSHRSTR, LUA_VLNGSTR). */
const TAG_SHORT_STRING = 4, TAG_LONG_STRING = 4 | (1 << 4);
/** Instructions between two hook calls: bounds what runs unchecked (see the file comment). */
const HOOK_PERIOD = 100;
/**
 * Instructions before a run's first hook call. Most checks are shorter and never pay for a call
 * into JS; the cost is that up to FIRST_PERIOD instructions are not timed (see #overTime).
 */
const FIRST_PERIOD = 300;
/** Instructions charged for each error a script catches (pcall, coroutine.resume...). */
const ERROR_COST = 2000;
/** A run's CPU clock is read once it has run this long on the wall clock (see #overTime). */
const CPU_MARK_MS = 2;
/** Growths at least this large are charged to the budget and check the clock. */
const BIG_ALLOCATION = 1 << 16;
/** Address slots per state, and the multiplier that packs two slot numbers into dispatch's slots. */
const ADDRESS_SLOTS = 1 << ADDRESS_SLOTS_LOG2;
const ADDRESS_SLOT_SHIFT = 2 ** ADDRESS_SLOT_BITS;

/** The slot of an IPv4 address (a multiplicative hash: the top bits). Exported for tests. */
export function addressSlot(address: number): number {
  return Math.imul(address, 0x9e3779b1) >>> (32 - ADDRESS_SLOTS_LOG2);
}

const { ABORTED: OP_ABORTED, CHARGE: OP_CHARGE, TRACEBACK: OP_TRACEBACK, FLOW_META: OP_FLOW_META, FLOW_INFO: OP_FLOW_INFO } = HOST_OP;
const { FLOW_STATUS: OP_FLOW_STATUS, GATE: OP_GATE, JOIN: OP_JOIN } = HOST_OP;

const INTERNAL_CHUNK = '=[flowscope]';
/**
 * Stack slots of the entry functions (lua/flow_api.ts returns them in this order), then the gate's
 * owner: the closure whose two upvalues (counter, enable function) every gated chunk shares.
 */
const SLOT_MSGH = 1, SLOT_DISPATCH = 2, SLOT_DRAIN = 3, SLOT_INIT = 4, SLOT_COMPILE = 5, SLOT_MODE = 6, SLOT_ANCHORS = 7, SLOT_GATE = 8;
const BASE_TOP = 8;

/**
 * The chunk that owns the gate's shared upvalues (not gated itself). Called with (host, OP_GATE,
 * GATE_OFF); returns the owner closure, whose upvalues are 1: the counter, 2: the enable function.
 * Enabling parks the counter at GATE_OFF, out of reach of this run's gates, and asks the host to
 * set the hook on the running thread. The counter starts parked too: the sandbox's own set-up
 * runs unlimited, and each entry point (lua/flow_api.ts dispatch, init, drain) starts a run's
 * count at GATE_BUDGET.
 */
const GATE_OWNER_LUA = `local host, op, off = ...
local ${GATE_COUNTER}, ${GATE_ENABLE} = off, nil
${GATE_ENABLE} = function() ${GATE_COUNTER} = off host(op) end
return function() return ${GATE_COUNTER}, ${GATE_ENABLE} end`;

const NO_EVENTS: CheckEvent[] = [];
/** The common result, shared (callers must not modify results). */
const OK_NO_EVENTS: RunResult = Object.freeze({ ok: true, events: Object.freeze(NO_EVENTS) as CheckEvent[] }) as RunResult;


/** Per-module helpers: C strings, the string scratch area. */
class ModuleIO {
  readonly sizePtr: number;
  #scratch = 0;
  #scratchSize = 0;
  readonly #cstrings = new Map<string, number>();
  readonly writer = new ByteWriter();

  /** 16 bytes where an IPv4 address's text is written just before it is pushed (Lua copies it). */
  readonly v4Text: number;

  constructor(readonly module: LuaModule) {
    this.sizePtr = module.malloc(8);
    this.v4Text = module.malloc(16);
  }

  /** A NUL-terminated copy of an ASCII name, kept for the module's life. */
  cstr(name: string): number {
    let ptr = this.#cstrings.get(name);
    if (ptr === undefined) {
      ptr = this.module.malloc(name.length + 1);
      const heap = this.module.heap();
      for (let i = 0; i < name.length; i++) heap[ptr + i] = name.charCodeAt(i);
      heap[ptr + name.length] = 0;
      this.#cstrings.set(name, ptr);
    }
    return ptr;
  }

  /** The NUL-terminated string at ptr (names from the C API). */
  cstring(ptr: number): string {
    const heap = this.module.heap();
    let end = ptr;
    while (heap[end] !== 0) end++;
    return decodeText(heap, ptr, end);
  }

  /** Copies bytes into the scratch area and returns its pointer (valid until the next call). */
  scratch(bytes: Uint8Array): number {
    if (bytes.length + 1 > this.#scratchSize) {
      if (this.#scratch !== 0) this.module.free(this.#scratch);
      this.#scratchSize = Math.max(4096, bytes.length + 1);
      this.#scratch = this.module.malloc(this.#scratchSize);
      if (this.#scratch === 0) throw new Error('out of memory in the Lua module');
    }
    const heap = this.module.heap();
    heap.set(bytes, this.#scratch);
    heap[this.#scratch + bytes.length] = 0;
    return this.#scratch;
  }

  pushString(L: number, s: string): void {
    this.writer.reset();
    this.writer.string(s);
    const bytes = this.writer.bytes.subarray(4, this.writer.length);
    this.module.api.lua_pushlstring(L, this.scratch(bytes), bytes.length);
  }

  pushBytes(L: number, bytes: Uint8Array): void {
    this.module.api.lua_pushlstring(L, this.scratch(bytes), bytes.length);
  }

  /**
   * The string (or number) at idx: its address in the module's memory, and its length left in
   * #length (valid until Lua runs again). 0 when it is neither.
   */
  #locate(L: number, idx: number): number {
    const ptr = this.module.api.lua_tolstring(L, idx, this.sizePtr);
    if (ptr === 0) {
      this.#length = 0;
      return 0;
    }
    const heap = this.module.heap();
    const p = this.sizePtr;
    this.#length = (heap[p] | (heap[p + 1] << 8) | (heap[p + 2] << 16) | (heap[p + 3] << 24)) >>> 0;
    return ptr;
  }

  #length = 0;

  /** The byte length of the string readString or readBytes read last. */
  get lastLength(): number {
    return this.#length;
  }

  /** The bytes of the string (or number) at idx, copied out. */
  readBytes(L: number, idx: number): Uint8Array {
    const ptr = this.#locate(L, idx);
    return this.module.heap().slice(ptr, ptr + this.#length);
  }

  /**
   * The text of the string at idx. Scripts repeat their alert messages, and Lua keeps one copy
   * of each short string: a small cache by address returns the same JS string again once its
   * bytes are checked equal (cheaper than decoding, and the alert store then hashes it once).
   */
  readString(L: number, idx: number): string {
    const ptr = this.#locate(L, idx);
    const length = this.#length;
    const heap = this.module.heap();
    if (length > READ_CACHE_MAX_LENGTH) return decodeText(heap, ptr, ptr + length);
    const slot = (ptr >>> 3) & (READ_CACHE_SLOTS - 1);
    const cached = this.#readCache[slot];
    if (cached !== undefined && cached.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (cached.charCodeAt(i) !== heap[ptr + i]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    const text = decodeText(heap, ptr, ptr + length);
    // Only texts whose UTF-16 units are their bytes (ASCII) can be compared that way.
    this.#readCache[slot] = text.length === length ? text : undefined;
    return text;
  }

  readonly #readCache: Array<string | undefined> = new Array<string | undefined>(READ_CACHE_SLOTS).fill(undefined);
}

/** Strings read back from Lua kept for reuse (readString): slots, and the longest kept. */
const READ_CACHE_SLOTS = 64;
const READ_CACHE_MAX_LENGTH = 64;

const warmedUp = new WeakSet<LuaModule>();

/** Exercises the interpreter's common paths (tables, strings, calls, patterns, errors). */
const WARM_UP_LUA = String.raw`
local t, n = {}, 0
for i = 1, 3000 do t[i] = { i, tostring(i) } n = n + #t[i][2] end
local s = table.concat({ 'a', 'b', 'c' }, ',') .. string.format('%d', n)
for w in s:gmatch('%a') do n = n + #w end
local ok = pcall(error, 'x')
local d = flow.direction() local b = flow.bytes()
`;
const WARM_UP_ARGS: FlowArgs = {
  cliPort: 1, srvPort: 2, l4: 6, vlan: 0, c2sBytes: 1, s2cBytes: 1, master: 0, app: 0, flags: 0,
  nameId: 0, cliV4: 0x0a000001, srvV4: 0x0a000002, cliPtr: 0, cliLen: 0, srvPtr: 0, srvLen: 0, namePtr: 0, nameLen: 0, now: 0,
};
const moduleIO = perModule((module) => new ModuleIO(module));

export interface SandboxOptions {
  limits?: Partial<SandboxLimits>;
  /** Host functions exposed as Lua tables (ntop.*, interface.*). */
  hostModules?: HostModule[];
  /** Lua sources require() can load, by module name. */
  luaModules?: Record<string, string>;
  /** Values for lua/ modules (I.constants). */
  constants?: Record<string, unknown>;
  flowProvider?: FlowProvider;
  /**
   * CPU time of the process in milliseconds, if the runtime offers one (Node: process.cpuUsage).
   * Read only by runs that last more than CPU_MARK_MS (then once) and past the time limit.
   */
  cpuClock?: () => number;
}

export class Sandbox {
  readonly limits: SandboxLimits;
  readonly #module: LuaModule;
  readonly #api: LuaApi;
  readonly #io: ModuleIO;
  #L = 0;
  readonly #hookPtr: number;
  readonly #allocPtr: number;
  readonly #hostPtr: number;
  /** Address used as the abort sentinel (a light userdata scripts cannot create). */
  readonly #abortTag: number;
  #steps = 0;
  #runStart = 0;
  /** CPU clock at the run's start, estimated when it reaches CPU_MARK_MS (-1: not read). */
  #cpuStart = -1;
  readonly #cpuClock: (() => number) | null;
  #running = false;
  #aborting: AbortReason | null = null;
  /** Threads whose hook was set to fire at every instruction by an abort. */
  readonly #forced = new Set<number>();
  #memUsed = 0;
  /** The main thread's hook is on (set by a gate or an abort): the next run turns it off. */
  #mainHooked = false;
  /** The script could not be gated (gate.ts): its runs set the hook from their start. */
  #ungated = false;
  #gatesOpened = 0;
  #allocFailure: 'memory' | 'string' | null = null;
  readonly #hostFunctions: HostFunction[] = [];
  flowProvider: FlowProvider | null;
  #closed = false;

  private constructor(module: LuaModule, options: SandboxOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#module = module;
    this.#api = module.api;
    this.#io = moduleIO(module);
    this.flowProvider = options.flowProvider ?? null;
    this.#cpuClock = options.cpuClock ?? null;
    this.#abortTag = module.malloc(1);
    this.#hookPtr = module.addFunction((L: number) => this.#hook(L), 'vii');
    this.#allocPtr = module.addFunction((_ud: number, ptr: number, osize: number, nsize: number) => this.#alloc(ptr, osize, nsize), 'iiiii');
    this.#hostPtr = module.addFunction((L: number) => this.#host(L), 'ii');
  }

  /** A sandbox on the Lua module for `wasm` (instantiated once per source). */
  static async create(wasm: LuaWasmSource | LuaModule, options: SandboxOptions = {}): Promise<Sandbox> {
    const module = isModule(wasm) ? wasm : await loadLuaModule(wasm);
    const sandbox = new Sandbox(module, options);
    try {
      sandbox.#setUp(options);
      if (!warmedUp.has(module)) {
        warmedUp.add(module);
        sandbox.#warmUp();
      }
    } catch (error) {
      sandbox.close();
      throw error;
    }
    return sandbox;
  }

  /**
   * Runs the interpreter once, unlimited by time, before any script: the engine compiles wasm
   * functions on first use, and that first compile should not count against a script's limit.
   */
  #warmUp(): void {
    const limits = this.limits;
    const saved = limits.timeLimitMs;
    limits.timeLimitMs = 60_000;
    try {
      if (this.compile(WARM_UP_LUA, 'warm-up') === null) this.run(WARM_UP_ARGS, HOOK_PROTOCOL_DETECTED);
      this.compile('', 'empty');
    } finally {
      limits.timeLimitMs = saved;
    }
  }

  get memoryUsed(): number {
    return this.#memUsed;
  }

  /** Times a gate turned the count hook on (gate.ts): 0 while every run was straight-line. */
  get gatesOpened(): number {
    return this.#gatesOpened;
  }

  /** True when the script runs with the hook from the start (its source could not be gated). */
  get ungated(): boolean {
    return this.#ungated;
  }

  #setUp(options: SandboxOptions): void {
    const api = this.#api;
    const L = api.lua_newstate(this.#allocPtr, 0);
    if (L === 0) throw new Error('cannot create a Lua state (memory limit too low?)');
    this.#L = L;
    api.lua_checkstack(L, 64);
    api.luaopen_base(L);
    api.lua_settop(L, 0);
    const libraries: Array<[string, (L: number) => number]> = [
      ['string', api.luaopen_string], ['table', api.luaopen_table], ['math', api.luaopen_math],
      ['utf8', api.luaopen_utf8], ['coroutine', api.luaopen_coroutine], ['os', api.luaopen_os],
    ];
    for (const [name, open] of libraries) {
      open(L);
      api.lua_setglobal(L, this.#io.cstr(name));
    }
    // Host modules get op numbers in order; the Lua side only sees {namespace = {name = op}}.
    const hostModules: Record<string, Record<string, unknown>> = {};
    for (const hostModule of options.hostModules ?? []) {
      const table: Record<string, unknown> = {};
      for (const [name, fn] of Object.entries(hostModule.functions)) {
        table[name] = FIRST_MODULE_OP + this.#hostFunctions.length;
        this.#hostFunctions.push(fn);
      }
      if (hostModule.unavailable?.length) table.__unavailable = hostModule.unavailable;
      hostModules[hostModule.namespace] = table;
    }
    // require() loads these (trusted: flowscope's modules) already gated.
    const modules: Record<string, string> = {};
    for (const [name, source] of Object.entries(options.luaModules ?? {})) modules[name] = gateSource(source, { trusted: true });
    const config = { modules, host_modules: hostModules, constants: options.constants ?? {} };
    this.#io.writer.reset();
    encodeValue(this.#io.writer, config);
    const configBytes = this.#io.writer.bytes.slice(0, this.#io.writer.length);

    // [owner]: the gate's shared upvalues, then the trusted chunks, each gated and joined to it.
    this.#loadInternal(GATE_OWNER_LUA, null);
    api.lua_pushcclosure(L, this.#hostPtr, 0);
    api.lua_pushnumber(L, OP_GATE);
    api.lua_pushnumber(L, GATE_OFF);
    this.#callInternal(3, 1);
    this.#loadInternal(BOOTSTRAP_LUA, {});
    api.lua_pushcclosure(L, this.#hostPtr, 0);
    api.lua_pushlightuserdata(L, this.#abortTag);
    this.#io.pushBytes(L, configBytes);
    api.lua_pushvalue(L, 1);
    this.#callInternal(4, 1); // [owner, I]
    for (const source of [LOCKDOWN_LUA, PATTERNS_LUA, HOST_MODULES_LUA]) {
      this.#loadInternal(source, {});
      api.lua_pushvalue(L, 2);
      this.#callInternal(1, 0);
    }
    // The flow.* getters run for every check and never recurse: only their loops are gated.
    this.#loadInternal(FLOW_API_LUA, { functions: false });
    api.lua_pushvalue(L, 2);
    this.#callInternal(1, SLOT_ANCHORS); // [owner, I, msgh, dispatch, drain, init, compile, mode, anchors]
    api.lua_rotate(L, 1, -2); // [msgh, ..., anchors, owner, I]
    api.lua_settop(L, BASE_TOP);
  }

  /**
   * Loads a trusted chunk during set-up and leaves it on the stack: gated and joined to the gate's
   * owner (stack index 1 while setting up), or as it is when `gate` is null.
   */
  #loadInternal(source: string, gate: GateOptions | null): void {
    const api = this.#api, L = this.#L;
    const text = gate === null ? source : gateSource(source, { ...gate, trusted: true });
    const bytes = new TextEncoder().encode(text);
    const status = api.luaL_loadbufferx(L, this.#io.scratch(bytes), bytes.length, this.#io.cstr(INTERNAL_CHUNK), this.#io.cstr('t'));
    if (status !== LUA_OK) throw new Error(`flowscope sandbox prelude does not compile: ${this.#io.readString(L, -1)}`);
    if (gate === null) return;
    this.#callInternal(0, 1);
    this.#joinGate(L, api.lua_gettop(L), 1);
  }

  /**
   * Joins the gate's two upvalues of the gated function at fnIndex (found by name: a function
   * has them once it or a closure inside it mentions them) to the owner's at ownerIndex.
   */
  #joinGate(L: number, fnIndex: number, ownerIndex: number): void {
    this.#upvalueNames(L, fnIndex).forEach((name, i) => {
      if (name === GATE_COUNTER) this.#api.lua_upvaluejoin(L, fnIndex, i + 1, ownerIndex, 1);
      else if (name === GATE_ENABLE) this.#api.lua_upvaluejoin(L, fnIndex, i + 1, ownerIndex, 2);
    });
  }

  /** The names of the upvalues of the closure at `index`, in order (upvalue n is at n - 1). */
  #upvalueNames(L: number, index: number): string[] {
    const names: string[] = [];
    for (let n = 1; n <= 255; n++) {
      const namePtr = this.#api.lua_getupvalue(L, index, n);
      if (namePtr === 0) break;
      this.#api.lua_settop(L, -2);
      names.push(this.#io.cstring(namePtr));
    }
    return names;
  }

  /**
   * Joins each `__flowscope_NAME` upvalue of the script at fnIndex but the gate's (the names an
   * inlined getter reads, inline.ts) to the upvalue NAME of flow_api's dispatch at dispatchIndex,
   * which the getters read. A name dispatch lacks would leave an inlined getter reading nil: it
   * is pushed as an error message instead (1 result; compile reports it), else nothing (0).
   */
  #joinInlined(L: number, fnIndex: number, dispatchIndex: number): number {
    const dispatchNames = this.#upvalueNames(L, dispatchIndex);
    const names = this.#upvalueNames(L, fnIndex);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (!name.startsWith(INLINE_PREFIX) || name === GATE_COUNTER || name === GATE_ENABLE) continue;
      const at = dispatchNames.indexOf(name.slice(INLINE_PREFIX.length));
      if (at < 0) {
        this.#io.pushString(L, `flowscope sandbox: an inlined getter reads ${name}, which dispatch does not have`);
        return 1;
      }
      this.#api.lua_upvaluejoin(L, fnIndex, i + 1, dispatchIndex, at + 1);
    }
    return 0;
  }

  #callInternal(nargs: number, nresults: number): void {
    const status = this.#api.lua_pcallk(this.#L, nargs, nresults, 0, 0, 0);
    if (status !== LUA_OK) {
      const message = this.#io.readString(this.#L, -1);
      throw new Error(`flowscope sandbox prelude failed: ${message}`);
    }
  }

  /**
   * Compiles a script (text only: binary chunks are refused). Returns null, or the syntax error
   * as Lua reports it ("name.lua:LINE: message").
   */
  compile(source: string, chunkName: string): string | null {
    const api = this.#api, L = this.#L;
    // The script as written is compiled first (its syntax errors are the ones to report), then
    // its gated form runs. A source the gate cannot follow runs ungated, with the hook on.
    // Its getter calls are inlined where that is safe (inline.ts).
    let gated: string | null = null;
    try {
      const tokens = tokenize(source);
      rejectReservedNames(tokens);
      const inlined = inlineFlowGetters(source, tokens);
      gated = inlined === null ? gateSource(source, { trusted: true }) : gateSource(inlined.source, { trusted: true, locals: inlined.names });
    } catch (error) {
      if (!(error instanceof GateError)) throw error;
      if (error.reserved) return `${chunkName}: ${error.message}`;
    }
    api.lua_pushvalue(L, SLOT_COMPILE);
    this.#io.pushString(L, source);
    if (gated === null) api.lua_pushnil(L);
    else this.#io.pushString(L, gated);
    this.#io.pushString(L, chunkName);
    const result = this.#protectedCall(3, 2);
    if (!result.ok) return result.error ?? 'error';
    const error = api.lua_type(L, BASE_TOP + 1) === LUA_TSTRING ? this.#io.readString(L, BASE_TOP + 1) : null;
    if (error === null) this.#ungated = api.lua_toboolean(L, BASE_TOP + 2) !== 0;
    api.lua_settop(L, BASE_TOP);
    return error;
  }

  /**
   * Runs a compiled script once with no flow bound (flow.* return nil) to learn its shape:
   * 'module' (returns {check=...}), 'hooks' (returns {hooks={...}}) or 'chunk', and its hooks.
   */
  init(): { mode: 'module' | 'hooks' | 'chunk'; hooks: number[]; result: RunResult } {
    const api = this.#api, L = this.#L;
    api.lua_pushvalue(L, SLOT_INIT);
    const result = this.#protectedCall(0, LUA_MULTRET);
    if (!result.ok) return { mode: 'chunk', hooks: [HOOK_PROTOCOL_DETECTED], result };
    const top = api.lua_gettop(L);
    const mode = this.#io.readString(L, BASE_TOP + 1) as 'module' | 'hooks' | 'chunk';
    const log = this.#io.readString(L, BASE_TOP + 2);
    const hooks: number[] = [];
    for (let i = BASE_TOP + 3; i <= top; i++) hooks.push(api.lua_tonumberx(L, i, 0));
    api.lua_settop(L, BASE_TOP);
    const events: CheckEvent[] = log === '' ? [] : [{ kind: 'log', text: log }];
    return { mode, hooks, result: { ok: true, events } };
  }

  /** The script's shape: 'chunk', 'module', 'hooks', or 'pending' before its first run. */
  mode(): 'chunk' | 'module' | 'hooks' | 'pending' {
    const api = this.#api, L = this.#L;
    api.lua_pushvalue(L, SLOT_MODE);
    if (api.lua_pcallk(L, 0, 1, 0, 0, 0) !== LUA_OK) {
      api.lua_settop(L, BASE_TOP);
      return 'pending';
    }
    const mode = this.#io.readString(L, -1) as 'chunk' | 'module' | 'hooks' | 'pending';
    api.lua_settop(L, BASE_TOP);
    return mode;
  }

  /**
   * Runs the script for one flow on one hook. The hot path: a dozen C calls, no allocation. The
   * result (and its events) may be reused by the sandbox's next call: read it before then.
   */
  run(args: FlowArgs, hook: number): RunResult {
    const api = this.#api, L = this.#L;
    api.lua_pushvalue(L, SLOT_DISPATCH);
    // Packed as lua/flow_api.ts dispatch unpacks them (each push is a call into the module).
    const nameId = args.nameId;
    api.lua_pushnumber(L, (args.cliPort & 0xffff) * 65536 + (args.srvPort & 0xffff));
    api.lua_pushnumber(L, (args.l4 & 0xff) + (args.vlan & 0xfff) * 256 + (args.flags & 0xff) * 0x100000 + (hook & 3) * 0x10000000 + nameId * 0x40000000);
    api.lua_pushnumber(L, args.c2sBytes);
    api.lua_pushnumber(L, args.s2cBytes);
    api.lua_pushnumber(L, (args.master & 0xffff) * 65536 + (args.app & 0xffff));
    // An IPv4 address the state holds in its slot goes as nil (dispatch reads the slot).
    const keys = this.#addressKeys;
    const cliV4 = args.cliV4, srvV4 = args.srvV4;
    let cliSlot = -1, srvSlot = -1;
    if (cliV4 >= 0) {
      cliSlot = addressSlot(cliV4);
      if (keys[cliSlot] === cliV4) api.lua_pushnil(L);
      else {
        this.#pushV4(cliV4);
        keys[cliSlot] = cliV4;
      }
    } else {
      api.lua_pushlstring(L, args.cliPtr, args.cliLen);
    }
    if (srvV4 >= 0) {
      srvSlot = addressSlot(srvV4);
      if (keys[srvSlot] === srvV4) api.lua_pushnil(L);
      else if (srvSlot === cliSlot) {
        // Another address in the client's slot, which this run reads: sent, not kept.
        this.#pushV4(srvV4);
        srvSlot = -1;
      } else {
        this.#pushV4(srvV4);
        keys[srvSlot] = srvV4;
      }
    } else {
      api.lua_pushlstring(L, args.srvPtr, args.srvLen);
    }
    // A pooled name this state has been given already goes as its number alone (in misc).
    const sent = this.#namesSent;
    if (nameId !== 0 && nameId < sent.length && sent[nameId] === 1) {
      api.lua_pushnil(L);
    } else {
      api.lua_pushlstring(L, args.namePtr, args.nameLen);
      if (nameId !== 0) this.#markNameSent(nameId);
    }
    api.lua_pushnumber(L, args.now);
    api.lua_pushnumber(L, (cliSlot + 1) * ADDRESS_SLOT_SHIFT + srvSlot + 1);
    this.#startHook();
    this.#steps = 0;
    this.#runStart = 0;
    this.#cpuStart = -1;
    this.#running = true;
    const status = api.lua_pcallk(L, 10, LUA_MULTRET, SLOT_MSGH, 0, 0);
    this.#running = false;
    if (status === LUA_OK && this.#aborting === null) {
      const top = api.lua_gettop(L);
      if (top === BASE_TOP) return OK_NO_EVENTS;
      // The common case, an alert and nothing else: the reused result.
      if (top === BASE_TOP + 3 && api.lua_tonumberx(L, BASE_TOP + 1, 0) === 1) {
        const alert = this.#alert;
        alert.score = api.lua_tonumberx(L, BASE_TOP + 2, 0);
        alert.msg = this.#messageAt(BASE_TOP + 3);
        api.lua_settop(L, BASE_TOP);
        return this.#alertResult;
      }
      const events = this.#readEvents(BASE_TOP + 1, top);
      api.lua_settop(L, BASE_TOP);
      return { ok: true, events };
    }
    // Whether dispatch stored the name and addresses before failing (a memory error can stop it
    // there) is not known: they are sent again next time.
    if (nameId !== 0 && nameId < this.#namesSent.length) this.#namesSent[nameId] = 0;
    if (cliSlot >= 0) keys[cliSlot] = -1;
    if (srvSlot >= 0) keys[srvSlot] = -1;
    return this.#failed(status);
  }

  /**
   * The IPv4 address held in each of the state's address slots (lua/flow_api.ts addrs), -1 for
   * none. A capture's flows keep meeting the same hosts (the bench capture: 78% of the addresses
   * a run pushes are in a 4096-slot table), and a text Lua holds needs neither writing nor
   * interning (hashing, then looking it up in Lua's string table: a cache miss or two per address
   * over 84k hosts). The texts held cost the state at most ~200 KB of its memory limit.
   */
  readonly #addressKeys = new Float64Array(ADDRESS_SLOTS).fill(-1);

  /** Pushes the text of an IPv4 address, written from its number. */
  #pushV4(address: number): void {
    const io = this.#io;
    const at = io.v4Text;
    this.#api.lua_pushlstring(this.#L, at, writeDottedQuad(this.#module.heap(), at, address));
  }

  /** Which pooled protocol names this state has (by nameId): lua/flow_api.ts keeps them. */
  #namesSent = new Uint8Array(256);

  #markNameSent(nameId: number): void {
    if (nameId >= this.#namesSent.length) {
      const grown = new Uint8Array(Math.max(nameId + 1, this.#namesSent.length * 2));
      grown.set(this.#namesSent);
      this.#namesSent = grown;
    }
    this.#namesSent[nameId] = 1;
  }

  /**
   * A run starts without the hook (a gate turns it on), or for an ungated script with it, its
   * count restarted so that its first call comes after FIRST_PERIOD instructions (then every
   * HOOK_PERIOD). The clocks are read by the hook or the gate, not here: most runs end before.
   */
  #startHook(): void {
    if (this.#ungated) {
      this.#api.lua_sethook(this.#L, this.#hookPtr, LUA_MASKCOUNT, FIRST_PERIOD);
      // (Should a gated script be compiled in this state next, its runs turn this hook off.)
      this.#mainHooked = true;
    } else if (this.#mainHooked) {
      this.#api.lua_sethook(this.#L, 0, 0, 0);
      this.#mainHooked = false;
    }
  }

  readonly #alert: CheckEvent & { kind: 'alert' } = { kind: 'alert', score: 0, msg: '' };
  readonly #alertResult: RunResult = { ok: true, events: [this.#alert] };

  #protectedCall(nargs: number, nresults: number): RunResult {
    this.#startHook();
    this.#steps = 0;
    this.#runStart = 0;
    this.#running = true;
    const status = this.#api.lua_pcallk(this.#L, nargs, nresults, SLOT_MSGH, 0, 0);
    this.#running = false;
    if (status === LUA_OK && this.#aborting === null) return { ok: true, events: NO_EVENTS };
    return this.#failed(status);
  }

  /** After an error or an abort: the message, the events recorded before, a clean state. */
  #failed(status: number): RunResult {
    const api = this.#api, L = this.#L;
    const aborted = this.#aborting;
    let error: string;
    if (aborted !== null) {
      error = this.#abortMessage(aborted);
    } else if (status === LUA_ERRMEM) {
      const failure = this.#allocFailure;
      error = failure === 'string'
        ? `string longer than the sandbox allows (${formatBytes(this.limits.maxStringBytes)})`
        : `memory limit exceeded (${formatBytes(this.limits.memoryLimitBytes)} per script)`;
    } else {
      error = api.lua_gettop(L) > BASE_TOP ? trimTraceback(this.#io.readString(L, -1)) : `Lua error ${status}`;
    }
    this.#allocFailure = null;
    this.#resetAfterAbort();
    api.lua_settop(L, BASE_TOP);
    // Events recorded before the error (an alert raised, then a failure) still count.
    api.lua_pushvalue(L, SLOT_DRAIN);
    let events = NO_EVENTS;
    this.#steps = 0;
    this.#runStart = 0;
    this.#running = true;
    const drained = api.lua_pcallk(L, 0, LUA_MULTRET, 0, 0, 0);
    this.#running = false;
    if (drained === LUA_OK && this.#aborting === null) {
      const top = api.lua_gettop(L);
      if (top > BASE_TOP) events = this.#readEvents(BASE_TOP + 1, top);
    }
    this.#resetAfterAbort();
    api.lua_settop(L, BASE_TOP);
    const result: RunResult = { ok: false, error, events };
    if (aborted !== null) result.aborted = aborted;
    else if (status === LUA_ERRMEM) result.aborted = 'memory';
    return result;
  }

  #abortMessage(reason: AbortReason): string {
    switch (reason) {
      case 'instructions': return `instruction budget exceeded (${this.limits.instructionBudget} instructions per run)`;
      case 'time': return `time limit exceeded (${this.limits.timeLimitMs} ms per run)`;
      case 'memory': return `memory limit exceeded (${formatBytes(this.limits.memoryLimitBytes)} per script)`;
    }
  }

  #resetAfterAbort(): void {
    if (this.#aborting === null && this.#forced.size === 0) return;
    this.#aborting = null;
    // The main thread's forced hook goes (the next run starts as every run does); coroutines
    // left forced get their normal period back the next time their hook fires (#hook).
    if (this.#forced.delete(this.#L)) {
      this.#api.lua_sethook(this.#L, 0, 0, 0);
      this.#mainHooked = false;
    }
  }

  #readEvents(from: number, to: number): CheckEvent[] {
    const api = this.#api, L = this.#L;
    const events: CheckEvent[] = [];
    let i = from;
    while (i <= to) {
      const kind = api.lua_tonumberx(L, i, 0);
      if (kind === 1) {
        events.push({ kind: 'alert', score: api.lua_tonumberx(L, i + 1, 0), msg: this.#stringAt(i + 2) });
        i += 3;
      } else if (kind === 2) {
        events.push({
          kind: 'set_status', key: api.lua_tonumberx(L, i + 1, 0), flowScore: api.lua_tonumberx(L, i + 2, 0),
          cliScore: api.lua_tonumberx(L, i + 3, 0), srvScore: api.lua_tonumberx(L, i + 4, 0),
        });
        i += 5;
      } else if (kind === 3) {
        events.push({ kind: 'clear_status', key: api.lua_tonumberx(L, i + 1, 0) });
        i += 2;
      } else if (kind === 4) {
        events.push({
          kind: 'trigger_status', key: api.lua_tonumberx(L, i + 1, 0), info: this.#stringAt(i + 2),
          flowScore: api.lua_tonumberx(L, i + 3, 0), cliScore: api.lua_tonumberx(L, i + 4, 0), srvScore: api.lua_tonumberx(L, i + 5, 0),
        });
        i += 6;
      } else if (kind === 5) {
        events.push({ kind: 'log', text: this.#stringAt(i + 1) });
        i += 2;
      } else {
        break;
      }
    }
    return events;
  }

  /**
   * The alert message at i, a string (flow_api.ts tostring()s it). A script raises the same few
   * texts over and over; a short string (Lua interns those: one object per text) is known by its
   * address once read: slot -> address and text here, and the string itself held in the state's
   * anchors table (lua/flow_api.ts), so that its address cannot be reused for another text while
   * the slot names it. A repeated message then costs neither decoding nor a new JS string (nor,
   * in the alert store, hashing one), and Lua finds it interned instead of allocating it again.
   */
  #messageAt(i: number): string {
    const api = this.#api, L = this.#L;
    if (api.lua_type(L, i) !== LUA_TSTRING) return this.#stringAt(i);
    const ptr = api.lua_tolstring(L, i, 0);
    const slot = Math.imul(ptr, 0x9e3779b1) >>> (32 - MESSAGE_SLOTS_LOG2);
    if (this.#messageAddresses[slot] === ptr) return this.#messageTexts[slot];
    const text = this.#io.readString(L, i);
    // Longer strings are not interned: each is a new object, and holding one gains nothing.
    if (this.#io.lastLength > MAX_SHORT_STRING) return text;
    // anchors[slot + 1] = the string. (The key goes as a float, which Lua turns into the integer
    // key; lua_rawseti would want a BigInt.) The key exists (false), so the store never allocates.
    api.lua_pushnumber(L, slot + 1);
    api.lua_pushvalue(L, i);
    api.lua_rawset(L, SLOT_ANCHORS);
    this.#messageAddresses[slot] = ptr;
    this.#messageTexts[slot] = text;
    return text;
  }

  readonly #messageAddresses = new Int32Array(1 << MESSAGE_SLOTS_LOG2);
  readonly #messageTexts: string[] = new Array<string>(1 << MESSAGE_SLOTS_LOG2).fill('');

  #stringAt(i: number): string {
    const type = this.#api.lua_type(this.#L, i);
    return type === LUA_TSTRING || type === LUA_TNUMBER ? this.#io.readString(this.#L, i) : '';
  }

  // ------------------------------------------------------------------ C callbacks

  #hook(L: number): void {
    if (this.#aborting !== null) return this.#raiseAbort(L);
    // The thread's own period: FIRST_PERIOD at the start of a run (and in coroutines created
    // then), 1 in a thread an abort forced; counted, then set to HOOK_PERIOD.
    const period = this.#api.lua_gethookcount(L);
    this.#steps += period;
    if (period !== HOOK_PERIOD) {
      this.#forced.delete(L);
      this.#api.lua_sethook(L, this.#hookPtr, LUA_MASKCOUNT, HOOK_PERIOD);
    }
    if (this.#steps > this.limits.instructionBudget) {
      this.#aborting = 'instructions';
      return this.#raiseAbort(L);
    }
    if (this.#overTime()) {
      this.#aborting = 'time';
      return this.#raiseAbort(L);
    }
  }

  /**
   * True past the time limit. The first call of a run starts its wall clock; a run still going
   * after CPU_MARK_MS reads the CPU clock once (counting those first milliseconds as CPU), and past
   * the limit on the wall clock the CPU clock decides. Short runs never read the CPU clock (~1 µs).
   */
  #overTime(): boolean {
    const now = performance.now();
    if (this.#runStart === 0) {
      this.#runStart = now;
      this.#cpuStart = -1;
      return false;
    }
    const wall = now - this.#runStart;
    const cpu = this.#cpuClock;
    if (cpu !== null && this.#cpuStart < 0 && wall >= CPU_MARK_MS) this.#cpuStart = cpu() - Math.min(wall, CPU_MARK_MS);
    if (wall <= this.limits.timeLimitMs) return false;
    if (cpu === null) return true;
    return cpu() - this.#cpuStart > this.limits.timeLimitMs;
  }

  /** Raises the sentinel; from now on every instruction of this thread raises it again. */
  #raiseAbort(L: number): void {
    const api = this.#api;
    api.lua_sethook(L, this.#hookPtr, LUA_MASKCOUNT, 1);
    this.#forced.add(L);
    if (L === this.#L) this.#mainHooked = true;
    api.lua_pushlightuserdata(L, this.#abortTag);
    api.lua_error(L);
  }

  /** Lua's allocator: realloc semantics, with the limits. Shrinking never fails. */
  #alloc(ptr: number, osize: number, nsize: number): number {
    const module = this.#module;
    if (nsize === 0) {
      if (ptr !== 0) {
        this.#memUsed -= osize;
        module.free(ptr);
      }
      return 0;
    }
    const delta = ptr === 0 ? nsize : nsize - osize;
    if (delta > 0) {
      if (this.#memUsed + delta > this.limits.memoryLimitBytes) {
        this.#allocFailure = 'memory';
        return 0;
      }
      if (this.#running && ptr === 0 && (osize === TAG_LONG_STRING || osize === TAG_SHORT_STRING) && nsize > this.limits.maxStringBytes + 64) {
        this.#allocFailure = 'string';
        return 0;
      }
      if (delta >= BIG_ALLOCATION && this.#running) {
        this.#steps += delta >> 4;
        if (this.#aborting === null) {
          if (this.#steps > this.limits.instructionBudget) this.#aborting = 'instructions';
          else if (this.#overTime()) this.#aborting = 'time';
        }
        if (this.#aborting !== null) return 0;
      }
    }
    const result = module.realloc(ptr, nsize);
    if (result === 0) return 0;
    this.#memUsed += delta;
    return result;
  }

  /** The host function (lua/bootstrap.ts I.host): host(op, ...). */
  #host(L: number): number {
    const api = this.#api;
    const op = api.lua_tonumberx(L, 1, 0);
    switch (op) {
      case OP_ABORTED:
        // Asked each time a wrapper catches an error. Raising and catching costs far more than an
        // instruction (the longjmp is a JS exception), so each caught error is charged.
        this.#steps += ERROR_COST;
        if (this.#aborting === null) {
          if (this.#steps > this.limits.instructionBudget) this.#aborting = 'instructions';
          else if (this.#overTime()) this.#aborting = 'time';
        }
        api.lua_pushboolean(L, this.#aborting !== null ? 1 : 0);
        return 1;
      case OP_CHARGE: {
        this.#steps += api.lua_tonumberx(L, 2, 0);
        if (this.#aborting === null) {
          if (this.#steps > this.limits.instructionBudget) this.#aborting = 'instructions';
          else if (this.#overTime()) this.#aborting = 'time';
        }
        if (this.#aborting !== null) this.#raiseAbort(L);
        return 0;
      }
      case OP_TRACEBACK: {
        const msg = api.lua_tolstring(L, 2, this.#io.sizePtr);
        api.luaL_traceback(L, L, msg, 1);
        return 1;
      }
      case OP_GATE: {
        // A gate ran out (gate.ts): the hook goes on for this thread (coroutines re-arm the gate
        // when they switch, lua/lockdown.ts), counting the gated code as run, and the clock starts.
        if (api.lua_gethookmask(L) === 0) {
          this.#gatesOpened++;
          api.lua_sethook(L, this.#hookPtr, LUA_MASKCOUNT, HOOK_PERIOD);
          if (L === this.#L) this.#mainHooked = true;
        }
        // While an abort unwinds, the sandbox's own wrappers (pass, resumed...) must finish their
        // bookkeeping and re-raise it themselves: a gate in them does not raise.
        if (this.#aborting !== null) return 0;
        this.#steps += GATE_BUDGET;
        if (this.#steps > this.limits.instructionBudget) this.#aborting = 'instructions';
        else if (this.#overTime()) this.#aborting = 'time';
        if (this.#aborting !== null) this.#raiseAbort(L);
        return 0;
      }
      case OP_JOIN:
        // host(OP_JOIN, fn, owner[, dispatch]): a gated chunk compiled by trusted Lua (a script,
        // a module); a script's inlined getters read dispatch's values (inline.ts).
        this.#joinGate(L, 2, 3);
        if (this.#api.lua_gettop(L) < 4) return 0;
        return this.#joinInlined(L, 2, 4);
      case OP_FLOW_META:
        return this.#pushResult(L, () => this.flowProvider?.meta() ?? null);
      case OP_FLOW_INFO:
        return this.#pushResult(L, () => this.flowProvider?.info() ?? null);
      case OP_FLOW_STATUS:
        return this.#pushResult(L, () => this.flowProvider?.status() ?? null);
      default: {
        const fn = this.#hostFunctions[op - FIRST_MODULE_OP];
        if (fn === undefined) return 0;
        const decoded = api.lua_type(L, 2) === LUA_TSTRING ? decodeValue(this.#io.readBytes(L, 2)).value : null;
        const list = Array.isArray(decoded) ? decoded : [];
        const n = decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded) ? Number((decoded as Record<string, LuaValue>).n ?? 0) : list.length;
        const args: LuaValue[] = [];
        if (!Array.isArray(decoded) && decoded !== null && typeof decoded === 'object') {
          for (let i = 1; i <= n; i++) args.push((decoded as Record<string, LuaValue>)[String(i)] ?? null);
        } else {
          for (const v of list) args.push(v);
        }
        return this.#pushResult(L, () => fn(...args));
      }
    }
  }

  /** Pushes a host function's result as a blob, or (nil, message) when it threw. */
  #pushResult(L: number, compute: () => unknown): number {
    let bytes: Uint8Array;
    try {
      const value = compute();
      const writer = this.#io.writer;
      writer.reset();
      encodeValue(writer, value);
      bytes = writer.bytes.subarray(0, writer.length);
    } catch (error) {
      // Nothing Lua-side has happened yet: safe to push the message (no longjmp in flight).
      this.#api.lua_pushnil(L);
      this.#io.pushString(L, error instanceof Error ? error.message : String(error));
      return 2;
    }
    this.#io.pushBytes(L, bytes);
    return 1;
  }

  /** Closes the state (running no finalizer past a small budget) and frees the callbacks. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#L !== 0) {
      // Finalizers (__gc) run during lua_close: give them a small budget.
      this.#steps = this.limits.instructionBudget - 10_000;
      this.#runStart = 0;
      this.#running = true;
      try {
        this.#api.lua_close(this.#L);
      } catch {
        // A finalizer that escaped: the state is gone either way.
      }
      this.#running = false;
      this.#L = 0;
    }
    this.#module.removeFunction(this.#hookPtr);
    this.#module.removeFunction(this.#allocPtr);
    this.#module.removeFunction(this.#hostPtr);
    this.#module.free(this.#abortTag);
  }
}

function isModule(value: unknown): value is LuaModule {
  return typeof value === 'object' && value !== null && 'api' in value && 'heap' in value;
}

function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`;
  return `${n} bytes`;
}

/** Keeps the message and the script's own frames; drops the sandbox's frames and [C] noise. */
function trimTraceback(text: string): string {
  const [first, ...rest] = text.split('\n');
  const frames = rest.filter((line) => !line.includes('[flowscope]') && !line.includes('[C]: in ?') && line.trim() !== '');
  const script = frames.filter((line) => line.trim() !== 'stack traceback:' && !/^\s*\[C\]: in function '(x?pcall|error|assert)'/.test(line));
  if (script.length === 0) return first;
  // An error raised in flowscope's Lua on the script's behalf (a library function's wrapper,
  // lua/lockdown.ts: "[flowscope]:1: bad argument #1 to 'char'") is placed at the script's line,
  // as the C function alone would have placed it.
  const scriptLine = script.map((line) => /^\s*([^\s[][^:]*:\d+): /.exec(line)?.[1]).find((at) => at !== undefined);
  const head = scriptLine !== undefined ? first.replace(/^\[flowscope\]:\d+: /, `${scriptLine}: `) : first;
  return [head, 'stack traceback:', ...script.slice(0, 10)].join('\n');
}

export { LUA_TNIL, LUA_TBOOLEAN };
