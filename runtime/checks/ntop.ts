// ntop.* (document 004) as far as it makes sense in a sandbox, as a host module. Every other
// function the document names exists and raises "ntop.<name> is not available in the flowscope
// sandbox" (NTOP_DOCUMENTED_FUNCTIONS minus the implemented ones).
//
// What is provided:
// - system: getDirs, getInfo, getUptime, getStartupEpoch, gettimemsec, getticks, gettickspersec,
//   tzset (no-op), roundTime (UTC, or a numeric offset in seconds as third argument), edition and
//   platform predicates (isPro... all false; isOffline true: the sandbox has no network),
//   getInstanceName, getHttpPrefix, isDeadlineApproaching (false), exists/isdir (false: no file system).
// - the cache on the KV store (`kv`): strings (TTL on the store's clock: capture time under the check
//   runner by default, see CheckRunnerOptions.cacheClock), hashes, lists, sets, keys, incr, rename;
//   getCache/getHashCache return "" for a missing key, as ntopng.
// - preferences on the same store under `ntopng.prefs.<key>`.
// - network utilities: ipToNumber, inet_ntoa, networkPrefix, ipCmp, isIPv6, isLocalAddress (inside the
//   local networks), addLocalNetwork, getNetworks, getNetworkNameById, getNetworkIdByName,
//   getLocalNetworkID, getLocalNetworkAlias, getAddressNetwork. They work on the runner's LocalNetworks,
//   shared by every script, flow.* and the Flows API: addLocalNetwork changes the interface's local
//   networks as in ntopng (a flow being checked keeps the classification its run started with, as
//   ntopng's existing hosts keep theirs; the next runs and the Flows API see the new network).
// - bitmapIsSet/Set/Clear (bits 0..52: Lua integers reach the host as doubles), mapScoreToSeverity,
//   mapSeverityToScore, md5, getservbyport, getTLSVersionName, getRiskStr, getRiskList (name -> id),
//   getnDPIProtoCategory, getFlowAlertScore/getFlowAlertRisk are not here (unavailable).
// - logging: traceEvent, verboseTrace, syslog, setLoggingLevel go to the runner's log.
// - getLuaCache/setLuaCache/dumpLuaCache: values of any type with an optional TTL (same clock).
import type { HostModule } from './sandbox.ts';
import type { LuaValue } from './value_codec.ts';
import type { KVStore } from '../store/kv.ts';
import { mapScoreToSeverity, mapSeverityToScore } from '../alerts.ts';
import { LocalNetworks, DEFAULT_LOCAL_NETWORKS, parseIp } from './local_networks.ts';
import { riskName, allRisks, protocolCategory } from '../ndpi/tables.ts';
import { md5Hex } from './ntop_md5.ts';
import { NTOP_DOCUMENTED_FUNCTIONS } from './ntop_functions.ts';

/** ntopng's directories (installed layout): scripts only use them to extend package.path. */
export const NTOPNG_DIRS = {
  installdir: '/usr/share/ntopng',
  workingdir: '/var/lib/ntopng',
  scriptdir: '/usr/share/ntopng/scripts',
  httpdocsdir: '/usr/share/ntopng/httpdocs',
  callbacksdir: '/usr/share/ntopng/scripts/callbacks',
  etcdir: '/etc/ntopng',
  bindir: '/usr/bin',
  pcapdir: '/var/lib/ntopng/pcap',
  dbarchivedir: '/var/lib/ntopng/db',
  sharedir: '/usr/share/ntopng',
};

export interface NtopContext {
  /** The local networks to read and extend (the runner's, shared by all its scripts). */
  localNetworks?: LocalNetworks;
  /** Local networks as configured, when no localNetworks is given (a list of this module's own). */
  networks?: string[];
  /**
   * Milliseconds since the epoch for the Lua cache TTLs (default: the KV store's clock). null: the
   * time is not known yet (capture time before the first packet); a TTL set then counts from the
   * first known time.
   */
  clock?: () => number | null;
  /** traceEvent & co. */
  log?: (text: string) => void;
}

function str(v: LuaValue | undefined, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new Error(`${what} must be a string`);
}

function int(v: LuaValue | undefined, d = 0): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : d;
}

const SERVICES: Record<string, Record<number, string>> = {
  tcp: { 20: 'ftp-data', 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'domain', 80: 'http', 110: 'pop3', 111: 'sunrpc', 119: 'nntp',
    123: 'ntp', 135: 'epmap', 139: 'netbios-ssn', 143: 'imap2', 179: 'bgp', 389: 'ldap', 443: 'https', 445: 'microsoft-ds', 465: 'submissions',
    514: 'shell', 587: 'submission', 636: 'ldaps', 873: 'rsync', 993: 'imaps', 995: 'pop3s', 1433: 'ms-sql-s', 1883: 'mqtt', 3306: 'mysql',
    3389: 'ms-wbt-server', 5060: 'sip', 5432: 'postgresql', 5900: 'vnc', 6379: 'redis', 8080: 'http-alt', 8443: 'https-alt' },
  udp: { 53: 'domain', 67: 'bootps', 68: 'bootpc', 69: 'tftp', 123: 'ntp', 137: 'netbios-ns', 138: 'netbios-dgm', 161: 'snmp', 162: 'snmp-trap',
    443: 'https', 500: 'isakmp', 514: 'syslog', 1900: 'ssdp', 3478: 'stun', 4500: 'ipsec-nat-t', 5060: 'sip', 5353: 'mdns', 51820: 'wireguard' },
};

const TLS_VERSIONS: Record<number, string> = {
  0x0300: 'SSLv3', 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3',
  0xfeff: 'DTLSv1.0', 0xfefd: 'DTLSv1.2', 0xfefc: 'DTLSv1.3', 0xfb1a: 'TLSv1.3 (Fizz)',
};

function ipv4(text: string): number | null {
  const b = parseIp(text);
  return b !== null && b.length === 4 ? ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0 : null;
}

function formatV6(b: Uint8Array): string {
  const words = Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The ntop host module. `kv`: the cache; `ctx`: networks, clock and log of the runner. */
export function ntopModule(kv: KVStore, ctx: NtopContext = {}): HostModule {
  const clock = ctx.clock ?? (() => kv.now());
  const started = Date.now();
  const log = ctx.log ?? (() => {});
  const local = ctx.localNetworks ?? new LocalNetworks(ctx.networks ?? DEFAULT_LOCAL_NETWORKS);
  /** TTLs in ms; `expires` undefined with `ttl` set: waiting for a known time (see NtopContext.clock). */
  const luaCache = new Map<string, { value: LuaValue; expires?: number; ttl?: number }>();
  const live = (e: { expires?: number; ttl?: number }, now: number | null): boolean => {
    if (now === null) return true;
    if (e.expires === undefined && e.ttl !== undefined) { e.expires = now + e.ttl; e.ttl = undefined; }
    return e.expires === undefined || e.expires > now;
  };
  const k = (v: LuaValue | undefined) => str(v ?? null, 'key');
  const prefKey = (key: string) => (key.startsWith('ntopng.prefs.') ? key : `ntopng.prefs.${key}`);
  const bit = (v: LuaValue | undefined) => {
    const n = int(v, -1);
    if (n < 0 || n > 52) throw new Error('bitmap bit must be between 0 and 52');
    return 2 ** n;
  };
  const functions: HostModule['functions'] = {
    // --- system & time
    getDirs: () => ({ ...NTOPNG_DIRS }),
    getInfo: (verbose) => {
      const info: Record<string, LuaValue> = {
        product: 'ntopng', version: '6.3.0 (flowscope)', 'version.flowscope': true, uptime: Math.floor((Date.now() - started) / 1000),
        'version.enterprise_edition': false, 'version.nedge_edition': false, 'version.embedded_edition': false, pro: false, oem: false,
      };
      if (verbose !== false) Object.assign(info, { OS: 'flowscope sandbox', platform: 'wasm', 'version.git': '', copyright: '© ntop.org (API), flowscope' });
      return info;
    },
    getUptime: () => Math.floor((Date.now() - started) / 1000),
    getStartupEpoch: () => Math.floor(started / 1000),
    gettimemsec: () => Date.now(),
    getticks: () => Math.floor(performance.now() * 1000),
    gettickspersec: () => 1_000_000,
    tzset: () => null,
    roundTime: (epoch, secs, tz) => {
      const e = int(epoch), s = int(secs);
      if (s <= 0) return e;
      const off = typeof tz === 'number' ? Math.trunc(tz) : 0;
      return Math.floor((e + off) / s) * s - off;
    },
    getInstanceName: () => 'flowscope',
    getHttpPrefix: () => '',
    isShuttingDown: () => false,
    isOffline: () => true,
    isDeadlineApproaching: () => false,
    exists: () => false,
    isdir: () => false,
    isPro: () => false, isEnterprise: () => false, isEnterpriseM: () => false, isEnterpriseL: () => false, isEnterpriseXL: () => false,
    isEnterpriseXXL: () => false, isnEdge: () => false, isnEdgeEnterprise: () => false, isAppliance: () => false, isIoTBridge: () => false,
    isPackage: () => false, isForcedCommunity: () => true, isWindows: () => false, isLinux: () => false, isFreeBSD: () => false,
    hasGeoIP: () => false, hasLdapSupport: () => false, hasRadiusSupport: () => false, hasSpeedtestSupport: () => false,
    isAdministrator: () => false, isClickHouseEnabled: () => false, isFlowDedupEnabled: () => false,
    // --- cache: strings
    getCache: (key) => kv.get(k(key)) ?? '',
    setCache: (key, value, ttl) => {
      kv.set(k(key), str(value ?? '', 'value'), typeof ttl === 'number' && ttl > 0 ? ttl : undefined);
      return null;
    },
    setnxCache: (key, value) => {
      if (kv.exists(k(key))) return false;
      kv.set(k(key), str(value ?? '', 'value'));
      return true;
    },
    delCache: (key) => { kv.del(k(key)); return null; },
    renameCache: (from, to) => { kv.rename(k(from), k(to)); return null; },
    incrCache: (key, by) => kv.incrBy(k(key), typeof by === 'number' ? Math.trunc(by) : 1),
    getKeysCache: (pattern) => Object.fromEntries(kv.keys(typeof pattern === 'string' ? pattern : '*').map((name) => [name, true])),
    getCacheStats: () => ({ num_keys: kv.size }),
    getCacheStatus: () => ({ health: 'green', num_keys: kv.size, backend: 'flowscope KV store' }),
    flushCache: () => { kv.flushAll(); return true; },
    // --- hashes
    getHashCache: (key, field) => kv.hget(k(key), str(field ?? null, 'field')) ?? '',
    setHashCache: (key, field, value) => { kv.hset(k(key), str(field ?? null, 'field'), str(value ?? '', 'value')); return null; },
    delHashCache: (key, field) => { kv.hdel(k(key), str(field ?? null, 'field')); return null; },
    getHashKeysCache: (key) => Object.fromEntries(kv.hkeys(k(key)).map((f) => [f, true])),
    getHashAllCache: (key) => kv.hgetall(k(key)),
    // --- lists
    lpushCache: (key, value) => { kv.lpush(k(key), str(value ?? '', 'value')); return null; },
    rpushCache: (key, value) => { kv.rpush(k(key), str(value ?? '', 'value')); return null; },
    lpopCache: (key) => kv.lpop(k(key)) ?? null,
    rpopCache: (key) => kv.rpop(k(key)) ?? null,
    llenCache: (key) => kv.llen(k(key)),
    lrangeCache: (key, start, stop) => kv.lrange(k(key), int(start, 0), int(stop, -1)),
    ltrimCache: (key, start, stop) => { kv.ltrim(k(key), int(start, 0), int(stop, -1)); return null; },
    listIndexCache: (key, idx) => {
      const i = int(idx, 0);
      return kv.lrange(k(key), i, i)[0] ?? null;
    },
    lremCache: (key, count, value) => {
      const list = kv.lrange(k(key), 0, -1), v = str(value ?? '', 'value');
      let n = int(count, 0);
      let out: string[];
      if (n >= 0) {
        const limit = n === 0 ? Infinity : n;
        let removed = 0;
        out = list.filter((x) => (x === v && removed < limit ? (removed++, false) : true));
      } else {
        n = -n;
        let removed = 0;
        out = [...list].reverse().filter((x) => (x === v && removed < n ? (removed++, false) : true)).reverse();
      }
      kv.del(k(key));
      for (const x of out) kv.rpush(k(key), x);
      return null;
    },
    // --- sets
    setMembersCache: (key, member) => { kv.sadd(k(key), str(member ?? '', 'member')); return null; },
    delMembersCache: (key, member) => { kv.srem(k(key), str(member ?? '', 'member')); return null; },
    getMembersCache: (key) => kv.smembers(k(key)),
    // --- preferences
    setPref: (key, value) => { kv.set(prefKey(k(key)), str(value ?? '', 'value')); return null; },
    getPref: (key) => kv.get(k(key)) ?? kv.get(prefKey(k(key))) ?? '',
    getPrefs: () => Object.fromEntries(kv.keys('ntopng.prefs.*').map((name) => [name.slice('ntopng.prefs.'.length), kv.get(name) ?? ''])),
    // --- network utilities
    ipToNumber: (ip) => (typeof ip === 'string' ? ipv4(ip) ?? 0 : 0),
    inet_ntoa: (n) => {
      const v = int(n) >>> 0;
      return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
    },
    networkPrefix: (ip, bits) => {
      const b = typeof ip === 'string' ? parseIp(ip) : null;
      if (b === null) return null;
      let p = Math.max(0, Math.min(int(bits), b.length * 8));
      const out = new Uint8Array(b.length);
      for (let i = 0; p > 0; i++, p -= 8) out[i] = b[i] & (p >= 8 ? 0xff : (0xff << (8 - p)) & 0xff);
      return out.length === 4 ? out.join('.') : formatV6(out);
    },
    ipCmp: (a, b) => {
      const x = typeof a === 'string' ? parseIp(a) : null, y = typeof b === 'string' ? parseIp(b) : null;
      if (x === null || y === null) return 0;
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return 0;
    },
    isIPv6: (ip) => typeof ip === 'string' && parseIp(ip)?.length === 16,
    isLocalAddress: (ip) => typeof ip === 'string' && local.classify(ip).inLocalNetwork,
    addLocalNetwork: (cidr) => {
      local.add(str(cidr ?? null, 'network')); // throws on a bad network
      return null;
    },
    getNetworks: () => Object.fromEntries(local.networks.map((n, i) => [n, i])),
    getNetworkNameById: (id) => local.networks[int(id, -1)] ?? null,
    getNetworkIdByName: (name) => local.networks.indexOf(str(name ?? null, 'network')),
    getLocalNetworkID: (name) => local.networks.indexOf(str(name ?? null, 'network')),
    getLocalNetworkAlias: (name) => local.alias(str(name ?? null, 'network')),
    getAddressNetwork: (ip) => {
      const id = typeof ip === 'string' ? local.networkId(ip) : -1;
      return id < 0 ? null : { network_id: id, network: local.networks[id] };
    },
    // --- bitmaps, scores, misc
    bitmapIsSet: (bitmap, v) => Math.floor(int(bitmap) / bit(v)) % 2 === 1,
    bitmapSet: (bitmap, v) => { const b = int(bitmap), m = bit(v); return Math.floor(b / m) % 2 === 1 ? b : b + m; },
    bitmapClear: (bitmap, v) => { const b = int(bitmap), m = bit(v); return Math.floor(b / m) % 2 === 1 ? b - m : b; },
    mapScoreToSeverity: (score) => mapScoreToSeverity(Number(score) || 0),
    mapSeverityToScore: (severity) => mapSeverityToScore(Number(severity) || 0),
    md5: (data) => md5Hex(str(data ?? '', 'data')),
    getservbyport: (port, proto) => {
      const p = int(port);
      return SERVICES[typeof proto === 'string' ? proto.toLowerCase() : 'tcp']?.[p] ?? String(p);
    },
    getTLSVersionName: (id) => {
      const v = int(id);
      return TLS_VERSIONS[v] ?? `TLS (${v.toString(16).toUpperCase().padStart(4, '0')})`;
    },
    getRiskStr: (id) => riskName(int(id)),
    getRiskList: () => Object.fromEntries(allRisks().map((r) => [r.name, r.id])),
    getnDPIProtoCategory: (id) => protocolCategory(int(id)),
    // --- logging
    traceEvent: (level, msg) => { log(`[${int(level)}] ${str(msg ?? '', 'message')}`); return null; },
    verboseTrace: () => null,
    syslog: (level, msg) => { log(`[syslog ${int(level)}] ${str(msg ?? '', 'message')}`); return null; },
    setLoggingLevel: () => null,
    // --- in-process Lua cache
    getLuaCache: (key) => {
      const e = luaCache.get(k(key));
      if (e === undefined) return null;
      if (!live(e, clock())) { luaCache.delete(k(key)); return null; }
      return e.value;
    },
    setLuaCache: (key, value, ttl) => {
      if (luaCache.size >= 100_000 && !luaCache.has(k(key))) throw new Error('ntop.setLuaCache: cache full (100000 keys)');
      const ms = typeof ttl === 'number' && ttl > 0 ? ttl * 1000 : undefined;
      const now = clock();
      luaCache.set(k(key), ms === undefined ? { value: value ?? null } : now === null ? { value: value ?? null, ttl: ms } : { value: value ?? null, expires: now + ms });
      return null;
    },
    dumpLuaCache: () => {
      const now = clock(), out: Record<string, LuaValue> = {};
      for (const [key, e] of luaCache) if (live(e, now)) out[key] = e.value;
      return out;
    },
  };
  return { namespace: 'ntop', functions, unavailable: NTOP_DOCUMENTED_FUNCTIONS.filter((name) => !(name in functions)) };
}
