// The page keeps its last analysis (flows, stats and the checks' alerts, stats and report) in the
// browser's IndexedDB (idb-keyval), so that reopening the page shows it again. Nothing leaves the
// machine. One analysis is kept: a new one replaces it.
import { del, get, set } from 'idb-keyval';
import type { EngineStats, FlowInfo } from '../../runtime/types.ts';
import type { ChecksResult } from './worker.ts';

const KEY = 'flowscope:last-analysis';
/** Flows kept at most (the alerts are all kept; the alert store already bounds them). */
export const MAX_SAVED_FLOWS = 100_000;

export interface SavedAnalysis {
  version: 1;
  /** The capture's file name and when it was analysed (ms since the epoch). */
  name: string;
  savedAt: number;
  stats: EngineStats;
  flows: FlowInfo[];
  /** Flows in the analysis; more than flows.length when the list was cut at MAX_SAVED_FLOWS. */
  flowCount: number;
  /** The check files' names, and what the checks produced (absent without checks). */
  checkFiles: string[];
  checks?: ChecksResult;
}

export async function saveAnalysis(analysis: Omit<SavedAnalysis, 'version'>): Promise<void> {
  const flows = analysis.flows.length > MAX_SAVED_FLOWS ? analysis.flows.slice(0, MAX_SAVED_FLOWS) : analysis.flows;
  await set(KEY, { ...analysis, flows, version: 1 } satisfies SavedAnalysis);
}

/** The last analysis, or null (none, another version, or no IndexedDB in this browser). */
export async function loadAnalysis(): Promise<SavedAnalysis | null> {
  try {
    const saved = (await get(KEY)) as SavedAnalysis | undefined;
    return saved?.version === 1 ? saved : null;
  } catch {
    return null;
  }
}

export function forgetAnalysis(): Promise<void> {
  return del(KEY);
}
