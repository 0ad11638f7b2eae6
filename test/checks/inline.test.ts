// Inlined flow getters (runtime/checks/inline.ts): which calls are rewritten and when a script is
// left as written, and, on a real Lua VM, that an inlined getter gives what the call gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { analyzeFile } from '../../adapters/node/engine.ts';
import { tokenize } from '../../runtime/checks/gate.ts';
import { inlineFlowGetters } from '../../runtime/checks/inline.ts';
import { FLOW_GETTERS } from '../../runtime/checks/lua/flow_api.ts';
import { CheckRunner, type CheckScript } from '../../runtime/checks/runner.ts';
import type { FlowEvent } from '../../runtime/types.ts';
import { listCaptures, PCAPS_DIR } from '../conformance-report.ts';
import { cpuClock, event, fakeFlow, LUA_WASM, sandbox } from './helpers.ts';

const inline = (source: string) => inlineFlowGetters(source, tokenize(source));

test('getter calls in expressions are rewritten, on their own lines, and the rest is left as written', () => {
  const source = [
    'local a, b = flow.cli(), flow.srv_port()',
    'if flow.isLocal() and not flow.is_oneway() then',
    '  flow.triggerAlert(10, "x " .. flow.l7_proto_name() .. #flow.cli())',
    'end',
    'return { n = -flow.bytes(), t[flow.protocol()], (flow.cli()):upper() }',
  ].join('\n');
  const result = inline(source);
  assert.ok(result !== null);
  assert.equal(result.sites, 9);
  assert.equal(result.source.split('\n').length, source.split('\n').length);
  assert.doesNotMatch(result.source, /flow\.(cli|srv_port|isLocal|is_oneway|l7_proto_name|bytes|protocol)\(/);
  assert.match(result.source, /flow\.triggerAlert\(10, "x " \.\. \(/);
  assert.match(result.source, /^local a, b = \(__flowscope_cli or /);
  assert.ok(result.names.every((name) => name.startsWith('__flowscope_')));
});

test('a getter call in statement position, with arguments or split over lines stays a call', () => {
  const result = inline('flow.cli()\nlocal x = flow.cli(1)\nlocal y = flow.cli(\n)\nlocal z = flow.srv()');
  assert.ok(result !== null);
  assert.equal(result.sites, 1);
  assert.match(result.source, /^flow\.cli\(\)\nlocal x = flow\.cli\(1\)\nlocal y = flow\.cli\(\n\)\nlocal z = \(/);
});

test('scripts that could see or change flow or its functions are not rewritten', () => {
  const unsafe = [
    'local flow = flow\nlocal a = flow.cli()',
    'flow = { cli = function() return 1 end }\nlocal a = flow.cli()',
    'function flow.cli() return 1 end\nlocal a = flow.cli()',
    'flow.cli = nil\nlocal a = flow.cli()',
    'local f = flow.cli\nlocal a = flow.cli()',
    'local a = flow["cli"]() .. flow.cli()',
    'rawset(flow, "cli", print)\nlocal a = flow.cli()',
    'local t = { flow = 1 }\nlocal a = flow.cli()',
    'local g = _G\nlocal a = flow.cli()',
    'local a = _ENV.flow\nlocal b = flow.cli()',
    'local a = package.loaded\nlocal b = flow.cli()',
    'local a = require(name)\nlocal b = flow.cli()',
    'local a = require "_G"\nlocal b = flow.cli()',
    'local a = require("\\95G")\nlocal b = flow.cli()',
    'local a = flow:cli()',
    'local function f(flow) return flow.cli() end',
  ];
  for (const source of unsafe) assert.equal(inline(source), null, source);
});

test('the reference boilerplate, field and method names called flow and labels keep the rewrite', () => {
  const source = [
    'local dirs = ntop.getDirs()',
    'package.path = dirs.installdir .. "/scripts/lua/modules/?.lua;" .. package.path',
    'local flow_consts = require("flow_consts")',
    'local json = require "dkjson"',
    'local t = {}; t.flow = 1; local m = obj:flow()',
    'goto flow',
    '::flow::',
    'local a = flow.cli()',
  ].join('\n');
  assert.equal(inline(source)?.sites, 1);
});

/** Prints every inlinable getter's value, in FLOW_GETTERS order. */
const PRINT_ALL = Object.keys(FLOW_GETTERS).map((name) => `print(tostring(flow.${name}()))`).join('\n');

test('every inlinable getter gives the same value inlined and called, on the flows of real captures', async () => {
  if (!existsSync(PCAPS_DIR)) assert.fail(`shared corpus missing: ${PCAPS_DIR} (../shared/pcaps beside the repository)`);
  const inlined = `local n = 0\n${PRINT_ALL}`;
  // The same, kept as calls: a script naming _G could change flow, so it is not rewritten.
  const called = `local n = _G and 0\n${PRINT_ALL}`;
  assert.equal(inline(inlined)?.sites, Object.keys(FLOW_GETTERS).length);
  assert.equal(inline(called), null);
  const scripts: CheckScript[] = [
    { name: 'inlined.lua', source: inlined },
    { name: 'called.lua', source: called },
  ];
  // Captures with IPv4 and IPv6 flows, VLANs, one-way and local flows.
  const captures = listCaptures(['dev']).slice(0, 12);
  let flows = 0;
  for (const capture of captures) {
    const out: Record<string, string[]> = { 'inlined.lua': [], 'called.lua': [] };
    const runner = await CheckRunner.create({
      luaWasm: LUA_WASM, cpuClock, scripts, riskAlerts: false, onLog: (script, text) => out[script].push(text),
    });
    await analyzeFile(capture.path, {
      engine: (engine) => {
        engine.onEvent = (e: FlowEvent) => {
          if (e.kind === 'flow_detected') flows++;
        };
        runner.attach(engine);
      },
    }).catch(() => undefined);
    runner.finish();
    assert.deepEqual(runner.errors(), [], capture.name);
    // Both ran on every flow of the capture, printing one line per getter each time (and once
    // at load with no flow: a user script's name, so it is run once to learn its shape).
    const [inlinedRuns, calledRuns] = runner.stats().map((s) => s.runs);
    assert.equal(inlinedRuns, calledRuns, capture.name);
    assert.equal(out['inlined.lua'].join('').split('\n').length - 1, (inlinedRuns + 1) * Object.keys(FLOW_GETTERS).length, capture.name);
    assert.deepEqual(out['inlined.lua'], out['called.lua'], capture.name);
    runner.close();
  }
  assert.ok(flows > 100, `only ${flows} flows`);
});

test('the inlined script runs gated, and without a flow (a hooks module at load) gives nil and false', async () => {
  const box = await sandbox();
  assert.equal(box.compile(`local x = flow.bytes()\nprint(tostring(x), tostring(flow.isLocal()), tostring(flow.cli()))\nreturn { hooks = {} }`, 'load.lua'), null);
  assert.equal(box.ungated, false);
  const init = box.init();
  assert.equal(init.mode, 'hooks');
  assert.deepEqual(init.result.events, [{ kind: 'log', text: 'nil\tfalse\tnil\n' }]);
  box.close();
});

test('a script that replaces a getter or shadows flow gets its own function, not the inlined one', async () => {
  const runs = [
    ['flow.cli = function() return "patched" end\nprint(flow.cli())', 'patched'],
    ['local flow = { cli = function() return "mine" end }\nprint(flow.cli())', 'mine'],
    ['_G.flow = { cli = function() return "global" end }\nprint(flow.cli())', 'global'],
    ['print(flow.cli())', '192.168.1.10'],
  ];
  for (const [source, expected] of runs) {
    const runner = await CheckRunner.create({ luaWasm: LUA_WASM, cpuClock, scripts: [{ name: 'custom_flow_protocol_detected_script.lua', source }] });
    runner.handleEvent(event('flow_detected', fakeFlow()));
    assert.deepEqual(runner.errors(), [], source);
    assert.deepEqual(runner.logs().map((l) => l.text), [`${expected}\n`], source);
    runner.close();
  }
});
