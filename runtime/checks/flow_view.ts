// What the sandbox sees of a flow: the values pushed on every run (FlowArgs, built once per event
// and shared by every script) and the tables fetched on demand (flow.http() and the others,
// flow.getFullInfo()). Keys and semantics follow ntopng (ntopng-notes §2, §4).
import type { FlowInfo, FlowValues } from '../types.ts';
import { perModule, type LuaModule } from './lua_module.ts';
import type { FlowArgs } from './sandbox.ts';
import { parseIp, type AddressClass, type LocalNetworks } from './local_networks.ts';
import { cipherClass, protocolId } from '../ndpi/tables.ts';
import { riskAlertType } from '../alerts.ts';
import { MALWARE_HOST_RISK } from '../flow.ts';

// Flag bits of FlowArgs.flags (lua/flow_api.ts reads the same values).
export const F_CLI_LOCAL = 1, F_SRV_LOCAL = 2, F_CLI_MULTI = 4, F_SRV_MULTI = 8;
export const F_ONEWAY = 16, F_TWH_OK = 32, F_BIDIR = 64, F_BLACKLISTED = 128;

const MALWARE_CATEGORY = 100;

function ids(...names: string[]): Set<number> {
  const out = new Set<number>();
  for (const name of names) {
    const id = protocolId(name);
    if (id !== undefined) out.add(id);
  }
  return out;
}

// nDPI protocols whose metadata ntopng reports in each table (Flow::isHTTP/isDNS/isSSH/isTLS).
const HTTP_PROTOCOLS = ids('HTTP', 'HTTP_Connect', 'HTTP_Proxy');
const DNS_PROTOCOLS = ids('DNS', 'MDNS', 'LLMNR');
const SSH_PROTOCOLS = ids('SSH');
const TLS_PROTOCOLS = ids('TLS', 'QUIC', 'DTLS', 'IMAPS', 'POPS', 'SMTPS', 'FTPS', 'DoH_DoT');

/**
 * The texts a run pushes that the sandbox cannot make from numbers (IPv6 addresses, a protocol
 * name outside the pool), written into one area of the Lua module's memory per event.
 */
class StringArea {
  readonly #module: LuaModule;
  readonly #encoder = new TextEncoder();
  #ptr = 0;
  #size = 0;
  #used = 0;
  /** The length of the last put(). */
  length = 0;

  constructor(module: LuaModule) {
    this.#module = module;
  }

  /** Starts a new event: earlier pointers may be reused. */
  reset(): void {
    this.#used = 0;
  }

  /**
   * Writes `s` and returns its offset in the area (the area may move while it grows: take the
   * pointers from base() once the event's strings are all written).
   */
  put(s: string): number {
    const max = s.length * 3;
    if (this.#used + max > this.#size) this.#grow(this.#used + max);
    const heap = this.#module.heap();
    const offset = this.#used;
    const at = this.#ptr + offset;
    let len = 0;
    let ascii = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        ascii = false;
        break;
      }
      heap[at + i] = c;
    }
    if (ascii) len = s.length;
    else len = this.#encoder.encodeInto(s, heap.subarray(at, at + max)).written;
    this.length = len;
    this.#used += len;
    return offset;
  }

  /** Where the area is now. */
  base(): number {
    return this.#ptr;
  }

  #grow(need: number): void {
    // Only between events (reset() came first): nothing points into the old area any more.
    const size = Math.max(1024, need * 2);
    const ptr = this.#module.malloc(size);
    if (ptr === 0) throw new Error('out of memory in the Lua module');
    if (this.#ptr !== 0) {
      this.#module.heap().copyWithin(ptr, this.#ptr, this.#ptr + this.#used);
      this.#module.free(this.#ptr);
    }
    this.#ptr = ptr;
    this.#size = size;
  }

  free(): void {
    if (this.#ptr !== 0) this.#module.free(this.#ptr);
    this.#ptr = 0;
    this.#size = 0;
    this.#used = 0;
  }
}

/**
 * Protocol names, each copied once into the Lua module's memory and numbered from 1: a capture
 * has a few hundred of them, and a run then passes a number where it wrote and pushed the text
 * (the sandbox sends each name to its state once, sandbox.ts run). One pool per module, kept for
 * its life: every view and sandbox on a module agrees on the numbers. Past MAX_POOLED_NAMES names
 * (never seen in a real capture) the others are written per event, as IPv6 addresses are.
 */
const MAX_POOLED_NAMES = 1 << 16;

class NamePool {
  readonly #module: LuaModule;
  readonly #ids = new Map<string, number>();
  readonly #ptrs: number[] = [0];
  readonly #lens: number[] = [0];
  readonly #encoder = new TextEncoder();

  constructor(module: LuaModule) {
    this.#module = module;
  }

  /** The name's number (0 when the pool is full), its bytes copied on first sight. */
  idOf(name: string): number {
    const id = this.#ids.get(name);
    if (id !== undefined) return id;
    if (this.#ids.size >= MAX_POOLED_NAMES) return 0;
    const bytes = this.#encoder.encode(name);
    const ptr = this.#module.malloc(Math.max(1, bytes.length));
    if (ptr === 0) throw new Error('out of memory in the Lua module');
    this.#module.heap().set(bytes, ptr);
    const next = this.#ptrs.length;
    this.#ptrs.push(ptr);
    this.#lens.push(bytes.length);
    this.#ids.set(name, next);
    return next;
  }

  ptr(id: number): number {
    return this.#ptrs[id];
  }

  len(id: number): number {
    return this.#lens[id];
  }
}

const namePool = perModule((module) => new NamePool(module));

export class FlowView {
  readonly #strings: StringArea;
  readonly #names: NamePool;
  readonly #networks: LocalNetworks;
  readonly #args: FlowArgs = {
    cliPort: 0, srvPort: 0, l4: 0, vlan: 0, c2sBytes: 0, s2cBytes: 0, master: 0, app: 0, flags: 0,
    nameId: 0, cliV4: -1, srvV4: -1, cliPtr: 0, cliLen: 0, srvPtr: 0, srvLen: 0, namePtr: 0, nameLen: 0, now: 0,
  };
  cli: AddressClass | null = null;
  srv: AddressClass | null = null;

  constructor(module: LuaModule, networks: LocalNetworks) {
    this.#strings = new StringArea(module);
    this.#names = namePool(module);
    this.#networks = networks;
  }

  get networks(): LocalNetworks {
    return this.#networks;
  }

  /**
   * The run arguments for a flow (one shared object, valid until the next call). The addresses'
   * texts are read from `texts` only for IPv6; an IPv4 address goes as its number, and the
   * sandbox writes its text when its Lua state does not hold it.
   */
  prepare(flow: FlowValues, texts: { readonly cliIp: string; readonly srvIp: string } | null, nowSec: number): FlowArgs {
    const a = this.#args;
    this.#strings.reset();
    const nets = this.#networks;
    const cli = flow.cliV4 >= 0 ? nets.classifyV4(flow.cliV4) : nets.classify(texts!.cliIp);
    const srv = flow.srvV4 >= 0 ? nets.classifyV4(flow.srvV4) : nets.classify(texts!.srvIp);
    this.cli = cli;
    this.srv = srv;
    const c2sPackets = flow.c2sPackets, s2cPackets = flow.s2cPackets;
    let flags = 0;
    if (cli.local) flags |= F_CLI_LOCAL;
    if (srv.local) flags |= F_SRV_LOCAL;
    if (cli.multicastOrBroadcast) flags |= F_CLI_MULTI;
    if (srv.multicastOrBroadcast) flags |= F_SRV_MULTI;
    // Flow.h isOneWay: packets seen, and one direction empty.
    if (c2sPackets + s2cPackets > 0 && (c2sPackets === 0 || s2cPackets === 0)) flags |= F_ONEWAY;
    if (flow.twhOk) flags |= F_TWH_OK;
    if (c2sPackets > 0 && s2cPackets > 0) flags |= F_BIDIR;
    if (flow.categoryId === MALWARE_CATEGORY || flow.malwareHostRisk) flags |= F_BLACKLISTED;
    a.cliPort = flow.cliPort;
    a.srvPort = flow.srvPort;
    a.l4 = flow.l4;
    a.vlan = flow.vlan;
    a.c2sBytes = flow.c2sBytes;
    a.s2cBytes = flow.s2cBytes;
    a.master = flow.master;
    a.app = flow.app;
    a.flags = flags;
    // IPv4 addresses go as numbers (the sandbox writes their text only when its Lua state does
    // not have it yet); IPv6 texts and an unpooled name are written here, and their pointers
    // read once all are written (the area may move while it grows).
    a.cliV4 = flow.cliV4;
    a.srvV4 = flow.srvV4;
    const strings = this.#strings;
    const cliAt = flow.cliV4 >= 0 ? -1 : strings.put(texts!.cliIp);
    a.cliLen = flow.cliV4 >= 0 ? 0 : strings.length;
    const srvAt = flow.srvV4 >= 0 ? -1 : strings.put(texts!.srvIp);
    a.srvLen = flow.srvV4 >= 0 ? 0 : strings.length;
    const names = this.#names;
    const nameId = names.idOf(flow.protoName);
    a.nameId = nameId;
    const nameAt = nameId !== 0 ? -1 : strings.put(flow.protoName);
    a.nameLen = nameId !== 0 ? names.len(nameId) : strings.length;
    const base = strings.base();
    a.cliPtr = cliAt < 0 ? 0 : base + cliAt;
    a.srvPtr = srvAt < 0 ? 0 : base + srvAt;
    a.namePtr = nameAt < 0 ? names.ptr(nameId) : base + nameAt;
    a.now = nowSec;
    return a;
  }

  /** Frees the string area (after the last event). */
  clearStrings(): void {
    this.#strings.free();
  }
}

/**
 * flowscope has no host blacklists: a flow is blacklisted when nDPI puts it in the Malware
 * category or flags a contacted malware host (ntopng 4.x: a blacklisted host or the malware
 * category). prepare() applies the same rule to the summary.
 */
export function isBlacklisted(flow: FlowInfo): boolean {
  return flow['proto.ndpi_cat_id'] === MALWARE_CATEGORY || (flow.flow_risk ?? []).includes(MALWARE_HOST_RISK);
}

function inFamily(flow: FlowInfo, protocols: Set<number>, prefix: string): boolean {
  if (protocols.has(flow['proto.master_ndpi_id']) || protocols.has(flow['proto.ndpi_id'])) return true;
  const values = flow as unknown as Record<string, unknown>;
  for (const key in flow) if (key.startsWith(prefix) && values[key] !== undefined) return true;
  return false;
}

function copyKeys(flow: FlowInfo, prefixes: string[], out: Record<string, unknown>): void {
  for (const key in flow) {
    for (const prefix of prefixes) {
      if (key.startsWith(prefix)) {
        const value = (flow as unknown as Record<string, unknown>)[key];
        if (value !== undefined) out[key] = value;
        break;
      }
    }
  }
}

/**
 * The tables of flow.http(), flow.dns(), flow.ssh() and flow.tls_quic(): ntopng's dotted keys
 * (as Flow::lua) plus document 001's short names; {} when the flow is not of that protocol.
 */
export function flowMeta(flow: FlowInfo): { http: Record<string, unknown>; dns: Record<string, unknown>; ssh: Record<string, unknown>; tls: Record<string, unknown> } {
  const http: Record<string, unknown> = {};
  const dns: Record<string, unknown> = {};
  const ssh: Record<string, unknown> = {};
  const tls: Record<string, unknown> = {};
  const host = flow.host_server_name;
  if (inFamily(flow, HTTP_PROTOCOLS, 'protos.http.')) {
    copyKeys(flow, ['protos.http.'], http);
    if (host !== undefined && http['protos.http.server_name'] === undefined) http['protos.http.server_name'] = host;
    http.method = http['protos.http.last_method'];
    http.url = http['protos.http.last_url'];
    http.content_type = http['protos.http.last_content_type'];
    http.return_code = http['protos.http.last_return_code'];
    http.server_name = http['protos.http.server_name'];
    http.user_agent = http['protos.http.last_user_agent'];
    http.server = http['protos.http.last_server'];
  }
  if (inFamily(flow, DNS_PROTOCOLS, 'protos.dns.')) {
    copyKeys(flow, ['protos.dns.'], dns);
    dns.last_query = dns['protos.dns.last_query'];
    dns.last_query_type = dns['protos.dns.last_query_type'];
    dns.last_return_code = dns['protos.dns.last_return_code'];
    dns.replies_as_string = dns['protos.dns.last_answer'];
    dns.invalid_chars_in_query = dns['protos.dns.invalid_chars_in_query'] === true;
  }
  if (inFamily(flow, SSH_PROTOCOLS, 'protos.ssh.')) {
    copyKeys(flow, ['protos.ssh.'], ssh);
    ssh.client_signature = ssh['protos.ssh.client_signature'];
    ssh.server_signature = ssh['protos.ssh.server_signature'];
    ssh.hassh_client = ssh['protos.ssh.hassh.client_hash'];
    ssh.hassh_server = ssh['protos.ssh.hassh.server_hash'];
  }
  if (inFamily(flow, TLS_PROTOCOLS, 'protos.tls')) {
    copyKeys(flow, ['protos.tls', 'protos.quic.'], tls);
    if (host !== undefined && tls['protos.tls.client_requested_server_name'] === undefined) tls['protos.tls.client_requested_server_name'] = host;
    const cipher = tls['protos.tls.cipher'];
    tls.client_requested_server_name = tls['protos.tls.client_requested_server_name'];
    tls.server_names = tls['protos.tls.server_names'];
    tls.issuerDN = tls['protos.tls.issuerDN'];
    tls.subjectDN = tls['protos.tls.subjectDN'];
    tls.ja3_client = tls['protos.tls.ja3.client_hash'];
    tls.ja3_server = tls['protos.tls.ja3.server_hash'];
    tls.ja4_client = tls['protos.tls.ja4.client_hash'];
    tls.notBefore = tls['protos.tls.notBefore'];
    tls.notAfter = tls['protos.tls.notAfter'];
    tls.tls_version = tls['protos.tls_version'];
    tls.client_alpn = tls['protos.tls.client_alpn'];
    tls.cipher = cipher;
    tls.unsafe_cipher = typeof cipher === 'number' ? cipherClass(cipher) !== 'safe' : false;
  }
  return { http, dns, ssh, tls };
}

/** ntopng's IpAddress key (ntopng-notes §3) of an address in text form; 0 when unparsable. */
export function ipKey(text: string): number {
  const bytes = parseIp(text);
  if (bytes === null) return 0;
  if (bytes.length === 4) return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  let key = 0;
  for (let i = 0; i < 4; i++) {
    const o = 4 * i;
    const word = (bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24)) >>> 0;
    key = (key + ((word << (2 * i)) >>> 0)) >>> 0;
  }
  return key;
}

/** Score bookkeeping the info table reports (kept by the runner per flow). */
export interface FlowScoreView {
  flowScore: number;
  cliScore: number;
  srvScore: number;
  /**
   * The alerts raised on the flow and the score each added to it, as pairs in one flat list
   * (id, score, id, score...): a flow has one or a few, and a list costs less than a Map.
   */
  alertScores: readonly number[];
  predominantAlert: number;
  predominantScore: number;
}

/** The Flow::lua table (high details) of flow.getFullInfo(), built from the flow object. */
export function flowInfo(flow: FlowInfo, cli: AddressClass, srv: AddressClass, score: FlowScoreView): Record<string, unknown> {
  const out: Record<string, unknown> = { ...flow };
  out['cli.key'] = ipKey(flow['cli.ip']);
  out['srv.key'] = ipKey(flow['srv.ip']);
  out['cli.localhost'] = cli.local;
  out['srv.localhost'] = srv.local;
  out['cli.broadmulticast'] = cli.multicastOrBroadcast;
  out['srv.broadmulticast'] = srv.multicastOrBroadcast;
  out['cli.private'] = cli.private;
  out['srv.private'] = srv.private;
  out['cli.blacklisted'] = false;
  out['srv.blacklisted'] = false;
  out.iface_index = 0;
  out['flow.idle'] = false;
  out['packets.sent'] = flow['cli2srv.packets'];
  out['packets.rcvd'] = flow['srv2cli.packets'];
  const alertsMap: Record<string, boolean> = {};
  const alertScore: Record<string, number> = {};
  const pairs = score.alertScores;
  for (let i = 0; i < pairs.length; i += 2) {
    alertsMap[String(pairs[i])] = true;
    alertScore[String(pairs[i])] = pairs[i + 1];
  }
  out.alerts_map = alertsMap;
  out['flow.alerted'] = pairs.length > 0;
  out['flow.status'] = score.predominantAlert;
  if (pairs.length > 0) {
    out.predominant_alert = score.predominantAlert;
    out.predominant_alert_score = score.predominantScore;
  }
  out.score = {
    flow_score: score.flowScore,
    host_score_total: { client_score: score.cliScore, server_score: score.srvScore },
    alert_score: alertScore,
  };
  // nDPI risks no ntopng check turns into an alert (Flow::lua unhandled_flow_risk).
  const unhandled: Record<string, number> = {};
  const names = flow.flow_risk_names ?? [];
  (flow.flow_risk ?? []).forEach((id, i) => {
    if (riskAlertType(id) === null) unhandled[names[i] ?? String(id)] = id;
  });
  out.unhandled_flow_risk = unhandled;
  if (flow['protos.tls.client_requested_server_name'] === undefined && flow.host_server_name !== undefined && inFamily(flow, TLS_PROTOCOLS, 'protos.tls')) {
    out['protos.tls.client_requested_server_name'] = flow.host_server_name;
  }
  return out;
}
