// Output formats of `flowscope analyze`.
import type { EngineStats, FlowInfo } from '../../runtime/types.ts';

export const FORMATS = ['table', 'ndjson', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export function toNdjson(flows: Iterable<FlowInfo>): string {
  let out = '';
  for (const flow of flows) out += JSON.stringify(flow) + '\n';
  return out;
}

export function toJson(flows: FlowInfo[], stats: EngineStats): string {
  return JSON.stringify({ flows, stats }, null, 2) + '\n';
}

/** RFC 4180 CSV: a header of the flow keys, one row per flow; fields with , " or newlines quoted. */
export function toCsv(flows: FlowInfo[]): string {
  if (flows.length === 0) return '';
  const columns = Object.keys(flows[0]) as Array<keyof FlowInfo>;
  const cell = (value: unknown) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [columns.map(cell).join(',')];
  for (const flow of flows) lines.push(columns.map((c) => cell(flow[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

const endpoint = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** A human table sorted by bytes, largest first, as ndpiReader lists flows; then a summary. */
export function toTable(flows: FlowInfo[], stats: EngineStats): string {
  const sorted = [...flows].sort((a, b) => b.bytes - a.bytes);
  const rows = sorted.map((f, i) => [
    String(i + 1),
    f['proto.l4'],
    endpoint(f['cli.ip'], f['cli.port']),
    f['srv2cli.packets'] > 0 ? '<->' : '->',
    endpoint(f['srv.ip'], f['srv.port']),
    f.vlan ? String(f.vlan) : '',
    f.tunnel,
    f['proto.ndpi'],
    f.host_server_name ?? '',
    `${f['cli2srv.packets']}/${f['cli2srv.bytes']}`,
    `${f['srv2cli.packets']}/${f['srv2cli.bytes']}`,
    f.duration.toFixed(2),
  ]);
  const header = ['#', 'L4', 'client', '', 'server', 'vlan', 'tunnel', 'application', 'host', 'c2s pkts/bytes', 's2c pkts/bytes', 'sec'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [line(header), ...rows.map(line), '', summary(stats)].join('\n') + '\n';
}

export function summary(stats: EngineStats): string {
  const nonZero = (counters: Record<string, number>) =>
    Object.entries(counters).filter(([, n]) => n > 0).map(([k, n]) => `${k}=${n}`).join(' ') || 'none';
  return [
    `${stats.format} capture, link types ${stats.linkTypes.join(',') || '-'}: ${stats.packets} packets, ${stats.bytes} bytes, ${stats.flowsCreated} flows`,
    `packets in flows: ${stats.packetsInFlows}; not in a flow: ${nonZero(stats.skipped)}`,
    `capture problems: ${nonZero(stats.captureErrors)}`,
  ].join('\n');
}
