// The same capture gives identical flows and stats in Node, Deno and headless Chromium, and the
// same Lua checks on it raise identical alerts.
// Run: node --import tsx --test test/runtimes.test.ts
//
// Node: adapters/node/engine.ts analyzeFile, and the CLI (`analyze FILE --checks DIR --alerts -`).
// Deno: adapters/deno/analyze.ts as a child process (its NDJSON on stdout, its stats on stderr with
// --stats; --checks DIR --alerts - for the alerts). Chromium: the page built by
// adapters/browser/build.ts (into a temp dir), served on 127.0.0.1, driven by playwright-core
// with Debian's /usr/bin/chromium, the check files picked beside the capture, results read from
// window.flowscopeResult; wasmoon's glue.wasm comes from the same server (other origins refused).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { analyzeFile } from '../adapters/node/engine.ts';
import { buildBrowser } from '../adapters/browser/build.ts';
import { serveStatic, type StaticServer } from '../adapters/browser/serve.ts';
import type { AnalyzeResult } from '../runtime/analyze.ts';
import type { FlowAlert } from '../runtime/alerts.ts';
import type { EngineStats, FlowInfo } from '../runtime/types.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const DEV_PCAPS = fileURLToPath(new URL('../../shared/pcaps/dev/', import.meta.url));
const DENO = join(REPO, 'node_modules/.bin/deno');
const DENO_SCRIPT = join(REPO, 'adapters/deno/analyze.ts');
const CHROMIUM = '/usr/bin/chromium';
const NODE_CLI = join(REPO, 'adapters/node/bin.js');
const EXAMPLE_CHECKS = join(REPO, 'examples/checks');

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
    await page.setInputFiles('#capture', capture, { timeout: CAPTURE_TIMEOUT_MS });
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

// One page server and one browser for both suites.
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

describe('runtimes: Node, Deno and Chromium give the same flows', () => {
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

// ------------------------------------------------------------------ checks

/** Captures for the checks: risks and script alerts (1kxun), 600 s of packet time with periodic
 * calls and cache windows (gnutella), QinQ VLANs and DNS (dns). */
const CHECK_CAPTURES = ['1kxun.pcap', 'gnutella.pcap', 'dns.pcap'];

/**
 * Beside the examples: a probe of what could differ between runtimes. The cache TTL runs on packet
 * time, interface.* reads the flow table of the moment, ntop.addLocalNetwork changes flow.direction.
 */
const PROBE_SCRIPT = `
  if not added then ntop.addLocalNetwork('10.0.2.0/24'); added = true end
  local seen = tonumber(ntop.getCache('seen')) or 0
  ntop.setCache('seen', tostring(seen + 1))
  if ntop.getCache('window') == '' then
    ntop.setCache('window', 'open', 30)
    local top = interface.getFlowsInfo(nil, { sortColumn = 'column_bytes', a2zSortOrder = false, maxHits = 1 })
    local info = flow.getFullInfo()
    flow.triggerAlert(10, table.concat({ 'window', seen, flow.direction(), flow.l7_proto_name(), flow.bytes(), top.numFlows,
      tostring(info['cli.localhost']), tostring(flow.isLocalToRemote()), tostring(ntop.isLocalAddress(flow.cli())) }, ' '))
  end`;

function runChecksProcess(command: string, args: string[], what: string): Promise<FlowAlert[]> {
  return new Promise((done, fail) => {
    execFile(command, args, {
      cwd: REPO, timeout: CAPTURE_TIMEOUT_MS, maxBuffer: 1 << 28,
      env: { ...process.env, DENO_DIR: join(workDir, 'deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    }, (error, stdout, stderr) => {
      if (error) return fail(new Error(`${what} failed: ${error.message}\n${stderr}`));
      done(stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as FlowAlert));
    });
  });
}

async function checksInChromium(capture: string, checkFiles: string[], reload: boolean): Promise<{ alerts: FlowAlert[]; restored?: FlowAlert[] }> {
  assert.ok(browser && server, 'the browser was not started');
  const page = await browser.newPage();
  try {
    const pageErrors: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const origin = server.url;
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith(origin)) return route.continue();
      foreign.push(route.request().url());
      return route.abort();
    });
    await page.goto(server.url, { timeout: CAPTURE_TIMEOUT_MS });
    await page.setInputFiles('#checks', checkFiles, { timeout: CAPTURE_TIMEOUT_MS });
    await page.setInputFiles('#capture', capture, { timeout: CAPTURE_TIMEOUT_MS });
    await page
      .waitForFunction(() => window.flowscopeResult !== undefined || window.flowscopeError !== undefined, null, { timeout: CAPTURE_TIMEOUT_MS })
      .catch((error: Error) => {
        throw new Error(`no result from the page for ${capture}: ${error.message}${pageErrors.length ? `\npage errors: ${pageErrors.join('\n')}` : ''}`);
      });
    const outcome = await page.evaluate(() => ({ alerts: window.flowscopeResult?.checks?.alerts, error: window.flowscopeError }));
    if (outcome.error !== undefined) throw new Error(`the page failed on ${capture}: ${outcome.error}`);
    assert.ok(outcome.alerts !== undefined, 'the page ran no checks');
    // The alerts are shown: one row per alert.
    assert.equal(await page.locator('#alerts tbody tr').count(), Math.min(outcome.alerts.length, 2000));
    let restored: FlowAlert[] | undefined;
    if (reload) {
      // Kept with the analysis (IndexedDB): the next visit shows the same alerts.
      await page.waitForFunction(() => window.flowscopeSaved === true, null, { timeout: CAPTURE_TIMEOUT_MS });
      await page.reload({ timeout: CAPTURE_TIMEOUT_MS });
      await page.waitForFunction(() => window.flowscopeRestored !== undefined, null, { timeout: CAPTURE_TIMEOUT_MS });
      restored = await page.evaluate(() => window.flowscopeRestored?.checks?.alerts);
      assert.equal(await page.locator('#alerts tbody tr').count(), Math.min(restored?.length ?? 0, 2000));
    }
    assert.deepEqual(foreign, [], 'the page requested other origins');
    return { alerts: outcome.alerts, restored };
  } finally {
    await page.close();
  }
}

describe('runtimes: the same checks raise the same alerts in Node, Deno and Chromium', () => {
  let checksDir = '';
  let checkFiles: string[] = [];

  before(async () => {
    assert.ok(workDir && server && browser, 'the runtimes were not prepared');
    checksDir = join(workDir, 'checks');
    await mkdir(checksDir, { recursive: true });
    for (const name of readdirSync(EXAMPLE_CHECKS).filter((n) => n.endsWith('.lua'))) await copyFile(join(EXAMPLE_CHECKS, name), join(checksDir, name));
    await writeFile(join(checksDir, 'custom_flow_protocol_detected_script.lua'), PROBE_SCRIPT);
    checkFiles = readdirSync(checksDir).sort().map((name) => join(checksDir, name));
    assert.ok(checkFiles.length >= 7);
  });

  for (const [index, name] of CHECK_CAPTURES.entries()) {
    test(name, { timeout: 3 * CAPTURE_TIMEOUT_MS }, async () => {
      const capture = join(DEV_PCAPS, name);
      assert.ok(existsSync(capture), `missing capture ${capture}`);
      // One after the other: a run's time limit is on the wall clock in the page (browsers have no
      // CPU clock to confirm it on), so the page should not share the two cores with the others.
      const node = await runChecksProcess(process.execPath, [NODE_CLI, 'analyze', capture, '--checks', checksDir, '--alerts', '-', '-q'], 'the Node CLI');
      const deno = await runChecksProcess(DENO, ['run', '--allow-read', '--allow-env', DENO_SCRIPT, capture, '--checks', checksDir, '--alerts', '-', '-q'], 'Deno');
      const page = await checksInChromium(capture, checkFiles, index === 0);
      const probes = node.filter((a) => a.script === 'custom_flow_protocol_detected_script.lua');
      assert.ok(probes.length > 0, `${name}: the probe raised nothing`);
      if (name === 'gnutella.pcap') {
        // 30 s windows of packet time over 600 s, and 10.0.2.15 local once the network was added.
        assert.ok(probes.length >= 10, `${name}: ${probes.length} windows`);
        assert.ok(probes.some((a) => a.msg.includes(' local@remote ') && a.msg.endsWith(' true true true')), probes.map((a) => a.msg).join('\n'));
      }
      assert.deepStrictEqual(deno, node, `${name}: Deno's alerts differ from Node's`);
      // The page's alert objects crossed structured clone (absent fields stay as undefined): compare them as printed.
      const printed = (alerts: FlowAlert[]) => JSON.parse(JSON.stringify(alerts)) as FlowAlert[];
      assert.deepStrictEqual(printed(page.alerts), node, `${name}: Chromium's alerts differ from Node's`);
      if (page.restored !== undefined) assert.deepStrictEqual(printed(page.restored), node, `${name}: the page did not keep its alerts`);
    });
  }
});
