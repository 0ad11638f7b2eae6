// Deno CLI: prints one JSON object per flow (NDJSON), exactly as the Node CLI's
// `analyze FILE --format ndjson` does, using only Deno's own APIs for I/O.
//
//   deno run --allow-read adapters/deno/analyze.ts FILE [--stats]
//
// stdout carries the flows and nothing else. With --stats the engine's stats follow on stderr
// as one JSON line (the runtimes test compares them across Node, Deno and Chromium).
import { analyzeStream } from '../../runtime/analyze.ts';

const WASM_URL = new URL('../../build/flowscope.wasm', import.meta.url);
const USAGE = 'usage: deno run --allow-read adapters/deno/analyze.ts FILE [--stats]';
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

async function main(args: string[]): Promise<void> {
  const printStats = args.includes('--stats');
  const paths = args.filter((arg) => arg !== '--stats');
  if (paths.length !== 1 || paths[0].startsWith('-')) throw new UsageError(USAGE);

  const wasm = await readCore();
  const file = await Deno.open(paths[0], { read: true });
  // The readable stream closes the file when it ends or fails.
  const { flows, stats } = await analyzeStream(wasm, file.readable);

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
  if (printStats) console.error(JSON.stringify(stats));
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
