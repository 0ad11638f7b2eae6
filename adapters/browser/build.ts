// Bundles the page: build/browser/{index.html, main.js, worker.js, flowscope.wasm, glue.wasm}.
// glue.wasm is wasmoon's Lua VM (for the checks), copied from node_modules so that the page serves
// it itself: wasmoon would otherwise fetch it from a CDN.
//   npx tsx adapters/browser/build.ts [OUTDIR]      (npm run build:browser)
// The core must have been built first (npm run build:wasm).
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const HERE = new URL('./', import.meta.url);
const REPO = new URL('../../', import.meta.url);
export const DEFAULT_OUTDIR = fileURLToPath(new URL('build/browser/', REPO));
const WASM = fileURLToPath(new URL('build/flowscope.wasm', REPO));
const LUA_WASM = createRequire(import.meta.url).resolve('wasmoon/dist/glue.wasm');

/** Builds the page into `outdir` (emptied first) and returns it. */
export async function buildBrowser(outdir: string = DEFAULT_OUTDIR): Promise<string> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: {
      main: fileURLToPath(new URL('main.ts', HERE)),
      worker: fileURLToPath(new URL('worker.ts', HERE)),
    },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'linked',
    external: ['node:*', 'url', 'module'],
    logLevel: 'warning',
  });
  await copyFile(fileURLToPath(new URL('index.html', HERE)), join(outdir, 'index.html'));
  try {
    await copyFile(WASM, join(outdir, 'flowscope.wasm'));
  } catch (error) {
    throw new Error(`cannot copy the flowscope core ${WASM} (${(error as NodeJS.ErrnoException).code}); run \`npm run build:wasm\` first`);
  }
  await copyFile(LUA_WASM, join(outdir, 'glue.wasm'));
  return outdir;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const outdir = await buildBrowser(process.argv[2] ?? DEFAULT_OUTDIR);
    console.log(`browser page built in ${outdir}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
