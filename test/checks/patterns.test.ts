// The pure-Lua pattern matcher (lua/patterns.ts) against Lua's own C functions: the same calls in
// two sandboxes, one forced onto the Lua port (pattern_c_limit = -1), must give the same results
// and the same errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOOK_PROTOCOL_DETECTED } from '../../runtime/checks/sandbox.ts';
import { flowArgs, sandbox } from './helpers.ts';

const CASES: Array<[subject: string, pattern: string, extra?: string]> = [
  ['hello world', 'o'], ['hello world', 'l+'], ['hello world', '^h'], ['hello world', '^w'], ['hello world', 'd$'],
  ['hello world', '(h)(e)(l)'], ['hello world', '()ll()'], ['hello world', '%w+'], ['hello world', '%W'],
  ['hello world', '[aeiou]+'], ['hello world', '[^%s]+'], ['hello world', '.-o'], ['hello world', '.*o'],
  ['hello world', 'x*'], ['hello world', 'l?o'], ['hello', ''], ['', ''], ['', 'a*'], ['abc', '$'],
  ['THE (quick) fox', '%((%a+)%)'], ['THE (quick) fox', '%bQ)'], ['f(a(b)c)d', '%b()'], ['f(a(b)c', '%b()'],
  ['THE (quick) fox', '%f[%a]%a+'], ['hello.world.com', '^(.-)%.(.*)$'], ['key=value; k2=v2', '(%w+)=(%w+)'],
  ['aaa', 'a-b'], ['aaab', 'a-b'], ['192.168.1.10', '^(%d+)%.(%d+)%.(%d+)%.(%d+)$'], ['abcabc', '(abc)%1'],
  ['x = 10, y = 20', '(%a)%s*=%s*(%d+)'], ['[]', '[]]'], ['a]b', '[]]'], ['a-b', '[a-]'], ['%d', '%%d'],
  ['tab\there', '%c'], ['MiXeD', '%u%l'], ['0x1F', '%x+'], ['a.b', '%.'], ['a$b', 'a$b'], ['^a', '^^a'],
  ['hello', '(h)(.)%2'], ['hello', '(l)%1'], ['www.google.com', '([^.]+)%.([^.]+)$'], ['aaa', '()a()'],
  ['hello', '%'], ['hello', '[a'], ['hello', '(()'], ['hello', '%1'], ['hello', 'h)'], ['hello', '%b'],
  ['hello', '%f'], ['hello', '%fx'],
];

function script(fn: string): string {
  const calls = CASES.map(([s, p]) => `{ ${JSON.stringify(s)}, ${JSON.stringify(p)} }`).join(',\n');
  return `
    local out = {}
    local function show(ok, ...)
      local parts = { tostring(ok) }
      for i = 1, select('#', ...) do parts[#parts + 1] = type((select(i, ...))) .. ':' .. tostring((select(i, ...))) end
      return table.concat(parts, ' ')
    end
    for _, c in ipairs({ ${calls} }) do
      local s, p = c[1], c[2]
      ${fn}
    end
    flow.triggerAlert(1, table.concat(out, '\\n'))`;
}

const FUNCTIONS: Record<string, string> = {
  find: `out[#out + 1] = show(pcall(string.find, s, p)); out[#out + 1] = show(pcall(string.find, s, p, 3)); out[#out + 1] = show(pcall(string.find, s, p, -2))`,
  plain: `out[#out + 1] = show(pcall(string.find, s, p, 1, true))`,
  match: `out[#out + 1] = show(pcall(string.match, s, p)); out[#out + 1] = show(pcall(string.match, s, p, 2))`,
  gmatch: `out[#out + 1] = show(pcall(function() local r = {} for a, b in string.gmatch(s, p) do r[#r + 1] = tostring(a) .. '/' .. tostring(b) if #r > 50 then break end end return table.concat(r, ',') end))`,
  gsub: `out[#out + 1] = show(pcall(string.gsub, s, p, '<%0>'))
    out[#out + 1] = show(pcall(string.gsub, s, p, '%1-%%', 2))
    out[#out + 1] = show(pcall(string.gsub, s, p, function(a, b) return b and (a .. b) or nil end))
    out[#out + 1] = show(pcall(string.gsub, s, p, { h = 'H', l = false }))
    out[#out + 1] = show(pcall(string.gsub, s, p, '%2'))`,
};

test('the Lua pattern matcher gives the C functions\' results and errors', async () => {
  const limits = { timeLimitMs: 10_000, instructionBudget: 1e8 };
  const native = await sandbox({ limits });
  const ported = await sandbox({ limits, constants: { pattern_c_limit: -1 } });
  const args = await flowArgs();
  for (const [name, body] of Object.entries(FUNCTIONS)) {
    const source = script(body);
    assert.equal(native.compile(source, `${name}.lua`), null);
    assert.equal(ported.compile(source, `${name}.lua`), null);
    const a = native.run(args, HOOK_PROTOCOL_DETECTED);
    const b = ported.run(args, HOOK_PROTOCOL_DETECTED);
    assert.equal(a.ok, true, a.error);
    assert.equal(b.ok, true, b.error);
    const lines = (r: typeof a) => (r.events[0].kind === 'alert' ? r.events[0].msg : '').split('\n');
    const expected = lines(a), actual = lines(b);
    assert.equal(actual.length, expected.length);
    // Errors raised by C functions carry the caller's position; compare the messages only.
    const normalise = (line: string) => line.replace(/string:\S+\.lua:\d+: /g, 'string:').replace(/string:\[flowscope\]:\d+: /g, 'string:');
    for (let i = 0; i < expected.length; i++) assert.equal(normalise(actual[i]), normalise(expected[i]), `${name} case ${i}`);
  }
  native.close();
  ported.close();
});

test('costly patterns take the interruptible path; cheap ones the C functions', async () => {
  const box = await sandbox();
  const args = await flowArgs();
  // Same answers either way, and the costly one is stopped by the budget instead of hanging.
  box.compile(`
    local host = string.rep('a', 40) .. '.example.com'
    assert(host:match('^(.-)%.example%.com$') == string.rep('a', 40))
    assert(select(2, string.rep('ab', 300):gsub('(a)(b)', '%2%1')) == 300)
    local n = 0
    for w in ('one two three'):gmatch('%a+') do n = n + 1 end
    assert(n == 3)
    flow.triggerAlert(1, 'ok')`, 'cheap.lua');
  const cheap = box.run(args, HOOK_PROTOCOL_DETECTED);
  assert.equal(cheap.ok, true, cheap.error);
  box.compile(`return string.rep('a', 20000):find('(.-)(.-)(.-)b')`, 'costly.lua');
  const costly = box.run(args, HOOK_PROTOCOL_DETECTED);
  assert.equal(costly.ok, false);
  assert.equal(costly.aborted !== undefined, true, costly.error);
  box.close();
});
