// The page: pick a capture, hand it to the Worker, show its flows. The results are also left on
// `window.flowscopeResult` (and a failure on `window.flowscopeError`) for tests and the console.
import type { AnalyzeResult } from '../../runtime/analyze.ts';
import type { FlowInfo } from '../../runtime/types.ts';
import type { AnalyzeRequest, WorkerMessage } from './worker.ts';

declare global {
  interface Window {
    flowscopeResult?: AnalyzeResult;
    flowscopeError?: string;
  }
}

/** Rows rendered at most; the full list stays on window.flowscopeResult. */
const MAX_ROWS = 2000;

const input = document.querySelector<HTMLInputElement>('#capture')!;
const progress = document.querySelector<HTMLProgressElement>('#progress')!;
const status = document.querySelector<HTMLElement>('#status')!;
const table = document.querySelector<HTMLTableElement>('#flows')!;
const tbody = table.tBodies[0];

let worker: Worker | null = null;

function showStatus(text: string, isError = false): void {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function renderFlows(flows: FlowInfo[]): void {
  const rows = document.createDocumentFragment();
  for (const flow of flows.slice(0, MAX_ROWS)) {
    const row = document.createElement('tr');
    const cells: Array<[string | number, boolean]> = [
      [endpoint(flow['cli.ip'], flow['cli.port']), false],
      [endpoint(flow['srv.ip'], flow['srv.port']), false],
      [flow['proto.l4'], false],
      [flow['cli2srv.packets'], true],
      [flow['srv2cli.packets'], true],
      [flow['cli2srv.bytes'], true],
      [flow['srv2cli.bytes'], true],
    ];
    for (const [value, numeric] of cells) {
      const cell = row.insertCell();
      cell.textContent = typeof value === 'number' ? value.toLocaleString('en') : value;
      if (numeric) cell.className = 'num';
    }
    rows.append(row);
  }
  tbody.replaceChildren(rows);
  table.hidden = flows.length === 0;
}

function onMessage(message: WorkerMessage, fileName: string): void {
  switch (message.type) {
    case 'progress':
      progress.max = Math.max(message.totalBytes, 1);
      progress.value = message.bytesRead;
      showStatus(`${fileName}: ${(message.bytesRead / 1e6).toFixed(1)} of ${(message.totalBytes / 1e6).toFixed(1)} MB read`);
      break;
    case 'result': {
      const { flows, stats } = message;
      progress.hidden = true;
      renderFlows(flows);
      const shown = flows.length > MAX_ROWS ? ` (first ${MAX_ROWS} shown)` : '';
      showStatus(`${fileName}: ${stats.format}, ${stats.packets.toLocaleString('en')} packets, ${flows.length.toLocaleString('en')} flows${shown}`);
      window.flowscopeResult = { flows, stats };
      break;
    }
    case 'error':
      progress.hidden = true;
      showStatus(`${fileName}: ${message.message}`, true);
      window.flowscopeError = message.message;
      break;
  }
}

function analyze(file: File): void {
  // One analysis at a time: a new choice abandons the previous one.
  worker?.terminate();
  delete window.flowscopeResult;
  delete window.flowscopeError;
  tbody.replaceChildren();
  table.hidden = true;
  progress.hidden = false;
  progress.value = 0;
  showStatus(`${file.name}: starting`);
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => onMessage(event.data, file.name);
  worker.onerror = (event) => onMessage({ type: 'error', message: event.message || 'the worker failed to start' }, file.name);
  const request: AnalyzeRequest = { file };
  worker.postMessage(request);
}

input.addEventListener('change', () => {
  const file = input.files?.[0];
  if (file) analyze(file);
});
