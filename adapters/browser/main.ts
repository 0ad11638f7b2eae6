// The page: pick Lua check files (optional) and a capture, hand them to the Worker, show the flows
// and the alerts, keep the analysis in IndexedDB (saved.ts) and show it again on the next visit.
// Results are also left on `window.flowscopeResult` (a failure on `window.flowscopeError`; the
// restored analysis on `window.flowscopeRestored`, and `window.flowscopeSaved` once stored) for
// tests and the console.
import type { AnalyzeResult } from '../../runtime/analyze.ts';
import type { FlowAlert } from '../../runtime/alerts.ts';
import type { CheckScript } from '../../runtime/checks/runner.ts';
import type { EngineStats, FlowInfo } from '../../runtime/types.ts';
import type { AnalyzeRequest, ChecksResult, WorkerMessage } from './worker.ts';
import { loadAnalysis, saveAnalysis, type SavedAnalysis } from './saved.ts';

declare global {
  interface Window {
    flowscopeResult?: AnalyzeResult & { checks?: ChecksResult };
    flowscopeError?: string;
    flowscopeRestored?: SavedAnalysis;
    flowscopeSaved?: boolean;
  }
}

/** Rows rendered at most per table; the full lists stay on window.flowscopeResult. */
const MAX_ROWS = 2000;

const input = document.querySelector<HTMLInputElement>('#capture')!;
const checksInput = document.querySelector<HTMLInputElement>('#checks')!;
const progress = document.querySelector<HTMLProgressElement>('#progress')!;
const status = document.querySelector<HTMLElement>('#status')!;
const table = document.querySelector<HTMLTableElement>('#flows')!;
const tbody = table.tBodies[0];
const alertsSection = document.querySelector<HTMLElement>('#alerts-section')!;
const alertsTable = document.querySelector<HTMLTableElement>('#alerts')!;
const checksReport = document.querySelector<HTMLElement>('#checks-report')!;

let worker: Worker | null = null;
let currentFile: File | null = null;

function showStatus(text: string, isError = false): void {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function row(cells: Array<[string | number, boolean]>): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const [value, numeric] of cells) {
    const cell = tr.insertCell();
    cell.textContent = typeof value === 'number' ? value.toLocaleString('en') : value;
    if (numeric) cell.className = 'num';
  }
  return tr;
}

function renderFlows(flows: FlowInfo[]): void {
  const rows = document.createDocumentFragment();
  for (const flow of flows.slice(0, MAX_ROWS)) {
    rows.append(row([
      [endpoint(flow['cli.ip'], flow['cli.port']), false],
      [endpoint(flow['srv.ip'], flow['srv.port']), false],
      [flow['proto.l4'], false],
      [flow['proto.ndpi'] ?? '', false],
      [flow['cli2srv.packets'], true],
      [flow['srv2cli.packets'], true],
      [flow['cli2srv.bytes'], true],
      [flow['srv2cli.bytes'], true],
    ]));
  }
  tbody.replaceChildren(rows);
  table.hidden = flows.length === 0;
}

function renderChecks(checks: ChecksResult | undefined): void {
  alertsSection.hidden = checks === undefined;
  if (checks === undefined) return;
  const rows = document.createDocumentFragment();
  for (const alert of checks.alerts.slice(0, MAX_ROWS)) rows.append(alertRow(alert));
  alertsTable.tBodies[0].replaceChildren(rows);
  alertsTable.hidden = checks.alerts.length === 0;
  const errors = checks.errors.length > 0 ? `\n${checks.errors.map((e) => `error: ${e}`).join('\n')}` : '';
  checksReport.textContent = `${checks.report}${errors}`;
}

function alertRow(alert: FlowAlert): HTMLTableRowElement {
  const tr = row([
    [new Date(alert.tstamp * 1000).toISOString().replace('T', ' ').replace('.000Z', ''), false],
    [alert.severity_name, false],
    [alert.alert_name, false],
    [alert.score, true],
    [alert.msg, false],
    [endpoint(alert.cli_ip, alert.cli_port), false],
    [endpoint(alert.srv_ip, alert.srv_port), false],
    [alert.l7_proto_name, false],
    [alert.script ?? alert.risk_name ?? '', false],
  ]);
  tr.className = `severity-${alert.severity_name}`;
  return tr;
}

function summaryText(name: string, stats: EngineStats, flowCount: number, checks: ChecksResult | undefined): string {
  const shown = flowCount > MAX_ROWS ? ` (first ${MAX_ROWS} shown)` : '';
  const alerts = checks !== undefined ? `, ${checks.alerts.length.toLocaleString('en')} alerts` : '';
  return `${name}: ${stats.format}, ${stats.packets.toLocaleString('en')} packets, ${flowCount.toLocaleString('en')} flows${shown}${alerts}`;
}

function onMessage(message: WorkerMessage, file: File, checkFiles: string[]): void {
  switch (message.type) {
    case 'progress':
      progress.max = Math.max(message.totalBytes, 1);
      progress.value = message.bytesRead;
      showStatus(`${file.name}: ${(message.bytesRead / 1e6).toFixed(1)} of ${(message.totalBytes / 1e6).toFixed(1)} MB read`);
      break;
    case 'result': {
      const { flows, stats, checks } = message;
      progress.hidden = true;
      renderFlows(flows);
      renderChecks(checks);
      showStatus(summaryText(file.name, stats, flows.length, checks));
      window.flowscopeResult = checks === undefined ? { flows, stats } : { flows, stats, checks };
      saveAnalysis({ name: file.name, savedAt: Date.now(), stats, flows, flowCount: flows.length, checkFiles, checks })
        .then(() => { window.flowscopeSaved = true; })
        .catch((error: unknown) => console.warn('flowscope: the analysis was not saved', error));
      break;
    }
    case 'error':
      progress.hidden = true;
      showStatus(`${file.name}: ${message.message}`, true);
      window.flowscopeError = message.message;
      break;
  }
}

/** The picked check files (*.lua), as the CLI reads a --checks folder. */
async function checkScripts(): Promise<CheckScript[]> {
  const files = [...(checksInput.files ?? [])].filter((file) => file.name.endsWith('.lua'));
  return Promise.all(files.map(async (file) => ({ name: file.name, source: await file.text() })));
}

async function analyze(file: File): Promise<void> {
  // One analysis at a time: a new choice abandons the previous one.
  worker?.terminate();
  delete window.flowscopeResult;
  delete window.flowscopeError;
  delete window.flowscopeSaved;
  tbody.replaceChildren();
  table.hidden = true;
  alertsSection.hidden = true;
  progress.hidden = false;
  progress.value = 0;
  showStatus(`${file.name}: starting`);
  const checks = await checkScripts();
  const checkFiles = checks.map((c) => c.name);
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => onMessage(event.data, file, checkFiles);
  worker.onerror = (event) => onMessage({ type: 'error', message: event.message || 'the worker failed to start' }, file, checkFiles);
  const request: AnalyzeRequest = checks.length > 0 ? { file, checks } : { file };
  worker.postMessage(request);
}

function start(file: File | null): void {
  if (file === null) return;
  currentFile = file;
  analyze(file).catch((error: unknown) => onMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) }, file, []));
}

input.addEventListener('change', () => start(input.files?.[0] ?? null));
// New check files re-run the analysis of the capture already chosen.
checksInput.addEventListener('change', () => start(currentFile));

// The last analysis, until a new one starts.
loadAnalysis().then((saved) => {
  if (saved === null || window.flowscopeResult !== undefined || currentFile !== null) return;
  renderFlows(saved.flows);
  renderChecks(saved.checks);
  const when = new Date(saved.savedAt).toLocaleString();
  const checks = saved.checkFiles.length > 0 ? ` with checks ${saved.checkFiles.join(', ')}` : '';
  showStatus(`${summaryText(saved.name, saved.stats, saved.flowCount, saved.checks)} (analysed ${when}${checks})`);
  window.flowscopeRestored = saved;
});
