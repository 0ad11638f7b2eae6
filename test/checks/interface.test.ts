// interface.* Flows API (document 000, ntopng-notes §1–§3) against real flow tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFile } from '../../adapters/node/engine.ts';
import { CheckRunner } from '../../runtime/checks/runner.ts';
import { FlowsApi, alertLookup, flowKey, readPaginator } from '../../runtime/checks/interface.ts';
import { LocalNetworks } from '../../runtime/checks/local_networks.ts';
import { protocolName } from '../../runtime/ndpi/tables.ts';
import type { FlowInfo } from '../../runtime/types.ts';
import { LUA_WASM, cpuClock, fakeFlow } from './helpers.ts';

const DEV = '/work/shared/pcaps/dev';
const cache = new Map<string, FlowInfo[]>();
async function flowsOf(name: string): Promise<FlowInfo[]> {
  if (!cache.has(name)) cache.set(name, (await analyzeFile(`${DEV}/${name}`)).flows);
  return cache.get(name)!;
}

const all = { maxHits: 32768 };

test('getFlowKey equals every flow\'s ntopng.key, and (key, hash id) finds the flow', async () => {
  for (const name of ['1kxun.pcap', 'http_ipv6.pcap', 'ipv6_in_gtp.pcap', 'dns.pcap']) {
    const flows = await flowsOf(name);
    assert.ok(flows.length > 0, name);
    const api = new FlowsApi(flows);
    for (const f of flows) {
      const at = f.vlan ? `@${f.vlan}` : '';
      assert.equal(api.getFlowKey(f['cli.ip'] + at, f['cli.port'], f['srv.ip'] + at, f['srv.port'], f['proto.l4_id']), f['ntopng.key'], `${name} ${f['cli.ip']}`);
      // symmetric
      assert.equal(flowKey(f['srv.ip'], f['srv.port'], f['cli.ip'], f['cli.port'], f.vlan, f['proto.l4_id']), f['ntopng.key']);
      const found = api.findFlowByKeyAndHashId(f['ntopng.key'], f.hash_entry_id)!;
      assert.equal(found.hash_entry_id, f.hash_entry_id);
      assert.equal(found['proto.l4'], f['proto.l4'], 'high details');
    }
    // unknown host, mismatched vlans: nil
    assert.equal(api.getFlowKey('203.0.113.254', 1, flows[0]['srv.ip'], 2, 6), null);
    assert.equal(api.getFlowKey(`${flows[0]['cli.ip']}@1`, 1, `${flows[0]['srv.ip']}@2`, 2, 6), null);
  }
});

test('getFlowsInfo: counts equal filtering the flow objects directly', async () => {
  const flows = await flowsOf('1kxun.pcap');
  const nets = new LocalNetworks();
  const api = new FlowsApi(flows, { networks: nets });
  const count = (pag: Record<string, unknown>) => api.getFlowsInfo(null, { ...all, ...pag } as never)!.numFlows;
  const tcp = flows.filter((f) => f['proto.l4_id'] === 6);
  assert.equal(count({}), flows.length);
  assert.equal(count({ L4Protocol: 6 }), tcp.length);
  assert.equal(count({ L4Protocol: 17 }), flows.filter((f) => f['proto.l4_id'] === 17).length);
  assert.equal(count({ portFilter: 80 }), flows.filter((f) => f['cli.port'] === 80 || f['srv.port'] === 80).length);
  assert.ok(count({ portFilter: 80 }) > 0);
  assert.equal(count({ ipVersion: 4 }), flows.filter((f) => f.ip_version === 4).length);
  assert.equal(count({ ipVersion: 6 }), flows.filter((f) => f.ip_version === 6).length);
  assert.equal(count({ vlanIdFilter: 0 }), flows.filter((f) => f.vlan === 0).length);
  const cats = new Set(flows.map((f) => f['proto.ndpi_cat_id']));
  for (const cat of cats) assert.equal(count({ l7categoryFilter: cat }), flows.filter((f) => f['proto.ndpi_cat_id'] === cat).length);
  const apps = new Set(flows.map((f) => `${f['proto.master_ndpi_id']}.${f['proto.ndpi_id']}`));
  for (const ma of apps) {
    const [m, a] = ma.split('.').map(Number);
    assert.equal(count({ l7protoFilter: a }), flows.filter((f) => f['proto.ndpi_id'] === a).length, `app ${a}`);
    assert.equal(count({ l7protoFilter: String(a) }), flows.filter((f) => f['proto.ndpi_id'] === a).length);
    if (m !== 0 && a !== 0) assert.equal(count({ l7protoFilter: ma }), flows.filter((f) => f['proto.master_ndpi_id'] === m && f['proto.ndpi_id'] === a).length);
    if (m !== 0) assert.equal(count({ l7protoFilter: `${m}.0` }), flows.filter((f) => f['proto.master_ndpi_id'] === m || f['proto.ndpi_id'] === m).length);
  }
  for (const state of ['established', 'connecting', 'closed', 'reset'] as const) {
    assert.equal(count({ tcpFlowStateFilter: state }), tcp.filter((f) => f[`tcp_${state}`]).length, state);
  }
  const local = (ip: string) => nets.classify(ip).local;
  assert.equal(count({ clientMode: 'local' }), flows.filter((f) => local(f['cli.ip'])).length);
  assert.equal(count({ clientMode: 'remote' }), flows.filter((f) => !local(f['cli.ip'])).length);
  assert.equal(count({ serverMode: 'remote', clientMode: 'local' }), flows.filter((f) => local(f['cli.ip']) && !local(f['srv.ip'])).length);
  assert.equal(count({ clientMode: 'anything' }), flows.length);
  const mb = (f: FlowInfo) => nets.classify(f['cli.ip']).multicastOrBroadcast || nets.classify(f['srv.ip']).multicastOrBroadcast;
  assert.equal(count({ unicast: true }), flows.filter((f) => !mb(f)).length);
  assert.equal(count({ unicast: false }), flows.filter(mb).length);
  const oneWay = flows.filter((f) => f['cli2srv.packets'] === 0 || f['srv2cli.packets'] === 0).length;
  assert.ok(oneWay > 0 && oneWay < flows.length);
  assert.equal(count({ unidirectional: true }), oneWay);
  assert.equal(count({ unidirectional: false }), oneWay, "ntopng's quirk: false also rejects bidirectional flows");
  // wrong types are ignored
  assert.equal(count({ L4Protocol: '6', portFilter: true }), flows.length);
  // filters on values flowscope does not have
  assert.equal(count({ poolFilter: 0 }), flows.length);
  assert.equal(count({ poolFilter: 3 }), 0);
  assert.equal(count({ periodicFlows: true }), 0);
  assert.equal(count({ alertedFlows: false }), flows.length);
  assert.equal(count({ alertedFlows: true }), 0);
});

test('getFlowsInfo: hosts, sort orders, paging, details levels', async () => {
  const flows = await flowsOf('1kxun.pcap');
  const api = new FlowsApi(flows);
  const byBytes = api.getFlowsInfo(null, { sortColumn: 'column_bytes', ...all })!;
  assert.equal(byBytes.nextSlot, 0);
  const bytes = byBytes.flows.map((f) => f.bytes as number);
  assert.deepEqual(bytes, [...bytes].sort((a, b) => a - b));
  const desc = api.getFlowsInfo(null, { sortColumn: 'column_bytes', a2zSortOrder: false, ...all })!.flows.map((f) => f.bytes as number);
  assert.deepEqual(desc, [...bytes].reverse());
  for (const [col, field] of [['column_duration', 'duration'], ['column_first_seen', 'seen.first_us'], ['column_last_seen', 'seen.last_us'],
    ['column_proto_l4', 'proto.l4_id'], ['column_ndpi', 'proto.ndpi_id'], ['column_vlan', 'vlan'], ['column_key', 'hash_entry_id']] as const) {
    const r = api.getFlowsInfo(null, { sortColumn: col, detailsLevel: 'high', ...all })!.flows.map((f) => f[field] as number);
    assert.equal(r.length, flows.length);
    for (let i = 1; i < r.length; i++) assert.ok(r[i - 1] <= r[i], `${col} sorted`);
  }
  const thpt = api.getFlowsInfo(null, { ...all })!.flows.map((f) => api.thpt(flows.find((x) => x.hash_entry_id === f.hash_entry_id)!));
  for (let i = 1; i < thpt.length; i++) assert.ok(thpt[i - 1] <= thpt[i], 'default sort: throughput');
  // quirks: accepted columns with no sorter return no flow; unknown columns sort on bytes
  for (const col of ['column_info', 'column_score_as_client', 'column_score_as_server']) {
    const r = api.getFlowsInfo(null, { sortColumn: col })!;
    assert.equal(r.numFlows, 0);
    assert.deepEqual(r.flows, []);
  }
  assert.deepEqual(api.getFlowsInfo(null, { sortColumn: 'column_nonsense', ...all })!.flows.map((f) => f.bytes), bytes);
  // paging
  const page = api.getFlowsInfo(null, { sortColumn: 'column_bytes', maxHits: 5, toSkip: 3 })!;
  assert.equal(page.numFlows, flows.length);
  assert.deepEqual(page.flows.map((f) => f.hash_entry_id), byBytes.flows.slice(3, 8).map((f) => f.hash_entry_id));
  assert.equal(api.getFlowsInfo(null, { toSkip: 65536 + 2, ...all })!.flows.length, flows.length - 2, 'toSkip is u16');
  assert.equal(readPaginator({ maxHits: 65536 + 10 }).maxHits, 10, 'maxHits is u16');
  assert.equal(readPaginator({ maxHits: 40000 }).maxHits, 32768);
  // details: normal omits proto.l4 and duration; maxHits != 32768 gives high
  const normal = api.getFlowsInfo(null, {})!.flows[0];
  assert.equal(normal['proto.l4'], undefined);
  assert.equal(normal.duration, undefined);
  assert.equal(typeof normal['ntopng.key'], 'number');
  assert.equal(typeof api.getFlowsInfo(null, { maxHits: 10 })!.flows[0]['proto.l4'], 'string');
  assert.equal(typeof api.getFlowsInfo(null, { detailsLevel: 'high' })!.flows[0].duration, 'number');
  // hosts
  const host = flows[0]['cli.ip'];
  const peer = flows[0]['srv.ip'];
  const withHost = flows.filter((f) => f['cli.ip'] === host || f['srv.ip'] === host);
  assert.equal(api.getFlowsInfo(host, all)!.numFlows, withHost.length);
  assert.equal(api.getFlowsInfo(`${host}@0`, all)!.numFlows, withHost.length);
  assert.equal(api.getFlowsInfo(host, all, peer)!.numFlows,
    flows.filter((f) => (f['cli.ip'] === host && f['srv.ip'] === peer) || (f['srv.ip'] === host && f['cli.ip'] === peer)).length);
  assert.equal(api.getFlowsInfo(null, all, null, host)!.numFlows, flows.filter((f) => f['cli.ip'] === host).length);
  assert.equal(api.getFlowsInfo(null, all, null, null, peer)!.numFlows, flows.filter((f) => f['srv.ip'] === peer).length);
  assert.equal(api.getFlowsInfo('203.0.113.254', all), null, 'unknown host: nil');
  const named = flows.find((f) => f.host_server_name)!;
  assert.equal(api.getFlowsInfo(null, all, null, null, null, named.host_server_name)!.numFlows,
    flows.filter((f) => (f.host_server_name || f.info || '') === named.host_server_name).length);
});

test('getFlowsStatus, getFlowsStats, getnDPIFlowsCount, getGroupedFlows, findFlowByTuple, dropFlowTraffic', async () => {
  const flows = await flowsOf('1kxun.pcap');
  const api = new FlowsApi(flows);
  const tcp = flows.filter((f) => f['proto.l4_id'] === 6);
  assert.deepEqual(api.getFlowsStatus(), {
    Established: tcp.filter((f) => f.tcp_established).length, SYN: tcp.filter((f) => f.tcp_connecting).length,
    RST: tcp.filter((f) => f.tcp_reset).length, FIN: tcp.filter((f) => f.tcp_closed).length,
  });
  const stats = api.getFlowsStats();
  assert.equal(stats.num_flows, flows.length);
  const total = flows.reduce((s, f) => s + f.bytes, 0);
  assert.equal(Object.values(stats.protos).reduce((s, b) => s + b, 0), total);
  assert.equal(Object.values(stats.breeds).reduce((s, b) => s + b, 0), total);
  const counts = api.getnDPIFlowsCount();
  assert.equal(Object.values(counts).reduce((s, n) => s + n, 0), flows.length);
  for (const [name, n] of Object.entries(counts)) assert.equal(n, flows.filter((f) => protocolName(f['proto.ndpi_id']) === name).length);
  const groups = api.getGroupedFlows('column_ndpi', {})!;
  assert.equal(groups.reduce((s, g) => s + (g.num_flows as number), 0), flows.length);
  assert.equal(groups.length, new Set(flows.map((f) => f['proto.ndpi_id'])).size);
  for (const g of groups) {
    const members = flows.filter((f) => f['proto.ndpi_id'] === g.proto);
    assert.equal(g.num_flows, members.length);
    assert.equal(g.num_blocked_flows, members.length);
    assert.equal(g.bytes, members.reduce((s, f) => s + f.bytes, 0));
  }
  assert.deepEqual(api.getGroupedFlows('column_bytes', {}), []);
  assert.equal(api.getGroupedFlows(null as never), null);
  for (const f of flows.slice(0, 50)) {
    const t = api.findFlowByTuple(f['cli.ip'], f['srv.ip'], f.vlan, f['cli.port'], f['srv.port'], f['proto.l4_id'])!;
    assert.equal(t.hash_entry_id, f.hash_entry_id);
    const r = api.findFlowByTuple(f['srv.ip'], f['cli.ip'], f.vlan, f['srv.port'], f['cli.port'], f['proto.l4_id'])!;
    assert.equal(r.hash_entry_id, f.hash_entry_id, 'either direction');
  }
  assert.equal(api.findFlowByTuple('203.0.113.1', '203.0.113.2', 0, 1, 2, 6), null);
  assert.equal(api.dropFlowTraffic(flows[0]['ntopng.key'], flows[0].hash_entry_id), false);
  // getBatchedFlowsInfo walks the table in slots
  let slot = 0, seen = 0;
  do { const r = api.getBatchedFlowsInfo(slot, { maxHits: 7 }); seen += r.flows.length; slot = r.nextSlot; } while (slot !== 0);
  assert.equal(seen, flows.length);
});

test('alerts: alertedFlows, statusFilter, flow.status, column_score', () => {
  const a = fakeFlow({ hash_entry_id: 1, 'ntopng.key': 10 }), b = fakeFlow({ hash_entry_id: 2, 'ntopng.key': 20, bytes: 1 });
  const api = new FlowsApi([a, b], {
    alerts: alertLookup([{ flow_key: 20, hash_id: 2, alert_id: 87, score: 120 } as never, { flow_key: 20, hash_id: 2, alert_id: 5, score: 10 } as never]),
  });
  assert.equal(api.getFlowsInfo(null, { alertedFlows: true })!.flows[0].hash_entry_id, 2);
  assert.equal(api.getFlowsInfo(null, { alertedFlows: false })!.flows[0].hash_entry_id, 1);
  assert.equal(api.getFlowsInfo(null, { statusFilter: 5 })!.numFlows, 1);
  assert.equal(api.getFlowsInfo(null, { statusFilter: 6 })!.numFlows, 0);
  assert.equal(api.getFlowsInfo(null, { statusSeverityFilter: 3 })!.numFlows, 1);
  assert.equal(api.getFlowsInfo(null, { statusSeverityFilter: 2 })!.numFlows, 0);
  const t = api.getFlowsInfo(null, { sortColumn: 'column_score', a2zSortOrder: false })!.flows[0];
  assert.equal(t['flow.status'], 87);
  assert.equal(t.predominant_alert_score, 120);
  assert.deepEqual(t.alerts_map, { 5: true, 87: true });
});

test('interface.* from Lua: snapshot of the flow table, same answers as the TypeScript API', async () => {
  const script = `
    local n = 0
    function check()
      local f = flow.getFullInfo()
      local k = interface.getFlowKey(f['cli.ip'], f['cli.port'], f['srv.ip'], f['srv.port'], f['proto.l4_id'])
      if k ~= flow.getKey() then print('KEYMISMATCH') end
      local r = interface.getFlowsInfo(nil, { L4Protocol = 6, sortColumn = 'column_bytes', a2zSortOrder = false, maxHits = 3 })
      local me = interface.findFlowByKeyAndHashId(flow.getKey(), f.hash_entry_id)
      if me == nil then print('NOTFOUND') end
      print(string.format('%d %d %s %s', r.numFlows, #r.flows, tostring(interface.dropFlowTraffic(1, 2)), tostring(interface.getFlowsStatus().Established ~= nil)))
    end
    return { check = check }`;
  const runner = await CheckRunner.create({ luaWasm: LUA_WASM, cpuClock, scripts: [{ name: 'custom_flow_end_script.lua', source: script }], riskAlerts: false });
  await analyzeFile(`${DEV}/1kxun.pcap`, { engine: (e) => runner.attach(e), onProgress: () => runner.tick() });
  runner.finish();
  assert.deepEqual(runner.errors(), []);
  const logs = runner.logs().map((l) => l.text.trim());
  assert.ok(logs.length > 0);
  assert.ok(!logs.some((l) => l.includes('KEYMISMATCH') || l.includes('NOTFOUND')), logs.find((l) => /MISMATCH|NOTFOUND/.test(l)));
  for (const l of logs) assert.match(l, /^\d+ [0-3] false true$/);
  // Outside a run: the TypeScript API over the engine (nothing attached after the end: empty).
  assert.equal(runner.flowsApi().getFlowsInfo(null, {})!.numFlows >= 0, true);
  runner.close();
});

test('getFlowsInfo: icmp_type + icmp_code, dscpFilter (counts from tshark\'s dissection of the captures)', async () => {
  const count = (flows: FlowInfo[], pag: Record<string, unknown>) => new FlowsApi(flows).getFlowsInfo(null, { ...all, ...pag } as never)!.numFlows;
  const quic = await flowsOf('quic_interop_V.pcapng');
  // 14 ICMP flows: 8 whose last message is port unreachable (3/3), 1 host administratively
  // prohibited (3/10), and 5 ICMPv6 flows of port unreachable (1/4, RFC 4443 §3.1).
  assert.equal(count(quic, { icmp_type: 3, icmp_code: 3 }), 8);
  assert.equal(count(quic, { icmp_type: 3, icmp_code: 10 }), 1);
  assert.equal(count(quic, { icmp_type: 1, icmp_code: 4 }), 5);
  assert.equal(count(quic, { icmp_type: 3, icmp_code: 3 + 256 }), 8, 'u8 as ntopng stores it');
  // Both are needed; 255 is "off".
  assert.equal(count(quic, { icmp_type: 3 }), quic.length);
  assert.equal(count(quic, { icmp_type: 3, icmp_code: 255 }), quic.length);
  assert.equal(count(quic, { icmp_type: '3', icmp_code: 3 }), quic.length, 'a string is ignored');
  // 6in4: an echo request (128) answered (129): the flow reports the server's reply, as ntopng.
  const tunnel = await flowsOf('6in4tunnel.pcap');
  assert.equal(count(tunnel, { icmp_type: 129, icmp_code: 0 }), 1);
  assert.equal(count(tunnel, { icmp_type: 128, icmp_code: 0 }), 0);
  assert.equal(count(tunnel, { icmp_type: 1, icmp_code: 3 }), 1);
  const echo = new FlowsApi(tunnel).getFlowsInfo(null, { icmp_type: 129, icmp_code: 0, detailsLevel: 'high' })!.flows[0];
  assert.equal(echo['cli.ip'], '2001:470:1f17:13f:3e97:eff:fe73:4dec');
  assert.deepEqual(echo.icmp, { type: 129, code: 0 });
  // DSCP of either side's last packet: netflix CS1 (8) on 46 of 61 flows, KakaoTalk 7 on 3, syslog 45 on 3.
  const netflix = await flowsOf('netflix.pcap');
  assert.equal(count(netflix, { dscpFilter: 8 }), 46);
  assert.equal(count(netflix, { dscpFilter: 8 + 256 }), 46);
  assert.equal(count(netflix, { dscpFilter: 255 }), netflix.length);
  assert.equal(count(netflix, { dscpFilter: 0 }), netflix.filter((f) => f['tos.client.DSCP'] === 0 || f['tos.server.DSCP'] === 0).length);
  assert.equal(count(await flowsOf('KakaoTalk_chat.pcap'), { dscpFilter: 7 }), 3);
  assert.equal(count(await flowsOf('syslog.pcap'), { dscpFilter: 45 }), 3);
  const high = new FlowsApi(netflix).getFlowsInfo(null, { dscpFilter: 8, detailsLevel: 'high', maxHits: 1 })!.flows[0];
  const tos = high.tos as { client: { DSCP: number }; server: { DSCP: number } };
  assert.ok(tos.client.DSCP === 8 || tos.server.DSCP === 8);
  assert.equal(high.icmp, undefined, 'icmp only on ICMP flows');
});

test('getFlowsInfo: LocalNetworkFilter (most specific network, client or server), ifaceIndex, deviceIpFilter', async () => {
  const flows = await flowsOf('gnutella.pcap');
  // ids by position: 0 10.0.2.0/24, 1 10.0.0.0/8, 2 127.0.0.0/8, 3 fe80::/10, 4 ff02::/16
  const nets = new LocalNetworks('10.0.2.0/24,10.0.0.0/8,127.0.0.0/8,fe80::/10,ff02::/16');
  const api = new FlowsApi(flows, { networks: nets });
  const count = (pag: Record<string, unknown>) => api.getFlowsInfo(null, { ...all, ...pag } as never)!.numFlows;
  // Membership computed here on the text of the addresses, the most specific prefix first.
  const id = (ip: string) => ip.startsWith('10.0.2.') ? 0 : ip.startsWith('10.') ? 1 : ip.startsWith('127.') ? 2
    : /^fe[89ab]/i.test(ip) ? 3 : ip.toLowerCase().startsWith('ff02:') ? 4 : -1;
  const expected = (n: number) => flows.filter((f) => id(f['cli.ip']) === n || id(f['srv.ip']) === n).length;
  for (const n of [-1, 0, 1, 3, 4]) assert.equal(count({ LocalNetworkFilter: n }), expected(n), `network ${n}`);
  assert.deepEqual(['10.0.2.15', '10.1.2.3', '127.0.0.1', 'fe80::1', 'ff02::fb', '8.8.8.8', 'junk'].map((ip) => nets.networkId(ip)), [0, 1, 2, 3, 4, -1, -1]);
  assert.ok(expected(0) > 0 && expected(3) > 0 && expected(4) > 0 && expected(-1) > 0);
  // 10.0.2.x is also in 10.0.0.0/8, but its network is the most specific one: no flow for id 1.
  assert.equal(count({ LocalNetworkFilter: 1 }), 0);
  assert.equal(count({ LocalNetworkFilter: 2 }), 0);
  assert.equal(count({ LocalNetworkFilter: 1025 }), flows.length, 'the default: off');
  assert.equal(count({ LocalNetworkFilter: 65536 }), expected(0), 'int16: 65536 is 0');
  assert.equal(count({ ifaceIndex: 0 }), flows.length);
  assert.equal(count({ ifaceIndex: -1 }), flows.length);
  assert.equal(count({ ifaceIndex: 1 }), 0);
  assert.equal(count({ deviceIpFilter: '0.0.0.0' }), flows.length);
  assert.equal(count({ deviceIpFilter: '192.0.2.1' }), 0);
  assert.equal(count({ trafficProfileFilter: 'x', filteredFlows: true }), flows.length, 'Pro and nEdge filters: ignored by the community build');
  const t = api.getFlowsInfo('10.0.2.15', { detailsLevel: 'high', maxHits: 1 })!.flows[0];
  assert.equal(t[t['cli.ip'] === '10.0.2.15' ? 'cli.network_id' : 'srv.network_id'], 0);
});
