// Reads and checks the nDPI fact files in ../shared/ndpi (see SOURCE.md there). Only the fields
// the generators use are typed; every count the files' own `meta` announces is checked, so a
// changed or truncated file fails the build here instead of producing a short table.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Protocol {
  id: number;
  symbol: string;
  name: string;
  category_id: number;
  breed_id: number;
  cleartext: boolean;
  app_protocol: boolean;
  tcp_default_ports: number[];
  udp_default_ports: number[];
}

export interface Named {
  id: number;
  symbol: string;
  name: string;
}

export interface Risk {
  id: number;
  symbol: string;
  name: string | null;
  severity_id: number;
  severity: string;
  score: number;
  client_score: number;
  server_score: number;
  accountability: string;
}

export interface HostEntry {
  pattern: string;
  proto_id: number;
  proto_name: string;
  category_id: number;
  breed_id: number;
  level?: number;
}

export interface CertSubjectEntry {
  pattern: string;
  proto_id: number;
}

export interface CategoryHostEntry {
  pattern: string;
  category_id: number;
}

export interface Cipher {
  id: string;
  name: string;
  class: 'safe' | 'weak' | 'insecure';
}

/** `[cidr, value]` in nDPI load order. */
export type PrefixEntry = [string, number];

export interface NdpiFacts {
  dir: string;
  commit: string;
  protocols: Protocol[];
  breeds: Named[];
  categories: Named[];
  risks: Risk[];
  hosts: HostEntry[];
  certSubjects: CertSubjectEntry[];
  categoryHosts: CategoryHostEntry[];
  ipv4: PrefixEntry[];
  ipv6: PrefixEntry[];
  riskIpv4: PrefixEntry[];
  riskIpv6: PrefixEntry[];
  ciphers: Cipher[];
}

function fail(message: string): never {
  throw new Error(`gen-ndpi-tables: ${message}`);
}

function readJson(dir: string, file: string): any {
  const path = join(dir, file);
  if (!existsSync(path)) fail(`missing ${path} (the nDPI fact files are expected in ../shared/ndpi beside the repository)`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    fail(`cannot parse ${path}: ${(e as Error).message}`);
  }
}

function expectCount(what: string, actual: number, expected: unknown): void {
  if (typeof expected === 'number' && actual !== expected) fail(`${what}: meta says ${expected}, found ${actual}`);
}

/** Loads every fact file from `dir` and cross-checks them. */
export function loadNdpiFacts(dir: string): NdpiFacts {
  if (!existsSync(dir)) fail(`nDPI fact directory not found: ${dir} (expected ../shared/ndpi beside the repository)`);
  const protocolsFile = readJson(dir, 'protocols.json');
  const categoriesFile = readJson(dir, 'categories.json');
  const risksFile = readJson(dir, 'risks.json');
  const hostsFile = readJson(dir, 'hosts.json');
  const ipFile = readJson(dir, 'ip_lists.json');
  const ciphersFile = readJson(dir, 'tls_ciphers.json');

  const commit: string = protocolsFile.meta.commit;
  for (const [file, json] of [
    ['categories.json', categoriesFile], ['risks.json', risksFile], ['hosts.json', hostsFile],
    ['ip_lists.json', ipFile], ['tls_ciphers.json', ciphersFile],
  ] as const) {
    if (json.meta?.commit !== commit) fail(`${file} is from nDPI commit ${json.meta?.commit}, protocols.json from ${commit}`);
  }

  const protocols: Protocol[] = protocolsFile.protocols;
  protocols.forEach((p, i) => {
    if (p.id !== i) fail(`protocols.json: entry ${i} has id ${p.id} (ids must be dense and in order)`);
  });
  const facts: NdpiFacts = {
    dir,
    commit,
    protocols,
    breeds: protocolsFile.meta.breeds,
    categories: categoriesFile.categories,
    risks: risksFile.risks,
    hosts: hostsFile.hosts,
    certSubjects: hostsFile.tls_cert_subjects,
    categoryHosts: hostsFile.category_hosts,
    ipv4: ipFile.ipv4,
    ipv6: ipFile.ipv6,
    riskIpv4: ipFile.risk.ipv4,
    riskIpv6: ipFile.risk.ipv6,
    ciphers: ciphersFile.ciphers,
  };

  const hc = hostsFile.meta.counts ?? {};
  expectCount('hosts.json hosts', facts.hosts.length, hc.hosts);
  expectCount('hosts.json tls_cert_subjects', facts.certSubjects.length, hc.tls_cert_subjects);
  expectCount('hosts.json category_hosts', facts.categoryHosts.length, hc.category_hosts);
  const ic = ipFile.meta.counts ?? {};
  expectCount('ip_lists.json ipv4', facts.ipv4.length, ic.ipv4);
  expectCount('ip_lists.json ipv6', facts.ipv6.length, ic.ipv6);
  expectCount('ip_lists.json risk ipv4', facts.riskIpv4.length, ic.risk_ipv4);
  expectCount('ip_lists.json risk ipv6', facts.riskIpv6.length, ic.risk_ipv6);
  expectCount('tls_ciphers.json ciphers', facts.ciphers.length, ciphersFile.meta.counts?.total);

  facts.risks.forEach((r, i) => {
    if (r.id !== i) fail(`risks.json: entry ${i} has id ${r.id}`);
    if (r.client_score + r.server_score !== r.score) fail(`risks.json: ${r.symbol} client+server != score`);
  });
  facts.breeds.forEach((b, i) => {
    if (b.id !== i) fail(`protocols.json meta.breeds: entry ${i} has id ${b.id}`);
  });
  const protoIds = new Set(protocols.map((p) => p.id));
  const categoryIds = new Set(facts.categories.map((c) => c.id));
  for (const h of facts.hosts) {
    if (!protoIds.has(h.proto_id)) fail(`hosts.json: ${h.pattern} -> unknown protocol ${h.proto_id}`);
    if (!categoryIds.has(h.category_id)) fail(`hosts.json: ${h.pattern} -> unknown category ${h.category_id}`);
  }
  for (const p of protocols) {
    if (!categoryIds.has(p.category_id)) fail(`protocols.json: ${p.symbol} -> unknown category ${p.category_id}`);
    if (p.breed_id < 0 || p.breed_id >= facts.breeds.length) fail(`protocols.json: ${p.symbol} -> unknown breed ${p.breed_id}`);
  }
  for (const [cidr, id] of [...facts.ipv4, ...facts.ipv6]) {
    if (!protoIds.has(id)) fail(`ip_lists.json: ${cidr} -> unknown protocol ${id}`);
  }
  for (const [cidr, id] of [...facts.riskIpv4, ...facts.riskIpv6]) {
    if (!facts.risks[id]) fail(`ip_lists.json risk: ${cidr} -> unknown risk ${id}`);
  }
  return facts;
}
