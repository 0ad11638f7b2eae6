// ntop.* (document 004): the sandbox subset, and every other documented function raising a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { CheckRunner } from '../../runtime/checks/runner.ts';
import { NTOP_DOCUMENTED_FUNCTIONS } from '../../runtime/checks/ntop_functions.ts';
import { ntopModule } from '../../runtime/checks/ntop.ts';
import { md5Hex } from '../../runtime/checks/ntop_md5.ts';
import { KVStore } from '../../runtime/store/kv.ts';
import { LUA_WASM, cpuClock, event, fakeFlow } from './helpers.ts';

const SPEC = '/work/shared/spec';
function documentedNames(): string[] {
  const file = readdirSync(SPEC).find((f) => f.startsWith('004_'))!;
  const text = readFileSync(`${SPEC}/${file}`, 'utf8');
  const names = new Set<string>();
  for (const m of text.matchAll(/`ntop\.([A-Za-z_][A-Za-z_0-9]*)/g)) names.add(m[1]);
  for (const m of text.matchAll(/\bntop\.([A-Za-z_][A-Za-z_0-9]*)\s*\(/g)) if (m[1] !== 'myFunction') names.add(m[1]); // the guide's placeholder
  return [...names].sort();
}

async function run(body: string, options: Partial<Parameters<typeof CheckRunner.create>[0]> = {}): Promise<{ logs: string[]; errors: string[]; runner: CheckRunner }> {
  const runner = await CheckRunner.create({ luaWasm: LUA_WASM, cpuClock, riskAlerts: false, scripts: [{ name: 'custom_flow_protocol_detected_script.lua', source: body }], ...options });
  runner.handleEvent(event('flow_detected', fakeFlow()));
  const out = { logs: runner.logs().flatMap((l) => l.text.replace(/\n$/, '').split('\n')), errors: runner.errors().map((e) => e.message), runner };
  runner.close();
  return out;
}

test('every function documented in 004 is implemented or raises "not available in the flowscope sandbox"', async () => {
  const names = documentedNames();
  assert.ok(names.length > 300, `${names.length} names`);
  assert.deepEqual([...NTOP_DOCUMENTED_FUNCTIONS].sort(), names, 'runtime list matches the document');
  const module = ntopModule(new KVStore());
  const implemented = names.filter((n) => n in module.functions);
  for (const n of names) assert.ok(n in module.functions !== module.unavailable!.includes(n), n);
  // From Lua: each implemented name is a function; each other raises the error, naming it.
  const body = `
    local names = {${names.map((n) => `'${n}'`).join(',')}}
    for _, n in ipairs(names) do
      local f = ntop[n]
      if type(f) ~= 'function' then print('MISSING ' .. n) end
    end
    for _, n in ipairs({${names.filter((n) => !implemented.includes(n)).map((n) => `'${n}'`).join(',')}}) do
      local ok, err = pcall(ntop[n], 1, 2)
      if ok or not tostring(err):find('ntop.' .. n .. ' is not available in the flowscope sandbox', 1, true) then print('BAD ' .. n .. ' ' .. tostring(err)) end
    end
    print('done')`;
  const { logs, errors } = await run(body);
  assert.deepEqual(errors, []);
  assert.deepEqual(logs, ['done']);
  assert.ok(implemented.length >= 90, `${implemented.length} implemented`);
});

test('md5 matches node:crypto', () => {
  for (const s of ['', 'a', 'abc', 'message digest', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'é🙂'.repeat(100)]) {
    assert.equal(md5Hex(s), createHash('md5').update(s).digest('hex'), JSON.stringify(s).slice(0, 20));
  }
});

test('ntop.* subset from Lua: time, cache, prefs, network utilities, bitmaps, names, Lua cache, logging', async () => {
  const body = `
    local function p(...) local t = {} for i = 1, select('#', ...) do t[#t+1] = tostring((select(i, ...))) end print(table.concat(t, ' ')) end
    p(ntop.getDirs().installdir, type(ntop.getInfo().version), ntop.getUptime() >= 0, ntop.gettickspersec(), type(ntop.gettimemsec()))
    p(ntop.roundTime(1700000123, 60), ntop.roundTime(1700000123, 3600))
    ntop.setCache('a', 'x'); p(ntop.getCache('a'), ntop.getCache('missing') == '', ntop.setnxCache('a', 'y'), ntop.setnxCache('b', 'y'))
    p(ntop.incrCache('n'), ntop.incrCache('n', 5)); ntop.renameCache('a', 'c'); p(ntop.getCache('a') == '', ntop.getCache('c'))
    local keys = ntop.getKeysCache('*'); p(keys.b, keys.c, keys.n)
    ntop.setHashCache('h', 'f', 'v'); ntop.setHashCache('h', 'g', 'w'); ntop.delHashCache('h', 'g')
    p(ntop.getHashCache('h', 'f'), ntop.getHashAllCache('h').f, ntop.getHashKeysCache('h').f, ntop.getHashAllCache('h').g)
    ntop.rpushCache('l', '1'); ntop.rpushCache('l', '2'); ntop.lpushCache('l', '0'); ntop.rpushCache('l', '2')
    p(ntop.llenCache('l'), table.concat(ntop.lrangeCache('l', 0, -1), ','), ntop.listIndexCache('l', 1))
    ntop.lremCache('l', 0, '2'); p(table.concat(ntop.lrangeCache('l', 0, -1), ','), ntop.lpopCache('l'), ntop.rpopCache('l'), ntop.rpopCache('l'))
    ntop.setMembersCache('s', 'x'); ntop.setMembersCache('s', 'y'); ntop.delMembersCache('s', 'x'); p(table.concat(ntop.getMembersCache('s'), ','))
    ntop.setPref('my_pref', '7'); p(ntop.getPref('ntopng.prefs.my_pref'), ntop.getPref('my_pref'), ntop.getPrefs().my_pref)
    p(ntop.ipToNumber('192.168.1.1'), ntop.inet_ntoa(3232235777), ntop.networkPrefix('192.168.1.77', 24), ntop.networkPrefix('2001:db8::1', 32))
    p(ntop.ipCmp('10.0.0.1', '10.0.0.2'), ntop.ipCmp('10.0.0.2', '10.0.0.2'), ntop.ipCmp('10.0.0.3', '10.0.0.2'), ntop.isIPv6('::1'), ntop.isIPv6('1.2.3.4'))
    p(ntop.isLocalAddress('192.168.1.5'), ntop.isLocalAddress('10.1.2.3')); ntop.addLocalNetwork('10.0.0.0/8'); p(ntop.isLocalAddress('10.1.2.3'), ntop.getNetworks()['10.0.0.0/8'])
    p(ntop.getAddressNetwork('10.9.9.9').network, ntop.getNetworkNameById(0), ntop.getNetworkIdByName('10.0.0.0/8'))
    local b = ntop.bitmapSet(0, 3); b = ntop.bitmapSet(b, 40); p(b, ntop.bitmapIsSet(b, 3), ntop.bitmapIsSet(b, 4), ntop.bitmapClear(b, 40))
    p(ntop.mapScoreToSeverity(120), ntop.mapSeverityToScore(4), ntop.md5('abc'), ntop.getservbyport(443, 'tcp'), ntop.getservbyport(53, 'udp'), ntop.getservbyport(4242, 'tcp'))
    p(ntop.getTLSVersionName(0x0303), ntop.getTLSVersionName(0x0304), ntop.getTLSVersionName(0x1234), ntop.getRiskStr(1), ntop.getRiskList()[ntop.getRiskStr(1)])
    ntop.setLuaCache('t', {x = 'y'}); ntop.setLuaCache('a', {1, 2}); local t = ntop.getLuaCache('t'); p(ntop.getLuaCache('a')[2], t.x, ntop.getLuaCache('none'), ntop.dumpLuaCache().t.x)
    ntop.traceEvent(2, 'hello')
    p(ntop.exists('/etc/passwd'), ntop.isPro(), ntop.isnEdge(), ntop.getInstanceName())`;
  const { logs, errors } = await run(body);
  assert.deepEqual(errors, []);
  assert.deepEqual([...logs].sort(), ['[2] hello',
    '/usr/share/ntopng string true 1000000 number',
    '1700000100 1699999200',
    'x true false true',
    '1 6',
    'true x',
    'true true true',
    'v v true nil',
    '4 0,1,2,2 1',
    '0,1 0 1 nil',
    'y',
    '7 7 7',
    '3232235777 192.168.1.1 192.168.1.0 2001:db8::',
    '-1 0 1 true false',
    'true false',
    'true 3',
    '10.0.0.0/8 192.168.1.0/24 3',
    `${2 ** 40 + 8} true false 8`,
    `5 50 ${createHash('md5').update('abc').digest('hex')} https domain 4242`,
    'TLSv1.2 TLSv1.3 TLS (1234) XSS Attack 1',
    '2 y nil y',
    'false false false flowscope',
  ].sort());
});

test('the cache TTL follows the store clock (capture time when the store is built on it)', async () => {
  let now = 1_000_000;
  const kv = new KVStore({ clock: () => now });
  const m = ntopModule(kv, { clock: () => now });
  m.functions.setCache('k', 'v', 10);
  m.functions.setLuaCache('l', 'v', 10);
  assert.equal(m.functions.getCache('k'), 'v');
  now += 9_000;
  assert.equal(m.functions.getLuaCache('l'), 'v');
  now += 2_000;
  assert.equal(m.functions.getCache('k'), '');
  assert.equal(m.functions.getLuaCache('l'), null);
});
