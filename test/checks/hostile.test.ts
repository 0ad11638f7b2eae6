// The hostile suite: scripts that try to hang, exhaust or escape the sandbox. Each must end within
// 100 ms of CPU with a clear error (or be refused), leave the state usable, and not stop the other
// checks: after every hostile run a benign script in the same runner still raises its alert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOOK_END, HOOK_PERIODIC, HOOK_PROTOCOL_DETECTED } from '../../runtime/checks/sandbox.ts';
import { CheckRunner } from '../../runtime/checks/runner.ts';
import { cpuClock, cpuMs, event, fakeFlow, flowArgs, LUA_WASM, sandbox } from './helpers.ts';

const CPU_LIMIT_MS = 100;

/** Scripts that must be stopped, and what the error must say. */
const RUNAWAY: Array<[name: string, source: string, expected: RegExp]> = [
  ['endless loop', 'while true do end', /instruction budget|time limit/],
  ['endless loop under pcall', 'while true do pcall(function() while true do end end) end', /instruction budget|time limit/],
  ['recursive pcall bomb', 'local function f() while true do pcall(f) end end f()', /instruction budget|time limit/],
  ['xpcall with a looping handler', 'while true do xpcall(function() error("x") end, function() while true do end end) end', /instruction budget|time limit/],
  ['error-swallowing loop', 'while true do local ok = pcall(error, "x") end', /instruction budget|time limit/],
  ['deep recursion', 'local function f(n) return f(n + 1) + 1 end return f(1)', /stack overflow|instruction budget|time limit|memory/],
  ['deep recursion through __index', 'local t = setmetatable({}, {__index = function(t, k) return t[k + 1] end}) return t[1]', /stack overflow|C stack/],
  ['table memory bomb', 'local t = {} for i = 1, 1e9 do t[i] = {i, i, i} end', /memory|instruction budget|time limit/],
  ['wide table bomb', 'local t = {} local i = 0 while true do i = i + 1 t["k" .. i] = i end', /memory|instruction budget|time limit/],
  ['string.rep bomb', 'return #string.rep("x", 1e9)', /string longer|memory|budget/],
  ['string.rep with separator', 'return #string.rep("ab", 3e8, "cd")', /string longer|memory|budget/],
  ['doubling concatenation', 'local s = "x" while true do s = s .. s end', /string longer|memory|budget|time/],
  ['big concatenations in a loop', 'local s = string.rep("x", 16000) while true do local t = s .. "y" end', /budget|time limit|memory/],
  ['concatenation past the string limit', 'local s = string.rep("x", 16000) return s .. s', /string longer than the sandbox allows \(16 KiB\)/],
  ['table.concat bomb', 'local t = {} for i = 1, 100 do t[i] = string.rep("x", 16000) end return #table.concat(t)', /string longer|memory|budget/],
  ['pathological find', 'return string.find(string.rep("a", 5000), ".-.-.-.-b")', /instruction budget|time limit/],
  ['pathological match', 'return string.match(string.rep("a", 3000), "(.*)(.*)(.*)(.*)b")', /instruction budget|time limit/],
  ['pathological gsub', 'return string.gsub(string.rep("a", 3000), "a*a*a*a*b", "")', /instruction budget|time limit/],
  ['pathological gmatch', 'for x in string.gmatch(string.rep("a", 3000), ".-.-.-b") do end', /instruction budget|time limit/],
  ['pathological method call', 'local s = string.rep("a", 4000) return s:find(".-.-.-.-.-b")', /instruction budget|time limit/],
  ['plain find loop on a long subject', 'local s = string.rep("a", 16000) while true do s:find(string.rep("a", 999) .. "b", 1, true) end', /instruction budget|time limit/],
  ['long string equality', 'local a, b = string.rep("x", 16000), string.rep("x", 15999) .. "x" while a == b do end', /instruction budget|time limit/],
  ['long string ordering', 'local a, b = string.rep("x", 16000), string.rep("x", 15999) .. "y" while a < b do end', /instruction budget|time limit/],
  ['long number coercions', 'local s = string.rep("1", 16000) while true do local x = s + 0 end', /instruction budget|time limit|number/],
  ['long coercions in C arguments', 'local s = string.rep("1", 16000) while true do local x = math.abs(s) end', /instruction budget|time limit/],
  ['long numeric strings as thousands of C arguments', 'local s = string.rep("0", 15990) .. "65" local t = {} for i = 1, 20000 do t[i] = s end return #string.char(table.unpack(t))', /instruction budget|time limit/],
  ['utf8.char of thousands of long numeric strings', 'local s = string.rep("0", 15990) .. "65" local t = {} for i = 1, 20000 do t[i] = s end return #utf8.char(table.unpack(t))', /instruction budget|time limit/],
  ['string.format of a long fraction in a loop', 'local s = "0." .. string.rep("1", 15990) while true do string.format("%f", s) end', /instruction budget|time limit/],
  ['tonumber loop on a long string', 'local s = string.rep("7", 16000) while true do tonumber(s) end', /instruction budget|time limit/],
  ['huge table.sort', 'local t = {} for i = 1, 200000 do t[i] = -i end table.sort(t)', /instruction budget|time limit/],
  ['huge table.move', 'table.move({}, 1, 1e12, 1, {})', /instruction budget|time limit|too many/],
  ['huge unpack', 'return select("#", table.unpack({}, 1, 1e8))', /too many results|instruction budget|time limit/],
  ['coroutine bomb', 'local cos = {} for i = 1, 1e7 do cos[i] = coroutine.create(function() end) end', /memory|instruction budget|time limit/],
  ['looping coroutines', 'while true do coroutine.resume(coroutine.create(function() while true do end end)) end', /instruction budget|time limit/],
  ['recursive coroutine.wrap', 'local function f() coroutine.wrap(f)() end f()', /stack overflow|C stack|instruction budget|time limit/],
  ['coroutine swallowing errors', 'local co = coroutine.wrap(function() while true do pcall(function() while true do end end) end end) co()', /instruction budget|time limit/],
  ['finalizer loop', 'for i = 1, 1e6 do setmetatable({}, {__gc = function() while true do end end}) end while true do end', /__gc metamethods \(finalizers\) are not available/],
  ['looping xpcall handler after an abort', 'xpcall(function() while true do end end, function() while true do end end)', /instruction budget|time limit/],
  ['__close in a wrapped coroutine ended by the budget', 'coroutine.wrap(function() local x <close> = setmetatable({}, {__close = function() while true do end end}) while true do end end)()', /instruction budget|time limit/],
  ['__close of a resumed coroutine ended by the budget', 'co = coroutine.create(function() local x <close> = setmetatable({}, {__close = function() while true do end end}) while true do end end) coroutine.resume(co)', /instruction budget|time limit/],
  ['closing a coroutine the budget ended', 'if co then print(coroutine.close(co)) end while true do end', /instruction budget|time limit/],
  ['__close in a coroutine that errors', 'coroutine.wrap(function() local x <close> = setmetatable({}, {__close = function() while true do end end}) error("x") end)()', /instruction budget|time limit/],
  ['to-be-closed loop', 'do local x <close> = setmetatable({}, {__close = function() while true do end end}) while true do end end', /instruction budget|time limit/],
  // Runs start without the count hook (gate.ts): every way back into code already run must turn it on.
  ['backward goto', '::top:: goto top', /instruction budget|time limit/],
  ['tail-call recursion', 'local function f() return f() end return f()', /instruction budget|time limit/],
  ['mutual recursion through a table', 'local t = {} function t.a() return t.b() end function t.b() return t.a() end t.a()', /instruction budget|time limit/],
  ['a loop resuming a coroutine made before', 'co2 = co2 or coroutine.wrap(function() while true do coroutine.yield() end end) while true do co2() end', /instruction budget|time limit/],
  ['a loop of gsub callbacks', 'while true do string.gsub("abc", "%w", function(c) return c end) end', /instruction budget|time limit/],
  ['error in __tostring of an error', 'error(setmetatable({}, {__tostring = function() while true do end end}))', /instruction budget|time limit|error/],
];

/** Things that must not exist or must refuse. Each line is evaluated; the script errors on failure. */
const ESCAPES = String.raw`
local function absent(v, what) if v ~= nil then error(what .. ' is reachable') end end
absent(io.open, 'io.open'); absent(io.popen, 'io.popen'); absent(io.read, 'io.read'); absent(io.lines, 'io.lines')
absent(os.execute, 'os.execute'); absent(os.getenv, 'os.getenv'); absent(os.exit, 'os.exit'); absent(os.remove, 'os.remove')
absent(os.rename, 'os.rename'); absent(os.tmpname, 'os.tmpname'); absent(os.setlocale, 'os.setlocale')
absent(load, 'load'); absent(loadstring, 'loadstring'); absent(dofile, 'dofile'); absent(loadfile, 'loadfile')
absent(debug, 'debug'); absent(string.dump, 'string.dump'); absent(package.loadlib, 'package.loadlib')
absent(package.searchers, 'package.searchers'); absent(package.searchpath, 'package.searchpath'); absent(warn, 'warn')
assert(type(os.time()) == 'number' and type(os.clock()) == 'number' and type(os.date('%Y')) == 'string')
assert(collectgarbage('count') > 0)
assert(not pcall(collectgarbage), 'collectgarbage() must refuse')
assert(not pcall(collectgarbage, 'stop'), 'collectgarbage("stop") must refuse')
for _, name in ipairs({ 'debug', 'io.file', 'socket', 'lfs', '/etc/passwd', '../../etc/passwd', 'ffi', 'jit' }) do
  local ok, err = pcall(require, name)
  assert(not ok and err:find('not found'), 'require("' .. name .. '") must fail')
end
package.path = '/etc/?;' .. package.path
assert(not pcall(require, 'passwd'))
-- The API objects carry no metatable that leads anywhere.
assert(getmetatable(flow) == nil and getmetatable(ntop) == nil and getmetatable(_G) == nil)
assert(getmetatable(flow.cli) == nil)
local smt = getmetatable('')
assert(smt.__index == string)
for k, v in pairs(smt) do
  -- __index and the arithmetic metamethods of string coercion (Lua 5.4's lstrlib)
  assert(k == '__index' or (type(v) == 'function' and tostring(k):match('^__%l+$')), 'string metatable has ' .. tostring(k))
end
-- Everything reachable from the globals is a plain Lua table, function, string, number or boolean.
local seen = {}
local function walk(t, path)
  if seen[t] then return end
  seen[t] = true
  for k, v in pairs(t) do
    local kind = type(v)
    assert(kind ~= 'userdata', path .. '.' .. tostring(k) .. ' is a userdata')
    if kind == 'table' then walk(v, path .. '.' .. tostring(k)) end
    if kind == 'function' then assert(getmetatable(v) == nil) end
  end
  local mt = getmetatable(t)
  if type(mt) == 'table' then walk(mt, path .. '<mt>') end
end
walk(_G, '_G')
-- Binary chunks cannot be loaded by any route.
assert(not pcall(require, string.char(27) .. 'Lua'))
flow.triggerAlert(10, 'escape checks passed')
`;

test('every runaway script is stopped within 100 ms of CPU with a clear error, and the state stays usable', async () => {
  const box = await sandbox();
  const args = await flowArgs();
  // Warm the VM up (the first runs of a fresh module are compiled by the baseline tier).
  assert.equal(box.compile('local n = 0 for i = 1, 2e5 do n = n + i end', 'warm.lua'), null);
  for (let i = 0; i < 5; i++) box.run(args, HOOK_PROTOCOL_DETECTED);
  for (const [name, source, expected] of RUNAWAY) {
    assert.equal(box.compile(source, `${name}.lua`), null, `${name} compiles`);
    const { value: result, ms } = cpuMs(() => box.run(args, HOOK_PROTOCOL_DETECTED));
    assert.equal(result.ok, false, `${name}: must fail`);
    // Under load the wall-clock limit may end a run before the instruction budget: also contained.
    const contained = expected.source.includes('not available') ? expected : new RegExp(`${expected.source}|time limit exceeded`);
    assert.match(result.error ?? '', contained, `${name}: ${result.error}`);
    assert.ok(ms < CPU_LIMIT_MS, `${name}: ${ms.toFixed(1)} ms of CPU`);
    // The same state runs the next script normally.
    assert.equal(box.compile('flow.triggerAlert(5, "still alive")', 'after.lua'), null);
    const after = box.run(args, HOOK_PROTOCOL_DETECTED);
    assert.equal(after.ok, true, `after ${name}: ${after.error}`);
    assert.deepEqual(after.events, [{ kind: 'alert', score: 5, msg: 'still alive' }], `after ${name}`);
  }
  box.close();
});

test('no route to io, os, load, debug, files or the host', async () => {
  const box = await sandbox();
  assert.equal(box.compile(ESCAPES, 'escapes.lua'), null);
  const result = box.run(await flowArgs(), HOOK_PROTOCOL_DETECTED);
  assert.equal(result.ok, true, result.error);
  assert.deepEqual(result.events, [{ kind: 'alert', score: 10, msg: 'escape checks passed' }]);
  box.close();
});

test('the objects handed to scripts lead nowhere: flow_info, flow.* tables, module tables', async () => {
  const runner = await CheckRunner.create({
    luaWasm: LUA_WASM, cpuClock,
    scripts: [{ name: 'probe.lua', source: `
      return { check = function(flow_info)
        assert(getmetatable(flow_info) == false, 'flow_info metatable is protected')
        assert(not pcall(setmetatable, flow_info, {}), 'flow_info metatable cannot be replaced')
        local n = 0
        for k, v in pairs(flow_info) do n = n + 1 assert(type(v) ~= 'userdata' and type(v) ~= 'function') end
        assert(n > 20, 'pairs(flow_info) walks the Flow::lua table')
        for _, t in ipairs({ flow.http(), flow.dns(), flow.ssh(), flow.tls_quic(), flow.getFullInfo(), ntop.getDirs() }) do
          assert(getmetatable(t) == nil)
          for k, v in pairs(t) do assert(type(v) ~= 'userdata' and type(v) ~= 'function', tostring(k)) end
        end
        assert(getmetatable(ntop) == nil and getmetatable(package) == nil and getmetatable(require) == nil)
        assert(rawget(_G, 'I') == nil and rawget(_G, 'host') == nil and rawget(_G, 'ABORT') == nil)
        flow.triggerAlert(1, 'nothing reachable')
      end }` }],
  });
  runner.handleEvent(event('flow_detected', fakeFlow()));
  assert.deepEqual(runner.errors(), []);
  assert.deepEqual(runner.alerts.list({ source: 'lua_script' }).map((a) => a.msg), ['nothing reachable']);
  runner.close();
});

test('binary chunks are refused', async () => {
  const box = await sandbox();
  const error = box.compile('\x1bLua\x54\x00', 'binary.lua');
  assert.match(error ?? '', /attempt to load a binary chunk|binary/);
  box.close();
});

test('syntax errors are reported with the file and line, and disable only that script', async () => {
  const box = await sandbox();
  assert.equal(box.compile('local x = 1\nif x then\n  print(x)\n', 'custom_flow_lua_script.lua'), "custom_flow_lua_script.lua:4: 'end' expected (to close 'if' at line 2) near <eof>");
  assert.match(box.compile('local = 3', 'bad.lua') ?? '', /^bad\.lua:1: /);
  // The gate's shared counter cannot be named, so no script can reset it.
  assert.match(box.compile('__flowscope_n = 1e300 while true do end', 'evil.lua') ?? '', /^evil\.lua: names starting with __flowscope are reserved/);
  box.close();
  const runner = await CheckRunner.create({
    luaWasm: LUA_WASM, cpuClock,
    scripts: [
      { name: 'custom_flow_protocol_detected_script.lua', source: 'flow.triggerAlert(20, "fine")' },
      { name: 'custom_flow_end_script.lua', source: 'this is not lua' },
    ],
  });
  const stats = runner.stats();
  const broken = stats.find((s) => s.script === 'custom_flow_end_script.lua')!;
  assert.equal(broken.mode, 'disabled');
  assert.match(broken.loadError ?? '', /^custom_flow_end_script\.lua:1: syntax error near 'is'/);
  assert.equal(runner.errors()[0].hook, 'load');
  const flow = fakeFlow();
  runner.handleEvent(event('flow_detected', flow));
  runner.handleEvent(event('flow_ended', flow));
  assert.equal(runner.alerts.list({ source: 'lua_script' }).length, 1);
  runner.close();
});

test('bad arguments to the charged library functions read as the C functions\' own errors, at the script\'s line', async () => {
  // math.*, string.char/format/pack and utf8.char run behind a charging wrapper (lua/lockdown.ts).
  const box = await sandbox();
  const args = await flowArgs();
  const cases: Array<[string, string]> = [
    ['string.char(-1)', "bad.lua:2: bad argument #1 to 'char' (value out of range)"],
    ['string.format("%d", 1.5)', "bad.lua:2: bad argument #2 to 'format' (number has no integer representation)"],
    ['math.abs("x")', "bad.lua:2: bad argument #1 to 'abs' (number expected, got string)"],
    ['utf8.char("y")', "bad.lua:2: bad argument #1 to 'char' (number expected, got string)"],
  ];
  for (const [call, expected] of cases) {
    assert.equal(box.compile(`local x = 1\n${call}`, 'bad.lua'), null);
    const result = box.run(args, HOOK_PROTOCOL_DETECTED);
    assert.equal(result.ok, false);
    assert.equal(result.error?.split('\n')[0], expected, call);
    assert.match(result.error ?? '', /bad\.lua:2: in /, call);
  }
  box.close();
});

test('error() in every hook is reported with script, hook and flow, and the other checks go on', async () => {
  const failing = `
    local script = { hooks = {} }
    function script.hooks.protocolDetected() error('detected failed') end
    function script.hooks.periodicUpdate() error('periodic failed') end
    function script.hooks.flowEnd() error('end failed') end
    return script`;
  const runner = await CheckRunner.create({
    luaWasm: LUA_WASM, cpuClock,
    periodicIntervalSec: 1,
    scripts: [
      { name: 'failing.lua', source: failing },
      { name: 'custom_flow_protocol_detected_script.lua', source: 'error("chunk failed")' },
      { name: 'custom_flow_periodic_script.lua', source: 'local x = nil; return x.field' },
      { name: 'custom_flow_end_script.lua', source: 'flow.triggerAlert(30, "end ran") error("after the alert")' },
      { name: 'healthy.lua', source: 'return { check = function() flow.triggerAlert(40, "healthy") end }' },
    ],
  });
  const flow = fakeFlow({ 'seen.last_us': 1700000010000000 });
  runner.handleEvent(event('flow_detected', fakeFlow(), 3));
  runner.handleEvent(event('flow_ended', flow, 3));
  const errors = runner.errors().map((e) => `${e.script}|${e.hook}|${e.message.split('\n')[0]}`);
  assert.deepEqual(errors.sort(), [
    'custom_flow_end_script.lua|flow_end|custom_flow_end_script.lua:1: after the alert',
    'custom_flow_periodic_script.lua|periodic|custom_flow_periodic_script.lua:1: attempt to index a nil value (local \'x\')',
    'custom_flow_protocol_detected_script.lua|protocol_detected|custom_flow_protocol_detected_script.lua:1: chunk failed',
    'failing.lua|flow_end|failing.lua:5: end failed',
    'failing.lua|periodic|failing.lua:4: periodic failed',
    'failing.lua|protocol_detected|failing.lua:3: detected failed',
  ]);
  for (const e of runner.errors()) {
    assert.equal(e.flow, 'TCP 192.168.1.10:51234 -> 93.184.216.34:443');
    assert.equal(e.flowSerial, 3);
  }
  // An alert raised before the error still counts; the healthy script ran.
  assert.deepEqual(runner.alerts.list({ source: 'lua_script' }).map((a) => a.msg).sort(), ['end ran', 'healthy']);
  runner.close();
});

test('a runaway script is named with its hook and flow, and the other scripts still run', async () => {
  const runner = await CheckRunner.create({
    luaWasm: LUA_WASM, cpuClock,
    scripts: [
      { name: 'custom_flow_protocol_detected_script.lua', source: 'while true do end' },
      { name: 'other.lua', source: 'return { check = function() flow.triggerAlert(60, "other ran") end }' },
    ],
  });
  for (let serial = 1; serial <= 3; serial++) runner.handleEvent(event('flow_detected', fakeFlow({ 'cli.port': 1000 + serial }), serial));
  const errors = runner.errors();
  assert.equal(errors.length, 3);
  assert.equal(errors[0].aborted, 'instructions');
  assert.match(errors[0].message, /instruction budget exceeded \(1000000 instructions per run\)/);
  assert.equal(errors[0].hook, 'protocol_detected');
  assert.equal(errors[0].flow, 'TCP 192.168.1.10:1001 -> 93.184.216.34:443');
  assert.equal(runner.alerts.list({ script: 'other.lua' }).length, 3);
  const stats = runner.stats().find((s) => s.script === 'custom_flow_protocol_detected_script.lua')!;
  assert.equal(stats.runs, 3);
  assert.equal(stats.aborts, 3);
  runner.close();
});

test('the memory cap is per script: a bomb in one leaves the others their memory', async () => {
  const limits = { memoryLimitBytes: 8 << 20 };
  const bomb = await sandbox({ limits });
  const other = await sandbox({ limits });
  const args = await flowArgs();
  // The bomb keeps what it allocated in a global, so its state stays full.
  bomb.compile('big = big or {} for i = 1, 1e9 do big[#big + 1] = string.rep("x", 1000) .. i end', 'bomb.lua');
  const first = bomb.run(args, HOOK_PROTOCOL_DETECTED);
  assert.equal(first.ok, false);
  assert.match(first.error ?? '', /memory limit exceeded \(8 MiB per script\)|instruction budget|time limit/);
  other.compile('local t = {} for i = 1, 1000 do t[i] = string.rep("y", 1000) end flow.triggerAlert(1, "ok " .. #t)', 'other.lua');
  const second = other.run(args, HOOK_PROTOCOL_DETECTED);
  assert.equal(second.ok, true, second.error);
  assert.equal(second.events[0].kind === 'alert' && second.events[0].msg, 'ok 1000');
  bomb.close();
  other.close();
});

test('hooks other than protocol detected are contained too', async () => {
  const box = await sandbox();
  const args = await flowArgs();
  box.compile('local s = { hooks = {} } function s.hooks.periodicUpdate() while true do end end function s.hooks.flowEnd() local t = {} while true do t[#t + 1] = {} end end return s', 'hooks.lua');
  const init = box.init();
  assert.deepEqual(init.hooks, [HOOK_PERIODIC, HOOK_END]);
  for (const hook of [HOOK_PERIODIC, HOOK_END]) {
    const { value, ms } = cpuMs(() => box.run(args, hook));
    assert.equal(value.ok, false);
    assert.ok(value.aborted, value.error);
    assert.ok(ms < CPU_LIMIT_MS, `${ms} ms`);
  }
  box.close();
});
