// `flowscope` command line: analyse a capture file or stdin and print its flows.
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { CaptureFormatError } from '../../runtime/engine.ts';
import { analyzeFile } from './engine.ts';
import { FORMATS, type Format, summary, toCsv, toJson, toNdjson, toTable } from './format.ts';

const SAMPLE = fileURLToPath(new URL('../../build/sample.pcap', import.meta.url));

function nonNegative(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative number`);
    return n;
  };
}

interface AnalyzeOptions {
  format: Format;
  maxFlows?: number;
  idleTimeout?: number;
  progress: boolean;
  quiet?: boolean;
}

async function analyze(file: string | undefined, options: AnalyzeOptions): Promise<void> {
  const path = file ?? SAMPLE;
  let total = 0;
  if (path !== '-') {
    try {
      const info = await stat(path);
      if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
      total = info.size;
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      const hint = file === undefined ? ' (the bundled sample is made by `npm run build`)' : '';
      fail(`cannot read ${path}: ${reason}${hint}`, 2);
    }
  }
  const showProgress = options.progress && process.stderr.isTTY && total > 0;
  const bar = showProgress
    ? new cliProgress.SingleBar({ format: 'analysing |{bar}| {percentage}% {value}/{total} bytes', stream: process.stderr }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(total, 0);
  let result;
  try {
    result = await analyzeFile(path, {
      maxFlows: options.maxFlows,
      idleTimeoutSec: options.idleTimeout,
      onProgress: bar ? (bytes) => bar.update(bytes) : undefined,
    });
  } catch (error) {
    bar?.stop();
    if (error instanceof CaptureFormatError) fail(`${path}: ${error.message}`, 1);
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    fail(`cannot analyse ${path}: ${reason}`, 1);
  }
  bar?.stop();
  const { flows, stats } = result;
  const out = options.format === 'ndjson' ? toNdjson(flows)
    : options.format === 'json' ? toJson(flows, stats)
    : options.format === 'csv' ? toCsv(flows)
    : toTable(flows, stats);
  await write(out);
  // Machine formats keep stdout clean; the summary goes to stderr.
  if (options.format !== 'table' && !options.quiet) process.stderr.write(summary(stats) + '\n');
}

function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

function fail(message: string, code: number): never {
  process.stderr.write(`flowscope: ${message}\n`);
  process.exit(code);
}

const program = new Command()
  .name('flowscope')
  .description('Portable network traffic analyser: flows from pcap/pcapng captures, nDPI style.');

program.command('analyze')
  .description('analyse a capture file (pcap or pcapng, detected by content) or stdin ("-"); without FILE, the bundled sample capture')
  .argument('[file]', 'capture file, or - for stdin')
  .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'))
  .option('--max-flows <n>', 'flow table capacity; packets of new flows beyond it are counted as dropped', nonNegative('--max-flows'))
  .option('--idle-timeout <seconds>', 'end flows idle this long in packet time (default: never, as nDPI reads files)', nonNegative('--idle-timeout'))
  .option('--no-progress', 'no progress bar (it is shown only when stderr is a terminal)')
  .option('-q, --quiet', 'no summary on stderr')
  .action(analyze);

await program.parseAsync(process.argv);
