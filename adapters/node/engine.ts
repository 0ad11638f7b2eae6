// Node glue: the core's bytes from build/, files read as streams of ~1 MiB chunks.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { analyzeStream, type AnalyzeResult } from '../../runtime/analyze.ts';
import { Engine } from '../../runtime/engine.ts';
import type { EngineOptions } from '../../runtime/types.ts';

export const CHUNK_SIZE = 1 << 20;
const WASM_URL = new URL('../../build/flowscope.wasm', import.meta.url);

let compiled: Promise<WebAssembly.Module> | null = null;

/** The compiled core, once per process. */
export function coreModule(): Promise<WebAssembly.Module> {
  compiled ??= readFile(WASM_URL).then(
    (bytes) => WebAssembly.compile(bytes),
    (error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read the flowscope core at ${WASM_URL.pathname} (${error.code ?? error.message}); run \`npm run build\``);
    },
  );
  return compiled;
}

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  return Engine.create(await coreModule(), options);
}

/** Analyses a capture file ('-' for stdin) and returns all flows and the stats. */
export async function analyzeFile(
  path: string,
  options: EngineOptions & { onProgress?: (bytesRead: number) => void; engine?: (engine: Engine) => void } = {},
): Promise<AnalyzeResult> {
  const input = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: CHUNK_SIZE });
  return analyzeStream(await coreModule(), input as AsyncIterable<Uint8Array>, options);
}
