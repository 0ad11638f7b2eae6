// The ground truth the classification tests compare with: every flow of the dev and extra
// .out files (nDPI's ndpiReader results), and the custom rules ndpiReader loaded from
// reader-inputs/protos.txt when it produced them (those are not part of the built-in lists,
// so flows they decided are set aside).
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeOutFile, type ExpectedFlow } from '../ndpi-expected.ts';

export const SHARED = resolve(fileURLToPath(import.meta.url), '../../../../shared');
export const NDPI_DIR = join(SHARED, 'ndpi');

export interface GroundFlow extends ExpectedFlow {
  file: string;
}

export function readJson<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(NDPI_DIR, name), 'utf8')) as T;
}

export function loadFlows(): GroundFlow[] {
  const flows: GroundFlow[] = [];
  for (const set of ['dev-expected', 'extra-expected']) {
    const dir = join(SHARED, 'pcaps', set);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.out')).sort()) {
      for (const flow of decodeOutFile(readFileSync(join(dir, file))).flows) flows.push({ ...flow, file: `${set}/${file}` });
    }
  }
  return flows;
}

export interface CustomRules {
  /** "tcp:81", "udp:5062": ports given to a protocol by protos.txt. */
  ports: Set<string>;
  /** Addresses and prefixes given to a protocol by protos.txt (ip:/ipv6: rules with a literal address). */
  prefixes: string[];
  /** Names of the protocols protos.txt rules point at. */
  protocols: Set<string>;
}

export function loadCustomRules(): CustomRules {
  const rules: CustomRules = { ports: new Set(), prefixes: [], protocols: new Set() };
  const text = readFileSync(join(NDPI_DIR, 'reader-inputs', 'protos.txt'), 'utf8');
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf('@');
    if (at < 0) continue;
    rules.protocols.add(line.slice(at + 1).split('=')[0]);
    for (const rule of line.slice(0, at).split(',')) {
      const m = /^(tcp|udp):(\d+)$/.exec(rule);
      if (m) rules.ports.add(`${m[1]}:${m[2]}`);
      const ip = /^ip:(\d+\.\d+\.\d+\.\d+)(\/\d+)?/.exec(rule);
      if (ip) rules.prefixes.push(ip[1] + (ip[2] ?? '/32'));
      const ip6 = /^ipv6:\[([0-9a-fA-F:]+)\](\/\d+)?/.exec(rule);
      if (ip6) rules.prefixes.push(ip6[1] + (ip6[2] ?? '/128'));
    }
  }
  return rules;
}

export function rate(ok: number, total: number): string {
  return total === 0 ? 'n/a' : `${ok}/${total} = ${(ok / total).toFixed(4)}`;
}
