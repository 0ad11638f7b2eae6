// Deno CLI: prints one JSON object per flow (NDJSON), exactly as the Node CLI's
// `analyze FILE --format ndjson` does, using only Deno's own APIs for I/O; with --checks, runs
// Lua flow checks and writes their alerts as NDJSON, as `flowscope analyze --checks --alerts` does.
//
//   deno run --allow-read [--allow-env --allow-write] adapters/deno/analyze.ts FILE [--stats]
//     [--checks DIR|FILE] [--alerts FILE|-] [--state FILE] [--local-networks CIDRS]
//     [--cache-clock capture|wall] [-q]
//
// stdout carries the flows and nothing else (or, with --alerts -, the alerts and nothing else).
// With --stats the engine's stats follow on stderr as one JSON line, the last one (the runtimes
// test compares them across Node, Deno and Chromium). The checks need --allow-env (wasmoon reads
// the environment) and, for --alerts FILE or --state, --allow-write.
import { analyzeStream } from '../../runtime/analyze.ts';
import { DenoCheckSession } from './checks.ts';

const WASM_URL = new URL('../../build/flowscope.wasm', import.meta.url);
const USAGE = 'usage: deno run --allow-read [--allow-env --allow-write] adapters/deno/analyze.ts FILE [--stats] ' +
  '[--checks DIR|FILE] [--alerts FILE|-] [--state FILE] [--local-networks CIDRS] [--cache-clock capture|wall] [-q]';
/** Flush stdout in blocks of about this many bytes rather than one write per flow. */
const OUTPUT_BLOCK = 1 << 16;

async function readCore(): Promise<Uint8Array> {
  try {
    return await Deno.readFile(WASM_URL);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read the flowscope core at ${WASM_URL.pathname} (${reason}); run \`npm run build\``);
  }
}

interface Options {
  file: string;
  stats: boolean;
  quiet: boolean;
  checks?: string;
  alerts?: string;
  state?: string;
  localNetworks?: string;
  cacheClock?: 'capture' | 'wall';
}

function parseArgs(args: string[]): Options {
  const valued = new Set(['--checks', '--alerts', '--state', '--local-networks', '--cache-clock']);
  const options: Partial<Options> & { stats: boolean; quiet: boolean } = { stats: false, quiet: false };
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--stats') options.stats = true;
    else if (arg === '-q' || arg === '--quiet') options.quiet = true;
    else if (valued.has(arg)) {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value\n${USAGE}`);
      if (arg === '--checks') options.checks = value;
      else if (arg === '--alerts') options.alerts = value;
      else if (arg === '--state') options.state = value;
      else if (arg === '--local-networks') options.localNetworks = value;
      else if (value === 'capture' || value === 'wall') options.cacheClock = value;
      else throw new UsageError(`--cache-clock is capture or wall\n${USAGE}`);
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}\n${USAGE}`);
    else files.push(arg);
  }
  if (files.length !== 1 || files[0] === '-') throw new UsageError(USAGE);
  return { ...options, file: files[0] };
}

async function main(args: string[]): Promise<void> {
  const options = parseArgs(args);
  const wasm = await readCore();
  const checks = options.checks !== undefined || options.alerts !== undefined
    ? await DenoCheckSession.open({
      checks: options.checks, alerts: options.alerts, state: options.state, localNetworks: options.localNetworks,
      // Cache TTLs on packet time: this command reads files.
      cacheClock: options.cacheClock ?? 'capture', quiet: options.quiet,
    })
    : null;
  const file = await Deno.open(options.file, { read: true });
  // The readable stream closes the file when it ends or fails.
  const { flows, stats } = await analyzeStream(wasm, file.readable, checks === null ? {} : {
    engine: (engine) => checks.runner.attach(engine),
    onProgress: () => checks.runner.tick(),
  });
  await checks?.close();

  // --alerts - owns stdout: the flows are not printed.
  if (options.alerts !== '-') {
    const encoder = new TextEncoder();
    const stdout = Deno.stdout.writable.getWriter();
    let block = '';
    for (const flow of flows) {
      block += JSON.stringify(flow) + '\n';
      if (block.length >= OUTPUT_BLOCK) {
        await stdout.write(encoder.encode(block));
        block = '';
      }
    }
    if (block.length > 0) await stdout.write(encoder.encode(block));
    stdout.releaseLock();
  }
  if (options.stats) console.error(JSON.stringify(stats));
}

class UsageError extends Error {}

try {
  await main(Deno.args);
} catch (error) {
  // A reader that went away (`| head`) is not an error of ours.
  if (error instanceof Deno.errors.BrokenPipe) Deno.exit(0);
  console.error(error instanceof UsageError ? error.message : `flowscope: ${error instanceof Error ? error.message : String(error)}`);
  Deno.exit(error instanceof UsageError ? 2 : 1);
}
