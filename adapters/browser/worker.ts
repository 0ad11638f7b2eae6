// The page's Worker: runs the engine over a File the page hands it, off the main thread.
// The page starts one Worker per capture, so nothing is kept between analyses.
// The core is fetched from the page's own origin (beside this script), never from elsewhere.
import { analyzeStream, type AnalyzeResult } from '../../runtime/analyze.ts';

/** Page -> worker. */
export interface AnalyzeRequest {
  file: File;
}

/** Worker -> page. */
export type WorkerMessage =
  | { type: 'progress'; bytesRead: number; totalBytes: number }
  | ({ type: 'result' } & AnalyzeResult)
  | { type: 'error'; message: string };

const WASM_URL = new URL('./flowscope.wasm', import.meta.url);
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

async function analyze(file: File): Promise<void> {
  const core = await compileCore();
  const totalBytes = file.size;
  let lastPost = 0;
  const result = await analyzeStream(core, file.stream(), {
    onProgress(bytesRead) {
      const now = performance.now();
      if (now - lastPost < PROGRESS_INTERVAL_MS && bytesRead < totalBytes) return;
      lastPost = now;
      post({ type: 'progress', bytesRead, totalBytes });
    },
  });
  post({ type: 'result', flows: result.flows, stats: result.stats });
}

scope.onmessage = (event: MessageEvent<AnalyzeRequest>) => {
  analyze(event.data.file).catch((error: unknown) => {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
};
