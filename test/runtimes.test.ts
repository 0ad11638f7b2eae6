// The same capture gives identical flows and stats in Node, Deno and headless Chromium.
// Run: node --import tsx --test test/runtimes.test.ts
//
// Node: adapters/node/engine.ts analyzeFile. Deno: adapters/deno/analyze.ts as a child process
// (its NDJSON on stdout, its stats on stderr with --stats). Chromium: the page built by
// adapters/browser/build.ts (into a temp dir), served on 127.0.0.1, driven by playwright-core
// with Debian's /usr/bin/chromium, results read from window.flowscopeResult.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { analyzeFile } from '../adapters/node/engine.ts';
import { buildBrowser } from '../adapters/browser/build.ts';
import { serveStatic, type StaticServer } from '../adapters/browser/serve.ts';
import type { AnalyzeResult } from '../runtime/analyze.ts';
import type { EngineStats, FlowInfo } from '../runtime/types.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const DEV_PCAPS = fileURLToPath(new URL('../../shared/pcaps/dev/', import.meta.url));
const DENO = join(REPO, 'node_modules/.bin/deno');
const DENO_SCRIPT = join(REPO, 'adapters/deno/analyze.ts');
const CHROMIUM = '/usr/bin/chromium';

/** Varied on purpose: capture format, link type, byte order, tunnels, size. */
const CAPTURES = [
  'dns.pcap', //        pcapng despite its name, QinQ VLANs
  'quic-v2.pcapng', //  Linux cooked capture (SLL)
  'ocs.pcap', //        raw IP link type
  '1kxun.pcap', //      the biggest dev capture (2.5 MB)
  'gre.pcapng', //      several interface blocks, GRE tunnel
  'sctp.cap', //        big-endian pcap
];

const CAPTURE_TIMEOUT_MS = 60_000;

interface RuntimeResult {
  flows: FlowInfo[];
  stats: EngineStats;
}

let workDir = '';
let server: StaticServer | null = null;
let browser: BrowserContext | null = null;

function runDeno(capture: string): Promise<RuntimeResult> {
  return new Promise((done, fail) => {
    execFile(
      DENO,
      ['run', '--allow-read', DENO_SCRIPT, capture, '--stats'],
      {
        cwd: REPO,
        timeout: CAPTURE_TIMEOUT_MS,
        maxBuffer: 1 << 28,
        // A private cache dir and no update check: Deno must not reach for the network.
        env: { ...process.env, DENO_DIR: join(workDir, 'deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      },
      (error, stdout, stderr) => {
        if (error) return fail(new Error(`deno failed on ${capture}: ${error.message}\n${stderr}`));
        const flows = stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as FlowInfo);
        const statsLine = stderr.trim().split('\n').at(-1) ?? '';
        let stats: EngineStats;
        try {
          stats = JSON.parse(statsLine) as EngineStats;
        } catch {
          return fail(new Error(`deno printed no stats line for ${capture}; stderr:\n${stderr}`));
        }
        done({ flows, stats });
      },
    );
  });
}

async function runChromium(capture: string): Promise<RuntimeResult> {
  assert.ok(browser && server, 'the browser was not started');
  const page = await browser.newPage();
  try {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url, { timeout: CAPTURE_TIMEOUT_MS });
    await page.setInputFiles('input[type=file]', capture, { timeout: CAPTURE_TIMEOUT_MS });
    await page
      .waitForFunction(() => window.flowscopeResult !== undefined || window.flowscopeError !== undefined, null, { timeout: CAPTURE_TIMEOUT_MS })
      .catch((error: Error) => {
        throw new Error(`no result from the page for ${capture}: ${error.message}${pageErrors.length ? `\npage errors: ${pageErrors.join('\n')}` : ''}`);
      });
    const outcome = await page.evaluate(() => ({ result: window.flowscopeResult, error: window.flowscopeError }));
    if (outcome.error !== undefined) throw new Error(`the page failed on ${capture}: ${outcome.error}`);
    return outcome.result as AnalyzeResult;
  } finally {
    await page.close();
  }
}

/** Node's own objects, as they would print: the other two runtimes' results crossed JSON or structured clone. */
function asPrinted(result: RuntimeResult): RuntimeResult {
  return JSON.parse(JSON.stringify(result)) as RuntimeResult;
}

describe('runtimes: Node, Deno and Chromium give the same flows', () => {
  before(async () => {
    const missing = [
      [DEV_PCAPS, 'the shared dev captures (expected ../shared/pcaps/dev beside the repo)'],
      [join(REPO, 'build/flowscope.wasm'), 'the flowscope core (run `npm run build:wasm`)'],
      [DENO, 'the Deno binary from the npm package `deno` (run `npm install`)'],
      [CHROMIUM, process.env.CI === 'true'
        ? 'Debian\'s chromium, required under CI (.ci/run installs it with apt-get install -y chromium)'
        : 'Debian\'s chromium (apt-get install -y chromium)'],
    ].filter(([path]) => !existsSync(path));
    if (missing.length > 0) {
      throw new Error(`missing prerequisites:\n${missing.map(([path, what]) => `  ${path}: ${what}`).join('\n')}`);
    }

    workDir = await mkdtemp(join(tmpdir(), 'flowscope-runtimes-'));
    const pageDir = await buildBrowser(join(workDir, 'page'));
    server = await serveStatic(pageDir);
    browser = await chromium.launchPersistentContext(join(workDir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      timeout: CAPTURE_TIMEOUT_MS,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, { timeout: 2 * CAPTURE_TIMEOUT_MS });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }, { timeout: CAPTURE_TIMEOUT_MS });

  for (const name of CAPTURES) {
    test(name, { timeout: 2 * CAPTURE_TIMEOUT_MS }, async () => {
      const capture = join(DEV_PCAPS, name);
      assert.ok(existsSync(capture), `missing capture ${capture}`);
      const [node, deno, page] = await Promise.all([analyzeFile(capture), runDeno(capture), runChromium(capture)]);
      assert.ok(node.flows.length > 0, `${name}: Node found no flows`);
      const expected = asPrinted(node);
      // The objects themselves must survive printing unchanged (no undefined, NaN or -0).
      assert.deepStrictEqual(expected, node, `${name}: Node's result changes when printed as JSON`);
      assert.deepStrictEqual(deno.flows, expected.flows, `${name}: Deno's flows differ from Node's`);
      assert.deepStrictEqual(deno.stats, expected.stats, `${name}: Deno's stats differ from Node's`);
      assert.deepStrictEqual(page.flows, expected.flows, `${name}: Chromium's flows differ from Node's`);
      assert.deepStrictEqual(page.stats, expected.stats, `${name}: Chromium's stats differ from Node's`);
    });
  }
});
