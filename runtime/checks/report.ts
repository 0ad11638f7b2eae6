// The end-of-run summary the command lines print on stderr (Node's `flowscope analyze --checks`,
// adapters/deno/analyze.ts): one line per script (hooks, mode, runs, errors, alerts, time), the
// errors not printed, and the alerts by severity. Runtime-neutral.
import type { CheckRunner } from './runner.ts';

/** `printedErrors`: how many errors were already printed one by one (the rest are counted). */
export function checksReport(runner: CheckRunner, printedErrors = 0): string {
  const lines: string[] = [];
  for (const s of runner.stats()) {
    if (s.mode === 'disabled') {
      lines.push(`checks: ${s.script} disabled (${s.loadError?.split('\n')[0]})`);
      continue;
    }
    const perRun = s.runs > 0 ? ` (${((s.timeMs * 1000) / s.runs).toFixed(1)} µs/run)` : '';
    lines.push(`checks: ${s.script} [${s.hooks.join(',') || 'no hook'}] ${s.mode}: ${s.runs} runs, ${s.errors} errors (${s.aborts} stopped by limits), ${s.alerts} alerts, ${s.timeMs.toFixed(1)} ms${perRun}`);
  }
  const errors = runner.errorCount;
  if (errors > printedErrors) lines.push(`checks: ${errors - printedErrors} more errors not printed`);
  const summary = runner.alerts.summary();
  const bySeverity = Object.entries(summary.bySeverity).map(([k, v]) => `${k} ${v}`).join(', ');
  lines.push(`alerts: ${summary.total}${bySeverity ? ` (${bySeverity})` : ''}`);
  return `${lines.join('\n')}\n`;
}
