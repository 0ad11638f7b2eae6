// ntopng's interface.* Flows API (document 000, ntopng-notes §1–§3) over a flow list, runtime-neutral.
//
//   const api = new FlowsApi(() => engine.flows(), { networks, alerts });
//   api.getFlowsInfo(null, { sortColumn: 'column_bytes', a2zSortOrder: false, maxHits: 10 });
//
// The same object backs the Lua `interface` table (interfaceModule). Return shapes follow ntopng:
// getFlowsInfo -> {numFlows, nextSlot, flows}, a missing/unknown host -> null (Lua nil).
//
// Where flowscope differs from ntopng (documented, tested):
// - Values flowscope does not have are their "absent" value: RTTs 0, host pool 0, ASN 0, no MAC,
//   no device IP / SNMP indexes, no eBPF container/process info, no periodic-flow detection. A filter
//   on them matches what that value matches (poolFilter=0 keeps all, poolFilter=3 keeps none).
// - column_thpt sorts on the average throughput (bytes / duration): there is no live throughput.
// - filteredFlows (nEdge only) and trafficProfileFilter (Pro only) are ignored, as in ntopng's
//   community build; countryFilter, hostFilter, client and server are ignored by ntopng too.
// - icmp_type + icmp_code (both needed, u8, 255 = off) match ICMP/ICMPv6 flows whose last message
//   (Flow::getICMP: the server's once it answered, else the client's) has that type and code.
//   dscpFilter (u8, 255 = off) matches the client's or the server's DSCP (of each side's last
//   packet). ntopng's Flow::setTOS also overwrites the server's TOS with the client's packets (an
//   evident slip); flowscope keeps each side's own.
// - LocalNetworkFilter (int16, above 1024 = off): the local network id (position in the local
//   networks, the most specific match; -1 outside them) of the client or the server. ifaceIndex:
//   flowscope has one interface, id 0. deviceIpFilter "0.0.0.0" is off (ntopng reads it as 0).
// - nextSlot is 0 (the whole table is walked), except for getBatchedFlowsInfo (see there).
// - dropFlowTraffic / dropMultipleFlowsTraffic return false: flowscope is passive, there is no
//   inline (nEdge) mode to drop traffic in.
// - findFlowByKeyAndHashId's set_context argument is ignored (flow.* is already bound to the
//   flow being checked).
// Kept quirks of ntopng: `unidirectional=false` also rejects bidirectional flows (so true and false
// both keep only one-way flows); column_info, column_score_as_client, column_score_as_server return
// 0 flows; unknown sort columns sort on bytes; maxHits/toSkip are u16 (maxHits capped at 32768);
// getGroupedFlows groups only with column_ndpi and num_blocked_flows counts every flow.
import type { FlowInfo } from '../types.ts';
import type { FlowAlert } from '../alerts.ts';
import { mapScoreToSeverity } from '../alerts.ts';
import { LocalNetworks, parseIp } from './local_networks.ts';
import { protocolName } from '../ndpi/tables.ts';
import type { HostModule } from './sandbox.ts';
import type { LuaValue } from './value_codec.ts';

export const CONST_MAX_NUM_HITS = 32768;
/** LocalNetworkFilter values above this are off (the notes' default 1025). */
export const CONST_MAX_NUM_NETWORKS = 1024;

/** The alert bookkeeping of one flow: alert ids and the score each added. */
export interface FlowAlertState {
  /** alert id -> score */
  scores: Map<number, number>;
}

export type AlertLookup = (flow: FlowInfo) => FlowAlertState | undefined;

export interface FlowsApiOptions {
  /** Local networks (ntopng's default when not given). */
  networks?: LocalNetworks;
  /** The alerts raised on each flow (alertedFlows, statusFilter, flow.status, column_score). */
  alerts?: AlertLookup;
}

/** An AlertLookup over a list of alerts (e.g. AlertStore.list()), by flow key and hash id. */
export function alertLookup(alerts: Iterable<FlowAlert>): AlertLookup {
  const byFlow = new Map<string, FlowAlertState>();
  for (const a of alerts) {
    const k = `${a.flow_key}:${a.hash_id}`;
    let s = byFlow.get(k);
    if (s === undefined) byFlow.set(k, (s = { scores: new Map() }));
    s.scores.set(a.alert_id, Math.max(s.scores.get(a.alert_id) ?? 0, a.score));
  }
  return (flow) => byFlow.get(`${flow['ntopng.key']}:${flow.hash_entry_id}`);
}

/** ntopng's IpAddress key (notes §3): IPv4 numeric, IPv6 the shifted sum of its native words. */
export function ipKey(ip: string): number | null {
  const b = parseIp(ip);
  if (b === null) return null;
  if (b.length === 4) return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  let key = 0;
  for (let i = 0; i < 4; i++) {
    const o = 4 * i;
    const word = (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
    key = (key + ((word << (2 * i)) >>> 0)) >>> 0;
  }
  return key;
}

const htons = (p: number) => (((p & 0xff) << 8) | ((p >> 8) & 0xff)) >>> 0;

/** Flow::key for a tuple (notes §3): u32 sum of the network-order ports, vlan, proto and ip keys. */
export function flowKey(cliIp: string, cliPort: number, srvIp: string, srvPort: number, vlan: number, l4proto: number): number | null {
  const c = ipKey(cliIp), s = ipKey(srvIp);
  if (c === null || s === null) return null;
  return (htons(cliPort & 0xffff) + htons(srvPort & 0xffff) + (vlan & 0xffff) + (l4proto & 0xff) + c + s) >>> 0;
}

/** "ip[@vlan]" */
export function parseHostVlan(text: string): { ip: string; vlan: number | null; canon: string } | null {
  const at = text.lastIndexOf('@');
  const ip = at >= 0 ? text.slice(0, at) : text;
  const vlan = at >= 0 ? Number(text.slice(at + 1)) : null;
  if (vlan !== null && !Number.isInteger(vlan)) return null;
  const canon = canonIp(ip);
  return canon === null ? null : { ip, vlan, canon };
}

const canonCache = new Map<string, string | null>();
/** A canonical text of an address, so that "::1" and "0:0::1" compare equal. */
export function canonIp(ip: string): string | null {
  let c = canonCache.get(ip);
  if (c !== undefined) return c;
  const b = parseIp(ip);
  c = b === null ? null : b.length === 4 ? ip : Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  if (canonCache.size > 65536) canonCache.clear();
  canonCache.set(ip, c);
  return c;
}

function ipBytes(ip: string): Uint8Array {
  return parseIp(ip) ?? new Uint8Array(0);
}

function compareIp(a: string, b: string): number {
  const x = ipBytes(a), y = ipBytes(b);
  if (x.length !== y.length) return x.length - y.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

export type Paginator = Record<string, LuaValue | undefined>;

/** The paginator options as ntopng reads them (type-dispatched: a wrong type is ignored). */
export interface PagOptions {
  sortColumn: string;
  a2z: boolean;
  maxHits: number;
  toSkip: number;
  details: 'normal' | 'high' | 'higher' | 'max';
  l7: { master: number; app: number } | null;
  category: number;
  port: number;
  vlan: number;
  ipVersion: number;
  l4: number;
  clientMode: 'local' | 'remote' | null;
  serverMode: 'local' | 'remote' | null;
  tcpState: 'established' | 'connecting' | 'closed' | 'reset' | null;
  unicast: boolean | null;
  unidirectional: boolean | null;
  alerted: boolean | null;
  periodic: boolean | null;
  status: number;
  severityGroup: number;
  pool: number;
  asn: number;
  mac: string | null;
  deviceIp: string | null;
  strings: string[];
  /** icmp_type and icmp_code, null when either is missing or 255. */
  icmp: { type: number; code: number } | null;
  /** dscpFilter, 255 = off. */
  dscp: number;
  /** LocalNetworkFilter as ntopng's int16, null when off. */
  localNetwork: number | null;
  /** ifaceIndex, -1 = off. */
  ifaceIndex: number;
}

export function readPaginator(pag: Paginator | null | undefined): PagOptions {
  const p = pag ?? {};
  const num = (k: string, d: number) => (typeof p[k] === 'number' ? (p[k] as number) : d);
  const bool = (k: string) => (typeof p[k] === 'boolean' ? (p[k] as boolean) : null);
  const s = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : null);
  const mode = (k: string) => { const v = s(k); return v === 'local' || v === 'remote' ? v : null; };
  const maxHits = Math.min(Math.trunc(num('maxHits', CONST_MAX_NUM_HITS)) & 0xffff, CONST_MAX_NUM_HITS);
  let l7: PagOptions['l7'] = null;
  const l7f = p.l7protoFilter;
  if (typeof l7f === 'number' && l7f >= 0) l7 = { master: -1, app: Math.trunc(l7f) };
  else if (typeof l7f === 'string' && l7f !== '') {
    const [m, a] = l7f.split('.');
    if (a === undefined) { const app = Number(m); if (Number.isInteger(app) && app >= 0) l7 = { master: -1, app }; }
    else { const master = Number(m), app = Number(a); if (Number.isInteger(master) && Number.isInteger(app)) l7 = { master, app }; }
  }
  const clientMode = mode('clientMode'), serverMode = mode('serverMode');
  const levels = ['normal', 'high', 'higher', 'max'] as const;
  const dl = s('detailsLevel');
  const details = dl !== null && (levels as readonly string[]).includes(dl) ? (dl as PagOptions['details'])
    : bool('detailedResults') === true || maxHits !== CONST_MAX_NUM_HITS || (clientMode === 'local' && serverMode === 'local') ? 'high' : 'normal';
  const tcp = s('tcpFlowStateFilter');
  const strings = ['container', 'pod', 'usernameFilter', 'pidnameFilter', 'wlanSSIDFilter'].filter((k) => s(k) !== null);
  // Numbers as ntopng stores them: u8 and int16 fields keep the low bits of the integer.
  const u8 = (k: string) => (typeof p[k] === 'number' && Number.isFinite(p[k]) ? Math.trunc(p[k] as number) & 0xff : 0xff);
  const icmpType = u8('icmp_type'), icmpCode = u8('icmp_code');
  const lnf = typeof p.LocalNetworkFilter === 'number' && Number.isFinite(p.LocalNetworkFilter) ? (Math.trunc(p.LocalNetworkFilter) << 16) >> 16 : null;
  const deviceIp = s('deviceIpFilter');
  return {
    sortColumn: s('sortColumn') ?? 'column_thpt',
    a2z: bool('a2zSortOrder') ?? true,
    maxHits,
    toSkip: Math.trunc(num('toSkip', 0)) & 0xffff,
    details,
    l7,
    category: num('l7categoryFilter', -1),
    port: num('portFilter', 0),
    vlan: num('vlanIdFilter', 0xffff),
    ipVersion: num('ipVersion', 0),
    l4: num('L4Protocol', 0),
    clientMode, serverMode,
    tcpState: tcp === 'established' || tcp === 'connecting' || tcp === 'closed' || tcp === 'reset' ? tcp : null,
    unicast: bool('unicast'),
    unidirectional: bool('unidirectional'),
    alerted: bool('alertedFlows'),
    periodic: bool('periodicFlows'),
    status: num('statusFilter', 0xffff),
    severityGroup: num('statusSeverityFilter', 0),
    pool: num('poolFilter', 0xffff),
    asn: num('asnFilter', 0xffffffff),
    mac: s('macFilter'),
    deviceIp: deviceIp === '0.0.0.0' ? null : deviceIp,
    strings,
    icmp: icmpType !== 0xff && icmpCode !== 0xff ? { type: icmpType, code: icmpCode } : null,
    dscp: u8('dscpFilter'),
    localNetwork: lnf !== null && lnf <= CONST_MAX_NUM_NETWORKS ? lnf : null,
    ifaceIndex: typeof p.ifaceIndex === 'number' && Number.isFinite(p.ifaceIndex) ? Math.trunc(p.ifaceIndex) : -1,
  };
}

type SortKey = (f: FlowInfo) => number | string;

export class FlowsApi {
  readonly networks: LocalNetworks;
  readonly #source: () => Iterable<FlowInfo>;
  readonly #alerts: AlertLookup;

  constructor(flows: Iterable<FlowInfo> | (() => Iterable<FlowInfo>), options: FlowsApiOptions = {}) {
    this.#source = typeof flows === 'function' ? flows : () => flows;
    this.networks = options.networks ?? new LocalNetworks();
    this.#alerts = options.alerts ?? (() => undefined);
  }

  flows(): FlowInfo[] {
    return [...this.#source()];
  }

  // --- per-flow derived values ---

  alertState(f: FlowInfo): { alerted: boolean; ids: number[]; predominant: number; predominantScore: number; score: number } {
    const st = this.#alerts(f);
    let predominant = 0, predominantScore = 0, score = 0;
    const ids: number[] = [];
    if (st !== undefined) {
      for (const [id, sc] of st.scores) {
        ids.push(id);
        score += sc;
        if (sc > predominantScore || predominant === 0) { predominant = id; predominantScore = sc; }
      }
    }
    return { alerted: ids.length > 0, ids, predominant, predominantScore, score: Math.min(score, 0xffff) };
  }

  isOneWay(f: FlowInfo): boolean {
    return f.packets > 0 && (f['cli2srv.packets'] === 0 || f['srv2cli.packets'] === 0);
  }

  isBidirectional(f: FlowInfo): boolean {
    return f['cli2srv.packets'] > 0 && f['srv2cli.packets'] > 0;
  }

  /** Flow::getFlowInfo: the host/SNI/query name, else nDPI's info. */
  flowInfo(f: FlowInfo): string {
    return f.host_server_name || f.info || '';
  }

  thpt(f: FlowInfo): number {
    return f.duration > 0 ? f.bytes / f.duration : 0;
  }

  // --- filters ---

  matches(f: FlowInfo, o: PagOptions): boolean {
    if (o.l7 !== null) {
      const { master, app } = o.l7;
      const fm = f['proto.master_ndpi_id'], fa = f['proto.ndpi_id'];
      if (master < 0) { if (fa !== app) return false; }
      else if (master === 0) { if (fm !== app && fa !== app) return false; }
      else if (app === 0) { if (fm !== master && fa !== master) return false; }
      else if (fm !== master || fa !== app) return false;
    }
    if (o.category >= 0 && f['proto.ndpi_cat_id'] !== o.category) return false;
    if (o.port !== 0 && f['cli.port'] !== o.port && f['srv.port'] !== o.port) return false;
    if (o.icmp !== null && (f['icmp.type'] === undefined || f['icmp.type'] !== o.icmp.type || f['icmp.code'] !== o.icmp.code)) return false;
    if (o.dscp !== 0xff && f['tos.client.DSCP'] !== o.dscp && f['tos.server.DSCP'] !== o.dscp) return false;
    if (o.localNetwork !== null && this.networks.networkId(f['cli.ip']) !== o.localNetwork && this.networks.networkId(f['srv.ip']) !== o.localNetwork) return false;
    if (o.ifaceIndex !== -1 && o.ifaceIndex !== 0) return false;
    if (o.vlan !== 0xffff && f.vlan !== o.vlan) return false;
    if ((o.ipVersion === 4 || o.ipVersion === 6) && f.ip_version !== o.ipVersion) return false;
    if (o.l4 !== 0 && f['proto.l4_id'] !== o.l4) return false;
    if (o.clientMode !== null && this.networks.classify(f['cli.ip']).local !== (o.clientMode === 'local')) return false;
    if (o.serverMode !== null && this.networks.classify(f['srv.ip']).local !== (o.serverMode === 'local')) return false;
    if (o.tcpState !== null) {
      if (f['proto.l4_id'] !== 6) return false;
      const ok = { established: f.tcp_established, connecting: f.tcp_connecting, closed: f.tcp_closed, reset: f.tcp_reset }[o.tcpState];
      if (!ok) return false;
    }
    if (o.unicast !== null) {
      const mb = this.networks.classify(f['cli.ip']).multicastOrBroadcast || this.networks.classify(f['srv.ip']).multicastOrBroadcast;
      if (o.unicast === mb) return false;
    }
    if (o.unidirectional !== null) {
      if (o.unidirectional && !this.isOneWay(f)) return false;
      if (!o.unidirectional && this.isBidirectional(f)) return false; // ntopng's quirk
    }
    if (o.periodic === true) return false;
    if (o.pool !== 0xffff && o.pool !== 0) return false;
    if (o.asn !== 0xffffffff && o.asn !== 0) return false;
    if (o.mac !== null || o.deviceIp !== null || o.strings.length > 0) return false;
    if (o.alerted !== null || o.status !== 0xffff || o.severityGroup !== 0) {
      const a = this.alertState(f);
      if (o.alerted !== null && a.alerted !== o.alerted) return false;
      if (o.status !== 0xffff && !a.ids.includes(o.status)) return false;
      if (o.severityGroup !== 0) {
        if (!a.alerted) return false;
        const sev = mapScoreToSeverity(a.predominantScore);
        const group = sev <= 3 ? 1 : sev === 4 ? 2 : sev === 5 ? 3 : sev === 6 ? 4 : 5;
        if (o.severityGroup === 3 ? sev < 5 : group !== o.severityGroup) return false;
      }
    }
    return true;
  }

  /** The sort key of a column, null for the columns that return no flow (ntopng's quirk). */
  sortKey(column: string): SortKey | 'ip-cli' | 'ip-srv' | null {
    switch (column) {
      case 'column_client': return 'ip-cli';
      case 'column_server': return 'ip-srv';
      case 'column_vlan': return (f) => f.vlan;
      case 'column_proto_l4': case 'column_protocol': return (f) => f['proto.l4_id'];
      case 'column_ndpi': return (f) => f['proto.ndpi_id'];
      case 'column_duration': return (f) => f.duration;
      case 'column_score': return (f) => this.alertState(f).score;
      case 'column_thpt': return (f) => this.thpt(f);
      case 'column_last_seen': return (f) => f['seen.last_us'];
      case 'column_first_seen': return (f) => f['seen.first_us'];
      case 'column_client_rtt': case 'column_server_rtt': return () => 0;
      case 'column_device_ip': case 'column_in_index': case 'column_out_index': return () => 0;
      case 'column_key': return (f) => f.hash_entry_id;
      case 'column_info': case 'column_score_as_client': case 'column_score_as_server': return null;
      default: return (f) => f.bytes; // column_bytes, column_, unknown names
    }
  }

  sort(flows: FlowInfo[], column: string, a2z: boolean): FlowInfo[] {
    const key = this.sortKey(column);
    if (key === null) return [];
    let cmp: (a: FlowInfo, b: FlowInfo) => number;
    if (key === 'ip-cli' || key === 'ip-srv') {
      const field = key === 'ip-cli' ? 'cli.ip' : 'srv.ip';
      cmp = (a, b) => compareIp(a[field], b[field]);
    } else {
      const keys = new Map(flows.map((f) => [f, key(f)]));
      cmp = (a, b) => { const x = keys.get(a)!, y = keys.get(b)!; return x < y ? -1 : x > y ? 1 : 0; };
    }
    const sorted = [...flows].sort((a, b) => cmp(a, b) || a.hash_entry_id - b.hash_entry_id);
    return a2z ? sorted : sorted.reverse();
  }

  // --- the Flow::lua table ---

  flowTable(f: FlowInfo, details: PagOptions['details']): Record<string, unknown> {
    const cli = this.networks.classify(f['cli.ip']), srv = this.networks.classify(f['srv.ip']);
    const a = this.alertState(f);
    const t: Record<string, unknown> = {
      'cli.ip': f['cli.ip'], 'srv.ip': f['srv.ip'], 'cli.key': ipKey(f['cli.ip']) ?? 0, 'srv.key': ipKey(f['srv.ip']) ?? 0,
      'cli.broadmulticast': cli.multicastOrBroadcast, 'srv.broadmulticast': srv.multicastOrBroadcast,
      vlan: f.vlan, iface_index: 0, 'cli.port': f['cli.port'], 'srv.port': f['srv.port'],
      bytes: f.bytes, goodput_bytes: f.goodput_bytes, 'flow.idle': false, 'flow.status': a.predominant,
      alerts_map: Object.fromEntries(a.ids.map((id) => [String(id), true])), 'flow.alerted': a.alerted,
      'proto.ndpi': f['proto.ndpi'], 'proto.ndpi_confidence': f['proto.ndpi_confidence'],
      'ntopng.key': f['ntopng.key'], hash_entry_id: f.hash_entry_id,
    };
    if (f.vlan !== 0) { t['cli.vlan'] = f.vlan; t['srv.vlan'] = f.vlan; }
    if (a.alerted) { t.predominant_alert = a.predominant; t.predominant_alert_score = a.predominantScore; }
    if (details === 'normal') return t;
    for (const [k, v] of Object.entries(f)) if (v !== undefined && !(k in t)) t[k] = Array.isArray(v) ? [...v] : v;
    Object.assign(t, {
      'cli.localhost': cli.inLocalNetwork, 'srv.localhost': srv.inLocalNetwork, 'cli.private': cli.private, 'srv.private': srv.private,
      'cli.systemhost': false, 'srv.systemhost': false, 'cli.blacklisted': false, 'srv.blacklisted': false,
      'cli.allowed_host': true, 'srv.allowed_host': true, 'cli.pool_id': 0, 'srv.pool_id': 0, 'cli.asn': 0, 'srv.asn': 0,
      'cli.source_id': 0, 'srv.source_id': 0, observation_point_id: 0,
      'cli.network_id': this.networks.networkId(f['cli.ip']), 'srv.network_id': this.networks.networkId(f['srv.ip']),
      tos: { client: { DSCP: f['tos.client.DSCP'], ECN: f['tos.client.ECN'] }, server: { DSCP: f['tos.server.DSCP'], ECN: f['tos.server.ECN'] } },
      score: { flow_score: a.score, alert_score: Object.fromEntries(a.ids.map((id) => [String(id), this.#alerts(f)!.scores.get(id)!])) },
      info: this.flowInfo(f), 'moreinfo.json': '{}',
      throughput_bps: this.thpt(f), average_throughput_bps: this.thpt(f),
      periodic_flow: false,
    });
    if (f['icmp.type'] !== undefined) t.icmp = { type: f['icmp.type'], code: f['icmp.code'] };
    return t;
  }

  // --- the API ---

  #hostFilter(host: LuaValue | undefined): { canon: string; vlan: number | null } | null | undefined {
    if (typeof host !== 'string' || host === '') return undefined;
    const h = parseHostVlan(host);
    return h === null ? null : { canon: h.canon, vlan: h.vlan };
  }

  #isEnd(f: FlowInfo, side: 'cli' | 'srv', h: { canon: string; vlan: number | null }): boolean {
    return canonIp(f[`${side}.ip`]) === h.canon && (h.vlan === null || f.vlan === h.vlan);
  }

  /** interface.getFlowsInfo(host, pag, talking_with, client, server, flow_info). */
  getFlowsInfo(host?: LuaValue, pag?: Paginator | null, talkingWith?: LuaValue, client?: LuaValue, server?: LuaValue, flowInfo?: LuaValue,
    all: FlowInfo[] = this.flows()): { numFlows: number; nextSlot: number; flows: Record<string, unknown>[] } | null {
    const o = readPaginator(pag);
    const hs = [host, talkingWith, client, server].map((h) => this.#hostFilter(h));
    // An unknown host (not in any flow) gives nil, as ntopng does for a host missing from its table.
    for (const h of hs) if (h === null || (h !== undefined && !all.some((f) => this.#isEnd(f, 'cli', h) || this.#isEnd(f, 'srv', h)))) return null;
    const [H, T, C, S] = hs as Array<{ canon: string; vlan: number | null } | undefined>;
    const matched = all.filter((f) => {
      if (H !== undefined && !this.#isEnd(f, 'cli', H) && !this.#isEnd(f, 'srv', H)) return false;
      if (T !== undefined && H !== undefined && !((this.#isEnd(f, 'cli', H) && this.#isEnd(f, 'srv', T)) || (this.#isEnd(f, 'srv', H) && this.#isEnd(f, 'cli', T)))) return false;
      if (T !== undefined && H === undefined && !this.#isEnd(f, 'cli', T) && !this.#isEnd(f, 'srv', T)) return false;
      if (C !== undefined && !this.#isEnd(f, 'cli', C)) return false;
      if (S !== undefined && !this.#isEnd(f, 'srv', S)) return false;
      if (typeof flowInfo === 'string' && this.flowInfo(f) !== flowInfo) return false;
      return this.matches(f, o);
    });
    const sorted = this.sort(matched, o.sortColumn, o.a2z);
    const page = sorted.slice(o.toSkip, o.toSkip + o.maxHits);
    return { numFlows: sorted.length, nextSlot: 0, flows: page.map((f) => this.flowTable(f, o.details)) };
  }

  /**
   * interface.getBatchedFlowsInfo(begin_slot, pag): slots are positions in the flow table
   * (creation order); at most maxHits matching flows from begin_slot; nextSlot is where to go on,
   * 0 once the table is done.
   */
  getBatchedFlowsInfo(beginSlot?: LuaValue, pag?: Paginator | null): { numFlows: number; nextSlot: number; flows: Record<string, unknown>[] } {
    const o = readPaginator(pag);
    const all = this.flows();
    const out: FlowInfo[] = [];
    let slot = typeof beginSlot === 'number' ? Math.max(0, Math.trunc(beginSlot)) : 0;
    for (; slot < all.length && out.length < o.maxHits; slot++) if (this.matches(all[slot], o)) out.push(all[slot]);
    return { numFlows: out.length, nextSlot: slot < all.length ? slot : 0, flows: out.map((f) => this.flowTable(f, o.details)) };
  }

  /** {RST, SYN, Established, FIN}: TCP flows by state (precedence established, SYN, RST, FIN). */
  getFlowsStatus(): Record<string, number> {
    const r = { RST: 0, SYN: 0, Established: 0, FIN: 0 };
    for (const f of this.#source()) {
      if (f['proto.l4_id'] !== 6) continue;
      if (f.tcp_established) r.Established++;
      else if (f.tcp_connecting) r.SYN++;
      else if (f.tcp_reset) r.RST++;
      else if (f.tcp_closed) r.FIN++;
    }
    return r;
  }

  /** Groups of the (filtered, sorted) flows by application protocol; only column_ndpi groups. */
  getGroupedFlows(groupCol: LuaValue | undefined, pag?: Paginator | null): Record<string, unknown>[] | null {
    if (typeof groupCol !== 'string') return null;
    if (groupCol !== 'column_ndpi') return [];
    const o = readPaginator(pag);
    const flows = this.sort(this.flows().filter((f) => this.matches(f, o)), 'column_ndpi', o.a2z);
    const groups: Array<Record<string, number>> = [];
    let last: Record<string, number> | null = null;
    for (const f of flows) {
      if (last === null || last.proto !== f['proto.ndpi_id']) {
        last = { proto: f['proto.ndpi_id'], bytes: 0, 'seen.first': f['seen.first'], 'seen.last': f['seen.last'], num_flows: 0, num_blocked_flows: 0, throughput_bps: 0 };
        groups.push(last);
      }
      last.bytes += f.bytes;
      last['seen.first'] = Math.min(last['seen.first'], f['seen.first']);
      last['seen.last'] = Math.max(last['seen.last'], f['seen.last']);
      last.num_flows++;
      last.num_blocked_flows++; // ntopng's quirk outside nEdge
      last.throughput_bps += this.thpt(f);
    }
    return groups;
  }

  /** {num_flows, protos = {[app name] = bytes}, breeds = {[breed] = bytes}}, u32 bytes, non-zero only. */
  getFlowsStats(): { num_flows: number; protos: Record<string, number>; breeds: Record<string, number> } {
    const protos: Record<string, number> = {}, breeds: Record<string, number> = {};
    let n = 0;
    for (const f of this.#source()) {
      n++;
      const b = f.bytes >>> 0;
      if (b === 0) continue;
      const name = protocolName(f['proto.ndpi_id']);
      protos[name] = ((protos[name] ?? 0) + b) >>> 0;
      breeds[f['proto.ndpi_breed']] = ((breeds[f['proto.ndpi_breed']] ?? 0) + b) >>> 0;
    }
    return { num_flows: n, protos, breeds };
  }

  /** {[app name] = num_flows}. */
  getnDPIFlowsCount(): Record<string, number> {
    const r: Record<string, number> = {};
    for (const f of this.#source()) {
      const name = protocolName(f['proto.ndpi_id']);
      r[name] = (r[name] ?? 0) + 1;
    }
    return r;
  }

  /** interface.getFlowKey(cli, cli_port, srv, srv_port, l4proto): null when a host is unknown or the vlans differ. */
  getFlowKey(cli: LuaValue | undefined, cliPort: LuaValue | undefined, srv: LuaValue | undefined, srvPort: LuaValue | undefined, l4: LuaValue | undefined): number | null {
    if (typeof cli !== 'string' || typeof srv !== 'string' || typeof cliPort !== 'number' || typeof srvPort !== 'number' || typeof l4 !== 'number') return null;
    const c = parseHostVlan(cli), s = parseHostVlan(srv);
    if (c === null || s === null || (c.vlan ?? 0) !== (s.vlan ?? 0)) return null;
    const vlan = c.vlan ?? 0;
    const known = (h: { canon: string }) => {
      for (const f of this.#source()) {
        if (f.vlan === vlan && (canonIp(f['cli.ip']) === h.canon || canonIp(f['srv.ip']) === h.canon)) return true;
      }
      return false;
    };
    if (!known(c) || !known(s)) return null;
    return flowKey(c.ip, cliPort, s.ip, srvPort, vlan, l4);
  }

  /** Either direction; the flow table at details high. */
  findFlowByTuple(src: LuaValue | undefined, dst: LuaValue | undefined, vlan: LuaValue | undefined, sport: LuaValue | undefined, dport: LuaValue | undefined, l4: LuaValue | undefined): Record<string, unknown> | null {
    if (typeof src !== 'string' || typeof dst !== 'string') return null;
    const a = canonIp(src), b = canonIp(dst);
    if (a === null || b === null) return null;
    const v = typeof vlan === 'number' ? vlan : 0, p = typeof l4 === 'number' ? l4 : 0;
    for (const f of this.#source()) {
      if (f.vlan !== v || f['proto.l4_id'] !== p) continue;
      const ci = canonIp(f['cli.ip']), si = canonIp(f['srv.ip']);
      if ((ci === a && si === b && f['cli.port'] === sport && f['srv.port'] === dport) ||
          (ci === b && si === a && f['cli.port'] === dport && f['srv.port'] === sport)) return this.flowTable(f, 'high');
    }
    return null;
  }

  findFlowByKeyAndHashId(key: LuaValue | undefined, hashId: LuaValue | undefined): Record<string, unknown> | null {
    if (typeof key !== 'number' || typeof hashId !== 'number') return null;
    for (const f of this.#source()) if (f['ntopng.key'] === key && f.hash_entry_id === hashId) return this.flowTable(f, 'high');
    return null;
  }

  /** Always false: flowscope is passive, there is no inline (nEdge) mode. */
  dropFlowTraffic(_key?: LuaValue, _hashId?: LuaValue): boolean {
    return false;
  }
}

/** The names of document 000 (and ntopng's other Flows API entries) this module provides. */
export const INTERFACE_FUNCTIONS = [
  'getFlowsInfo', 'getBatchedFlowsInfo', 'getFlowsStatus', 'getGroupedFlows', 'getFlowsStats', 'getnDPIFlowsCount',
  'getFlowKey', 'findFlowByTuple', 'findFlowByKeyAndHashId', 'dropFlowTraffic', 'dropMultipleFlowsTraffic',
] as const;

/**
 * The Lua `interface` table. `api()` gives the FlowsApi to use for a call: the runner's module
 * (runnerInterfaceModule) hands a snapshot of the flow table taken on the first interface.* call
 * of each hook run.
 */
export function interfaceModule(api: () => FlowsApi): HostModule {
  const opt = (v: LuaValue | undefined): Paginator | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null);
  return {
    namespace: 'interface',
    functions: {
      getFlowsInfo: (host, pag, talkingWith, client, server, flowInfo) => api().getFlowsInfo(host, opt(pag), talkingWith, client, server, flowInfo),
      getBatchedFlowsInfo: (slot, pag) => api().getBatchedFlowsInfo(slot, opt(pag)),
      getFlowsStatus: () => api().getFlowsStatus(),
      getGroupedFlows: (col, pag) => api().getGroupedFlows(col, opt(pag)),
      getFlowsStats: () => api().getFlowsStats(),
      getnDPIFlowsCount: () => api().getnDPIFlowsCount(),
      getFlowKey: (c, cp, s, sp, l4) => api().getFlowKey(c, cp, s, sp, l4),
      findFlowByTuple: (a, b, v, sp, dp, l4) => api().findFlowByTuple(a, b, v, sp, dp, l4),
      findFlowByKeyAndHashId: (k, h) => api().findFlowByKeyAndHashId(k, h),
      dropFlowTraffic: () => false,
      dropMultipleFlowsTraffic: () => false,
    },
  };
}
