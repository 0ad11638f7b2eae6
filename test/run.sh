#!/usr/bin/env bash
# The project's test command (README, .ci/run): type-check, then every test file through
# Node's test runner. Conformance and runtime tests need ../shared beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build:tables      # cheap; rewrites generated files only when they change
[ -f build/flowscope.wasm ] || npm run build
npx tsc --noEmit
# The Deno adapter type-checked by Deno itself (its lib differs from Node's: typed-array buffers).
node_modules/.bin/deno check adapters/deno/*.ts
shopt -s globstar nullglob
files=(test/**/*.test.ts examples/**/*.test.ts adapters/**/*.test.ts runtime/**/*.test.ts)
node --import tsx --test --test-concurrency=1 "${files[@]}"
