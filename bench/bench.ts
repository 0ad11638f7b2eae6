// Throughput and memory of the engine over one capture file, printed as one JSON line.
//
//   npm run bench -- [FILE] [--max-flows N] [--idle-timeout S] [--io overlap|read|stream] [--wasm CORE]
//
// The file is fed in CHUNK_SIZE (1 MiB) chunks to one engine, then end() is called. The timed
// path never builds flow objects (no engine.flows(), no event handler): what is measured is all
// the core does (framing, decoding, flow table, dissection, classification), the one copy per
// chunk into wasm memory and the reads. See bench/README.md.
import { closeSync, existsSync, openSync, read, readFileSync, readSync, createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHUNK_SIZE, createEngine } from '../adapters/node/engine.ts';
import { Engine } from '../runtime/engine.ts';
import { benchScripts, pipelineRunner, type ChecksPerSecond } from './checks.ts';
import { execFileSync } from 'node:child_process';

const USAGE = `usage: npm run bench -- [FILE] [--max-flows N] [--idle-timeout S] [--io overlap|read|stream] [--wasm CORE] [--checks [DIR|FILE]]
  FILE            pcap or pcapng capture (default: build/sample.pcap when it exists)
  --max-flows N   flow table capacity (default: the engine's)
  --idle-timeout S  purge flows idle for S seconds of packet time (default 0: never)
  --io overlap    two reused 1 MiB buffers: the next read runs on the thread pool while the
                  engine works on the current chunk (default: the fastest measured)
  --io read       readSync loop into one reused 1 MiB buffer
  --io stream     fs.createReadStream with a 1 MiB highWaterMark (a new Buffer per chunk)
  --wasm CORE     another build of the core (A/B a change; it must match runtime/'s ABI)
                  instead of build/flowscope.wasm
  --checks [PATH] also run the capture with Lua checks attached (a folder or a .lua file; default:
                  bench/checks.ts's script, six flow.* reads and an alert on one flow in five) and
                  measure checks/s: inside that pipeline (time in the checks' event handler) and
                  alone on the capture's flows in a fresh process; adds a "checks" object
                  (packetsPerSecWithChecks, checksPerSecInPipeline, checksPerSec: the median of
                  five windows, checksPerSecBest and each window in checksMeasured; bench/checks.ts)
Prints one JSON line: {file, packets, bytes, fileBytes, flows, seconds, packetsPerSec,
gbitPerSec, peakRssBytes, rssPerFlowBytes, baselineRssBytes, io, wasm, nodeVersion}.`;

const SAMPLE = fileURLToPath(new URL('../build/sample.pcap', import.meta.url));
const DEFAULT_WASM = fileURLToPath(new URL('../build/flowscope.wasm', import.meta.url));

type IoMode = 'read' | 'overlap' | 'stream';

interface Args {
  file: string;
  maxFlows?: number;
  idleTimeoutSec?: number;
  io: IoMode;
  wasm?: string;
  /** --checks: undefined when absent, '' for the built-in script, else a folder or file. */
  checks?: string;
}

function usage(message?: string): never {
  if (message) process.stderr.write(`bench: ${message}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  let file: string | undefined;
  let maxFlows: number | undefined;
  let idleTimeoutSec: number | undefined;
  let io: IoMode = 'overlap';
  let wasm: string | undefined;
  let checks: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${arg} needs a value`));
    if (arg === '--max-flows') {
      maxFlows = Number(value());
      if (!Number.isInteger(maxFlows) || maxFlows < 0) usage('--max-flows wants a non-negative integer');
    } else if (arg === '--idle-timeout') {
      idleTimeoutSec = Number(value());
      if (!(idleTimeoutSec >= 0)) usage('--idle-timeout wants a non-negative number of seconds');
    } else if (arg === '--io') {
      const mode = value();
      if (mode !== 'read' && mode !== 'overlap' && mode !== 'stream') usage('--io wants overlap, read or stream');
      io = mode;
    } else if (arg === '--wasm') {
      wasm = value();
    } else if (arg === '--checks') {
      // The value is optional: taken when it is a folder or a .lua file.
      const next = argv[i + 1];
      checks = next !== undefined && (next.endsWith('.lua') || (existsSync(next) && statSync(next).isDirectory())) ? argv[++i] : '';
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg.startsWith('--')) {
      usage(`unknown option ${arg}`);
    } else if (file === undefined) {
      file = arg;
    } else {
      usage(`unexpected argument ${arg}`);
    }
  }
  if (file === undefined) {
    if (!existsSync(SAMPLE)) usage('no FILE given and build/sample.pcap does not exist (npm run build:sample)');
    file = SAMPLE;
  }
  return { file, maxFlows, idleTimeoutSec, io, wasm, checks };
}

/** Peak resident set size as sampled after every chunk. */
class RssSampler {
  peak = 0;
  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }
}

/** The kernel's high-water mark of the resident set (Linux), in bytes; 0 when unavailable. */
function vmHwmBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'latin1'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Synchronous reads into one reused buffer: no allocation per chunk. Returns the bytes read. */
function feedByReadLoop(engine: Engine, file: string, rss: RssSampler): number {
  const buffer = new Uint8Array(CHUNK_SIZE);
  const fd = openSync(file, 'r');
  let total = 0;
  try {
    while (true) {
      const n = readSync(fd, buffer, 0, CHUNK_SIZE, null);
      if (n === 0) break;
      // feed() copies the bytes into wasm memory, so the buffer can be reused at once.
      engine.feed(n === CHUNK_SIZE ? buffer : buffer.subarray(0, n));
      total += n;
      rss.sample();
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

/** Reads the next chunk on libuv's thread pool while the engine works on the current one. */
async function feedByOverlappedReads(engine: Engine, file: string, rss: RssSampler, afterChunk?: () => void): Promise<number> {
  const buffers = [new Uint8Array(CHUNK_SIZE), new Uint8Array(CHUNK_SIZE)];
  const fd = openSync(file, 'r');
  const readInto = (buffer: Uint8Array) =>
    new Promise<number>((resolve, reject) => read(fd, buffer, 0, CHUNK_SIZE, null, (error, n) => (error ? reject(error) : resolve(n))));
  let total = 0;
  try {
    let current = 0;
    let pending = readInto(buffers[current]);
    while (true) {
      const n = await pending;
      if (n === 0) break;
      // Position null reads sequentially: this read starts where the awaited one ended.
      pending = readInto(buffers[current ^ 1]);
      engine.feed(n === CHUNK_SIZE ? buffers[current] : buffers[current].subarray(0, n));
      total += n;
      rss.sample();
      afterChunk?.();
      current ^= 1;
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

/** A read stream with 1 MiB chunks, as adapters/node does for `analyze`. */
async function feedByStream(engine: Engine, file: string, rss: RssSampler): Promise<number> {
  let total = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_SIZE }) as AsyncIterable<Buffer>) {
    engine.feed(chunk);
    total += chunk.length;
    rss.sample();
  }
  return total;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(args.file)) {
    process.stderr.write(`bench: ${args.file}: no such file\n`);
    process.exit(1);
  }
  const options = { maxFlows: args.maxFlows, idleTimeoutSec: args.idleTimeoutSec };
  // Which build is measured (first 12 hex digits of its sha256), read just before it is loaded.
  const wasmHash = createHash('sha256').update(readFileSync(args.wasm ?? DEFAULT_WASM)).digest('hex').slice(0, 12);
  const engine = args.wasm === undefined ? await createEngine(options) : await Engine.create(readFileSync(args.wasm), options);
  const rss = new RssSampler();
  const baselineRssBytes = process.memoryUsage.rss();
  rss.sample();

  const started = process.hrtime.bigint();
  const fileBytes =
    args.io === 'read' ? feedByReadLoop(engine, args.file, rss)
    : args.io === 'overlap' ? await feedByOverlappedReads(engine, args.file, rss)
    : await feedByStream(engine, args.file, rss);
  engine.end();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rss.sample();

  const stats = engine.stats();
  const peakRssBytes = Math.max(rss.peak, vmHwmBytes());
  const flows = stats.flowsCreated;
  const round = (x: number, digits: number) => Number(x.toFixed(digits));
  const result = {
    file: basename(args.file),
    packets: stats.packets,
    bytes: stats.bytes,
    fileBytes,
    flows,
    seconds: round(seconds, 3),
    packetsPerSec: Math.round(stats.packets / seconds),
    gbitPerSec: round((stats.bytes * 8) / seconds / 1e9, 3),
    peakRssBytes,
    // Memory the analysis added over the process as it stood before the first read.
    rssPerFlowBytes: flows > 0 ? Math.round((peakRssBytes - baselineRssBytes) / flows) : null,
    baselineRssBytes,
    io: args.io,
    wasm: wasmHash,
    nodeVersion: process.version,
  };
  if (args.checks !== undefined) {
    Object.assign(result, { checks: await benchChecks(args, options) });
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * The same capture with checks attached (packets/s), then checks/s on its flows (bench/checks.ts).
 * The flow objects for the second figure come from a separate, untimed pass: keeping them during
 * the timed one would charge the pipeline for their memory.
 */
async function benchChecks(args: Args, options: { maxFlows?: number; idleTimeoutSec?: number }) {
  const scripts = await benchScripts(args.checks === '' ? undefined : args.checks);
  const makeEngine = async () => (args.wasm === undefined ? createEngine(options) : Engine.create(readFileSync(args.wasm), options));
  const runner = await pipelineRunner(scripts);
  const engine = await makeEngine();
  runner.attach(engine);
  // Time spent handling events (two clock reads per event, ~50 ns): checks/s inside the pipeline.
  const handle = engine.onEvent!;
  let handlerMs = 0;
  engine.onEvent = (event) => {
    const t = performance.now();
    handle(event);
    handlerMs += performance.now() - t;
  };
  const rss = new RssSampler();
  const started = process.hrtime.bigint();
  await feedByOverlappedReads(engine, args.file, rss, () => runner.tick());
  engine.end();
  runner.finish();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const packets = engine.stats().packets;
  const stats = runner.stats();
  const pipeline = {
    scripts: stats.map((s) => s.script),
    packetsPerSecWithChecks: Math.round(packets / seconds),
    seconds: Number(seconds.toFixed(3)),
    runs: stats.reduce((n, s) => n + s.runs, 0),
    /** Script runs per second of time inside the checks' event handler (flow summaries read, runs, alerts). */
    checksPerSecInPipeline: Math.round(stats.reduce((n, s) => n + s.runs, 0) / (handlerMs / 1000)),
    handlerSeconds: Number((handlerMs / 1000).toFixed(3)),
    errors: runner.errorCount,
    alerts: runner.alerts.total,
  };
  runner.close();
  // checks/s alone, in a fresh process (bench/checks.ts run as a script).
  const child = execFileSync(process.execPath, [
    '--import', 'tsx', fileURLToPath(new URL('./checks.ts', import.meta.url)), args.file, args.wasm ?? '-', ...(args.checks ? [args.checks] : []),
  ], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const perSecond = JSON.parse(child.trim().split('\n').pop() ?? '{}') as ChecksPerSecond;
  return { ...pipeline, checksPerSec: perSecond.checksPerSec, checksMeasured: perSecond };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
