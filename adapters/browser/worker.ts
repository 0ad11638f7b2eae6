// The page's Worker: runs the engine over a File the page hands it, off the main thread, and the
// Lua checks the page picked (wasmoon in this Worker, its glue.wasm fetched beside this script).
// The page starts one Worker per capture, so nothing is kept between analyses.
// The core and glue.wasm are fetched from the page's own origin, never from elsewhere.
import { analyzeStream, type AnalyzeResult } from '../../runtime/analyze.ts';
import { CheckRunner, formatCheckError, type CheckScript, type ScriptStats } from '../../runtime/checks/runner.ts';
import { checksReport } from '../../runtime/checks/report.ts';
import type { FlowAlert } from '../../runtime/alerts.ts';

/** Page -> worker. */
export interface AnalyzeRequest {
  file: File;
  /** Check scripts (name and Lua source), as the CLI reads them from --checks DIR. */
  checks?: CheckScript[];
}

/** What the checks produced: the alerts, the stats per script, the errors and the CLI's report. */
export interface ChecksResult {
  alerts: FlowAlert[];
  stats: ScriptStats[];
  errors: string[];
  /** The summary `flowscope analyze --checks` prints on stderr. */
  report: string;
}

/** Worker -> page. */
export type WorkerMessage =
  | { type: 'progress'; bytesRead: number; totalBytes: number }
  | ({ type: 'result'; checks?: ChecksResult } & AnalyzeResult)
  | { type: 'error'; message: string };

const WASM_URL = new URL('./flowscope.wasm', import.meta.url);
/** wasmoon's Lua VM, served by the page's server (wasmoon's default would be a CDN). */
const LUA_WASM_URL = new URL('./glue.wasm', import.meta.url);
/**
 * A run's time limit in the page. Browsers have no CPU clock to confirm the limit on (the CLIs use
 * the process's CPU time), so the wall clock alone decides, and the first runs also pay for the
 * JIT compiling the host code they reach (50 ms is too tight for them on a busy machine). The
 * instruction budget still stops runaway Lua at the same point in every runtime.
 */
const PAGE_TIME_LIMIT_MS = 250;
/** At most one progress message per this many milliseconds (plus the final one). */
const PROGRESS_INTERVAL_MS = 100;

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: WorkerMessage): void {
  scope.postMessage(message);
}

async function compileCore(): Promise<WebAssembly.Module> {
  const response = await fetch(WASM_URL);
  if (!response.ok) throw new Error(`cannot fetch the flowscope core ${WASM_URL.pathname}: HTTP ${response.status}`);
  // compileStreaming needs the application/wasm MIME type; a plain server may not send it.
  if (response.headers.get('content-type')?.split(';')[0].trim() === 'application/wasm') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

async function analyze(file: File, checks: CheckScript[]): Promise<void> {
  const [core, runner] = await Promise.all([
    compileCore(),
    // Cache TTLs on packet time, as the CLI does for a file: the same alerts in every runtime.
    checks.length > 0 ? CheckRunner.create({ luaWasm: LUA_WASM_URL.href, scripts: checks, cacheClock: 'capture', limits: { timeLimitMs: PAGE_TIME_LIMIT_MS } }) : null,
  ]);
  const totalBytes = file.size;
  let lastPost = 0;
  const result = await analyzeStream(core, file.stream(), {
    engine: runner ? (engine) => runner.attach(engine) : undefined,
    onProgress(bytesRead) {
      runner?.tick();
      const now = performance.now();
      if (now - lastPost < PROGRESS_INTERVAL_MS && bytesRead < totalBytes) return;
      lastPost = now;
      post({ type: 'progress', bytesRead, totalBytes });
    },
  });
  let checksResult: ChecksResult | undefined;
  if (runner !== null) {
    runner.finish();
    checksResult = {
      alerts: runner.alerts.list(),
      stats: runner.stats(),
      errors: runner.errors().map(formatCheckError),
      report: checksReport(runner, runner.errors().length),
    };
    runner.close();
  }
  post({ type: 'result', flows: result.flows, stats: result.stats, checks: checksResult });
}

scope.onmessage = (event: MessageEvent<AnalyzeRequest>) => {
  analyze(event.data.file, event.data.checks ?? []).catch((error: unknown) => {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
};
