// Public entry of the checks: run Lua flow checks on an engine's events, read their alerts and
// stats. Wiring, in any runtime:
//
//   const runner = await CheckRunner.create({ luaWasm: gluePathOrUrl, scripts: [{ name, source }] });
//   await analyzeStream(core, stream, { engine: (e) => runner.attach(e), onProgress: () => runner.tick() });
//   runner.finish();
//   runner.alerts.list({ severity: 'warning' }); runner.stats(); runner.errors();
export { CheckRunner, formatCheckError, HOOK_FILES, PERIODIC_INTERVAL_SEC } from './runner.ts';
export type { CheckError, CheckRunnerOptions, CheckScript, HookName, HostScore, ScriptStats } from './runner.ts';
export { Sandbox, DEFAULT_LIMITS, HOOK_END, HOOK_PERIODIC, HOOK_PROTOCOL_DETECTED } from './sandbox.ts';
export type { AbortReason, CheckEvent, FlowProvider, HostFunction, HostModule, RunResult, SandboxLimits, SandboxOptions } from './sandbox.ts';
export { loadLuaModule, type LuaModule, type LuaWasmSource } from './lua_module.ts';
export { LocalNetworks, DEFAULT_LOCAL_NETWORKS } from './local_networks.ts';
export { ntopModule, NTOPNG_DIRS } from './modules/ntop.ts';
export {
  AlertStore, CUSTOM_LUA_SCRIPT_ALERT, FLOW_ALERT_TYPES, SEVERITY_IDS, flowAlertName, mapScoreToSeverity, mapSeverityToScore,
  riskAlertType, severityName, type AlertFilter, type FlowAlert,
} from '../alerts.ts';
export { KVStore, MemoryBackend, type KVBackend, type KVSnapshot } from '../store/index.ts';
export { FlowsApi, alertLookup, flowKey, ipKey, readPaginator, interfaceModule, type FlowsApiOptions, type Paginator } from './interface.ts';
export { type NtopContext } from './ntop.ts';
export { NTOP_DOCUMENTED_FUNCTIONS } from './ntop_functions.ts';
