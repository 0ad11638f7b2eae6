// `flowscope` command line: analyse a capture file or stdin and print its flows.
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { CaptureFormatError } from '../../runtime/engine.ts';
import { analyzeFile } from './engine.ts';
import { FORMATS, type Format, summary, toCsv, toJson, toNdjson, toTable } from './format.ts';
import { CheckSession } from './checks.ts';

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
  checks?: string;
  alerts?: string;
  state?: string;
  localNetworks?: string;
  cacheClock?: 'capture' | 'wall';
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
  // Checks (--checks, --alerts, --state): alerts as NDJSON, script stats on stderr.
  let checks: CheckSession | null = null;
  if (options.checks !== undefined || options.alerts !== undefined) {
    try {
      // Cache TTLs run on packet time for a file, on the wall clock for live traffic on stdin.
      const cacheClock = options.cacheClock ?? (path === '-' ? 'wall' : 'capture');
      checks = await CheckSession.open({
        checks: options.checks, alerts: options.alerts, state: options.state, localNetworks: options.localNetworks, cacheClock, quiet: options.quiet,
      });
    } catch (error) {
      fail(`cannot load checks: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
    }
  }
  bar?.start(total, 0);
  let result;
  try {
    result = await analyzeFile(path, {
      maxFlows: options.maxFlows,
      idleTimeoutSec: options.idleTimeout,
      engine: checks ? (engine) => checks.runner.attach(engine) : undefined,
      onProgress: bar || checks ? (bytes) => { bar?.update(bytes); checks?.runner.tick(); } : undefined,
    });
  } catch (error) {
    bar?.stop();
    if (error instanceof CaptureFormatError) fail(`${path}: ${error.message}`, 1);
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    fail(`cannot analyse ${path}: ${reason}`, 1);
  }
  bar?.stop();
  await checks?.close();
  // --alerts - owns stdout: the flows are not printed.
  if (options.alerts === '-') return;
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
  .option('--max-flows <n>', 'flow table capacity (default 2,000,000); packets of new flows beyond it are counted as dropped', nonNegative('--max-flows'))
  .option('--idle-timeout <seconds>', 'end flows idle this long in packet time (default: never, as nDPI reads files)', nonNegative('--idle-timeout'))
  .option('--no-progress', 'no progress bar (it is shown only when stderr is a terminal)')
  .option('-q, --quiet', 'no summary on stderr')
  .option('--checks <path>', 'run Lua flow checks: a folder of ntopng hook scripts (custom_flow_protocol_detected_script.lua...) and user scripts, or one file')
  .option('--alerts <file>', 'write flow alerts (checks and nDPI risks) as NDJSON to FILE, or - for stdout (then the flows are not printed)')
  .option('--state <file>', 'keep the checks\' ntop cache in FILE (loaded before, saved after)')
  .option('--local-networks <cidrs>', 'local networks for the checks, as ntopng -m (default 192.168.1.0/24,127.0.0.0/8,fe80::/10)')
  .addOption(new Option('--cache-clock <clock>', 'clock of the checks\' cache TTLs (ntop.setCache): packet time, or wall time (default: capture for a file, wall for stdin)').choices(['capture', 'wall']))
  .action(analyze);

await program.parseAsync(process.argv);
