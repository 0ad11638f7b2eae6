// The reference documents' example scripts on the real captures of ../shared/pcaps/dev, with a
// probe script that prints every flow.* value: the values must equal the flow objects the engine
// gave the hook, the examples must alert exactly where their condition holds, and where our
// classification agrees with nDPI's ground truth (.out files) the Lua view must agree too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeFile } from '../../adapters/node/engine.ts';
import { CheckRunner, type CheckScript } from '../../runtime/checks/runner.ts';
import type { FlowEvent, FlowInfo } from '../../runtime/types.ts';
import { canonicalIp, compareFlows, listCaptures, PCAPS_DIR } from '../conformance-report.ts';
import { decodeOutFile } from '../ndpi-expected.ts';
import { cpuClock, LUA_WASM } from './helpers.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/checks/', import.meta.url));

function example(path: string): string {
  const file = `${EXAMPLES}${path}`;
  if (!existsSync(file)) throw new Error(`example script missing: ${file}`);
  return readFileSync(file, 'utf8');
}

/** Prints one JSON line per flow and hook with every flow.* value. */
const PROBE = String.raw`
local json = require('dkjson')
local function dump(hook)
  print(json.encode({
    hook = hook, cli = flow.cli(), cli_port = flow.cli_port(), srv = flow.srv(), srv_port = flow.srv_port(),
    vlan_id = flow.vlan_id(), protocol = flow.protocol(), bytes = flow.bytes(), cli2srv_bytes = flow.cli2srv_bytes(),
    srv2cli_bytes = flow.srv2cli_bytes(), l7_master_proto = flow.l7_master_proto(), l7_proto = flow.l7_proto(),
    l7_proto_name = flow.l7_proto_name(), direction = flow.direction(), is_oneway = flow.is_oneway(),
    is_unicast = flow.is_unicast(), http = flow.http(), dns = flow.dns(), ssh = flow.ssh(), tls = flow.tls_quic(),
    int = math.type(flow.bytes()) == 'integer' and math.type(flow.cli_port()) == 'integer',
  }))
end
local probe = { hooks = {} }
function probe.hooks.protocolDetected() dump('detected') end
function probe.hooks.flowEnd() dump('end') end
return probe
`;

const SCRIPTS: CheckScript[] = [
  { name: 'probe.lua', source: PROBE },
  { name: 'custom_flow_protocol_detected_script.lua', source: example('doc001-boilerplate/custom_flow_protocol_detected_script.lua') },
  { name: 'custom_flow_lua_script.lua', source: example('doc001-dns/custom_flow_lua_script.lua') },
  // A user-script name, since the hook file name is taken: a chunk, run on protocol detected.
  { name: 'doc003.lua', source: example('doc003/custom_flow_lua_script.lua') },
];

/** ntopng's default local networks, independently of runtime/checks/local_networks.ts. */
function isLocal(ip: string): boolean {
  if (ip.includes(':')) {
    const first = parseInt(ip.split(':')[0] || '0', 16);
    return (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
  }
  const [a, b, c, d] = ip.split('.').map(Number);
  if (a === 127 || (a === 192 && b === 168 && c === 1)) return true;
  if (a >= 224 && a <= 239) return true;
  if ((a === 255 && b === 255 && c === 255 && d === 255) || (a === 0 && b === 0 && c === 0 && d === 0)) return true;
  return false;
}

function isMulticastOrBroadcast(ip: string): boolean {
  if (ip.includes(':')) return (parseInt(ip.split(':')[0] || '0', 16) & 0xff00) === 0xff00;
  const [a, b, c, d] = ip.split('.').map(Number);
  return (a >= 224 && a <= 239) || (a === 255 && b === 255 && c === 255 && d === 255) || (a === 0 && b === 0 && c === 0 && d === 0)
    || (a === 192 && b === 168 && c === 1 && (d === 0 || d === 255)) || (a === 127 && b === 255 && c === 255 && d === 255) || (a === 127 && b === 0 && c === 0 && d === 0);
}

function expectedDirection(f: FlowInfo): string {
  const cl = isLocal(f['cli.ip']), sl = isLocal(f['srv.ip']);
  if (!cl && !sl) return 'remote2remote';
  if (cl && sl) return 'local@local';
  return cl ? 'local@remote' : 'remote@local';
}

type Dump = Record<string, unknown> & { hook: string };

interface Tally {
  flows: number;
  values: number;
  groundTruthNames: number;
  groundTruthIds: number;
  groundTruthCounters: number;
  alerts: Record<string, number>;
}

test('document examples and flow.* on the dev captures agree with the flow objects and nDPI\'s ground truth', async (t) => {
  if (!existsSync(PCAPS_DIR)) assert.fail(`shared corpus missing: ${PCAPS_DIR} (../shared/pcaps beside the repository)`);
  const captures = listCaptures(['dev']);
  assert.ok(captures.length > 0, 'no captures in dev');
  const tally: Tally = { flows: 0, values: 0, groundTruthNames: 0, groundTruthIds: 0, groundTruthCounters: 0, alerts: {} };
  for (const capture of captures) {
    const logs: Array<{ script: string; text: string; serial: number }> = [];
    let current: FlowEvent | null = null;
    // Output arrives during the run it belongs to: the event being handled names the flow.
    const runner = await CheckRunner.create({
      luaWasm: LUA_WASM, cpuClock, scripts: SCRIPTS, riskAlerts: false,
      onLog: (script, text) => logs.push({ script, text, serial: current?.serial ?? -1 }),
    });
    const detected = new Map<number, FlowInfo>();
    const ended = new Map<number, FlowInfo>();
    let result;
    try {
      result = await analyzeFile(capture.path, {
        engine: (engine) => {
          engine.onEvent = (e) => {
            current = e;
            if (e.kind === 'flow_detected') detected.set(e.serial, e.flow);
            if (e.kind === 'flow_ended') ended.set(e.serial, e.flow);
          };
          runner.attach(engine);
        },
        onProgress: () => runner.tick(),
      });
    } catch (error) {
      // Damaged captures may end with an error; the checks must still have run without failing.
      result = null;
      void error;
    }
    runner.finish();
    assert.deepEqual(runner.errors(), [], `${capture.name}: script errors`);

    // 1. Every value the probe printed equals the flow object of the event that ran it.
    for (const log of logs) {
      assert.equal(log.script, 'probe.lua', `${capture.name}: output from ${log.script}`);
      const dump = JSON.parse(log.text) as Dump;
      const flow = (dump.hook === 'detected' ? detected : ended).get(log.serial);
      assert.ok(flow, `${capture.name}: no ${dump.hook} event for serial ${log.serial}`);
      const where = `${capture.name} serial ${log.serial} (${dump.hook})`;
      const expected: Record<string, unknown> = {
        cli: flow['cli.ip'], cli_port: flow['cli.port'], srv: flow['srv.ip'], srv_port: flow['srv.port'], vlan_id: flow.vlan,
        protocol: flow['proto.l4_id'], bytes: flow['cli2srv.bytes'] + flow['srv2cli.bytes'], cli2srv_bytes: flow['cli2srv.bytes'],
        srv2cli_bytes: flow['srv2cli.bytes'], l7_master_proto: flow['proto.master_ndpi_id'], l7_proto: flow['proto.ndpi_id'],
        l7_proto_name: flow['proto.ndpi'], direction: expectedDirection(flow),
        is_oneway: flow.packets > 0 && (flow['cli2srv.packets'] === 0 || flow['srv2cli.packets'] === 0),
        is_unicast: !isMulticastOrBroadcast(flow['cli.ip']) && !isMulticastOrBroadcast(flow['srv.ip']),
        int: true,
      };
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(dump[key], value, `${where}: flow.${key}()`);
        tally.values++;
      }
      // Metadata tables: every dotted key equals the flow object's; {} when not that protocol.
      const flowValues = flow as unknown as Record<string, unknown>;
      for (const table of ['http', 'dns', 'ssh', 'tls'] as const) {
        const t = dump[table] as Record<string, unknown> | unknown[];
        if (Array.isArray(t)) {
          assert.equal(t.length, 0, `${where}: flow.${table}() is {} or a table`);
          continue;
        }
        for (const [key, value] of Object.entries(t)) {
          if (!key.startsWith('protos.')) continue;
          if (key === 'protos.tls.client_requested_server_name' && flowValues[key] === undefined) assert.equal(value, flow.host_server_name, where);
          else if (key === 'protos.http.server_name' && flowValues[key] === undefined) assert.equal(value, flow.host_server_name, where);
          else assert.deepEqual(value, flowValues[key], `${where}: flow.${table}()['${key}']`);
          tally.values++;
        }
      }
      const dns = dump.dns as Record<string, unknown>;
      if (!Array.isArray(dns) && flowValues['protos.dns.last_query'] !== undefined) {
        assert.equal(dns.last_query, flowValues['protos.dns.last_query'], where);
        assert.equal(dns.last_return_code, flowValues['protos.dns.last_return_code'], where);
      }
      const tls = dump.tls as Record<string, unknown>;
      if (!Array.isArray(tls) && flowValues['protos.tls.ja3.client_hash'] !== undefined) {
        assert.equal(tls.ja3_client, flowValues['protos.tls.ja3.client_hash'], where);
      }
      if (dump.hook === 'detected') tally.flows++;
    }

    // 2. The examples alert exactly where their condition holds, at protocol detection.
    const alerts = runner.alerts.list({ source: 'lua_script' });
    const bySerial = (script: string) => new Set(alerts.filter((a) => a.script === script).map((a) => a.flow_serial));
    const large = bySerial('custom_flow_protocol_detected_script.lua');
    const bigDns = bySerial('custom_flow_lua_script.lua');
    const port53 = bySerial('doc003.lua');
    for (const [serial, flow] of detected) {
      const f = flow as unknown as Record<string, unknown>;
      const isDns = [5, 8, 154].includes(flow['proto.master_ndpi_id']) || [5, 8, 154].includes(flow['proto.ndpi_id']) || f['protos.dns.last_query'] !== undefined;
      assert.equal(large.has(serial), flow['cli2srv.bytes'] + flow['srv2cli.bytes'] > 1_000_000, `${capture.name} ${serial}: doc 001 boilerplate`);
      assert.equal(bigDns.has(serial), isDns && f['protos.dns.last_return_code'] === 0 && flow['srv2cli.bytes'] > 512, `${capture.name} ${serial}: doc 001 DNS example`);
      assert.equal(port53.has(serial), flow['srv.port'] === 53, `${capture.name} ${serial}: doc 003 example`);
    }
    for (const a of alerts) tally.alerts[a.script ?? ''] = (tally.alerts[a.script ?? ''] ?? 0) + 1;
    for (const a of alerts.filter((x) => x.script === 'doc003.lua')) assert.equal(a.score, 100);
    for (const a of alerts.filter((x) => x.script === 'custom_flow_protocol_detected_script.lua')) assert.equal(a.score, 100);

    // 3. Against nDPI's ground truth: where our final classification agrees with the .out name,
    //    the protocol-detected view agrees too; counters agree where the engine's do.
    if (result !== null) {
      const expectedFlows = decodeOutFile(readFileSync(capture.outPath)).flows;
      const { matched } = compareFlows(expectedFlows, result.flows);
      const serialOf = new Map<FlowInfo, number>();
      for (const [serial, flow] of ended) serialOf.set(flow, serial);
      const probeBySerial = new Map<string, Dump>();
      for (const log of logs) {
        const dump = JSON.parse(log.text) as Dump;
        probeBySerial.set(`${log.serial}|${dump.hook}`, dump);
      }
      for (const m of matched) {
        const serial = serialOf.get(m.ours);
        if (serial === undefined) continue;
        const atEnd = probeBySerial.get(`${serial}|end`);
        const atDetection = probeBySerial.get(`${serial}|detected`);
        if (atEnd === undefined || atDetection === undefined) continue;
        const e = m.expected;
        const expectedName = e.masterId !== 0 && e.masterId !== e.appId && e.appId !== 0 ? `${e.masterName}.${e.appName}` : e.appId !== 0 ? e.appName : e.masterName;
        if (m.ours['proto.ndpi'] === expectedName) {
          assert.equal(atEnd.l7_proto_name, expectedName, `${capture.name}: ${e.line}`);
          assert.equal(atEnd.l7_proto, e.appId !== 0 ? e.appId : e.masterId, `${capture.name}: ${e.line}`);
          assert.equal(atEnd.l7_master_proto, e.appId !== 0 && e.masterId !== e.appId ? e.masterId : 0, `${capture.name}: ${e.line}`);
          tally.groundTruthNames++;
          if (atDetection.l7_proto_name === expectedName) tally.groundTruthIds++;
        }
        const probeEnds = [`${canonicalIp(atEnd.cli as string)}:${atEnd.cli_port}`, `${canonicalIp(atEnd.srv as string)}:${atEnd.srv_port}`].sort();
        const outEnds = [`${canonicalIp(e.srcIp)}:${e.srcPort}`, `${canonicalIp(e.dstIp)}:${e.dstPort}`].sort();
        assert.deepEqual(probeEnds, outEnds, `${capture.name}: ends of ${e.line}`);
        assert.equal(atEnd.vlan_id, e.vlan, `${capture.name}: vlan of ${e.line}`);
        assert.equal(atEnd.protocol, e.l4Proto, `${capture.name}: L4 of ${e.line}`);
        if (m.countersExact) {
          assert.equal(atEnd.bytes, e.srcToDst.bytes + e.dstToSrc.bytes, `${capture.name}: bytes of ${e.line}`);
          const [c2s, s2c] = m.sameOrientation ? [e.srcToDst.bytes, e.dstToSrc.bytes] : [e.dstToSrc.bytes, e.srcToDst.bytes];
          assert.equal(atEnd.cli2srv_bytes, c2s);
          assert.equal(atEnd.srv2cli_bytes, s2c);
          tally.groundTruthCounters++;
        }
      }
    }
    runner.close();
  }
  t.diagnostic(`${captures.length} captures, ${tally.flows} flows probed, ${tally.values} flow.* values equal to the flow objects`);
  t.diagnostic(`ground truth: l7_proto_name()/l7_proto()/l7_master_proto() equal to nDPI's on ${tally.groundTruthNames} flows where the classification agrees (${tally.groundTruthIds} of them already at protocol detection), byte counters on ${tally.groundTruthCounters}`);
  t.diagnostic(`example alerts: ${JSON.stringify(tally.alerts)}`);
  assert.ok(tally.flows > 1000, `only ${tally.flows} flows probed`);
  assert.ok(tally.groundTruthNames > 500);
});
