// Unit tests of the .out parser. Fixtures: the three annotated example lines of
// ../shared/pcaps/README.md ("Three annotated examples", documentation text copied verbatim),
// plus hand-written lines for the forms those examples do not show (IPv6, tunnel prefix,
// numeric L4, undetected block, brackets inside values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  L4_NAME_TO_NUMBER,
  decodeOutFile,
  formatIpv6Glibc,
  l7Id,
  ndpiIpText,
  parseFlowLine,
  parseIpv6,
  parseOutFile,
  parseRisks,
  splitFields,
  type ExpectedFlow,
} from './ndpi-expected.ts';

const README_DNS =
  '\t1\tUDP 82.178.113.245:47255 <-> 82.178.158.181:53 [VLAN: 785][proto: 5.142/DNS.WhatsApp][IP: 0/Unknown][ClearText][Confidence: DPI][FPC: 5.142/DNS.WhatsApp, Confidence: DPI][DPI packets: 2][cat: Network/14][1 pkts/91 bytes <-> 1 pkts/219 bytes][Goodput ratio: 36/73][0.00 sec][Hostname/SNI: e7.whatsapp.net][169.45.219.235][PLAIN TEXT (whatsapp)][Plen Bins: 0,50,0,...]';
const README_TLS =
  '\t1\tTCP 192.168.12.156:39750 -> 142.250.184.68:443 [proto: 91.126/TLS.Google][IP: 126/Google][Encrypted][Confidence: DPI][FPC: 126/Google, Confidence: IP address][DPI packets: 9][cat: Web/5][9 pkts/1488 bytes -> 0 pkts/0 bytes][Goodput ratio: 60/0][0.07 sec][Hostname/SNI: www.google.com][(Advertised) ALPNs: http/1.1][TLS Supported Versions: TLSv1.3;TLSv1.2;TLSv1.1;TLSv1][bytes ratio: 1.000 (Upload)][IAT c2s/s2c ...][Pkt Len c2s/s2c ...][Risk: ** Unidirectional Traffic **][Risk Score: 10][Risk Info: No server to client traffic][TCP Fingerprint: 2_64_65535_685ad951a756/Android][TLSv1.2][JA3C: c67e9dc27d283f1f89b4ebb4b4670c21][JA4: t13d1713ht_5b57614c22b0_352634941f3a][Safari][Plen Bins: ...]';
const README_HTTP =
  '\t1\tTCP 192.168.1.128:42170 <-> 216.58.208.142:80 [proto: 7.126/HTTP.Google][IP: 126/Google][ClearText][Confidence: DPI][FPC: 126/Google, Confidence: IP address][DPI packets: 6][cat: Web/5][6 pkts/478 bytes <-> 4 pkts/800 bytes][Goodput ratio: 15/66][0.04 sec][Hostname/SNI: google.com][bytes ratio: -0.252 (Download)][IAT c2s/s2c min/avg/max/stddev: 0/7 8/14 28/20 10/6][Pkt Len c2s/s2c min/avg/max/stddev: 66/66 80/200 140/594 27/227][URL: google.com/][StatusCode: 301][Content-Type: text/html][Server: gws][User-Agent: curl/7.68.0][TCP Fingerprint: 2_64_64240_2e3cee914fc1/Linux][PLAIN TEXT (GET / HTTP/1.1)][Plen Bins: ...]';

function parse(line: string, block: 'detected' | 'undetected' = 'detected'): ExpectedFlow {
  const flow = parseFlowLine(line, block);
  assert.ok(flow, `not parsed as a flow line: ${line}`);
  return flow;
}

/** The decoded (non-map) part of a flow, for whole-object assertions. */
function core(f: ExpectedFlow): Omit<ExpectedFlow, 'fields' | 'fieldList' | 'line'> {
  const { fields: _f, fieldList: _l, line: _line, ...rest } = f;
  return rest;
}

test('README dns.pcap flow 1: VLAN, master.app, both directions, DNS answer', () => {
  const f = parse(README_DNS);
  assert.deepEqual(core(f), {
    block: 'detected',
    index: 1,
    l4: 'UDP',
    l4Proto: 17,
    ipVersion: 4,
    srcIp: '82.178.113.245',
    srcPort: 47255,
    dstIp: '82.178.158.181',
    dstPort: 53,
    bidirectional: true,
    vlan: 785,
    tunnel: '',
    masterId: 5,
    appId: 142,
    masterName: 'DNS',
    appName: 'WhatsApp',
    protoText: '5.142/DNS.WhatsApp',
    ipMatch: { id: 0, name: 'Unknown' },
    category: { id: 14, name: 'Network' },
    encrypted: false,
    confidence: 'DPI',
    dpiPackets: 2,
    srcToDst: { packets: 1, bytes: 91 },
    dstToSrc: { packets: 1, bytes: 219 },
    durationSec: 0,
    durationBelow1ms: false,
    goodputRatio: [36, 73],
    hostname: 'e7.whatsapp.net',
    risks: [],
    riskScore: 0,
  });
  assert.equal(f.line, README_DNS);
  assert.deepEqual(f.fields, {
    VLAN: '785',
    proto: '5.142/DNS.WhatsApp',
    IP: '0/Unknown',
    Confidence: 'DPI',
    FPC: '5.142/DNS.WhatsApp, Confidence: DPI',
    'DPI packets': '2',
    cat: 'Network/14',
    'Goodput ratio': '36/73',
    'Hostname/SNI': 'e7.whatsapp.net',
    'PLAIN TEXT': 'whatsapp',
    'Plen Bins': '0,50,0,...',
  });
  assert.deepEqual(f.fieldList, [
    { name: 'VLAN', value: '785' },
    { name: 'proto', value: '5.142/DNS.WhatsApp' },
    { name: 'IP', value: '0/Unknown' },
    { name: null, value: 'ClearText' },
    { name: 'Confidence', value: 'DPI' },
    { name: 'FPC', value: '5.142/DNS.WhatsApp, Confidence: DPI' },
    { name: 'DPI packets', value: '2' },
    { name: 'cat', value: 'Network/14' },
    { name: null, value: '1 pkts/91 bytes <-> 1 pkts/219 bytes' },
    { name: 'Goodput ratio', value: '36/73' },
    { name: null, value: '0.00 sec' },
    { name: 'Hostname/SNI', value: 'e7.whatsapp.net' },
    { name: null, value: '169.45.219.235' },
    { name: 'PLAIN TEXT', value: 'whatsapp' },
    { name: 'Plen Bins', value: '0,50,0,...' },
  ]);
  assert.equal(l7Id(f), 142);
});

test('README tls_1.3_unidirectional_client flow 1: one direction, risks, fingerprints', () => {
  const f = parse(README_TLS);
  assert.deepEqual(core(f), {
    block: 'detected',
    index: 1,
    l4: 'TCP',
    l4Proto: 6,
    ipVersion: 4,
    srcIp: '192.168.12.156',
    srcPort: 39750,
    dstIp: '142.250.184.68',
    dstPort: 443,
    bidirectional: false,
    vlan: 0,
    tunnel: '',
    masterId: 91,
    appId: 126,
    masterName: 'TLS',
    appName: 'Google',
    protoText: '91.126/TLS.Google',
    ipMatch: { id: 126, name: 'Google' },
    category: { id: 5, name: 'Web' },
    encrypted: true,
    confidence: 'DPI',
    dpiPackets: 9,
    srcToDst: { packets: 9, bytes: 1488 },
    dstToSrc: { packets: 0, bytes: 0 },
    durationSec: 0.07,
    durationBelow1ms: false,
    goodputRatio: [60, 0],
    hostname: 'www.google.com',
    risks: ['Unidirectional Traffic'],
    riskScore: 10,
  });
  assert.deepEqual(f.fields, {
    proto: '91.126/TLS.Google',
    IP: '126/Google',
    Confidence: 'DPI',
    FPC: '126/Google, Confidence: IP address',
    'DPI packets': '9',
    cat: 'Web/5',
    'Goodput ratio': '60/0',
    'Hostname/SNI': 'www.google.com',
    '(Advertised) ALPNs': 'http/1.1',
    'TLS Supported Versions': 'TLSv1.3;TLSv1.2;TLSv1.1;TLSv1',
    'bytes ratio': '1.000 (Upload)',
    Risk: '** Unidirectional Traffic **',
    'Risk Score': '10',
    'Risk Info': 'No server to client traffic',
    'TCP Fingerprint': '2_64_65535_685ad951a756/Android',
    JA3C: 'c67e9dc27d283f1f89b4ebb4b4670c21',
    JA4: 't13d1713ht_5b57614c22b0_352634941f3a',
    'Plen Bins': '...',
  });
  // unnamed fields, in order
  assert.deepEqual(
    f.fieldList.filter((x) => x.name === null).map((x) => x.value),
    ['Encrypted', '9 pkts/1488 bytes -> 0 pkts/0 bytes', '0.07 sec', 'IAT c2s/s2c ...', 'Pkt Len c2s/s2c ...', 'TLSv1.2', 'Safari'],
  );
  assert.equal(f.fieldList.length, 25);
});

test('README http.pcapng flow 1: HTTP metadata fields', () => {
  const f = parse(README_HTTP);
  assert.deepEqual(core(f), {
    block: 'detected',
    index: 1,
    l4: 'TCP',
    l4Proto: 6,
    ipVersion: 4,
    srcIp: '192.168.1.128',
    srcPort: 42170,
    dstIp: '216.58.208.142',
    dstPort: 80,
    bidirectional: true,
    vlan: 0,
    tunnel: '',
    masterId: 7,
    appId: 126,
    masterName: 'HTTP',
    appName: 'Google',
    protoText: '7.126/HTTP.Google',
    ipMatch: { id: 126, name: 'Google' },
    category: { id: 5, name: 'Web' },
    encrypted: false,
    confidence: 'DPI',
    dpiPackets: 6,
    srcToDst: { packets: 6, bytes: 478 },
    dstToSrc: { packets: 4, bytes: 800 },
    durationSec: 0.04,
    durationBelow1ms: false,
    goodputRatio: [15, 66],
    hostname: 'google.com',
    risks: [],
    riskScore: 0,
  });
  assert.deepEqual(f.fields, {
    proto: '7.126/HTTP.Google',
    IP: '126/Google',
    Confidence: 'DPI',
    FPC: '126/Google, Confidence: IP address',
    'DPI packets': '6',
    cat: 'Web/5',
    'Goodput ratio': '15/66',
    'Hostname/SNI': 'google.com',
    'bytes ratio': '-0.252 (Download)',
    'IAT c2s/s2c min/avg/max/stddev': '0/7 8/14 28/20 10/6',
    'Pkt Len c2s/s2c min/avg/max/stddev': '66/66 80/200 140/594 27/227',
    URL: 'google.com/',
    StatusCode: '301',
    'Content-Type': 'text/html',
    Server: 'gws',
    'User-Agent': 'curl/7.68.0',
    'TCP Fingerprint': '2_64_64240_2e3cee914fc1/Linux',
    'PLAIN TEXT': 'GET / HTTP/1.1',
    'Plen Bins': '...',
  });
  assert.deepEqual(
    f.fieldList.filter((x) => x.name === null).map((x) => x.value),
    ['ClearText', '6 pkts/478 bytes <-> 4 pkts/800 bytes', '0.04 sec'],
  );
});

test('IPv6 ends, tunnel prefix, single protocol id, < 1 sec, several risks', () => {
  const line =
    '\t3\tUDP [2001:db8::1]:5353 -> [ff02::fb]:5353 [VLAN: 2][proto: GTP:8/MDNS][IP: 0/Unknown][ClearText][Confidence: DPI][FPC: 8/MDNS, Confidence: DPI][DPI packets: 1][cat: Network/14][2 pkts/300 bytes -> 0 pkts/0 bytes][Goodput ratio: 70/0][< 1 sec][Hostname/SNI: [ff02::c]:1900][Risk: ** Known Proto on Non Std Port **** Unidirectional Traffic **][Risk Score: 60][Plen Bins: 0]';
  const f = parse(line);
  assert.equal(f.ipVersion, 6);
  assert.equal(f.srcIp, '2001:db8::1');
  assert.equal(f.srcPort, 5353);
  assert.equal(f.dstIp, 'ff02::fb');
  assert.equal(f.dstPort, 5353);
  assert.equal(f.bidirectional, false);
  assert.equal(f.vlan, 2);
  assert.equal(f.tunnel, 'GTP');
  assert.equal(f.masterId, 0);
  assert.equal(f.masterName, 'Unknown');
  assert.equal(f.appId, 8);
  assert.equal(f.appName, 'MDNS');
  assert.equal(l7Id(f), 8);
  assert.equal(f.durationSec, 0);
  assert.equal(f.durationBelow1ms, true);
  assert.equal(f.hostname, '[ff02::c]:1900');
  assert.deepEqual(f.risks, ['Known Proto on Non Std Port', 'Unidirectional Traffic']);
  assert.equal(f.riskScore, 60);
  assert.deepEqual(f.srcToDst, { packets: 2, bytes: 300 });
  assert.deepEqual(f.dstToSrc, { packets: 0, bytes: 0 });
});

test('tunnel prefix with master.app, and numeric / named non-TCP L4', () => {
  const a = parse('\t1\tTCP 10.0.0.1:1234 <-> 10.0.0.2:443 [proto: VXLAN:91.126/TLS.Google][1 pkts/60 bytes <-> 1 pkts/60 bytes]');
  assert.equal(a.tunnel, 'VXLAN');
  assert.deepEqual([a.masterId, a.appId, a.masterName, a.appName], [91, 126, 'TLS', 'Google']);
  const b = parse('\t2\t118 192.168.1.2:0 -> 200.68.120.81:0 [proto: 0/Unknown][1 pkts/417 bytes -> 0 pkts/0 bytes]', 'undetected');
  assert.equal(b.l4, '118');
  assert.equal(b.l4Proto, 118);
  assert.equal(b.block, 'undetected');
  assert.equal(b.index, 2);
  assert.equal(b.category, null);
  assert.equal(b.encrypted, null);
  for (const [name, num] of Object.entries(L4_NAME_TO_NUMBER)) {
    const f = parse(`\t1\t${name} 10.0.0.1:0 -> 10.0.0.2:0 [proto: 0/Unknown][1 pkts/60 bytes -> 0 pkts/0 bytes]`);
    assert.equal(f.l4Proto, num, name);
  }
  assert.equal(L4_NAME_TO_NUMBER.ICMPV6, 58);
  assert.equal(L4_NAME_TO_NUMBER.SCTP, 132);
  assert.throws(() => parse('\t1\tFOO 10.0.0.1:0 -> 10.0.0.2:0 [proto: 0/Unknown][1 pkts/60 bytes -> 0 pkts/0 bytes]'), /unknown L4/);
  assert.throws(() => parse('\t1\tUDP 10.0.0.1:1 -> 10.0.0.2:2 [proto: 0/Unknown]'), /counters/);
});

test('field splitting copes with brackets inside values', () => {
  assert.deepEqual(splitFields('[a][User-Agent: X/1.0-[M=L][R=5]][b: c]'), ['a', 'User-Agent: X/1.0-[M=L][R=5]', 'b: c']);
  // a stray "]" in binary text only closes the field when a field follows
  assert.deepEqual(splitFields('[x]y]z][PLAIN TEXT (q)]'), ['x]y]z', 'PLAIN TEXT (q)']);
  // an unbalanced "[" in a value does not swallow the next known field
  assert.deepEqual(splitFields('[PLAIN TEXT (a[b)][Plen Bins: 1,2]'), ['PLAIN TEXT (a[b)', 'Plen Bins: 1,2']);
  assert.deepEqual(splitFields('[Hostname/SNI: [ff02::c]:1900][0.0.0.0]'), ['Hostname/SNI: [ff02::c]:1900', '0.0.0.0']);
  assert.deepEqual(parseRisks('** A **** B b **'), ['A', 'B b']);
  assert.deepEqual(parseRisks(''), []);
});

test('whole file: globals, block 2 and 3, optional table, detected and undetected flows', () => {
  const text = [
    'Guessed flow protos:\t1',
    '',
    'DPI Packets (TCP):\t6\t(6.00 pkts/flow)',
    'Confidence Unknown           : 1 (flows)',
    'Confidence DPI              : 1 (flows)',
    'LRU cache ookla:      0/0/0 (insert/search/found)',
    '',
    'Unknown\t1\t60\t1',
    'TLS\t3\t300\t1',
    '',
    'Acceptable                      3 300          1            ',
    'Potentially Dangerous           1 60           1            ',
    '',
    'JA3 Host Stats: ',
    '\t\t IP Address                  \t # JA3C     ',
    '\t1\t 10.0.0.1 \t 1      ',
    '',
    '',
    '\t1\tTCP 10.0.0.1:1234 <-> 10.0.0.2:443 [proto: 91/TLS][2 pkts/200 bytes <-> 1 pkts/100 bytes][0.10 sec]',
    '',
    '',
    'Undetected flows:',
    '\t1\tUDP 10.0.0.3:1 -> 10.0.0.4:2 [proto: 0/Unknown][1 pkts/60 bytes -> 0 pkts/0 bytes][< 1 sec]',
    '',
  ].join('\n');
  const out = parseOutFile(text);
  assert.deepEqual(out.globals, {
    'Guessed flow protos': '1',
    'DPI Packets (TCP)': '6\t(6.00 pkts/flow)',
    'Confidence Unknown': '1 (flows)',
    'Confidence DPI': '1 (flows)',
    'LRU cache ookla': '0/0/0 (insert/search/found)',
  });
  assert.deepEqual(out.protocols, [
    { name: 'Unknown', packets: 1, bytes: 60, flows: 1 },
    { name: 'TLS', packets: 3, bytes: 300, flows: 1 },
  ]);
  assert.deepEqual(out.breeds, [
    { name: 'Acceptable', packets: 3, bytes: 300, flows: 1 },
    { name: 'Potentially Dangerous', packets: 1, bytes: 60, flows: 1 },
  ]);
  assert.deepEqual(out.otherLines, ['JA3 Host Stats: ', '\t\t IP Address                  \t # JA3C     ', '\t1\t 10.0.0.1 \t 1      ']);
  assert.equal(out.flows.length, 2);
  assert.deepEqual(
    out.flows.map((f) => [f.block, f.index, f.l4Proto, f.srcIp, f.dstPort, f.bidirectional, f.durationSec, f.durationBelow1ms]),
    [
      ['detected', 1, 6, '10.0.0.1', 443, true, 0.1, false],
      ['undetected', 1, 17, '10.0.0.3', 2, false, 0, true],
    ],
  );
  assert.deepEqual(out.flows[0].srcToDst, { packets: 2, bytes: 200 });
  assert.deepEqual(out.flows[0].dstToSrc, { packets: 1, bytes: 100 });
});

test('empty file means no flows; CRLF and invalid UTF-8 are tolerated', () => {
  assert.deepEqual(parseOutFile(''), { globals: {}, protocols: [], breeds: [], flows: [], otherLines: [] });
  const bytes = new TextEncoder().encode(
    '\t1\tTCP 1.2.3.4:1 -> 5.6.7.8:2 [proto: 111/Kerberos][1 pkts/288 bytes -> 0 pkts/0 bytes][r1i?]*??][Plen Bins: 0]\r\n',
  );
  const withBadByte = new Uint8Array([...bytes.slice(0, bytes.length - 20), 0xff, ...bytes.slice(bytes.length - 20)]);
  const out = decodeOutFile(withBadByte);
  assert.equal(out.flows.length, 1);
  assert.equal(out.flows[0].appName, 'Kerberos');
  assert.equal(out.flows[0].fields['Plen Bins'], '0');
  assert.equal(out.flows[0].fieldList.length, 4);
});

test('IPv6 text: parsing, glibc inet_ntop, and ndpiReader\'s ":0:" -> "::" patch', () => {
  assert.deepEqual(parseIpv6('2001:db8::1'), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIpv6('[::ffff:1.2.3.4]'), [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
  assert.deepEqual(parseIpv6('::'), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(parseIpv6('1::2::3'), null);
  assert.equal(parseIpv6('1:2:3:4:5:6:7'), null);
  assert.equal(parseIpv6('1:2:3:4:5:6:7:8:9'), null);
  assert.equal(parseIpv6('1::g'), null);
  assert.equal(formatIpv6Glibc([0x2001, 0xdb8, 0, 1, 0, 0, 0, 1]), '2001:db8:0:1::1');
  assert.equal(formatIpv6Glibc([1, 0, 0, 2, 0, 0, 3, 4]), '1::2:0:0:3:4'); // first of equal runs
  assert.equal(formatIpv6Glibc([1, 0, 2, 3, 4, 5, 6, 7]), '1:0:2:3:4:5:6:7'); // a single zero is not compressed
  assert.equal(formatIpv6Glibc([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]), '::ffff:1.2.3.4');
  assert.equal(formatIpv6Glibc([0, 0, 0, 0, 0, 0, 0, 1]), '::1');
  assert.equal(formatIpv6Glibc([0, 0, 0, 0, 0, 0, 0, 0]), '::');
  // the forms met in stun.pcap / pinterest.pcap
  assert.equal(ndpiIpText('2600:1900:4160:5999:0:19::'), '2600:1900:4160:5999::19::');
  assert.equal(ndpiIpText('2600:1900:4160:5999:0:19:0:0'), '2600:1900:4160:5999::19::');
  assert.equal(ndpiIpText('[2600:1901:0:7a0b::]'), '2600:1901::7a0b::');
  assert.equal(ndpiIpText('2600:1901::7a0b::'), '2600:1901::7a0b::'); // already patched: unchanged
  assert.equal(ndpiIpText('2001:DB8:0000::1'), '2001:db8::1');
  assert.equal(ndpiIpText('10.0.0.1'), '10.0.0.1');
});
