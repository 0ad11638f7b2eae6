// flow.* (document 001), the Flow User Scripts API (document 002), the alerts they raise and
// ntopng's score accounting, on synthetic flows through the runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckRunner, type CheckScript } from '../../runtime/checks/runner.ts';
import { AlertStore, CUSTOM_LUA_SCRIPT_ALERT, FLOW_ALERT_TYPES } from '../../runtime/alerts.ts';
import type { FlowInfo } from '../../runtime/types.ts';
import { cpuClock, event, fakeFlow, flowArgs, LUA_WASM, luaModule, sandbox } from './helpers.ts';
import { addressSlot, HOOK_PROTOCOL_DETECTED } from '../../runtime/checks/sandbox.ts';

async function runner(scripts: CheckScript[], options: Partial<Parameters<typeof CheckRunner.create>[0]> = {}): Promise<CheckRunner> {
  return CheckRunner.create({ luaWasm: LUA_WASM, cpuClock, scripts, ...options });
}

/** Runs `body` on protocol detected for `flow` and returns what it printed (one line per print). */
async function printed(body: string, flow: FlowInfo = fakeFlow(), options = {}): Promise<string[]> {
  const r = await runner([{ name: 'custom_flow_protocol_detected_script.lua', source: body }], options);
  r.handleEvent(event('flow_detected', flow));
  const errors = r.errors();
  r.close();
  assert.deepEqual(errors, []);
  return r.logs().map((l) => l.text.replace(/\n$/, '')).join('\n').split('\n');
}

test('the 20 flow.* functions on a TLS flow', async () => {
  const lines = await printed(`
    print(flow.cli(), flow.cli_port(), flow.srv(), flow.srv_port(), flow.vlan_id(), flow.protocol())
    print(flow.bytes(), flow.cli2srv_bytes(), flow.srv2cli_bytes())
    print(flow.l7_master_proto(), flow.l7_proto(), flow.l7_proto_name())
    print(flow.direction(), flow.is_oneway(), flow.is_unicast())
    print(next(flow.http()), next(flow.dns()), next(flow.ssh()))
    local tls = flow.tls_quic()
    print(tls.client_requested_server_name, tls['protos.tls.client_requested_server_name'], tls.ja3_client, tls['protos.tls.ja3.client_hash'], tls.tls_version, tls['protos.tls_version'])
    print(math.type(flow.cli_port()), math.type(flow.bytes()), math.type(flow.l7_proto()), math.type(flow.vlan_id()))
    print(type(flow.triggerAlert))
  `);
  assert.deepEqual(lines, [
    '192.168.1.10\t51234\t93.184.216.34\t443\t0\t6',
    '10500\t1500\t9000',
    '91\t126\tTLS.Google',
    'local@remote\tfalse\ttrue',
    'nil\tnil\tnil',
    'www.google.com\twww.google.com\taaaabbbbccccdddd\taaaabbbbccccdddd\t772\t772',
    'integer\tinteger\tinteger\tinteger',
    'function',
  ]);
});

test('flow.* values at the edges of their ranges come back exact (the host packs small numbers)', async () => {
  const flow = fakeFlow({
    'cli.port': 65535, 'srv.port': 1, vlan: 4095, 'proto.l4_id': 17, 'proto.l4': 'UDP',
    'cli2srv.bytes': 2 ** 40 + 3, 'srv2cli.bytes': 2 ** 33, 'proto.master_ndpi_id': 431, 'proto.ndpi_id': 65535,
  });
  const lines = await printed(`
    print(flow.cli_port(), flow.srv_port(), flow.vlan_id(), flow.protocol())
    print(flow.cli2srv_bytes(), flow.srv2cli_bytes(), flow.bytes(), flow.getBytesSent(), flow.getBytes())
    print(flow.l7_master_proto(), flow.l7_proto(), flow.getnDPIMasterProtoId(), flow.getnDPIAppProtoId())
    print(math.type(flow.srv_port()), math.type(flow.cli2srv_bytes()), math.type(flow.protocol()))`, flow);
  assert.deepEqual(lines, [
    '65535\t1\t4095\t17',
    `${2 ** 40 + 3}\t${2 ** 33}\t${2 ** 40 + 3 + 2 ** 33}\t${2 ** 40 + 3}\t${2 ** 40 + 3 + 2 ** 33}`,
    '431\t65535\t431\t65535',
    'integer\tinteger\tinteger',
  ]);
});

test('flow.cli() and flow.srv(): IPv4 text written from the address number, every octet width; IPv6 as text', async () => {
  for (const [cli, srv] of [['0.0.0.0', '255.255.255.255'], ['1.22.103.9', '100.10.1.0'], ['2001:db8::1', 'fe80::a:b']]) {
    assert.deepEqual(await printed('print(flow.cli(), flow.srv())', fakeFlow({ 'cli.ip': cli, 'srv.ip': srv })), [`${cli}\t${srv}`]);
  }
});

test('direction, unicast and one-way follow ntopng (local networks settable, multicast and broadcast local)', async () => {
  const cases: Array<[Partial<FlowInfo>, string, string?]> = [
    [{ 'cli.ip': '192.168.1.10', 'srv.ip': '8.8.8.8' }, 'local@remote true'],
    [{ 'cli.ip': '8.8.8.8', 'srv.ip': '192.168.1.20' }, 'remote@local true'],
    [{ 'cli.ip': '192.168.1.10', 'srv.ip': '127.0.0.1' }, 'local@local true'],
    [{ 'cli.ip': '10.0.0.1', 'srv.ip': '8.8.8.8' }, 'remote2remote true'],
    [{ 'cli.ip': '10.0.0.1', 'srv.ip': '8.8.8.8' }, 'local@remote true', '10.0.0.0/8'],
    [{ 'cli.ip': '10.0.0.1', 'srv.ip': '224.0.0.251' }, 'remote@local false'],
    [{ 'cli.ip': '10.0.0.1', 'srv.ip': '255.255.255.255' }, 'remote@local false'],
    [{ 'cli.ip': '192.168.1.7', 'srv.ip': '192.168.1.255' }, 'local@local false'],
    [{ 'cli.ip': 'fe80::1', 'srv.ip': '2001:db8::1' }, 'local@remote true'],
    [{ 'cli.ip': '2001:db8::1', 'srv.ip': 'ff02::fb' }, 'remote@local false'],
    [{ 'cli.ip': '2001:db8::5', 'srv.ip': '2001:db8::1' }, 'local@local true', '2001:db8::/32,192.168.1.0/24'],
  ];
  for (const [addresses, expected, networks] of cases) {
    const lines = await printed('print(flow.direction(), flow.is_unicast())', fakeFlow(addresses), networks ? { localNetworks: networks } : {});
    assert.equal(lines[0].replace('\t', ' '), expected, JSON.stringify(addresses));
  }
  const oneway = await printed('print(flow.is_oneway())', fakeFlow({ 'srv2cli.packets': 0, 'srv2cli.bytes': 0 }));
  assert.deepEqual(oneway, ['true']);
});

test('http(), dns(), ssh() and tls_quic() carry the short names and ntopng\'s dotted keys, {} for other protocols', async () => {
  const http = fakeFlow({
    'proto.ndpi': 'HTTP', 'proto.master_ndpi_id': 0, 'proto.ndpi_id': 7, 'srv.port': 80, host_server_name: 'example.com',
    'protos.http.last_method': 'GET', 'protos.http.last_url': '/index.html', 'protos.http.last_return_code': 200,
    'protos.http.last_content_type': 'text/html', 'protos.http.last_user_agent': 'curl/8.0',
    'protos.tls_version': undefined, 'protos.tls.ja3.client_hash': undefined,
  });
  assert.deepEqual(await printed(`
    local h = flow.http()
    print(h.method, h.url, h.return_code, h.content_type, h.server_name, h.user_agent)
    print(h['protos.http.last_method'], h['protos.http.last_url'], h['protos.http.last_return_code'], h['protos.http.server_name'])
    print(next(flow.tls_quic()), next(flow.dns()))`, http), [
    'GET\t/index.html\t200\ttext/html\texample.com\tcurl/8.0',
    'GET\t/index.html\t200\texample.com',
    'nil\tnil',
  ]);
  const dns = fakeFlow({
    'proto.ndpi': 'DNS', 'proto.master_ndpi_id': 0, 'proto.ndpi_id': 5, 'proto.l4': 'UDP', 'proto.l4_id': 17, 'srv.port': 53,
    host_server_name: 'www.example.org', 'protos.dns.last_query': 'www.example.org', 'protos.dns.last_query_type': 1,
    'protos.dns.last_return_code': 3, 'protos.dns.last_answer': '93.184.216.34',
    'protos.tls_version': undefined, 'protos.tls.ja3.client_hash': undefined,
  });
  assert.deepEqual(await printed(`
    local d = flow.dns()
    print(d.last_query, d.last_query_type, d.last_return_code, d.replies_as_string, d.invalid_chars_in_query)
    print(d['protos.dns.last_query'], d['protos.dns.last_query_type'], d['protos.dns.last_return_code'], d['protos.dns.invalid_chars_in_query'])`, dns), [
    'www.example.org\t1\t3\t93.184.216.34\tfalse',
    'www.example.org\t1\t3\tnil',
  ]);
  const ssh = fakeFlow({
    'proto.ndpi': 'SSH', 'proto.master_ndpi_id': 0, 'proto.ndpi_id': 92, 'srv.port': 22,
    'protos.ssh.client_signature': 'SSH-2.0-OpenSSH_9.6', 'protos.ssh.server_signature': 'SSH-2.0-OpenSSH_7.4',
    'protos.ssh.hassh.client_hash': 'c0ffee', 'protos.ssh.hassh.server_hash': 'beef',
    'protos.tls_version': undefined, 'protos.tls.ja3.client_hash': undefined,
  });
  assert.deepEqual(await printed(`
    local s = flow.ssh()
    print(s.client_signature, s.server_signature, s.hassh_client, s.hassh_server)
    print(s['protos.ssh.client_signature'], s['protos.ssh.hassh.server_hash'])`, ssh), [
    'SSH-2.0-OpenSSH_9.6\tSSH-2.0-OpenSSH_7.4\tc0ffee\tbeef',
    'SSH-2.0-OpenSSH_9.6\tbeef',
  ]);
  const tls = fakeFlow({
    'protos.tls.issuerDN': 'CN=Example CA', 'protos.tls.subjectDN': 'CN=www.google.com', 'protos.tls.server_names': 'www.google.com,google.com',
    'protos.tls.notBefore': 1690000000, 'protos.tls.notAfter': 1720000000, 'protos.tls.cipher': 0x0005, 'protos.tls.ja3.server_hash': 'ffff',
  });
  assert.deepEqual(await printed(`
    local t = flow.tls_quic()
    print(t.issuerDN, t.subjectDN, t.server_names, t.notBefore, t.notAfter, math.type(t.notAfter), t.unsafe_cipher, t.ja3_server)`, tls), [
    'CN=Example CA\tCN=www.google.com\twww.google.com,google.com\t1690000000\t1720000000\tinteger\ttrue\tffff',
  ]);
});

test('flow.triggerAlert: alert 87 with the score truncated to u8, severity from the score, one per run (last wins)', async () => {
  const r = await runner([
    { name: 'custom_flow_protocol_detected_script.lua', source: 'flow.triggerAlert(300, "first") flow.triggerAlert(102, "dummy alert message")' },
    { name: 'custom_flow_end_script.lua', source: 'flow.triggerAlert(-1, 42)' },
  ]);
  const flow = fakeFlow();
  r.handleEvent(event('flow_detected', flow, 9));
  r.handleEvent(event('flow_ended', flow, 9));
  const alerts = r.alerts.list();
  assert.equal(alerts.length, 2);
  assert.deepEqual(alerts.map((a) => [a.alert_id, a.alert_name, a.score, a.severity, a.severity_name, a.msg, a.hook]), [
    [87, 'flow_alert_custom_lua_script', 102, 5, 'error', 'dummy alert message', 'protocol_detected'],
    [87, 'flow_alert_custom_lua_script', 255, 8, 'emergency', '42', 'flow_end'],
  ]);
  // The custom alert type is counted once per flow: SCORE_LEVEL_ERROR split 50/50.
  assert.deepEqual(alerts.map((a) => a.flow_score), [100, 100]);
  assert.deepEqual(r.hostScores().map((h) => [h.ip, h.asClient, h.asServer]), [['192.168.1.10', 50, 0], ['93.184.216.34', 0, 50]]);
  assert.equal(alerts[0].cli_ip, '192.168.1.10');
  assert.equal(alerts[0].flow_key, 12345);
  assert.equal(alerts[0].l7_proto_name, 'TLS.Google');
  r.close();
});

test('nDPI risks raise ntopng\'s flow-risk alerts with their scores, once per flow', async () => {
  const r = await runner([]);
  const flow = fakeFlow({ flow_risk: [9, 15], flow_risk_names: ['TLS Cert Expired', 'TLS (probably) Not Carrying HTTPS'] });
  r.handleEvent(event('flow_detected', flow, 4));
  r.handleEvent(event('flow_ended', fakeFlow({ flow_risk: [9, 15, 21], flow_risk_names: [] }), 4));
  const alerts = r.alerts.list();
  assert.deepEqual(alerts.map((a) => [a.alert_id, a.alert_name, a.score, a.severity_name, a.risk_id, a.msg, a.hook]), [
    [22, 'flow_alert_ndpi_tls_certificate_expired', 100, 'error', 9, 'TLS Cert Expired', 'protocol_detected'],
    [46, 'flow_alert_ndpi_tls_not_carrying_https', 10, 'notice', 15, 'TLS (probably) Not Carrying HTTPS', 'protocol_detected'],
  ]);
  // Risk 21 (suspicious ESNI) has no alert type in ntopng: unhandled, nothing raised.
  assert.equal(alerts[1].flow_score, 110);
  r.close();
});

test('a flow starts with no score, status or alert of an earlier flow (ended flows\' state is reused)', async () => {
  const r = await runner([{
    name: 'custom_flow_protocol_detected_script.lua',
    source: `
      local flow_consts = require('flow_consts')
      if flow.cli_port() == 1000 then
        flow.setStatus(flow_consts.status_types.status_blacklisted.status_key, 30, 20, 10)
        flow.triggerAlert(100, "first")
      else
        flow.triggerAlert(10, "next " .. tostring(flow.isStatusSet(flow_consts.status_types.status_blacklisted.status_key)))
      end`,
  }]);
  // One flow with a status and an alert, then flows after it has ended, each alerting once.
  for (let i = 0; i < 4; i++) {
    const flow = fakeFlow({ 'cli.port': 1000 + i, 'cli.ip': `10.0.0.${i + 1}` });
    r.handleEvent(event('flow_detected', flow, 20 + i));
    if (i === 0) assert.ok(r.flowScore(20)!.flowScore > 0);
    r.handleEvent(event('flow_ended', flow, 20 + i));
    assert.equal(r.flowScore(20 + i), null, 'an ended flow keeps no state');
  }
  assert.deepEqual(r.errors(), []);
  const alerts = r.alerts.list();
  assert.deepEqual(alerts.map((a) => a.msg), ['first', 'next false', 'next false', 'next false']);
  // The first flow: its status (30) and the custom alert type (100, split 50/50). Each later flow:
  // its own custom alert only, and its own client's score.
  assert.deepEqual(alerts.map((a) => a.flow_score), [130, 100, 100, 100]);
  assert.deepEqual(r.hostScores().filter((h) => h.ip.startsWith('10.')).map((h) => [h.ip, h.asClient]), [
    ['10.0.0.1', 70], ['10.0.0.2', 50], ['10.0.0.3', 50], ['10.0.0.4', 50],
  ]);
  r.close();
});

test('protocol names reach Lua by number once sent: each flow still reads its own, after errors too', async () => {
  // Two scripts (two Lua states, each sent a name once); the second fails on the first HTTP flow.
  const r = await runner([
    { name: 'a.lua', source: 'flow.triggerAlert(1, "a " .. flow.l7_proto_name() .. " " .. flow.getnDPIProtocolName())' },
    { name: 'b.lua', source: 'if flow.cli_port() == 3 then error("boom") end flow.triggerAlert(1, "b " .. flow.l7_proto_name())' },
  ]);
  const names = ['TLS.Google', 'DNS', 'TLS.Google', 'HTTP', 'HTTP', 'DNS', 'TLS.Google'];
  names.forEach((name, i) => {
    const flow = fakeFlow({ 'proto.ndpi': name, 'cli.port': i });
    r.handleEvent(event('flow_detected', flow, 100 + i));
    r.handleEvent(event('flow_ended', flow, 100 + i));
  });
  assert.deepEqual(r.errors().map((e) => [e.script, e.flowSerial]), [['b.lua', 103]]);
  const msgs = r.alerts.list().map((a) => a.msg);
  assert.deepEqual(msgs.filter((m) => m.startsWith('a ')), names.map((n) => `a ${n} ${n}`));
  assert.deepEqual(msgs.filter((m) => m.startsWith('b ')), names.filter((_, i) => i !== 3).map((n) => `b ${n}`));
  r.close();
});

test('IPv4 addresses a state holds in its slots come back right: repeats, swaps, collisions, IPv6, after errors', async () => {
  // Two addresses that share a slot, found by search (the table has 4096 slots).
  const ip = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  const a = 0x0a000001;
  let b = a + 1;
  while (addressSlot(b) !== addressSlot(a)) b++;
  const A = ip(a), B = ip(b);
  const pairs: Array<[string, string]> = [
    [A, '93.184.216.34'], [A, '93.184.216.34'], ['93.184.216.34', A], [A, A], [A, B], [B, A], [B, B],
    ['2001:db8::1', A], [A, '2001:db8::2'], [B, '8.8.8.8'], [A, '8.8.8.8'], ['255.255.255.255', '0.0.0.0'], [A, B],
  ];
  const r = await runner([
    { name: 'a.lua', source: 'flow.triggerAlert(1, "a " .. flow.cli() .. " " .. flow.srv())' },
    // Fails on every third flow, after reading the addresses.
    { name: 'b.lua', source: 'local t = flow.cli() .. " " .. flow.srv() if flow.cli_port() % 3 == 0 then error("boom") end flow.triggerAlert(1, "b " .. t)' },
  ]);
  pairs.forEach(([cli, srv], i) => {
    const flow = fakeFlow({ 'cli.ip': cli, 'srv.ip': srv, 'cli.port': i, ip_version: cli.includes(':') || srv.includes(':') ? 6 : 4 });
    r.handleEvent(event('flow_detected', flow, 200 + i));
    r.handleEvent(event('flow_ended', flow, 200 + i));
  });
  assert.equal(r.errors().length, pairs.filter((_, i) => i % 3 === 0).length);
  const msgs = r.alerts.list().map((x) => x.msg);
  assert.deepEqual(msgs.filter((m) => m.startsWith('a ')), pairs.map(([c, s]) => `a ${c} ${s}`));
  assert.deepEqual(msgs.filter((m) => m.startsWith('b ')), pairs.filter((_, i) => i % 3 !== 0).map(([c, s]) => `b ${c} ${s}`));
  r.close();
});

test('alert messages known by their address come back right: repeats, many texts, long ones, addresses reused', async () => {
  // 1500 short texts in a scrambled order (more than the host's slots, so slots are replaced),
  // every 7th a long one (not interned), and per run twenty strings of garbage so that Lua's
  // collector frees the messages no longer held and hands their addresses to new strings.
  const r = await runner([{
    name: 'custom_flow_protocol_detected_script.lua',
    source: `
      n = (n or 0) + 1
      local junk = {}
      for j = 1, 20 do junk[j] = "junk" .. n .. "-" .. j end
      local k = (n * 7919) % 1500
      if n % 7 == 0 then flow.triggerAlert(1, string.rep("long message ", 4) .. k) else flow.triggerAlert(1, "m" .. k) end`,
  }], { alerts: new AlertStore(10_000) });
  const expected: string[] = [];
  for (let n = 1; n <= 6000; n++) {
    const flow = fakeFlow({ 'cli.port': n & 0xffff });
    r.handleEvent(event('flow_detected', flow, n));
    r.handleEvent(event('flow_ended', flow, n));
    const k = (n * 7919) % 1500;
    expected.push(n % 7 === 0 ? `${'long message '.repeat(4)}${k}` : `m${k}`);
  }
  assert.deepEqual(r.errors(), []);
  assert.deepEqual(r.alerts.list().map((a) => a.msg), expected);
  r.close();
});

test('a protocol name outside the pool (nameId 0) is sent with every run, not kept by number', async () => {
  const box = await sandbox();
  assert.equal(box.compile('flow.triggerAlert(1, flow.l7_proto_name())', 'x.lua'), null);
  const module = await luaModule();
  const msgs: string[] = [];
  for (const name of ['DNS', 'Unknown', 'DNS']) {
    const args = { ...(await flowArgs()), nameId: 0 };
    const bytes = new TextEncoder().encode(name);
    args.namePtr = module.malloc(bytes.length);
    args.nameLen = bytes.length;
    module.heap().set(bytes, args.namePtr);
    const result = box.run(args, HOOK_PROTOCOL_DETECTED);
    module.free(args.namePtr);
    assert.ok(result.ok);
    for (const e of result.events) if (e.kind === 'alert') msgs.push(e.msg);
  }
  // And a pooled one after them (the flow's own, through the view).
  for (const e of box.run(await flowArgs(), HOOK_PROTOCOL_DETECTED).events) if (e.kind === 'alert') msgs.push(e.msg);
  assert.deepEqual(msgs, ['DNS', 'Unknown', 'DNS', 'TLS.Google']);
  box.close();
});

test('the Flow User Scripts API (document 002)', async () => {
  const flow = fakeFlow({ 'cli2srv.packets': 10, 'srv2cli.packets': 12, 'seen.first': 1700000000, 'seen.last': 1700000005 });
  const r = await runner([{ name: 'custom_flow_protocol_detected_script.lua', source: `
    local flow_consts = require('flow_consts')
    local st = flow_consts.status_types
    print(flow.getStatus(), flow.isStatusSet(st.status_blacklisted.status_key), flow.getScore())
    print(flow.setStatus(st.status_blacklisted, 30, 20, 10), flow.setStatus(st.status_blacklisted, 30, 20, 10))
    print(flow.isStatusSet(st.status_blacklisted.status_key), flow.getStatus(), flow.getScore())
    flow.clearStatus(st.status_blacklisted)
    print(flow.isStatusSet(1), flow.getStatus())
    flow.triggerStatus(st.status_longlived.create(), { duration = 3600 }, 60, 30, 30)
    print(flow.isStatusSet(11), flow.getScore())
    print(flow.isClientUnicast(), flow.isServerUnicast(), flow.isUnicast())
    print(flow.isRemoteToRemote(), flow.isLocalToRemote(), flow.isRemoteToLocal(), flow.isLocal())
    print(flow.isBlacklisted(), flow.isTwhOK(), flow.isBidirectional(), flow.isPassVerdict())
    print(flow.getKey(), flow.getFirstSeen(), flow.getLastSeen(), flow.getDuration())
    print(flow.getPacketsSent(), flow.getPacketsRcvd(), flow.getPackets(), flow.getBytesSent(), flow.getBytesRcvd(), flow.getBytes(), flow.getGoodputBytes())
    print(flow.getClientKey(), flow.getServerKey())
    print(flow.getnDPICategoryName(), flow.getnDPIProtocolName(), flow.getnDPICategoryId(), flow.getnDPIMasterProtoId(), flow.getnDPIAppProtoId())
    print(flow.getDnsQuery() == '', flow.getClientCountry(), flow.getServerCountry(), flow.getTLSVersion(), flow.getnDPIMatchPacket())
    local info = flow.getFullInfo()
    print(info['cli.ip'], info['srv.port'], info['proto.ndpi'], info['cli.localhost'], info['srv.localhost'], info['ntopng.key'])
  ` }]);
  r.handleEvent(event('flow_detected', flow, 2));
  assert.deepEqual(r.errors(), []);
  const lines = r.logs().map((l) => l.text).join('').trim().split('\n');
  assert.deepEqual(lines, [
    '0\tfalse\t0',
    'true\tfalse',
    'true\t2\t30',
    'false\t0',
    'true\t90',
    'true\ttrue\ttrue',
    'false\ttrue\tfalse\tfalse',
    'false\ttrue\ttrue\ttrue',
    '12345\t1700000000\t1700000005\t5',
    '10\t12\t22\t1500\t9000\t10500\t8900',
    `${(192 << 24 | 168 << 16 | 1 << 8 | 10) >>> 0}\t${(93 << 24 | 184 << 16 | 216 << 8 | 34) >>> 0}`,
    'Web\tTLS.Google\t5\t91\t126',
    'true\tnil\tnil\t772\tnil',
    '192.168.1.10\t443\tTLS.Google\ttrue\tfalse\t12345',
  ]);
  const statusAlert = r.alerts.list({ source: 'flow_status' });
  assert.equal(statusAlert.length, 1);
  assert.equal(statusAlert[0].alert_id, FLOW_ALERT_TYPES.flow_alert_longlived);
  assert.equal(statusAlert[0].msg, '{"duration":3600}');
  assert.equal(statusAlert[0].score, 60);
  r.close();
});

test('outside a flow (a user script at load) flow.* return nil and the booleans false', async () => {
  const r = await runner([{ name: 'probe.lua', source: `
    print(flow.cli(), flow.bytes(), flow.direction(), flow.http(), flow.is_oneway(), flow.is_unicast())
    flow.triggerAlert(100, 'ignored')
    return { check = function() end }` }]);
  assert.deepEqual(r.logs().map((l) => l.text), ['nil\tnil\tnil\tnil\tfalse\tfalse\n']);
  assert.equal(r.alerts.size, 0);
  assert.deepEqual(r.stats()[0].hooks, ['protocol_detected']);
  r.close();
});

test('document 001 boilerplate runs unchanged; modules get flow_info; chunk globals persist', async () => {
  const boilerplate = `
local dirs = ntop.getDirs()
package.path = dirs.installdir .. "/scripts/lua/modules/?.lua;" .. package.path

local flow_consts = require("flow_consts")

local my_check = {}

-- Called once per active flow by the engine
function my_check.check(flow_info)
    local cli   = flow.cli()          -- client IP string
    local srv   = flow.srv()          -- server IP string
    local proto = flow.protocol()     -- L4 protocol number
    local bytes = flow.bytes()        -- total bytes

    if bytes > 1000000 then
        flow.triggerAlert(flow_consts.alert_types.flow_score, "Large flow detected")
    end
    print(flow_info['cli.ip'], flow_info['proto.ndpi'])
end

return my_check
`;
  const r = await runner([
    { name: 'custom_flow_protocol_detected_script.lua', source: boilerplate },
    { name: 'custom_flow_end_script.lua', source: 'count = (count or 0) + 1 print("end", count)' },
  ]);
  r.handleEvent(event('flow_detected', fakeFlow({ 'srv2cli.bytes': 2_000_000, bytes: 2_001_500 }), 1));
  r.handleEvent(event('flow_detected', fakeFlow(), 2));
  r.handleEvent(event('flow_ended', fakeFlow(), 1));
  r.handleEvent(event('flow_ended', fakeFlow(), 2));
  assert.deepEqual(r.errors(), []);
  const alerts = r.alerts.list({ source: 'lua_script' });
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].score, 100);
  assert.equal(alerts[0].msg, 'Large flow detected');
  assert.equal(alerts[0].flow_serial, 1);
  assert.deepEqual(r.logs().map((l) => l.text), [
    '192.168.1.10\tTLS.Google\n', '192.168.1.10\tTLS.Google\n', 'end\t1\n', 'end\t2\n',
  ]);
  assert.deepEqual(r.stats().map((s) => [s.script, s.mode, s.runs]), [
    ['custom_flow_end_script.lua', 'chunk', 2],
    ['custom_flow_protocol_detected_script.lua', 'module', 2],
  ]);
  r.close();
});

test('ntopng 4.x user scripts with hooks, the periodic hook on packet time', async () => {
  const r = await runner([{ name: 'user.lua', source: `
    local script = { hooks = {} }
    function script.hooks.protocolDetected(now) print('detected', now) end
    function script.hooks.periodicUpdate(now) print('periodic', now, flow.bytes()) end
    function script.hooks.flowEnd(now) print('end', now) end
    return script` }]);
  const t0 = 1700000000;
  const at = (s: number, bytes = 100) => fakeFlow({ 'seen.last_us': (t0 + s) * 1e6, 'seen.last': t0 + s, bytes, 'cli2srv.bytes': bytes, 'srv2cli.bytes': 0 });
  // Without an engine attached, periodic calls come from events: a flow_ended runs the due call.
  r.handleEvent(event('flow_detected', at(1), 1));
  r.handleEvent(event('flow_ended', at(75, 5000), 1));
  assert.deepEqual(r.logs().map((l) => l.text.trim()), [`detected\t${t0 + 1}`, `periodic\t${t0 + 75}\t5000`, `end\t${t0 + 75}`]);
  assert.deepEqual(r.stats()[0].hooks, ['protocol_detected', 'periodic', 'flow_end']);
  r.close();
});

test('require: flowscope modules only; dkjson/json and lua_utils work', async () => {
  const lines = await printed(`
    local json = require('dkjson')
    print(json.encode({ a = 1, b = { 'x', 'y' }, c = true }))
    local v = json.decode('{"k":[1,2,{"z":null}],"s":"\\\\u00e9"}')
    print(#v.k, v.s)
    print(require('json') ~= nil, require('dkjson') == json)
    require('lua_utils')
    tprint({ z = 1, a = { b = 2 } })
    print(table.len({ 1, 2, x = 3 }), isEmptyString(''), string.starts('hello', 'he'), bytesToSize(2048))
    print(pcall(require, 'socket'))
    local fc = require('flow_consts')
    print(fc.alert_types.flow_score, fc.status_types.status_custom_lua_script.status_key, fc.status_types.status_blacklisted.status_key)
  `);
  assert.equal(lines[0], '{"a":1,"b":["x","y"],"c":true}');
  assert.equal(lines[1], '3\té');
  assert.equal(lines[2], 'true\ttrue');
  assert.deepEqual(lines.slice(3, 6), ['a: ', '  b: 2', 'z: 1']);
  assert.equal(lines[6], '3\ttrue\ttrue\t2.00 KB');
  assert.match(lines[7], /^false\tmodule 'socket' not found: the flowscope sandbox provides only alert_severities, dkjson, flow_consts, json, lua_utils/);
  assert.equal(lines[8], `100\t${CUSTOM_LUA_SCRIPT_ALERT}\t1`);
});
