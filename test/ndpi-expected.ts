// Parser of nDPI's ndpiReader result files (`tests/cfgs/default/result/<capture>.out`), the
// ground truth of the conformance suites. The format is described in
// ../shared/pcaps/README.md ("Format of an .out file"); this file only reads it, it knows
// nothing about the engine.
//
// Layout of a file (blocks separated by blank lines):
//   1. global counters (`-A`)             -> OutFile.globals
//   2. `Name\tpackets\tbytes\tflows`       -> OutFile.protocols
//   3. `%-20s %13u %-13u %-13u` breeds     -> OutFile.breeds
//   4. optional tables (JA3 Host Stats...) -> ignored (kept in OutFile.otherLines)
//   5. `\t<n>\t<L4> <src> <->|-> <dst> [field]...`   detected flows
//   6. `Undetected flows:` + more flow lines           Unknown flows
// An empty file means "no flows".

/** IP protocol numbers of the L4 names ndpiReader prints (ndpi_get_ip_proto_name); any other protocol is printed as its number. */
export const L4_NAME_TO_NUMBER: Readonly<Record<string, number>> = {
  ICMP: 1,
  IGMP: 2,
  IPIP: 4,
  TCP: 6,
  EGP: 8,
  UDP: 17,
  GRE: 47,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  OSPF: 89,
  PIM: 103,
  VRRP: 112,
  PGM: 113,
  SCTP: 132,
};

/** One `[...]` field of a flow line: `name` is null for unnamed fields (`[ClearText]`, `[TLSv1.2]`, a DNS answer...). */
export interface OutField {
  name: string | null;
  value: string;
}

export interface DirectionCounters {
  packets: number;
  bytes: number;
}

export interface ExpectedFlow {
  /** 'detected' for the main list, 'undetected' after the `Undetected flows:` line. */
  block: 'detected' | 'undetected';
  /** Flow number as printed (restarts at 1 in the undetected block). */
  index: number;
  /** L4 protocol as printed ("TCP", "ICMPV6", "118"...) and its IP protocol number. */
  l4: string;
  l4Proto: number;
  ipVersion: 4 | 6;
  /** First-seen side ("client") and the other end. IPv6 addresses without brackets. */
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  /** `<->` (packets seen both ways) vs `->`. */
  bidirectional: boolean;
  /** Inner VLAN id, 0 when no `[VLAN: n]`. */
  vlan: number;
  /** Tunnel prefix of `[proto: T:...]` ("GTP", "VXLAN", "GRE", "CAPWAP", "TZSP"), '' when none. */
  tunnel: string;
  /** `[proto: M.A/MName.AName]`; for the single form `N/Name` masterId = 0 and appId = N. */
  masterId: number;
  appId: number;
  masterName: string;
  appName: string;
  /** The `[proto: ...]` value exactly as printed. */
  protoText: string;
  /** `[IP: n/Name]` (null if absent). */
  ipMatch: { id: number; name: string } | null;
  /** `[cat: Name/id]` (null when omitted, i.e. category 0). */
  category: { id: number; name: string } | null;
  /** `[Encrypted]` true, `[ClearText]` false, null if neither. */
  encrypted: boolean | null;
  /** `[Confidence: X]` */
  confidence: string | null;
  /** `[DPI packets: n]` */
  dpiPackets: number | null;
  /** Counters of `[a pkts/b bytes <-> c pkts/d bytes]`: src->dst and dst->src. */
  srcToDst: DirectionCounters;
  dstToSrc: DirectionCounters;
  /** `[x.xx sec]` in seconds; 0 for `[< 1 sec]` (then durationBelow1ms is true). */
  durationSec: number;
  durationBelow1ms: boolean;
  /** `[Goodput ratio: x/y]` */
  goodputRatio: [number, number] | null;
  /** `[Hostname/SNI: ...]` */
  hostname: string | null;
  /** Display strings of `[Risk: ** A **** B **]` in printed order, [] when none. */
  risks: string[];
  /** `[Risk Score: n]`, 0 when absent. */
  riskScore: number;
  /** Every named field, first occurrence wins ("Server" can occur twice: see fieldList). */
  fields: Record<string, string>;
  /** Every field in printed order, named or not, including the ones decoded above. */
  fieldList: OutField[];
  /** The whole line, for messages. */
  line: string;
}

export interface ProtocolSummary {
  name: string;
  packets: number;
  bytes: number;
  flows: number;
}

export interface OutFile {
  /** Block 1 lines as `name -> raw value` (e.g. "DPI Packets (TCP)" -> "6\t(6.00 pkts/flow)"). */
  globals: Record<string, string>;
  /** Block 2: per application protocol. */
  protocols: ProtocolSummary[];
  /** Block 3: per breed ("Safe", "Acceptable", "Potentially Dangerous"...). */
  breeds: ProtocolSummary[];
  /** Detected flows then undetected flows, in file order. */
  flows: ExpectedFlow[];
  /** Lines that belong to none of the above (optional tables, headers). */
  otherLines: string[];
}

const FLOW_LINE = /^\t(\d+)\t(\S+) (\[[0-9A-Fa-f:.]+\]|[0-9.]+):(\d+) (<->|->) (\[[0-9A-Fa-f:.]+\]|[0-9.]+):(\d+) ?(.*)$/;
const PROTOCOL_LINE = /^([^\t]+)\t(\d+)\t(\d+)\t(\d+)$/;
const BREED_LINE = /^(\S(?:.*\S)?)\s+(\d+) (\d+)\s+(\d+)\s*$/;
const COUNTERS = /^(\d+) pkts\/(\d+) bytes (<->|->) (\d+) pkts\/(\d+) bytes$/;
const DURATION = /^(?:(\d+(?:\.\d+)?) sec|< 1 sec)$/;
const PROTO_VALUE = /^(?:([A-Za-z][A-Za-z0-9_]*):)?(\d+)(?:\.(\d+))?\/(.*)$/;
const FIELD_NAME = /^[A-Za-z(][A-Za-z0-9 _/()\-.]*$/;

/** Field names that start a new field, used to resolve brackets inside values. */
const KNOWN_FIELD_NAMES = [
  'VLAN', 'proto', 'IP', 'Stream Content', 'Confidence', 'FPC', 'DPI packets', 'cat', 'Goodput ratio',
  'Username', 'Password', 'Hostname/SNI', '(Advertised) ALPNs', '(Negotiated) ALPN', 'TLS Supported Versions',
  'bytes ratio', 'IAT c2s/s2c', 'Pkt Len c2s/s2c', 'URL', 'URL(s)', 'StatusCode', 'Req Content-Type',
  'Content-Type', 'Server', 'User-Agent', 'Filename', 'Risk', 'Risk Score', 'Risk Info', 'TCP Fingerprint',
  'HASSH-C', 'HASSH-S', 'JA3C', 'JA4', 'JA4_r', 'JA3S', 'ServerNames', 'Issuer', 'Subject', 'Validity',
  'Certificate SHA-1', 'Cipher', 'ESNI', 'ESNI Cipher', 'ECH', 'BT Hash', 'DHCP Fingerprint', 'DHCP Class Ident',
  'PLAIN TEXT', 'Plen Bins', 'QUIC ver', 'Mapped IP/Port', 'Peer IP/Port', 'Relayed IP/Port',
  'Rsp Origin IP/Port', 'Other IP/Port', 'Nat-IP', 'GeoLocation', 'currency',
];

function stripBrackets(addr: string): string {
  return addr.startsWith('[') ? addr.slice(1, -1) : addr;
}

/** True when `rest` (text right after a `]`) begins a new, known field. */
function startsKnownField(line: string, at: number): boolean {
  if (line[at] !== '[') return false;
  for (const name of KNOWN_FIELD_NAMES) {
    if (line.startsWith(name, at + 1)) {
      const next = line[at + 1 + name.length];
      if (next === ':' || next === ' ' || next === ']') return true;
    }
  }
  return false;
}

/**
 * Splits `[a][b: c]...` into field bodies. Values may hold brackets (`[Hostname/SNI: [ff02::c]:1900]`,
 * user agents with `[X=Y]`) or a stray `]` (binary Kerberos info), so a `]` closes the field only
 * when it is followed by `[` or the end of the line, and, when inner brackets are still open, only
 * if what follows is a known field.
 */
export function splitFields(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (text[i] !== '[') {
      i++; // stray text between fields (does not occur in practice)
      continue;
    }
    let depth = 0;
    let j = i;
    let end = -1;
    for (; j < n; j++) {
      const c = text[j];
      if (c === '[') depth++;
      else if (c === ']') {
        const atEnd = j + 1 === n || /^\s*$/.test(text.slice(j + 1));
        const beforeField = text[j + 1] === '[';
        if (atEnd || (beforeField && (depth <= 1 || startsKnownField(text, j + 1)))) {
          end = j;
          break;
        }
        if (depth > 1) depth--;
      }
    }
    if (end < 0) {
      out.push(text.slice(i + 1)); // unterminated: keep the rest
      break;
    }
    out.push(text.slice(i + 1, end));
    i = end + 1;
  }
  return out;
}

function toField(body: string): OutField {
  // "[PLAIN TEXT (first printable string)]": the name is followed by a parenthesis, not ": "
  if (body.startsWith('PLAIN TEXT (') && body.endsWith(')')) return { name: 'PLAIN TEXT', value: body.slice(12, -1) };
  const colon = body.indexOf(': ');
  if (colon > 0) {
    const name = body.slice(0, colon);
    if (FIELD_NAME.test(name)) return { name, value: body.slice(colon + 2) };
  }
  // "[Risk: ...]" style with nothing after the colon, e.g. "[User: ]"
  if (body.endsWith(':') && FIELD_NAME.test(body.slice(0, -1))) return { name: body.slice(0, -1), value: '' };
  return { name: null, value: body };
}

/** `** A **** B **` -> ['A', 'B'] */
export function parseRisks(value: string): string[] {
  return value
    .split('**')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Parses one flow line; returns null when the line is not a flow line. */
export function parseFlowLine(line: string, block: 'detected' | 'undetected' = 'detected'): ExpectedFlow | null {
  const m = FLOW_LINE.exec(line);
  if (!m) return null;
  const [, index, l4, src, sport, arrow, dst, dport, rest] = m;
  const l4Proto = /^\d+$/.test(l4) ? Number(l4) : L4_NAME_TO_NUMBER[l4];
  if (l4Proto === undefined) throw new Error(`unknown L4 protocol name "${l4}" in: ${line}`);

  const flow: ExpectedFlow = {
    block,
    index: Number(index),
    l4,
    l4Proto,
    ipVersion: src.startsWith('[') ? 6 : 4,
    srcIp: stripBrackets(src),
    srcPort: Number(sport),
    dstIp: stripBrackets(dst),
    dstPort: Number(dport),
    bidirectional: arrow === '<->',
    vlan: 0,
    tunnel: '',
    masterId: 0,
    appId: 0,
    masterName: 'Unknown',
    appName: 'Unknown',
    protoText: '',
    ipMatch: null,
    category: null,
    encrypted: null,
    confidence: null,
    dpiPackets: null,
    srcToDst: { packets: 0, bytes: 0 },
    dstToSrc: { packets: 0, bytes: 0 },
    durationSec: 0,
    durationBelow1ms: false,
    goodputRatio: null,
    hostname: null,
    risks: [],
    riskScore: 0,
    fields: {},
    fieldList: [],
    line,
  };

  let sawCounters = false;
  for (const body of splitFields(rest)) {
    const field = toField(body);
    flow.fieldList.push(field);
    if (field.name === null) {
      const v = field.value;
      const c = COUNTERS.exec(v);
      const d = DURATION.exec(v);
      if (c && !sawCounters) {
        sawCounters = true;
        flow.srcToDst = { packets: Number(c[1]), bytes: Number(c[2]) };
        flow.dstToSrc = { packets: Number(c[4]), bytes: Number(c[5]) };
      } else if (d) {
        flow.durationSec = d[1] === undefined ? 0 : Number(d[1]);
        flow.durationBelow1ms = d[1] === undefined;
      } else if (v === 'Encrypted') flow.encrypted = true;
      else if (v === 'ClearText') flow.encrypted = false;
      continue;
    }
    if (!(field.name in flow.fields)) flow.fields[field.name] = field.value;
    const v = field.value;
    switch (field.name) {
      case 'VLAN':
        flow.vlan = Number(v);
        break;
      case 'proto': {
        flow.protoText = v;
        const p = PROTO_VALUE.exec(v);
        if (!p) throw new Error(`unparsable [proto: ${v}] in: ${line}`);
        flow.tunnel = p[1] ?? '';
        const names = p[4];
        if (p[3] !== undefined) {
          const dot = names.indexOf('.');
          flow.masterId = Number(p[2]);
          flow.appId = Number(p[3]);
          flow.masterName = dot < 0 ? names : names.slice(0, dot);
          flow.appName = dot < 0 ? names : names.slice(dot + 1);
        } else {
          flow.masterId = 0;
          flow.masterName = 'Unknown';
          flow.appId = Number(p[2]);
          flow.appName = names;
        }
        break;
      }
      case 'IP': {
        const s = v.indexOf('/');
        flow.ipMatch = { id: Number(v.slice(0, s)), name: v.slice(s + 1) };
        break;
      }
      case 'cat': {
        const s = v.lastIndexOf('/');
        flow.category = { name: v.slice(0, s), id: Number(v.slice(s + 1)) };
        break;
      }
      case 'Confidence':
        flow.confidence = v;
        break;
      case 'DPI packets':
        flow.dpiPackets = Number(v);
        break;
      case 'Goodput ratio': {
        const [a, b] = v.split('/');
        flow.goodputRatio = [Number(a), Number(b)];
        break;
      }
      case 'Hostname/SNI':
        flow.hostname = v;
        break;
      case 'Risk':
        flow.risks = parseRisks(v);
        break;
      case 'Risk Score':
        flow.riskScore = Number(v);
        break;
    }
  }
  if (!sawCounters) throw new Error(`flow line without packet counters: ${line}`);
  return flow;
}

/** Parses a whole `.out` file (as text). */
export function parseOutFile(text: string): OutFile {
  const out: OutFile = { globals: {}, protocols: [], breeds: [], flows: [], otherLines: [] };
  let block: 'detected' | 'undetected' = 'detected';
  let inTable = false; // inside an optional table such as "JA3 Host Stats:"
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') {
      inTable = false;
      continue;
    }
    if (line === 'Undetected flows:') {
      block = 'undetected';
      continue;
    }
    if (!inTable && /^\t\d+\t\S/.test(line)) {
      const flow = parseFlowLine(line, block);
      if (flow) {
        out.flows.push(flow);
        continue;
      }
    }
    if (inTable || /^\t/.test(line)) {
      out.otherLines.push(line);
      continue;
    }
    if (/^[A-Za-z0-9 ]+ Host Stats: ?$/.test(line) || /^[A-Z][^\t]*:\s*$/.test(line)) {
      inTable = true;
      out.otherLines.push(line);
      continue;
    }
    const p = PROTOCOL_LINE.exec(line);
    if (p) {
      out.protocols.push({ name: p[1], packets: Number(p[2]), bytes: Number(p[3]), flows: Number(p[4]) });
      continue;
    }
    const g = /^([^:]+?)\s*:\s*(.*)$/.exec(line);
    if (g && out.protocols.length === 0 && out.flows.length === 0) {
      out.globals[g[1]] = g[2];
      continue;
    }
    const b = BREED_LINE.exec(line);
    if (b && out.flows.length === 0) {
      out.breeds.push({ name: b[1], packets: Number(b[2]), bytes: Number(b[3]), flows: Number(b[4]) });
      continue;
    }
    out.otherLines.push(line);
  }
  return out;
}

/** Decodes a `.out` file's bytes (ndpiReader prints raw payload bytes; invalid UTF-8 becomes U+FFFD). */
export function decodeOutFile(bytes: Uint8Array): OutFile {
  return parseOutFile(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
}

/** The protocol id nDPI counts the flow under: app if known, else master. */
export function l7Id(flow: ExpectedFlow): number {
  return flow.appId !== 0 ? flow.appId : flow.masterId;
}

// ---- addresses as ndpiReader prints them ------------------------------------------------

/** 16-bit words of an IPv6 address in text form (one "::" at most, optional dotted IPv4 tail), or null. */
export function parseIpv6(text: string): number[] | null {
  let s = text.toLowerCase();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.includes('.', lastColon)) {
    // dotted IPv4 tail ("::ffff:1.2.3.4"): rewrite it as two hex words
    const v4 = s.slice(lastColon + 1).split('.');
    if (v4.length !== 4 || v4.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
    const b = v4.map(Number);
    s = `${s.slice(0, lastColon + 1)}${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const words = (part: string) => (part === '' ? [] : part.split(':'));
  const head = words(halves[0]);
  const tail = halves.length === 2 ? words(halves[1]) : [];
  if ([...head, ...tail].some((w) => !/^[0-9a-f]{1,4}$/.test(w))) return null;
  const given = head.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return null;
  const zeros = new Array<number>(8 - given).fill(0);
  return [...head, ...zeros.map(String), ...tail].map((w) => parseInt(w, 16));
}

/** glibc inet_ntop(AF_INET6): longest run (>= 2) of zero words compressed, first on ties; embedded IPv4 forms. */
export function formatIpv6Glibc(w: number[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (bestLen < 2) best = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best >= 0 && i >= best && i < best + bestLen) {
      if (i === best) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && best === 0 && (bestLen === 6 || (bestLen === 7 && w[7] !== 1) || (bestLen === 5 && w[5] === 0xffff))) {
      out += `${w[6] >> 8}.${w[6] & 255}.${w[7] >> 8}.${w[7] & 255}`;
      break;
    }
    out += w[i].toString(16);
  }
  if (best >= 0 && best + bestLen === 8) out += ':';
  return out;
}

/**
 * An address as ndpiReader prints it: IPv4 unchanged; IPv6 from glibc's inet_ntop, then every
 * ":0:" replaced by "::" (reader_util.c patchIPv6Address, "for consistency across platforms"), which
 * is why the .out files hold addresses like "2600:1900:4160:5999::19::" (2600:1900:4160:5999:0:19:0:0).
 * Text that is already in that (no longer parseable) form is returned lower-cased.
 */
export function ndpiIpText(ip: string): string {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!bare.includes(':')) return bare;
  const words = parseIpv6(bare);
  if (!words) return bare.toLowerCase();
  const s = formatIpv6Glibc(words);
  let patched = '';
  for (let i = 0; i < s.length; ) {
    if (s[i] === ':' && s[i + 1] === '0' && s[i + 2] === ':') {
      patched += '::';
      i += 3;
    } else patched += s[i++];
  }
  return patched;
}
