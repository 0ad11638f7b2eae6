// The Lua 5.4 virtual machine (wasmoon's glue.wasm, Emscripten) loaded once per wasm source, and
// the raw C API the sandbox drives. Web standards only: the caller says where glue.wasm is (a
// URL or path, or its bytes), so a browser serves it locally and never from wasmoon's CDN default.
//
// Why raw exports: wasmoon wraps every export in a checking closure (`module._lua_x`, ~30 ns a
// call) and its `cwrap`s go through ccall (more). The hot path of a check makes four or five C
// calls, so the sandbox calls the WebAssembly exports directly (~5 ns). They are captured while
// the module instantiates (the one moment they are visible); when that fails the wrapped exports
// are used instead, which is only slower.
import { LuaFactory, type LuaWasm } from 'wasmoon';

/** The C functions the sandbox calls, with lua_State* and pointers as numbers. */
export interface LuaApi {
  lua_newstate(alloc: number, ud: number): number;
  lua_close(L: number): void;
  lua_gettop(L: number): number;
  lua_settop(L: number, idx: number): void;
  lua_pushvalue(L: number, idx: number): void;
  lua_rotate(L: number, idx: number, n: number): void;
  lua_checkstack(L: number, n: number): number;
  lua_type(L: number, idx: number): number;
  lua_tonumberx(L: number, idx: number, isnum: number): number;
  lua_toboolean(L: number, idx: number): number;
  /** Returns a pointer to the bytes; the length is written at `len` (a size_t*). */
  lua_tolstring(L: number, idx: number, len: number): number;
  lua_pushnil(L: number): void;
  lua_pushnumber(L: number, n: number): void;
  lua_pushboolean(L: number, b: number): void;
  lua_pushlstring(L: number, s: number, len: number): number;
  lua_pushlightuserdata(L: number, p: number): void;
  lua_pushcclosure(L: number, fn: number, n: number): void;
  /** t[k] = v, t at idx, k and v the two values on top (popped); no metamethods. */
  lua_rawset(L: number, idx: number): void;
  lua_setglobal(L: number, name: number): void;
  lua_getglobal(L: number, name: number): number;
  lua_pcallk(L: number, nargs: number, nresults: number, errfunc: number, ctx: number, k: number): number;
  lua_error(L: number): number;
  lua_sethook(L: number, fn: number, mask: number, count: number): void;
  lua_gethookcount(L: number): number;
  lua_gethookmask(L: number): number;
  /** Pushes the n-th upvalue of the closure at funcindex and returns its name (0 past the last). */
  lua_getupvalue(L: number, funcindex: number, n: number): number;
  lua_upvaluejoin(L: number, f1: number, n1: number, f2: number, n2: number): void;
  luaL_loadbufferx(L: number, buf: number, size: number, name: number, mode: number): number;
  luaL_traceback(L: number, L1: number, msg: number, level: number): void;
  luaopen_base(L: number): number;
  luaopen_string(L: number): number;
  luaopen_table(L: number): number;
  luaopen_math(L: number): number;
  luaopen_utf8(L: number): number;
  luaopen_coroutine(L: number): number;
  luaopen_os(L: number): number;
}

/** One instantiated Lua module: its C API, memory and a way to turn JS functions into C pointers. */
export interface LuaModule {
  api: LuaApi;
  /** The module's memory as bytes, re-read after anything that may grow it. */
  heap(): Uint8Array;
  malloc(size: number): number;
  free(ptr: number): void;
  /** Makes a JS function callable from C (`sig` in Emscripten's notation, e.g. 'ii'). */
  addFunction(fn: (...args: number[]) => number | void, sig: string): number;
  removeFunction(ptr: number): void;
  realloc(ptr: number, size: number): number;
  /** True when the raw exports were captured (the fast path). */
  raw: boolean;
}

/**
 * Where glue.wasm comes from: a URL or file path string, a URL (file: URLs become paths), or the
 * file's bytes (browsers only). Never wasmoon's default, which is a CDN in browsers.
 */
export type LuaWasmSource = string | URL | Uint8Array | ArrayBuffer;

const API_NAMES: Array<keyof LuaApi> = [
  'lua_newstate', 'lua_close', 'lua_gettop', 'lua_settop', 'lua_pushvalue', 'lua_rotate', 'lua_checkstack', 'lua_type', 'lua_tonumberx',
  'lua_toboolean', 'lua_tolstring', 'lua_pushnil', 'lua_pushnumber', 'lua_pushboolean', 'lua_pushlstring',
  'lua_pushlightuserdata', 'lua_pushcclosure', 'lua_rawset', 'lua_setglobal', 'lua_getglobal', 'lua_pcallk', 'lua_error',
  'lua_sethook', 'lua_gethookcount', 'lua_gethookmask', 'lua_getupvalue', 'lua_upvaluejoin', 'luaL_loadbufferx', 'luaL_traceback', 'luaopen_base', 'luaopen_string', 'luaopen_table', 'luaopen_math',
  'luaopen_utf8', 'luaopen_coroutine', 'luaopen_os',
];

const loaded = new Map<string, Promise<LuaModule>>();

/**
 * A getter of one `make(module)` per module, made on first use and kept as long as the module:
 * what lives in a module's memory and is shared by all its states (scratch areas, the protocol
 * name pool).
 */
export function perModule<T>(make: (module: LuaModule) => T): (module: LuaModule) => T {
  const made = new WeakMap<LuaModule, T>();
  return (module) => {
    let value = made.get(module);
    if (value === undefined) {
      value = make(module);
      made.set(module, value);
    }
    return value;
  };
}

/** The Lua module for a glue.wasm source, instantiated once per distinct source. */
export function loadLuaModule(source: LuaWasmSource): Promise<LuaModule> {
  const uri = toUri(source);
  let module = loaded.get(uri);
  if (module === undefined) {
    module = instantiate(uri);
    loaded.set(uri, module);
    module.catch(() => loaded.delete(uri));
  }
  return module;
}

function toUri(source: LuaWasmSource): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.protocol === 'file:' ? decodeURIComponent(source.pathname) : source.href;
  // Bytes: a blob: URL, which Emscripten fetches in a browser or worker. Under Node and Deno it
  // reads files instead (and cannot take data: URIs either): there, pass the path or file URL.
  const g = globalThis as { process?: { versions?: { node?: string } }; Deno?: unknown };
  if (g.process?.versions?.node !== undefined || g.Deno !== undefined || typeof URL.createObjectURL !== 'function') {
    throw new Error('glue.wasm as bytes works in browsers only: under Node or Deno pass its path or file URL');
  }
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  return URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/wasm' }));
}

/**
 * Emscripten's setjmp/longjmp goes through the JS import invoke_vii: every lua_pcall (every
 * check run) calls it. wasmoon's glue is an assertion build, whose invoke_vii reaches stackSave
 * through a checking wrapper (`apply`) and reads the function table twice to verify its mirror:
 * about 0.3 µs a call. This one does the same with the raw exports: save the stack pointer, call
 * the table entry, and on a longjmp (Emscripten throws a number, Infinity) restore it and flag
 * it with setThrew; any other exception goes on up. It falls back to the glue's own until the
 * exports are known (they are before Lua ever runs).
 *
 * The table entries it calls are kept by index: WebAssembly.Table.get is a slow builtin (~40 ns,
 * as much as the rest of the trampoline), and the targets are a handful of C functions
 * (luaD_rawrunprotected's callees). The returned function forgets them; the module calls it
 * whenever a table entry changes (addFunction, removeFunction).
 */
function replaceInvoke(imports: unknown, exportsOf: () => Record<string, unknown> | null): () => void {
  let targets: Array<((p: number, q: number) => void) | undefined> = [];
  const forget = () => {
    targets.fill(undefined);
  };
  const env = (imports as { env?: Record<string, unknown> } | undefined)?.env;
  const original = env?.invoke_vii;
  if (env === undefined || typeof original !== 'function') return forget;
  let fast: ((index: number, a: number, b: number) => void) | null = null;
  env.invoke_vii = (index: number, a: number, b: number): void => {
    if (fast === null) {
      const x = exportsOf();
      const table = x?.__indirect_function_table as WebAssembly.Table | undefined;
      const stackSave = x?.stackSave as (() => number) | undefined;
      const stackRestore = x?.stackRestore as ((sp: number) => void) | undefined;
      const setThrew = x?.setThrew as ((threw: number, value: number) => void) | undefined;
      if (!table || !stackSave || !stackRestore || !setThrew) return (original as (i: number, a: number, b: number) => void)(index, a, b);
      // Sized to the table, so that the array stays a flat one (not a sparse dictionary).
      targets = new Array<undefined>(table.length).fill(undefined);
      fast = (i, p, q) => {
        const sp = stackSave();
        try {
          let target = targets[i];
          if (target === undefined) target = targets[i] = table.get(i) as (p: number, q: number) => void;
          target(p, q);
        } catch (error) {
          stackRestore(sp);
          if (error !== (error as number) + 0) throw error;
          setThrew(1, 0);
        }
      };
    }
    fast(index, a, b);
  };
  return forget;
}

/** Serialises instantiations: the export capture patches WebAssembly for the duration of one. */
let instantiating: Promise<unknown> = Promise.resolve();

async function instantiate(uri: string): Promise<LuaModule> {
  const previous = instantiating;
  let release!: () => void;
  instantiating = new Promise<void>((resolve) => (release = resolve));
  await previous.catch(() => undefined);
  let exports: Record<string, unknown> | null = null;
  const wasm = WebAssembly as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const originals = { instantiate: wasm.instantiate, instantiateStreaming: wasm.instantiateStreaming };
  const capture = (result: unknown) => {
    const instance = (result as { instance?: WebAssembly.Instance }).instance ?? (result as WebAssembly.Instance);
    const candidate = instance?.exports as Record<string, unknown> | undefined;
    if (candidate && typeof candidate.lua_pcallk === 'function' && typeof candidate.luaL_loadbufferx === 'function') exports = candidate;
    return result;
  };
  let luaWasm: LuaWasm;
  let forgetTargets = () => {};
  try {
    wasm.instantiate = function (this: unknown, ...args: unknown[]) {
      forgetTargets = replaceInvoke(args[1], () => exports);
      return originals.instantiate.apply(this, args).then(capture);
    };
    if (originals.instantiateStreaming) {
      wasm.instantiateStreaming = function (this: unknown, ...args: unknown[]) {
        forgetTargets = replaceInvoke(args[1], () => exports);
        return originals.instantiateStreaming.apply(this, args).then(capture);
      };
    }
    luaWasm = await new LuaFactory(uri).getLuaModule();
  } finally {
    wasm.instantiate = originals.instantiate;
    if (originals.instantiateStreaming) wasm.instantiateStreaming = originals.instantiateStreaming;
    release();
  }
  const em = luaWasm.module as unknown as Record<string, unknown> & {
    HEAPU8: Uint8Array;
    addFunction(fn: (...args: number[]) => number | void, sig: string): number;
    removeFunction(ptr: number): void;
    _malloc(size: number): number;
    _free(ptr: number): void;
    _realloc(ptr: number, size: number): number;
  };
  const raw = exports !== null;
  // Built in one go: an object given its 35 properties one by one turns into a dictionary, whose
  // every property read is a hash lookup and whose functions the JIT cannot call directly. In
  // fast mode a call from the sandbox costs ~6 ns instead of ~13 (measured with lua_pushnumber).
  const api = Object.fromEntries(API_NAMES.map((name) => {
    const fn = raw ? (exports as unknown as Record<string, unknown>)[name] : em[`_${name}`];
    if (typeof fn !== 'function') throw new Error(`the Lua module lacks ${name}`);
    return [name, fn];
  }));
  const malloc = raw ? ((exports as unknown as Record<string, unknown>).malloc as (n: number) => number) : em._malloc;
  const free = raw ? ((exports as unknown as Record<string, unknown>).free as (p: number) => void) : em._free;
  const realloc = raw ? ((exports as unknown as Record<string, unknown>).realloc as (p: number, n: number) => number) : em._realloc;
  // The module object is a large one whose properties are slow to look up: the view is kept,
  // and asked for again only once memory growth has detached it (its length is then 0).
  let heap = em.HEAPU8;
  return {
    api: api as unknown as LuaApi,
    heap: () => (heap.length !== 0 ? heap : (heap = em.HEAPU8)),
    malloc: typeof malloc === 'function' ? malloc : em._malloc,
    free: typeof free === 'function' ? free : em._free,
    realloc: typeof realloc === 'function' ? realloc : em._realloc,
    addFunction: (fn, sig) => {
      forgetTargets();
      return em.addFunction(fn, sig);
    },
    removeFunction: (ptr) => {
      forgetTargets();
      em.removeFunction(ptr);
    },
    raw,
  };
}
