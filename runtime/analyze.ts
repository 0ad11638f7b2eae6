// Drives an engine over a stream of bytes: the one loop every adapter shares.
import { Engine } from './engine.ts';
import type { EngineOptions, EngineStats, FlowInfo } from './types.ts';

export interface AnalyzeResult {
  flows: FlowInfo[];
  stats: EngineStats;
}

/** Feeds every chunk of `stream` to a new engine, ends it and returns every flow (creation order) and the stats. */
export async function analyzeStream(
  wasm: BufferSource | WebAssembly.Module,
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: EngineOptions & { onProgress?: (bytesRead: number) => void; engine?: (engine: Engine) => void } = {},
): Promise<AnalyzeResult> {
  const engine = await Engine.create(wasm, options);
  options.engine?.(engine);
  // Every flow ends exactly once (idle timeout or end of input) and its event carries it.
  const ended: Array<{ serial: number; flow: FlowInfo }> = [];
  const callerHandler = engine.onEvent;
  engine.onEvent = (event) => {
    if (event.kind === 'flow_ended') ended.push({ serial: event.serial, flow: event.flow });
    callerHandler?.(event);
  };
  let bytesRead = 0;
  for await (const chunk of iterate(stream)) {
    engine.feed(chunk);
    bytesRead += chunk.length;
    options.onProgress?.(bytesRead);
  }
  engine.end();
  ended.sort((a, b) => a.serial - b.serial);
  return { flows: ended.map((e) => e.flow), stats: engine.stats() };
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
