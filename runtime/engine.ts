// The engine: instantiates the WebAssembly core from bytes and feeds it chunks. Web standards
// only (no node:*, no Deno.*, no DOM), so the same file runs in Node, Deno and a browser Worker.
//
// Per chunk: one copy into wasm memory and one feed() call (more only when the event ring
// fills up inside the chunk). Flows stay in wasm memory; objects are built only when asked.
import type { EngineOptions, EngineStats, FlowEvent, FlowInfo } from './types.ts';
import { FlowReader, type CoreExports } from './flow.ts';

export class CaptureFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureFormatError';
  }
}

const FORMAT_NAMES = ['', 'pcap', 'pcapng', 'invalid'];
/** Bytes handed to the core per crossing. */
const BATCH_BYTES = 1 << 20;

export class Engine {
  readonly #core: CoreExports;
  readonly #reader: FlowReader;
  /** Bytes gathered in the core's input buffer and not yet fed. */
  #pending = 0;
  #ended = false;
  /** Called for every event as it is drained (once per chunk). */
  onEvent: ((event: FlowEvent) => void) | null = null;

  private constructor(core: CoreExports, options: EngineOptions) {
    this.#core = core;
    this.#reader = new FlowReader(core);
    const maxFlows = options.maxFlows ?? 0;
    const idleMs = Math.round((options.idleTimeoutSec ?? 0) * 1000);
    if (!Number.isInteger(maxFlows) || maxFlows < 0 || maxFlows > 0xffffffff) throw new RangeError(`maxFlows must be a non-negative integer, got ${options.maxFlows}`);
    if (!(idleMs >= 0 && idleMs <= 0xffffffff)) throw new RangeError(`idleTimeoutSec must be between 0 and ${0xffffffff / 1000}, got ${options.idleTimeoutSec}`);
    core.init(maxFlows, idleMs);
  }

  /** Creates an engine from the core's wasm bytes or an already compiled module. */
  static async create(wasm: BufferSource | WebAssembly.Module, options: EngineOptions = {}): Promise<Engine> {
    const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm);
    const instance = await WebAssembly.instantiate(module, {
      env: {
        abort(_message: number, _file: number, line: number, column: number) {
          throw new Error(`flowscope core aborted at ${line}:${column}`);
        },
      },
    });
    return new Engine(instance.exports as unknown as CoreExports, options);
  }

  /**
   * Analyses the next bytes of the capture. Chunks may split records anywhere and may be of any
   * size: small chunks (a browser or Deno stream yields ~64 KiB) are gathered in wasm memory and
   * handed to the core once per batch, so the JS/WASM crossing happens once per ~1 MiB.
   */
  feed(chunk: Uint8Array): void {
    if (this.#ended) throw new Error('feed() after end()');
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(BATCH_BYTES - this.#pending, chunk.length - offset);
      const input = this.#core.inputBuffer(BATCH_BYTES);
      // A fresh view each time: the core may have grown (and so detached) its memory.
      new Uint8Array(this.#core.memory.buffer, input + this.#pending, take).set(chunk.subarray(offset, offset + take));
      this.#pending += take;
      offset += take;
      if (this.#pending === BATCH_BYTES) this.flush();
    }
  }

  /** Hands the gathered bytes to the core now (live capture calls this to bound latency). */
  flush(): void {
    const core = this.#core;
    const length = this.#pending;
    this.#pending = 0;
    let consumed = 0;
    while (consumed < length) {
      consumed += core.feed(consumed, length - consumed);
      this.#drainEvents();
      if (core.captureFormat() === core.FORMAT_INVALID.value) throw this.#formatError();
    }
  }

  /** End of input: counts an incomplete last record and ends every flow (flow_ended events). */
  end(): void {
    if (this.#ended) return;
    this.flush();
    this.#ended = true;
    while (true) {
      const done = this.#core.finish();
      this.#drainEvents();
      if (done) break;
    }
  }

  /**
   * The flows in the table, in creation order: while feeding, the active ones; after end(), the
   * ones that were still active at the end of input. Flows ended earlier by the idle timeout
   * are not here: their flow_ended event carried them (analyzeStream() gathers both).
   */
  *flows(): Generator<FlowInfo> {
    const core = this.#core;
    const ids: number[] = [];
    for (let id = core.nextFlow(0); id >= 0; id = core.nextFlow(id + 1)) ids.push(id);
    const serials = new Map(ids.map((id) => [id, this.#reader.serial(id)]));
    ids.sort((a, b) => serials.get(a)! - serials.get(b)!);
    for (const id of ids) yield this.#reader.read(id);
  }

  /** One live flow by the id given in its events; null when that record is free. */
  flow(flowId: number): FlowInfo | null {
    return this.#reader.isReadable(flowId) ? this.#reader.read(flowId) : null;
  }

  stats(): EngineStats {
    return this.#reader.stats(FORMAT_NAMES[this.#core.captureFormat()] ?? '');
  }

  #drainEvents(): void {
    const onEvent = this.onEvent;
    if (onEvent === null) return;
    for (const event of this.#reader.events()) onEvent(event);
  }

  #formatError(): CaptureFormatError {
    // The core keeps the first four bytes as a little-endian word: print them in file order.
    const word = this.#core.captureFirstWord() >>> 0;
    const hex = [0, 8, 16, 24].map((shift) => ((word >>> shift) & 0xff).toString(16).padStart(2, '0')).join('');
    return new CaptureFormatError(`not a pcap or pcapng capture (first bytes 0x${hex}; expected a pcap magic a1b2c3d4/a1b23c4d in either byte order or a pcapng section header 0a0d0d0a)`);
  }
}
