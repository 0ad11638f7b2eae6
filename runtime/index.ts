// Public entry of the runtime.
export { Engine, CaptureFormatError } from './engine.ts';
export { analyzeStream, type AnalyzeResult } from './analyze.ts';
export type { EngineOptions, EngineStats, FlowEvent, FlowEventKind, FlowInfo } from './types.ts';
// Flow checks in Lua (ntopng's flow.*, interface.*, ntop.* in a wasmoon sandbox) and alerts.
export * from './checks/index.ts';
