// Shared by the checks tests: the Lua module from node_modules, synthetic flows, sandboxes.
import { createRequire } from 'node:module';
import { loadLuaModule, type LuaModule } from '../../runtime/checks/lua_module.ts';
import { Sandbox, type SandboxOptions } from '../../runtime/checks/sandbox.ts';
import { FlowView } from '../../runtime/checks/flow_view.ts';
import { LocalNetworks } from '../../runtime/checks/local_networks.ts';
import { luaModules } from '../../runtime/checks/modules/lua_modules.ts';
import type { FlowEvent, FlowInfo, FlowValues } from '../../runtime/types.ts';
import { summaryOf, valuesOf } from '../../runtime/flow.ts';

export const LUA_WASM = createRequire(import.meta.url).resolve('wasmoon/dist/glue.wasm');

export function luaModule(): Promise<LuaModule> {
  return loadLuaModule(LUA_WASM);
}

/** A flow object with ntopng's keys; `overrides` replaces any of them. */
export function fakeFlow(overrides: Partial<FlowInfo> & Record<string, unknown> = {}): FlowInfo {
  const base: Record<string, unknown> = {
    'cli.ip': '192.168.1.10', 'cli.port': 51234, 'srv.ip': '93.184.216.34', 'srv.port': 443, vlan: 0, ip_version: 4,
    'proto.l4': 'TCP', 'proto.l4_id': 6, 'cli2srv.packets': 10, 'srv2cli.packets': 12, 'cli2srv.bytes': 1500,
    'srv2cli.bytes': 9000, 'cli2srv.goodput_bytes': 900, 'srv2cli.goodput_bytes': 8000, 'cli2srv.tcp_flags': 0x1b,
    'srv2cli.tcp_flags': 0x1b, packets: 22, bytes: 10500, goodput_bytes: 8900, 'seen.first': 1700000000,
    'seen.last': 1700000005, 'seen.first_us': 1700000000000000, 'seen.last_us': 1700000005500000, duration: 5.5,
    tcp_established: true, tcp_connecting: false, tcp_reset: false, tcp_closed: false, 'tcp.twh_ok': true, tunnel: '',
    'ntopng.key': 12345, hash_entry_id: 7, 'proto.ndpi': 'TLS.Google', 'proto.master_ndpi_id': 91, 'proto.ndpi_id': 126,
    'proto.ndpi_cat': 'Web', 'proto.ndpi_cat_id': 5, 'proto.ndpi_breed': 'Safe', 'proto.is_encrypted': true,
    'proto.ndpi_confidence': 'DPI', 'proto.ip_ndpi_id': 0, flow_risk: [], flow_risk_names: [], flow_risk_score: 0,
    host_server_name: 'www.google.com', 'protos.tls_version': 0x0304, 'protos.tls.ja3.client_hash': 'aaaabbbbccccdddd',
  };
  return { ...base, ...overrides } as unknown as FlowInfo;
}

export function event(kind: FlowEvent['kind'], flow: FlowInfo, serial = 1, flowId = serial): FlowEvent {
  return { kind, flowId, serial, flow };
}

/** Process CPU time in ms: the time limit is confirmed on it, as in the CLI. */
export function cpuClock(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/** A sandbox with flowscope's modules and the default limits unless overridden. */
export async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return Sandbox.create(await luaModule(), { luaModules: luaModules(), cpuClock, ...options });
}

/** Run arguments for a synthetic flow. */
export async function flowArgs(flow: FlowInfo = fakeFlow()) {
  const view = new FlowView(await luaModule(), new LocalNetworks());
  const summary = summaryOf(flow);
  const values = {} as FlowValues;
  valuesOf(summary, values);
  return view.prepare(values, summary, flow['seen.last']);
}

/** CPU milliseconds (user + system) spent in fn. */
export function cpuMs<T>(fn: () => T): { value: T; ms: number } {
  const start = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(start);
  return { value, ms: (used.user + used.system) / 1000 };
}
