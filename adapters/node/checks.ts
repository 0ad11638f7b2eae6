// Node glue for checks: the check scripts of a folder or a file, and wasmoon's glue.wasm from
// node_modules (read from disk, never fetched).
import { createWriteStream, type WriteStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { CheckRunner, formatCheckError, type CheckRunnerOptions, type CheckScript } from '../../runtime/checks/runner.ts';
import { KVStore } from '../../runtime/store/kv.ts';
import { checksReport } from '../../runtime/checks/report.ts';
import { FileBackend } from './store-file.ts';

/** Path of wasmoon's glue.wasm as installed. */
export function luaWasmPath(): string {
  return createRequire(import.meta.url).resolve('wasmoon/dist/glue.wasm');
}

/**
 * The scripts of DIR (every *.lua directly inside it, in name order; *.lua.sample and
 * subfolders are ignored) or FILE (that file).
 */
export async function loadCheckScripts(path: string): Promise<CheckScript[]> {
  const info = await stat(path);
  if (info.isFile()) return [{ name: basename(path), source: await readFile(path, 'utf8') }];
  if (!info.isDirectory()) throw new Error(`${path}: not a file or a folder`);
  const names = (await readdir(path, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.lua'))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(names.map(async (name) => ({ name, source: await readFile(join(path, name), 'utf8') })));
}

/** Process CPU time in milliseconds. */
export function cpuClock(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/** A runner over the scripts at `path` (or none), with the local glue.wasm and the CPU clock. */
export async function createCheckRunner(path: string | undefined, options: Omit<CheckRunnerOptions, 'luaWasm' | 'scripts'> = {}): Promise<CheckRunner> {
  const scripts = path === undefined ? [] : await loadCheckScripts(path);
  return CheckRunner.create({ cpuClock, ...options, luaWasm: luaWasmPath(), scripts });
}

// ------------------------------------------------------------------ the CLI's check session

export interface CheckSessionOptions {
  /** --checks DIR|FILE */
  checks?: string;
  /** --alerts FILE|- : alerts as NDJSON */
  alerts?: string;
  /** --state FILE : the ntop cache, loaded before and saved after */
  state?: string;
  /** --local-networks CIDRS */
  localNetworks?: string;
  /** --cache-clock: the clock of the cache TTLs (capture time for a file, wall time for live input) */
  cacheClock?: 'capture' | 'wall';
  /** At most this many script errors are printed (all are counted). */
  maxPrintedErrors?: number;
  quiet?: boolean;
}

/**
 * What `flowscope analyze --checks/--alerts/--state` adds around the analysis: the runner, alerts
 * streamed as NDJSON, errors and script output on stderr, the state file, the stats at the end.
 */
export class CheckSession {
  readonly runner: CheckRunner;
  readonly #options: CheckSessionOptions;
  readonly #output: NodeJS.WritableStream | null;
  #printedErrors = 0;

  private constructor(runner: CheckRunner, options: CheckSessionOptions, output: NodeJS.WritableStream | null) {
    this.runner = runner;
    this.#options = options;
    this.#output = output;
    if (output !== null) runner.alerts.subscribe((alert) => output.write(`${JSON.stringify(alert)}\n`));
    // A reader that stops early (| head) is not an error.
    if (output === process.stdout) process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }

  static async open(options: CheckSessionOptions): Promise<CheckSession> {
    const kv = new KVStore();
    if (options.state !== undefined) await kv.loadFrom(new FileBackend(options.state));
    const maxPrinted = options.maxPrintedErrors ?? 20;
    let session: CheckSession | null = null;
    const runner = await createCheckRunner(options.checks, {
      kv,
      cacheClock: options.cacheClock ?? 'capture',
      localNetworks: options.localNetworks,
      onLog: (script, text) => {
        if (options.quiet) return;
        const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
        process.stderr.write(lines.map((line) => `[${script}] ${line}\n`).join(''));
      },
      onError: (error) => {
        if (session !== null && session.#printedErrors < maxPrinted) {
          session.#printedErrors++;
          process.stderr.write(`flowscope: check error: ${formatCheckError(error)}\n`);
        }
      },
    });
    const output = options.alerts === undefined ? null : options.alerts === '-' ? process.stdout : createWriteStream(options.alerts);
    session = new CheckSession(runner, options, output);
    // Load errors happened before the session existed: print them now.
    for (const error of runner.errors()) {
      if (session.#printedErrors >= maxPrinted) break;
      session.#printedErrors++;
      process.stderr.write(`flowscope: check error: ${formatCheckError(error)}\n`);
    }
    return session;
  }

  /** After the analysis: flush alerts, save the state, print the stats (unless quiet). */
  async close(): Promise<void> {
    this.runner.finish();
    const output = this.#output;
    if (output !== null && output !== process.stdout) {
      await new Promise<void>((resolve, reject) => {
        const stream = output as WriteStream;
        stream.once('error', reject);
        stream.end(() => resolve());
      });
    }
    if (this.#options.state !== undefined) {
      await this.runner.kv.saveTo(new FileBackend(this.#options.state));
    }
    if (!this.#options.quiet) process.stderr.write(this.report());
    this.runner.close();
  }

  /** The stats per script and the alert counts, as printed on stderr. */
  report(): string {
    return checksReport(this.runner, this.#printedErrors);
  }
}
