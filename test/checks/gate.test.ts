// The instruction gate (runtime/checks/gate.ts): the tokenizer on Lua's lexical corners, where the
// gates go, and in a real Lua VM that gated code behaves as written, keeps its line numbers, and
// turns the count hook on only once a run loops or recurses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GATE_BUDGET, GATE_COUNTER, GateError, gateSource, tokenize } from '../../runtime/checks/gate.ts';
import { HOOK_PROTOCOL_DETECTED } from '../../runtime/checks/sandbox.ts';
import { flowArgs, sandbox } from './helpers.ts';

const texts = (source: string) => tokenize(source).map((t) => t.text);

test('tokenize: strings, long brackets, comments and numbers as Lua 5.4 reads them (manual §3.1)', () => {
  assert.deepEqual(texts(`a = "do \\" end" .. 'x\\'y' -- do end\nb`), ['a', '=', '<string>', '.', '.', '<string>', 'b']);
  assert.deepEqual(texts('x = [==[ ]] do ]=] end ]==] y'), ['x', '=', '<string>', 'y']);
  assert.deepEqual(texts('--[[ while true do\n end ]] z --[=[ ]] ]=] w'), ['z', 'w']);
  assert.deepEqual(texts('t[ [[s]] ] = 1'), ['t', '[', '<string>', ']', '=', '1']);
  // Hex numbers take p exponents with a sign; in 0xe+1 the '+' is an operator (0xe plus 1).
  assert.deepEqual(texts('0x1p-4 1e+5 .5 3.0e2 0xe+1'), ['0x1p-4', '1e+5', '.5', '3.0e2', '0xe', '+', '1']);
  assert.deepEqual(texts('"a\\\nb" c'), ['<string>', 'c']);
  const [kw, name] = tokenize('do dox');
  assert.equal(kw.kind, 'keyword');
  assert.equal(name.kind, 'name');
  assert.throws(() => tokenize('x = "open'), GateError);
  assert.throws(() => tokenize('x = [[ open'), GateError);
});

test('gateSource: a gate after each function\'s parameters, each do and repeat, before each goto', () => {
  const gate = (w: number) => ` ${GATE_COUNTER}=${GATE_COUNTER}-${w} if ${GATE_COUNTER}<0 then __flowscope_e() end `;
  const out = gateSource('local function f(a) return a end');
  // chunk: 9 tokens; f's body: 'return a' (2 tokens)
  assert.equal(out, `local ${GATE_COUNTER}, __flowscope_e return function(...)${gate(9)}local function f(a)${gate(2)} return a end\nend`);
  // A while loop's gate counts its condition (it runs with every iteration).
  assert.ok(gateSource('while x < 10 do x = x + 1 end').includes(`do${gate(10)}`));
  // A repeat's counts its until condition; a goto's, its whole function (it may jump anywhere in it).
  assert.ok(gateSource('repeat x = x + 1 until x > 9').includes(`repeat${gate(9)}`));
  assert.ok(gateSource('::top:: x = 1 goto top').includes(`x = 1 ${gate(10)}goto top`));
  // Without function gates (flowscope's own getters), loops keep theirs.
  const noFunctions = gateSource('function g() for i = 1, 2 do end end', { functions: false });
  assert.equal(noFunctions.split('__flowscope_e()').length - 1, 2); // the chunk's and the loop's
  // Every line stays where it was: only the closing 'end' is added, on a line of its own.
  const source = 'local x = 1\nfor i = 1, 3 do\n  x = x + i\nend\nreturn x';
  assert.equal(gateSource(source).split('\n').length, source.split('\n').length + 1);
});

test('gateSource: names starting with __flowscope are refused (they would reach the gate)', () => {
  assert.throws(() => gateSource('__flowscope_n = 1e9'), (e: unknown) => e instanceof GateError && e.reserved);
  assert.throws(() => gateSource('local __flowscope_x'), /reserved by the flowscope sandbox/);
  // Field names are names too; strings are not.
  assert.throws(() => gateSource('t.__flowscope_n = 1'), GateError);
  assert.doesNotThrow(() => gateSource('s = "__flowscope_n" --[[ __flowscope_e ]]'));
  assert.throws(() => gateSource('if x then'), GateError);
});

test('gated scripts compute what they compute ungated, and keep their line numbers', async () => {
  const box = await sandbox();
  const args = await flowArgs();
  const programs = [
    // goto continue: the label at the end of the block stays at the end (locals between)
    `local n = 0
     for i = 1, 10 do
       if i % 2 == 0 then goto continue end
       local odd = i
       n = n + odd
       ::continue::
     end
     print(n)`,
    `local t = {} for k, v in pairs({ a = 1, b = 2 }) do t[#t + 1] = k .. v end table.sort(t) print(table.concat(t, ','))`,
    `local i = 0 repeat local j = i i = i + 1 until j >= 3 print(i)`,
    `local o = {} function o.f(...) return select('#', ...) end function o:g(x) return self == o and x end print(o.f(1, nil, 3), o:g(7))`,
    `local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end print(fib(15))`,
    `print((function(...) return ... end)(4, 5))`,
    `local s = 0 do local x = 2 s = s + x end while s < 100 do s = s * 3 end print(s)`,
    `print(0xe+1, 0x10p-1, "do end", [[function(]])`,
    `local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) print(co(1), co(10))`,
    `local r = string.gsub("abc", "%w", function(c) return c:upper() end) print(r)`,
    `local ok, err = pcall(function() local t = nil return t.x end) print(ok, (err:gsub('^.-:%d+: ', '')))`,
  ];
  const expected = ['25\n', 'a1,b2\n', '4\n', '3\t7\n', '610\n', '4\t5\n', '162\n', '15\t8.0\tdo end\tfunction(\n', '2\t20\n', 'ABC\n', "false\tattempt to index a nil value (local 't')\n"];
  for (let i = 0; i < programs.length; i++) {
    assert.equal(box.compile(programs[i], `p${i}.lua`), null);
    assert.equal(box.ungated, false, `program ${i} is gated`);
    const result = box.run(args, HOOK_PROTOCOL_DETECTED);
    assert.equal(result.ok, true, `program ${i}: ${result.error}`);
    assert.deepEqual(result.events, [{ kind: 'log', text: expected[i] }], `program ${i}`);
  }
  assert.equal(box.compile('local a = 1\nlocal b = 2\n\nerror("line four")', 'lines.lua'), null);
  assert.match(box.run(args, HOOK_PROTOCOL_DETECTED).error ?? '', /^lines\.lua:4: line four/);
  assert.equal(box.compile('local function f()\n  local t = nil\n  return t.x\nend\nf()', 'nested.lua'), null);
  const error = box.run(args, HOOK_PROTOCOL_DETECTED).error ?? '';
  assert.match(error, /^nested\.lua:3: attempt to index a nil value/);
  assert.match(error, /nested\.lua:5: in /);
  box.close();
});

test('straight-line checks never turn the hook on; loops and recursion past the gate budget do', async () => {
  const box = await sandbox();
  const args = await flowArgs();
  const run = (source: string, runs: number) => {
    assert.equal(box.compile(source, 'g.lua'), null);
    const before = box.gatesOpened;
    for (let i = 0; i < runs; i++) assert.equal(box.run(args, HOOK_PROTOCOL_DETECTED).ok, true);
    return box.gatesOpened - before;
  };
  const bench = `local cli, srv = flow.cli(), flow.srv()
    local bytes, name = flow.bytes(), flow.l7_proto_name()
    checked = (checked or 0) + 1
    if checked % 5 == 0 then flow.triggerAlert(10, "bench " .. name) end`;
  assert.equal(run(bench, 200), 0);
  assert.equal(run('return { check = function(info) local n = 0 for i = 1, 5 do n = n + i end return n end }', 200), 0);
  // GATE_BUDGET tokens' worth of loop body: every run opens the gate once.
  assert.equal(run(`local n = 0 for i = 1, ${GATE_BUDGET} do n = n + i end`, 10), 10);
  assert.equal(run('local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end f(2000)', 3), 3);
  // A script too long to run unhooked opens it at its first gate.
  assert.equal(run(`local x = 0 ${'x = x + 1 '.repeat(GATE_BUDGET)}`, 2), 2);
  box.close();
});

test('a script whose gated form does not compile runs ungated, with the hook from its start', async () => {
  // 254 upvalues compile (Lua's limit is 255); the gate's two shared names would make 256.
  const outer = Array.from({ length: 127 }, (_, i) => `a${i}`);
  const inner = Array.from({ length: 127 }, (_, i) => `b${i}`);
  const source = `local ${outer.join(', ')} = ${outer.map(() => '1').join(', ')}
local function level2()
  local ${inner.join(', ')} = ${inner.map(() => '2').join(', ')}
  local function level3()
    local s = ${[...outer, ...inner].join(' + ')}
    while s > 0 do s = s + 1 end
  end
  level3()
end
level2()`;
  const box = await sandbox();
  assert.equal(box.compile(source, 'wide.lua'), null);
  assert.equal(box.ungated, true);
  const result = box.run(await flowArgs(), HOOK_PROTOCOL_DETECTED);
  assert.equal(result.ok, false);
  assert.match(result.error ?? '', /instruction budget exceeded|time limit exceeded/);
  // The next script in the same state is gated again and runs without the hook.
  assert.equal(box.compile('local x = flow.bytes()', 'plain.lua'), null);
  assert.equal(box.ungated, false);
  const opened = box.gatesOpened;
  for (let i = 0; i < 20; i++) assert.equal(box.run(await flowArgs(), HOOK_PROTOCOL_DETECTED).ok, true);
  assert.equal(box.gatesOpened, opened);
  box.close();
});
