// Drives an engine over a stream of bytes: the one loop every adapter shares.
import { Engine } from './engine.ts';
import type { EngineOptions, EngineStats, FlowInfo } from './types.ts';

export interface AnalyzeResult {
  flows: FlowInfo[];
  stats: EngineStats;
}

/** Feeds every chunk of `stream` to a new engine, ends it and collects flows and stats. */
export async function analyzeStream(
  wasm: BufferSource | WebAssembly.Module,
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: EngineOptions & { onProgress?: (bytesRead: number) => void; engine?: (engine: Engine) => void } = {},
): Promise<AnalyzeResult> {
  const engine = await Engine.create(wasm, options);
  options.engine?.(engine);
  let bytesRead = 0;
  for await (const chunk of iterate(stream)) {
    engine.feed(chunk);
    bytesRead += chunk.length;
    options.onProgress?.(bytesRead);
  }
  engine.end();
  return { flows: [...engine.flows()], stats: engine.stats() };
}

async function* iterate(stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in stream) {
    yield* stream as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (stream as ReadableStream<Uint8Array>).getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
