// Checks give the same alerts in Node, Deno and headless Chromium; in the page, wasmoon's
// glue.wasm comes from the local server (a request for any other origin fails the test).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { serveStatic } from '../../adapters/browser/serve.ts';
import { runChecks, RUNTIME_SCRIPTS, type ChecksOutcome } from './fixtures/run-checks.ts';
import { LUA_WASM } from './helpers.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CAPTURE = fileURLToPath(new URL('../../../shared/pcaps/dev/dns.pcap', import.meta.url));
const CORE = join(REPO, 'build/flowscope.wasm');
const DENO = join(REPO, 'node_modules/.bin/deno');
const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT = 60_000;

function deno(work: string): Promise<ChecksOutcome> {
  return new Promise((done, fail) => {
    execFile(DENO, ['run', '--allow-read', '--allow-env', 'test/checks/fixtures/deno-checks.ts', CAPTURE], {
      cwd: REPO, timeout: TIMEOUT, maxBuffer: 1 << 26,
      env: { ...process.env, DENO_DIR: join(work, 'deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    }, (error, stdout, stderr) => (error ? fail(new Error(`deno: ${error.message}\n${stderr}`)) : done(JSON.parse(stdout) as ChecksOutcome)));
  });
}

async function page(work: string): Promise<ChecksOutcome> {
  const dir = join(work, 'page');
  await build({
    entryPoints: [fileURLToPath(new URL('fixtures/browser-checks.ts', import.meta.url))],
    outfile: join(dir, 'checks.js'), bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    external: ['node:*', 'url', 'module'], logLevel: 'warning',
  });
  copyFileSync(CORE, join(dir, 'flowscope.wasm'));
  copyFileSync(LUA_WASM, join(dir, 'glue.wasm'));
  copyFileSync(CAPTURE, join(dir, 'capture.pcap'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="checks.js"></script>');
  const server = await serveStatic(dir);
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM, headless: true, timeout: TIMEOUT,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const tab = await context.newPage();
    const foreign: string[] = [];
    await tab.route('**/*', (route) => {
      if (route.request().url().startsWith(server.url)) return route.continue();
      foreign.push(route.request().url());
      return route.abort();
    });
    await tab.goto(server.url, { timeout: TIMEOUT });
    await tab.waitForFunction(() => window.checksResult !== undefined || window.checksError !== undefined, null, { timeout: TIMEOUT });
    const { result, error } = await tab.evaluate(() => ({ result: window.checksResult, error: window.checksError }));
    assert.deepEqual(foreign, [], 'the page requested other origins');
    if (error !== undefined) throw new Error(`the page failed: ${error}`);
    return result as ChecksOutcome;
  } finally {
    await context.close().catch(() => {});
    await server.close().catch(() => {});
  }
}

test('checks: Node, Deno and Chromium give the same alerts, stats and errors', { timeout: 3 * TIMEOUT }, async () => {
  for (const [path, what] of [[CAPTURE, 'the shared dev captures'], [CORE, 'the core (npm run build:wasm)'], [DENO, 'deno (npm install)'], [CHROMIUM, 'chromium (apt-get install -y chromium)']]) {
    if (!existsSync(path)) assert.fail(`missing ${what}: ${path}`);
  }
  const work = mkdtempSync(join(tmpdir(), 'flowscope-checks-runtimes-'));
  try {
    const node = await runChecks(readFileSync(CORE), readFileSync(CAPTURE), RUNTIME_SCRIPTS, LUA_WASM);
    assert.ok(node.alerts.length > 0);
    assert.ok(node.errors.length > 0 && node.errors.every((e) => e.startsWith('runaway.lua protocol_detected ')), node.errors.join('\n'));
    const [fromDeno, fromPage] = await Promise.all([deno(work), page(work)]);
    // The runaway script is stopped by the instruction budget or, under load, the time limit.
    const normalise = (o: ChecksOutcome) => ({ ...o, errors: o.errors.map((e) => e.replace(/(instruction budget|time limit) exceeded.*/, 'stopped')) });
    assert.deepStrictEqual(normalise(fromDeno), normalise(node));
    assert.deepStrictEqual(normalise(fromPage), normalise(node));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
