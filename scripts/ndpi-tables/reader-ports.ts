// The port rules of the reader's -p file (../shared/ndpi/reader-inputs/protos.txt) that name a
// protocol nDPI already knows, e.g. `tcp:81,tcp:8181@HTTP` or `tcp:3000@ntop`. ndpiReader
// loads them after nDPI's own defaults, so the ports become more default ports of that
// protocol: the ground truth guesses them ("Confidence: Match by port"; synscan.pcap). Rules
// naming a protocol nDPI does not know (iSCSI, Kibana, TestProto) create custom protocols,
// ids >= 432, which the conformance suite sets aside: they are left out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Protocol } from './load.ts';

export interface ReaderPort {
  transport: 'tcp' | 'udp';
  port: number;
  protocolId: number;
}

/** Port rules of protos.txt for known protocols, in file order. */
export function readerPortRules(dataDir: string, protocols: Protocol[]): ReaderPort[] {
  const text = readFileSync(join(dataDir, 'reader-inputs', 'protos.txt'), 'utf8');
  const byName = new Map(protocols.map((p) => [p.name.toLowerCase(), p.id]));
  const rules: ReaderPort[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf('@');
    if (at < 0) continue;
    const items = line.slice(0, at).split(',');
    const ports = items.map((item) => /^(tcp|udp):(\d+)$/.exec(item));
    // Only lines made of port rules alone (host:, ip:, nbpf: lines are other kinds of rule).
    if (ports.some((m) => m === null)) continue;
    const id = byName.get(line.slice(at + 1).split('=')[0].toLowerCase());
    if (id === undefined) continue;
    for (const m of ports as RegExpExecArray[]) {
      const port = Number(m[2]);
      if (port <= 0 || port > 65535) throw new Error(`gen-ndpi-tables: protos.txt port ${port}`);
      rules.push({ transport: m[1] as 'tcp' | 'udp', port, protocolId: id });
    }
  }
  return rules;
}
