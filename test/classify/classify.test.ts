// nDPI's tables as generated code (scripts/gen-ndpi-tables.ts -> core-as/classify/generated/,
// runtime/ndpi/generated.ts): the wasm matchers and lookups against the JSON facts, against
// plain reference implementations of the documented rules, and against nDPI's own results
// in the dev and extra .out files. Each agreement rate is printed; thresholds as in issue 3's
// brief for this step.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { generatedTablesExist } from '../../scripts/gen-ndpi-tables.ts';
import { ClassifyWasm, compileClassifyWasm } from './wasm.ts';
import { loadCustomRules, loadFlows, rate, readJson, type CustomRules, type GroundFlow } from './ground-truth.ts';
import {
  ReferencePrefixTree, addressToBigInt, bigIntToAddress, referenceHostCategory, referenceHostMatch,
  type HostPattern,
} from './reference.ts';

let wasm: ClassifyWasm;
let flows: GroundFlow[];
let custom: CustomRules;
let tables: typeof import('../../runtime/ndpi/tables.ts');
const protocolsJson = readJson('protocols.json');
const hostsJson = readJson('hosts.json');
const risksJson = readJson('risks.json');
const ipJson = readJson('ip_lists.json');
const ciphersJson = readJson('tls_ciphers.json');
const hosts: HostPattern[] = hostsJson.hosts;

function hostEntry(pattern: string): HostPattern {
  const h = hosts.find((e) => e.pattern === pattern);
  assert.ok(h, `hosts.json has no pattern ${pattern} any more: pick another example`);
  return h;
}

function top(counts: Map<string, number>, n = 8): string {
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${v}× ${k}`).join('; ');
}

before(async () => {
  const compiled = await compileClassifyWasm();
  assert.ok(generatedTablesExist());
  const data = compiled.generated.files.reduce((sum, f) => sum + f.dataBytes, 0);
  console.log(`# generator ${compiled.generated.millis.toFixed(0)} ms, ${(data / 1024).toFixed(1)} KiB static data; ` +
    `test module ${(compiled.binary.length / 1024).toFixed(1)} KiB, asc ${compiled.compileMillis.toFixed(0)} ms`);
  wasm = await ClassifyWasm.load();
  tables = await import('../../runtime/ndpi/tables.ts');
  flows = loadFlows();
  custom = loadCustomRules();
});

describe('protocol defaults', () => {
  it('category, breed, encrypted flag and name of every protocol id', () => {
    assert.equal(wasm.raw.protoCount(), protocolsJson.protocols.length);
    for (const p of protocolsJson.protocols) {
      assert.equal(wasm.raw.category(p.id), p.category_id, `${p.name} category`);
      assert.equal(wasm.raw.breed(p.id), p.breed_id, `${p.name} breed`);
      assert.equal(wasm.raw.encrypted(p.id), p.cleartext ? 0 : 1, `${p.name} encrypted`);
      assert.equal(wasm.raw.isApp(p.id), p.app_protocol ? 1 : 0, `${p.name} app`);
      assert.equal(tables.protocolName(p.id), p.name);
      assert.equal(tables.protocolId(p.name), p.id);
      assert.equal(tables.protocolCategory(p.id), p.category_id);
      assert.equal(tables.categoryName(p.category_id), p.category);
      assert.equal(tables.breedName(p.breed_id), p.breed);
      assert.equal(tables.protocolIsEncrypted(p.id), !p.cleartext);
    }
    // ids past the table read as Unknown
    assert.equal(wasm.raw.category(60000), protocolsJson.protocols[0].category_id);
    assert.equal(tables.protocolName(60000), 'Unknown');
    assert.equal(tables.protocolPairName(91, 126), 'TLS.Google');
    assert.equal(tables.protocolPairName(0, 7), 'HTTP');
  });

  it('names in the .out files are the generated names', () => {
    let checked = 0;
    for (const f of flows) {
      if (f.tunnel !== '' || f.appId >= protocolsJson.protocols.length || f.masterId >= protocolsJson.protocols.length) continue;
      if (custom.protocols.has(f.appName)) continue;
      assert.equal(tables.protocolName(f.appId), f.appName, f.line);
      if (f.masterId !== 0) assert.equal(tables.protocolName(f.masterId), f.masterName, f.line);
      if (f.category) assert.equal(tables.categoryName(f.category.id), f.category.name, f.line);
      checked++;
    }
    assert.ok(checked > 5000, `${checked} flows checked`);
  });
});

describe('risks', () => {
  it('score and client/server split of every risk id', () => {
    assert.equal(wasm.raw.riskCount(), risksJson.risks.length);
    for (const r of risksJson.risks) {
      if (r.name === null) continue;
      assert.equal(wasm.raw.score(r.id), r.score, r.symbol);
      assert.equal(wasm.raw.clientScore(r.id), r.client_score, r.symbol);
      assert.equal(wasm.raw.serverScore(r.id), r.server_score, r.symbol);
      assert.equal(wasm.raw.severity(r.id), r.severity_id, r.symbol);
      assert.equal(tables.riskName(r.id), r.name);
      assert.equal(tables.riskScore(r.id), r.score);
      assert.equal(tables.riskIdByName(r.name), r.id);
    }
  });

  it('risk scores sum to [Risk Score] for the risk sets of the .out files', () => {
    let ok = 0, total = 0;
    const unknown = new Map<string, number>();
    for (const f of flows) {
      if (f.risks.length === 0) continue;
      total++;
      let mask = 0n;
      const ids: number[] = [];
      for (const name of f.risks) {
        const id = tables.riskIdByName(name);
        if (id === undefined) unknown.set(name, (unknown.get(name) ?? 0) + 1);
        else {
          mask |= 1n << BigInt(id);
          ids.push(id);
        }
      }
      const sum = wasm.raw.maskScore(mask);
      assert.equal(tables.riskScoreOf(ids), sum);
      if (sum === f.riskScore) ok++;
      else console.log(`#   score ${sum} != ${f.riskScore}: ${f.file} ${f.line.slice(0, 160)}`);
    }
    console.log(`# risk score agreement: ${rate(ok, total)}`);
    assert.equal(unknown.size, 0, `risk names not in risks.json: ${top(unknown)}`);
    assert.equal(ok, total);
  });
});

describe('host names', () => {
  it('meta.matching boundary rules on patterns from hosts.json', () => {
    const proto = (name: string) => wasm.hostProto(name);
    const apple = hostEntry('apple.com').proto_id;
    const itunes = hostEntry('itunes.apple.com').proto_id;
    const appStore = hostEntry('-buy.itunes.apple.com').proto_id;
    // end-anchored, label-aligned suffix
    assert.equal(proto('apple.com'), apple);
    assert.equal(proto('www.apple.com'), apple);
    assert.equal(proto('WWW.Apple.COM'), apple, 'case-insensitive');
    assert.equal(proto('pineapple.com'), 0, 'not label-aligned');
    assert.equal(proto('apple.com.example.org'), 0, 'anchored at the end');
    // highest level wins
    assert.equal(proto('x.itunes.apple.com'), itunes);
    // '-' prefix: no boundary needed, plain suffix
    assert.equal(proto('p30-buy.itunes.apple.com'), appStore);
    assert.equal(proto('-buy.itunes.apple.com'), appStore);
    // pattern ending in '.': at the start of the name or after a '.', anything may follow
    const google = hostEntry('google.').proto_id;
    const gmail = hostEntry('mail.google.').proto_id;
    assert.equal(proto('google.de'), google);
    assert.equal(proto('www.google.co.uk'), google);
    assert.equal(proto('notgoogle.de'), 0);
    assert.equal(proto('mail.google.de'), gmail, 'mail.google. (level 2) beats google. (level 1)');
    // pattern ending in '-'
    const fb = hostEntry('fbcdn-').proto_id;
    assert.equal(proto('fbcdn-video-a.akamaihd.net'), fb);
    assert.equal(proto('x.fbcdn-profile.akamaihd.net'), fb);
    assert.equal(proto('myfbcdn-x.example'), 0);
    // explicit level: instagram. (level 15) beats facebook.com (level 2)
    const instagram = hostEntry('instagram.');
    assert.equal(instagram.level, 15);
    assert.equal(proto('instagram.facebook.com'), instagram.proto_id);
    assert.equal(proto('www.facebook.com'), hostEntry('facebook.com').proto_id);
    // a pattern without a dot is still end-anchored and label-aligned
    const goog = hostEntry('goog').proto_id;
    assert.equal(proto('goog'), goog);
    assert.equal(proto('domains.goog'), goog);
    assert.equal(proto('googx'), 0);
    assert.equal(proto(''), 0);
    assert.equal(proto('.'), 0);
    // the packed value carries the entry's own category and breed
    const e = hostEntry('googlevideo.com');
    assert.equal(wasm.host('r1.googlevideo.com') >>> 0, (e.proto_id | (e.category_id << 16) | (e.breed_id << 24)) >>> 0);
  });

  it('every pattern, as a whole name, matches itself (an exact whole-name match wins at once)', () => {
    // hosts.json has no name that equals one pattern while a higher-level pattern also matches
    // it; these count the ones where another pattern matches at all.
    let contested = 0;
    for (const h of hosts) {
      const expected = (h.proto_id | (h.category_id << 16) | (h.breed_id << 24)) >>> 0;
      assert.equal(wasm.host(h.pattern), expected, h.pattern);
      if (hosts.some((o) => o !== h && referenceHostMatch([o], h.pattern) !== null)) contested++;
    }
    console.log(`# patterns also matched by another pattern when used as a name: ${contested}`);
  });

  it('wasm matcher equals the reference restatement of meta.matching on every pattern and .out name', () => {
    const names = new Set<string>();
    for (const h of hosts) {
      const p = h.pattern;
      for (const n of [p, `a.${p}`, `a${p}`, `${p}x`, `${p}.x`, `x-${p}`, p.toUpperCase(), `a.b.${p}com`]) names.add(n);
    }
    for (const f of flows) if (f.hostname) names.add(f.hostname);
    let diffs = 0;
    for (const name of names) {
      const ref = referenceHostMatch(hosts, name);
      const expected = ref ? ((ref.proto_id | (ref.category_id << 16) | (ref.breed_id << 24)) >>> 0) : 0;
      const got = wasm.host(name);
      if (got !== expected) {
        diffs++;
        if (diffs <= 10) console.log(`#   ${name}: wasm ${got & 0xffff}, reference ${ref?.pattern ?? 'none'} (${ref?.proto_id ?? 0})`);
      }
    }
    console.log(`# host matcher vs reference: ${rate(names.size - diffs, names.size)} names`);
    assert.equal(diffs, 0);
  });

  it('agrees with nDPI on the app of flows with a host name (.out ground truth)', () => {
    let ok = 0, total = 0;
    const confusions = new Map<string, number>();
    for (const f of flows) {
      if (!f.hostname || f.masterId === 0 || f.appId === f.masterId) continue;
      if (custom.protocols.has(f.appName)) continue;
      total++;
      const got = wasm.hostProto(f.hostname);
      if (got === f.appId) ok++;
      else confusions.set(`${f.hostname} -> ${tables.protocolName(got)} (nDPI ${f.masterName}.${f.appName})`, (confusions.get(`${f.hostname} -> ${tables.protocolName(got)} (nDPI ${f.masterName}.${f.appName})`) ?? 0) + 1);
    }
    console.log(`# host match vs nDPI app id (Master.App flows with a host name): ${rate(ok, total)}`);
    console.log(`#   differences: ${top(confusions, 12)}`);
    assert.ok(total > 300, `${total} flows`);
    assert.ok(ok / total >= 0.9);
  });

  it('category_match list', () => {
    for (const c of hostsJson.category_hosts) {
      for (const name of [c.pattern, `x.${c.pattern}`, `X.${c.pattern.toUpperCase()}`, `x${c.pattern}`, `${c.pattern}.local`]) {
        const expected = referenceHostCategory(hostsJson.category_hosts, name);
        assert.equal(wasm.hostCategory(name), expected, name);
      }
      if (c.pattern.includes('.') && !c.pattern.endsWith('.')) assert.equal(wasm.hostCategory(`a.${c.pattern}`), c.category_id, c.pattern);
    }
    assert.equal(wasm.hostCategory('fastly.net.arpa'), 0);
    assert.equal(wasm.hostCategory('nodot'), 0);
  });

  it('tls_certificate_match list: case-insensitive substrings of the subject', () => {
    for (const c of hostsJson.tls_cert_subjects) {
      assert.equal(wasm.certSubject(c.pattern), c.proto_id, c.pattern);
      assert.equal(wasm.certSubject(`C=US, ST=CA, ${c.pattern.toUpperCase()}, L=x`), c.proto_id, c.pattern);
      assert.equal(wasm.certSubject(c.pattern.slice(0, -1)), 0, `${c.pattern} cut short`);
    }
    // the match that ends first wins
    const [a, b] = hostsJson.tls_cert_subjects.filter((c: any, i: number, all: any[]) => all.findIndex((d) => d.proto_id === c.proto_id) === i);
    assert.equal(wasm.certSubject(`${b.pattern}, ${a.pattern}`), b.proto_id);
    assert.equal(wasm.certSubject(''), 0);
  });
});

describe('IP lists', () => {
  const trees = {
    v4: new ReferencePrefixTree(ipJson.ipv4, 32),
    v6: new ReferencePrefixTree(ipJson.ipv6, 128),
    r4: new ReferencePrefixTree(ipJson.risk.ipv4, 32),
    r6: new ReferencePrefixTree(ipJson.risk.ipv6, 128),
  };

  it('every prefix edge (first, last, one before, one after) and random addresses as the reference longest-prefix match', () => {
    let checked = 0;
    const lists: Array<[Array<[string, number]>, ReferencePrefixTree, 32 | 128, (a: bigint) => number]> = [
      [ipJson.ipv4, trees.v4, 32, (a) => wasm.ipOf(a, 32)],
      [ipJson.ipv6, trees.v6, 128, (a) => wasm.ipOf(a, 128)],
      [ipJson.risk.ipv4, trees.r4, 32, (a) => wasm.ipRiskOf(a, 32)],
      [ipJson.risk.ipv6, trees.r6, 128, (a) => wasm.ipRiskOf(a, 128)],
    ];
    for (const [list, tree, bits, lookup] of lists) {
      const space = 1n << BigInt(bits);
      for (const [cidr] of list) {
        const [addr, lenText] = cidr.split('/');
        const host = BigInt(bits - Number(lenText ?? bits));
        const first = (addressToBigInt(addr) >> host) << host;
        const last = first + (1n << host) - 1n;
        for (const a of [first, last, first - 1n, last + 1n]) {
          if (a < 0n || a >= space) continue;
          const got = lookup(a), expected = tree.lookup(a);
          if (got !== expected) assert.fail(`${bigIntToAddress(a, bits)} (edge of ${cidr}): wasm ${got}, reference ${expected}`);
          checked++;
        }
      }
    }
    // and random addresses: uniform over the space, and inside listed prefixes with random host bits
    let seed = 0x9e3779b9;
    const random32 = () => {
      seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
      return BigInt(seed >>> 0);
    };
    const randomBits = (bits: number) => {
      let v = 0n;
      for (let i = 0; i < bits; i += 32) v = (v << 32n) | random32();
      return v & ((1n << BigInt(bits)) - 1n);
    };
    for (const [list, tree, bits, lookup] of lists) {
      for (let i = 0; i < 5000; i++) {
        const [cidr] = list[Number(random32()) % list.length];
        const [addr, lenText] = cidr.split('/');
        const host = BigInt(bits - Number(lenText ?? bits));
        const inside = ((addressToBigInt(addr) >> host) << host) | (randomBits(bits) & ((1n << host) - 1n));
        for (const a of [inside, randomBits(bits)]) {
          const got = lookup(a), expected = tree.lookup(a);
          if (got !== expected) assert.fail(`${bigIntToAddress(a, bits)}: wasm ${got}, reference ${expected}`);
          checked++;
        }
      }
    }
    console.log(`# IP lookups vs reference: ${checked} addresses (prefix edges and random)`);
  });

  it('later duplicates win (meta.duplicate_prefixes)', () => {
    for (const [cidr, , later] of ipJson.meta.duplicate_prefixes.conflicting) {
      const addr = cidr.split('/')[0];
      assert.equal(wasm.ip(addr), later, cidr);
    }
  });

  it('risk lists: anonymous subscriber and crawler/bot ranges', () => {
    const [a] = ipJson.risk.ipv4.find(([, r]: [string, number]) => r === 45);
    const [b] = ipJson.risk.ipv4.find(([, r]: [string, number]) => r === 44);
    assert.equal(wasm.ipRisk(a.split('/')[0]), 45);
    assert.equal(wasm.ipRisk(b.split('/')[0]), 44);
    assert.equal(wasm.ipRisk('10.0.0.1'), 0);
  });

  it('agrees with nDPI on [IP: n/Name] of the .out files', () => {
    const customTree = new ReferencePrefixTree(custom.prefixes.filter((p) => !p.includes(':')).map((p) => [p, 1]), 32);
    const customTree6 = new ReferencePrefixTree(custom.prefixes.filter((p) => p.includes(':')).map((p) => [p, 1]), 128);
    const isCustom = (a: string) => (a.includes(':') ? customTree6 : customTree).lookup(addressToBigInt(a)) !== 0;
    let ok = 0, total = 0, skipped = 0, okNonZero = 0, totalNonZero = 0;
    const confusions = new Map<string, number>();
    for (const f of flows) {
      if (!f.ipMatch) continue;
      if (isCustom(f.srcIp) || isCustom(f.dstIp) || custom.protocols.has(f.ipMatch.name) && !ipJson.ipv4.some(([, id]: [string, number]) => id === f.ipMatch!.id)) {
        skipped++;
        continue;
      }
      total++;
      const byServer = wasm.ip(f.dstIp);
      const got = byServer !== 0 ? byServer : wasm.ip(f.srcIp);
      if (f.ipMatch.id !== 0) totalNonZero++;
      if (got === f.ipMatch.id) {
        ok++;
        if (got !== 0) okNonZero++;
      } else {
        const key = `${f.dstIp}/${f.srcIp} -> ${got} (nDPI ${f.ipMatch.id}/${f.ipMatch.name})`;
        confusions.set(key, (confusions.get(key) ?? 0) + 1);
      }
    }
    console.log(`# IP match vs nDPI [IP:] (${skipped} flows set aside for protos.txt rules): ${rate(ok, total)}, ` +
      `of which with a non-zero id: ${rate(okNonZero, totalNonZero)}`);
    console.log(`#   differences: ${top(confusions, 12)}`);
    assert.ok(total > 1000);
    assert.ok(ok / total >= 0.98);
  });
});

describe('default ports', () => {
  it('port tables hold every default port of protocols.json', () => {
    const owners = new Map<string, number[]>();
    for (const p of protocolsJson.protocols) {
      for (const port of p.tcp_default_ports) owners.set(`tcp:${port}`, [...(owners.get(`tcp:${port}`) ?? []), p.id]);
      for (const port of p.udp_default_ports) owners.set(`udp:${port}`, [...(owners.get(`udp:${port}`) ?? []), p.id]);
    }
    for (const [key, ids] of owners) {
      const [t, port] = key.split(':');
      const got = t === 'tcp' ? wasm.raw.tcpPort(Number(port)) : wasm.raw.udpPort(Number(port));
      assert.equal(got, ids[ids.length - 1], `${key} registered by ${ids.join(', ')}: the later registration wins`);
    }
    assert.equal(wasm.raw.tcpPort(1), protocolsJson.protocols.find((p: any) => p.tcp_default_ports.includes(1))?.id ?? 0);
    assert.equal(wasm.raw.guessPorts(6, 0, 443), 0, 'a zero port gives no guess');
    assert.equal(wasm.raw.guessPorts(1, 1000, 443), 0, 'no ports outside TCP/UDP');
  });

  it("the reader's protos.txt port rules for known protocols are guessed from, but are no default ports", () => {
    // protos.txt: tcp:81,tcp:8181@HTTP, udp:5062@SIP, tcp:3000@ntop, tcp:9002@Elasticsearch;
    // synscan.pcap's SYNs to those ports are "Match by port" HTTP (7), ntop (26), Elasticsearch (330).
    const id = (name: string) => protocolsJson.protocols.find((p: any) => p.name === name).id;
    for (const [l4, port, name] of [[6, 81, 'HTTP'], [6, 8181, 'HTTP'], [6, 3000, 'ntop'], [6, 9002, 'Elasticsearch'], [17, 5062, 'SIP']] as const) {
      assert.equal(wasm.raw.guessPorts(l4, 36050, port), id(name), `${l4}:${port}`);
      assert.equal(wasm.raw.guessPorts(l4, port, 36050), id(name), `${l4}:${port} as the source port`);
      assert.equal(l4 === 6 ? wasm.raw.tcpPort(port) : wasm.raw.udpPort(port), 0, `${l4}:${port} is no default port`);
    }
    // Custom protocols (iSCSI, Kibana, TestProto: not nDPI's) and other transports get nothing.
    for (const [l4, port] of [[6, 3260], [17, 3260], [6, 5601], [6, 65535], [17, 3000], [17, 81]] as const) {
      assert.equal(wasm.raw.guessPorts(l4, 36050, port), 0, `${l4}:${port}`);
    }
    // The lower port is still tried first: 22 (SSH by default) before 3000 (ntop by rule).
    assert.equal(wasm.raw.guessPorts(6, 3000, 22), id('SSH'));
  });

  it('agrees with nDPI on "Match by port" flows of the .out files', () => {
    let ok = 0, okDstFirst = 0, total = 0;
    const confusions = new Map<string, number>();
    for (const f of flows) {
      if (f.confidence !== 'Match by port' || (f.l4Proto !== 6 && f.l4Proto !== 17)) continue;
      const t = f.l4Proto === 6 ? 'tcp' : 'udp';
      if (custom.ports.has(`${t}:${f.srcPort}`) || custom.ports.has(`${t}:${f.dstPort}`)) continue;
      total++;
      const got = wasm.raw.guessPorts(f.l4Proto, f.srcPort, f.dstPort);
      if (got === f.appId) ok++;
      else {
        const key = `${t} ${f.srcPort}->${f.dstPort}: ${tables.protocolName(got)} (nDPI ${f.appName})`;
        confusions.set(key, (confusions.get(key) ?? 0) + 1);
      }
      const byPort = (p: number) => (t === 'tcp' ? wasm.raw.tcpPort(p) : wasm.raw.udpPort(p));
      if ((byPort(f.dstPort) || byPort(f.srcPort)) === f.appId) okDstFirst++;
    }
    console.log(`# port guess (lower port first) vs nDPI: ${rate(ok, total)}; printed destination first would give ${rate(okDstFirst, total)}`);
    console.log(`#   differences: ${top(confusions)}`);
    assert.ok(total > 100);
    assert.ok(ok / total >= 0.98);
  });
});

describe('TLS ciphers', () => {
  it('class and name of every listed cipher; unlisted ids are safe', () => {
    const classes = { safe: 0, weak: 1, insecure: 2 } as const;
    for (const c of ciphersJson.ciphers) {
      const id = Number.parseInt(c.id, 16);
      assert.equal(wasm.raw.cipher(id), classes[c.class as keyof typeof classes], c.id);
      assert.equal(tables.cipherClass(id), c.class);
      assert.equal(tables.cipherName(id), c.name);
    }
    assert.equal(wasm.raw.cipher(0xfffe), 0);
    assert.equal(tables.cipherName(0x00ff), ciphersJson.ciphers.some((c: any) => c.id === '0x00ff') ? tables.cipherName(0x00ff) : '0X00FF');
    assert.equal(tables.cipherName(0xabcd), '0XABCD');
  });
});
