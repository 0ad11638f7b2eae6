// Deno glue for the checks (`analyze.ts --checks DIR|FILE --alerts FILE|- --state FILE`), with
// Deno's own APIs: the scripts of a folder or a file, wasmoon's glue.wasm from node_modules (read
// from disk, never fetched), alerts as NDJSON written as they are raised, the ntop cache in a JSON
// file (the same format as the Node CLI's --state).
import { CheckRunner, formatCheckError, type CheckScript } from '../../runtime/checks/runner.ts';
import { checksReport } from '../../runtime/checks/report.ts';
import { KVStore, type KVBackend, type KVSnapshot } from '../../runtime/store/kv.ts';

/** wasmoon's glue.wasm as installed beside the repository's other npm packages. */
export function luaWasmUrl(): URL {
  try {
    return new URL(import.meta.resolve('wasmoon/dist/glue.wasm'));
  } catch {
    return new URL('../../node_modules/wasmoon/dist/glue.wasm', import.meta.url);
  }
}

/**
 * The scripts of DIR (every *.lua directly inside it, in name order; *.lua.sample and
 * subfolders are ignored) or FILE (that file), as the Node CLI reads them.
 */
export async function loadCheckScripts(path: string): Promise<CheckScript[]> {
  const info = await Deno.stat(path);
  if (info.isFile) return [{ name: path.split(/[\\/]/).pop() ?? path, source: await Deno.readTextFile(path) }];
  if (!info.isDirectory) throw new Error(`${path}: not a file or a folder`);
  const names: string[] = [];
  for await (const entry of Deno.readDir(path)) if (entry.isFile && entry.name.endsWith('.lua')) names.push(entry.name);
  names.sort();
  return Promise.all(names.map(async (name) => ({ name, source: await Deno.readTextFile(`${path}/${name}`) })));
}

/** --state FILE: a snapshot in a JSON file, written to a temporary file and renamed over. */
export class DenoFileBackend implements KVBackend {
  constructor(readonly path: string) {}

  async load(): Promise<KVSnapshot | null> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
    if (text.trim() === '') return null;
    let snapshot: KVSnapshot;
    try {
      snapshot = JSON.parse(text) as KVSnapshot;
    } catch (error) {
      throw new Error(`${this.path}: not a flowscope state file (${(error as Error).message})`);
    }
    if (snapshot?.version !== 1 || !Array.isArray(snapshot.entries)) throw new Error(`${this.path}: not a flowscope state file (version 1 expected)`);
    return snapshot;
  }

  async save(snapshot: KVSnapshot): Promise<void> {
    const temporary = `${this.path}.${Deno.pid}.tmp`;
    await Deno.writeTextFile(temporary, `${JSON.stringify(snapshot)}\n`);
    await Deno.rename(temporary, this.path);
  }
}

/** Synchronous writes in blocks (alerts arrive inside the engine's synchronous event loop). */
class BlockWriter {
  readonly #file: { writeSync(p: Uint8Array): number };
  readonly #encoder = new TextEncoder();
  #block = '';

  constructor(file: { writeSync(p: Uint8Array): number }) {
    this.#file = file;
  }

  write(text: string): void {
    this.#block += text;
    if (this.#block.length >= 1 << 16) this.flush();
  }

  flush(): void {
    let bytes = this.#encoder.encode(this.#block);
    this.#block = '';
    while (bytes.length > 0) bytes = bytes.subarray(this.#file.writeSync(bytes));
  }
}

export interface DenoCheckOptions {
  checks?: string;
  /** FILE, or - for stdout */
  alerts?: string;
  state?: string;
  localNetworks?: string;
  cacheClock: 'capture' | 'wall';
  /** No script output and no report on stderr. */
  quiet?: boolean;
}

/**
 * Process CPU time in ms, to confirm the time limit of a run (sandbox.ts) as the Node CLI does, so
 * that a loaded machine does not stop scripts that were only waiting. Deno provides Node's
 * process.cpuUsage(); without it the wall clock alone decides.
 */
function cpuClock(): (() => number) | undefined {
  const usage = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process?.cpuUsage;
  if (typeof usage !== 'function') return undefined;
  return () => {
    const used = usage();
    return (used.user + used.system) / 1000;
  };
}

/** Errors printed one by one at most (all are counted in the report). */
const MAX_PRINTED_ERRORS = 20;

/** The runner of `analyze.ts --checks/--alerts/--state` and what goes around it. */
export class DenoCheckSession {
  readonly runner: CheckRunner;
  readonly #options: DenoCheckOptions;
  readonly #alerts: BlockWriter | null;
  readonly #alertsFile: Deno.FsFile | null;
  #printed = 0;

  private constructor(runner: CheckRunner, options: DenoCheckOptions, alertsFile: Deno.FsFile | null) {
    this.runner = runner;
    this.#options = options;
    this.#alertsFile = alertsFile;
    this.#alerts = options.alerts === undefined ? null : new BlockWriter(alertsFile ?? Deno.stdout);
    const alerts = this.#alerts;
    if (alerts !== null) runner.alerts.subscribe((alert) => alerts.write(`${JSON.stringify(alert)}\n`));
  }

  static async open(options: DenoCheckOptions): Promise<DenoCheckSession> {
    const kv = new KVStore();
    if (options.state !== undefined) await kv.loadFrom(new DenoFileBackend(options.state));
    const scripts = options.checks === undefined ? [] : await loadCheckScripts(options.checks);
    let session: DenoCheckSession | null = null;
    const printError = (message: string) => {
      if (session !== null && session.#printed >= MAX_PRINTED_ERRORS) return;
      if (session !== null) session.#printed++;
      console.error(`flowscope: check error: ${message}`);
    };
    const runner = await CheckRunner.create({
      luaWasm: luaWasmUrl(), scripts, kv, cacheClock: options.cacheClock, localNetworks: options.localNetworks, cpuClock: cpuClock(),
      onLog: (script, text) => {
        if (options.quiet) return;
        const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
        for (const line of lines) console.error(`[${script}] ${line}`);
      },
      onError: (error) => printError(formatCheckError(error)),
    });
    const file = options.alerts === undefined || options.alerts === '-' ? null
      : await Deno.open(options.alerts, { write: true, create: true, truncate: true });
    session = new DenoCheckSession(runner, options, file);
    // Load errors happened before the session existed: print them now.
    for (const error of runner.errors()) {
      if (session.#printed >= MAX_PRINTED_ERRORS) break;
      session.#printed++;
      console.error(`flowscope: check error: ${formatCheckError(error)}`);
    }
    return session;
  }

  /** After the analysis: flush the alerts, save the state, print the report on stderr. */
  async close(): Promise<void> {
    this.runner.finish();
    this.#alerts?.flush();
    this.#alertsFile?.close();
    if (this.#options.state !== undefined) await this.runner.kv.saveTo(new DenoFileBackend(this.#options.state));
    if (!this.#options.quiet) console.error(checksReport(this.runner, this.#printed).trimEnd());
    this.runner.close();
  }
}
