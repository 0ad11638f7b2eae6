// Flow alerts: ntopng's alert types and severities, and the store the checks write into and the
// CLI, REST API and page read. Web standards only.
//
// Names and numbers follow ntopng: FlowAlertTypeEnum (include/ntop_typedefs.h, ~6.3), the nDPI
// risk -> alert type table (src/FlowRiskAlerts), Utils::mapScoreToSeverity (ntopng-notes §6).
import { riskInfo } from './ndpi/tables.ts';

// ------------------------------------------------------------------ severities

/** ntopng's severity ids (scripts/lua/modules/alert_severities.lua); 7 has no Lua name. */
export const SEVERITY_IDS = {
  none: 0, debug: 1, info: 2, notice: 3, warning: 4, error: 5, critical: 6, emergency: 8,
} as const;
export type SeverityName = keyof typeof SEVERITY_IDS;

const SEVERITY_NAMES = new Map<number, SeverityName>(Object.entries(SEVERITY_IDS).map(([k, v]) => [v, k as SeverityName]));

/** ntopng's score thresholds (include/ntop_defines.h, from nDPI). */
export const SCORE_LEVELS = { info: 1, notice: 10, warning: 50, error: 100, severe: 150, critical: 200, emergency: 250 } as const;
/** Largest score one alert adds to a flow or host (SCORE_MAX_VALUE). */
export const SCORE_MAX_VALUE = 250;

/** Utils::mapScoreToSeverity. */
export function mapScoreToSeverity(score: number): number {
  if (score < SCORE_LEVELS.info) return SEVERITY_IDS.none;
  if (score < SCORE_LEVELS.notice) return SEVERITY_IDS.info;
  if (score < SCORE_LEVELS.warning) return SEVERITY_IDS.notice;
  if (score < SCORE_LEVELS.error) return SEVERITY_IDS.warning;
  if (score < SCORE_LEVELS.critical) return SEVERITY_IDS.error;
  if (score < SCORE_LEVELS.emergency) return SEVERITY_IDS.critical;
  return SEVERITY_IDS.emergency;
}

/** Utils::mapSeverityToScore: the lowest score of the severity (0 for none and debug). */
export function mapSeverityToScore(severity: number): number {
  switch (severity) {
    case SEVERITY_IDS.info: return SCORE_LEVELS.info;
    case SEVERITY_IDS.notice: return SCORE_LEVELS.notice;
    case SEVERITY_IDS.warning: return SCORE_LEVELS.warning;
    case SEVERITY_IDS.error: return SCORE_LEVELS.error;
    case SEVERITY_IDS.critical: return SCORE_LEVELS.critical;
    case SEVERITY_IDS.emergency: return SCORE_LEVELS.emergency;
    default: return 0;
  }
}

export function severityName(id: number): SeverityName | 'alert' {
  return SEVERITY_NAMES.get(id) ?? 'alert';
}

/** A severity given by name or id; undefined when unknown. */
export function parseSeverity(value: string | number): number | undefined {
  if (typeof value === 'number') return SEVERITY_NAMES.has(value) ? value : undefined;
  const lower = value.toLowerCase();
  if (lower in SEVERITY_IDS) return SEVERITY_IDS[lower as SeverityName];
  const n = Number(value);
  return Number.isInteger(n) && SEVERITY_NAMES.has(n) ? n : undefined;
}

// ------------------------------------------------------------------ alert types

/** FlowAlertTypeEnum: name -> id. */
export const FLOW_ALERT_TYPES: Readonly<Record<string, number>> = {
  flow_alert_normal: 0, flow_alert_blacklisted: 1, flow_alert_blacklisted_country: 2, flow_alert_flow_blocked: 3,
  flow_alert_data_exfiltration: 4, flow_alert_device_protocol_not_allowed: 5, flow_alert_dns_data_exfiltration: 6,
  flow_alert_dns_invalid_query: 7, flow_alert_elephant_flow: 8, flow_alert_blacklisted_client_contact: 9,
  flow_alert_external: 10, flow_alert_longlived: 11, flow_alert_low_goodput: 12, flow_alert_blacklisted_server_contact: 13,
  flow_alert_internals: 14, flow_alert_remote_to_remote: 16, flow_alert_tcp_packets_issues: 19,
  flow_alert_ndpi_tls_certificate_expired: 22, flow_alert_ndpi_tls_certificate_mismatch: 23,
  flow_alert_ndpi_tls_old_protocol_version: 24, flow_alert_ndpi_tls_unsafe_ciphers: 25,
  flow_alert_ndpi_unidirectional_traffic: 26, flow_alert_web_mining_detected: 27,
  flow_alert_ndpi_tls_certificate_selfsigned: 28, flow_alert_ndpi_binary_application_transfer: 29,
  flow_alert_ndpi_known_proto_on_non_std_port: 30, flow_alert_unexpected_dhcp_server: 32,
  flow_alert_unexpected_dns_server: 33, flow_alert_unexpected_smtp_server: 34, flow_alert_unexpected_ntp_server: 35,
  flow_alert_zero_tcp_window: 36, flow_alert_iec_invalid_transition: 37, flow_alert_remote_to_local_insecure_proto: 38,
  flow_alert_ndpi_url_possible_xss: 39, flow_alert_ndpi_url_possible_sql_injection: 40,
  flow_alert_ndpi_url_possible_rce_injection: 41, flow_alert_ndpi_http_suspicious_user_agent: 42,
  flow_alert_ndpi_numeric_ip_host: 43, flow_alert_ndpi_http_suspicious_url: 44, flow_alert_ndpi_http_suspicious_header: 45,
  flow_alert_ndpi_tls_not_carrying_https: 46, flow_alert_ndpi_suspicious_dga_domain: 47, flow_alert_ndpi_malformed_packet: 48,
  flow_alert_ndpi_ssh_obsolete_server: 49, flow_alert_ndpi_smb_insecure_version: 50, flow_alert_ndpi_unsafe_protocol: 52,
  flow_alert_ndpi_dns_suspicious_traffic: 53, flow_alert_ndpi_tls_missing_sni: 54, flow_alert_iec_unexpected_type_id: 55,
  flow_alert_tcp_no_data_exchanged: 56, flow_alert_remote_access: 57, flow_alert_lateral_movement: 58,
  flow_alert_periodicity_changed: 59, flow_alert_ndpi_tls_cert_validity_too_long: 60, flow_alert_ndpi_ssh_obsolete_client: 61,
  flow_alert_ndpi_clear_text_credentials: 62, flow_alert_ndpi_http_suspicious_content: 63, flow_alert_ndpi_dns_large_packet: 64,
  flow_alert_ndpi_dns_fragmented: 65, flow_alert_ndpi_invalid_characters: 66, flow_alert_broadcast_non_udp_traffic: 67,
  flow_alert_ndpi_possible_exploit: 68, flow_alert_ndpi_tls_certificate_about_to_expire: 69, flow_alert_ndpi_punicody_idn: 70,
  flow_alert_ndpi_error_code_detected: 71, flow_alert_ndpi_http_crawler_bot: 72, flow_alert_ndpi_suspicious_entropy: 73,
  flow_alert_iec_invalid_command_transition: 74, flow_alert_connection_failed: 75, flow_alert_ndpi_anonymous_subscriber: 76,
  flow_alert_unidirectional_traffic: 77, flow_alert_ndpi_desktop_or_file_sharing_session: 78,
  flow_alert_ndpi_malicious_fingerprint: 79, flow_alert_ndpi_malicious_sha1_certificate: 80, flow_alert_ndpi_tls_uncommon_alpn: 81,
  flow_alert_ndpi_tls_suspicious_extension: 82, flow_alert_ndpi_tls_fatal_alert: 83, flow_alert_ndpi_http_obsolete_server: 84,
  flow_alert_ndpi_risky_asn: 85, flow_alert_ndpi_risky_domain: 86, flow_alert_custom_lua_script: 87,
  flow_alert_ndpi_periodic_flow: 88, flow_alert_ndpi_minor_issues: 89, flow_alert_ndpi_tcp_issues: 90,
  flow_alert_vlan_bidirectional_traffic: 91, flow_alert_rare_destination: 92, flow_alert_modbus_unexpected_function_code: 93,
  flow_alert_modbus_too_many_exceptions: 94, flow_alert_modbus_invalid_transition: 95, flow_alert_ndpi_unresolved_hostname: 96,
  flow_alert_ndpi_tls_alpn_sni_mismatch: 97, flow_alert_ndpi_malware_host_contacted: 98, flow_alert_ndpi_binary_data_transfer: 99,
  flow_alert_tcp_flow_reset: 100, flow_alert_ndpi_probing_attempt: 101, flow_alert_access_control_list: 102,
  flow_alert_host_policy: 103, flow_alert_qoe_degraded: 104, flow_alert_ndpi_obfuscated_traffic: 105,
  flow_alert_nedge_policy_violation: 106,
};

const ALERT_NAMES = new Map<number, string>(Object.entries(FLOW_ALERT_TYPES).map(([k, v]) => [v, k]));

/** The custom flow check script's alert (flow.triggerAlert). */
export const CUSTOM_LUA_SCRIPT_ALERT = FLOW_ALERT_TYPES.flow_alert_custom_lua_script;

export function flowAlertName(id: number): string {
  return ALERT_NAMES.get(id) ?? `flow_alert_${id}`;
}

export type AlertCategory = 'security' | 'network' | 'other';

/**
 * nDPI risk symbol -> ntopng alert type, where the name is not simply flow_alert_ + the symbol
 * in lower case without NDPI_ (FlowRiskAlerts). Risks absent from FLOW_ALERT_TYPES under either
 * name are unhandled: ntopng lists them in unhandled_flow_risk and raises nothing.
 */
const RISK_ALERT_NAMES: Record<string, string> = {
  NDPI_BINARY_APPLICATION_TRANSFER: 'flow_alert_ndpi_binary_application_transfer',
  NDPI_KNOWN_PROTOCOL_ON_NON_STANDARD_PORT: 'flow_alert_ndpi_known_proto_on_non_std_port',
  NDPI_TLS_SELFSIGNED_CERTIFICATE: 'flow_alert_ndpi_tls_certificate_selfsigned',
  NDPI_TLS_OBSOLETE_VERSION: 'flow_alert_ndpi_tls_old_protocol_version',
  NDPI_TLS_WEAK_CIPHER: 'flow_alert_ndpi_tls_unsafe_ciphers',
  NDPI_HTTP_NUMERIC_IP_HOST: 'flow_alert_ndpi_numeric_ip_host',
  NDPI_SSH_OBSOLETE_CLIENT_VERSION_OR_CIPHER: 'flow_alert_ndpi_ssh_obsolete_client',
  NDPI_SSH_OBSOLETE_SERVER_VERSION_OR_CIPHER: 'flow_alert_ndpi_ssh_obsolete_server',
  NDPI_MALICIOUS_JA3: 'flow_alert_ndpi_malicious_fingerprint',
  NDPI_PUNYCODE_IDN: 'flow_alert_ndpi_punicody_idn',
};
/** Categories that are not "security" (FlowRiskAlerts). */
const RISK_CATEGORIES: Record<string, AlertCategory> = {
  NDPI_TLS_UNCOMMON_ALPN: 'other', NDPI_TLS_FATAL_ALERT: 'other', NDPI_ERROR_CODE_DETECTED: 'network',
  NDPI_HTTP_CRAWLER_BOT: 'network', NDPI_UNIDIRECTIONAL_TRAFFIC: 'network', NDPI_MINOR_ISSUES: 'other',
  NDPI_TCP_ISSUES: 'network', NDPI_PERIODIC_FLOW: 'other',
};

export interface RiskAlertType {
  alertId: number;
  alertName: string;
  category: AlertCategory;
  riskId: number;
  /** nDPI's display name ("TLS Cert Expired") and its scores. */
  riskName: string;
  score: number;
  clientScore: number;
  serverScore: number;
}

/** By risk id (nDPI's are below 64); undefined until first asked. */
const riskAlertCache: Array<RiskAlertType | null | undefined> = [];

/** The alert an nDPI risk raises in ntopng, or null when ntopng leaves it unhandled. */
export function riskAlertType(riskId: number): RiskAlertType | null {
  let cached = riskAlertCache[riskId];
  if (cached !== undefined) return cached;
  const risk = riskInfo(riskId);
  cached = null;
  if (risk !== undefined && riskId !== 0) {
    const name = RISK_ALERT_NAMES[risk.symbol] ?? `flow_alert_ndpi_${risk.symbol.replace(/^NDPI_/, '').toLowerCase()}`;
    const alertId = FLOW_ALERT_TYPES[name];
    if (alertId !== undefined) {
      cached = {
        alertId, alertName: name, category: RISK_CATEGORIES[risk.symbol] ?? 'security', riskId,
        riskName: risk.name, score: risk.score, clientScore: risk.clientScore, serverScore: risk.serverScore,
      };
    }
  }
  if (Number.isInteger(riskId) && riskId >= 0 && riskId < 1024) riskAlertCache[riskId] = cached;
  return cached;
}

// ------------------------------------------------------------------ alerts

/** One flow alert, with the field names of ntopng's flow alert records where they exist. */
export interface FlowAlert {
  /** 1, 2, 3... in the order alerts were raised. */
  row_id: number;
  /** Packet time of the alert, epoch seconds. */
  tstamp: number;
  family: 'flow';
  alert_id: number;
  alert_name: string;
  alert_category: AlertCategory;
  /** The alert's score: the script's (u8), the risk's, or the status's. */
  score: number;
  severity: number;
  severity_name: string;
  msg: string;
  /** What raised it: a Lua check script, an nDPI risk, or a Flow User Scripts status. */
  source: 'lua_script' | 'ndpi_risk' | 'flow_status';
  /** The script file and hook, for Lua alerts. */
  script?: string;
  hook?: 'protocol_detected' | 'periodic' | 'flow_end';
  risk_id?: number;
  risk_name?: string;
  cli_ip: string;
  cli_port: number;
  srv_ip: string;
  srv_port: number;
  vlan_id: number;
  /** L4 protocol number and name. */
  proto: number;
  l4_proto: string;
  /** nDPI ids and "Master.App" name. */
  l7_proto: number;
  l7_master_proto: number;
  l7_proto_name: string;
  /** ntopng's flow key and hash entry id, and flowscope's creation serial of the flow. */
  flow_key: number;
  hash_id: number;
  flow_serial: number;
  total_bytes: number;
  /** The flow's score after this alert was accounted (ntopng-notes §6). */
  flow_score: number;
}

export interface AlertFilter {
  /** Alerts of one flow, by ntopng key (and hash id when given) or by creation serial. */
  flowKey?: number;
  hashId?: number;
  flowSerial?: number;
  /** Minimum severity (id or name), or an exact one with severityExact. */
  severity?: number | string;
  severityExact?: boolean;
  /** Alert type by id or name. */
  alertId?: number;
  alertName?: string;
  source?: FlowAlert['source'];
  script?: string;
  offset?: number;
  limit?: number;
}

/** An alert as the checks raise it: every field but row_id and the derived severity_name. */
export type NewFlowAlert = Omit<FlowAlert, 'row_id' | 'family' | 'severity_name'> & Partial<Pick<FlowAlert, 'row_id' | 'family' | 'severity_name'>>;

// The store keeps alerts in columns, not as objects: an analysis may raise millions of them and
// the checks raise them on the hot path. One object per alert, kept until the end, is what the
// garbage collector pays for most (each survives the young generation and is copied into the
// old one); numbers in one Float64Array and strings in one array cost a few stores instead, and
// FlowAlert objects are made only for the readers (list(), subscribers).
const NUM_FIELDS = [
  'row_id', 'tstamp', 'alert_id', 'score', 'severity', 'risk_id', 'cli_port', 'srv_port', 'vlan_id', 'proto',
  'l7_proto', 'l7_master_proto', 'flow_key', 'hash_id', 'flow_serial', 'total_bytes', 'flow_score',
] as const;
const STR_FIELDS = [
  'alert_name', 'alert_category', 'msg', 'source', 'script', 'hook', 'risk_name', 'cli_ip', 'srv_ip', 'l4_proto', 'l7_proto_name',
] as const;
const NUM_STRIDE = NUM_FIELDS.length;
const STR_STRIDE = STR_FIELDS.length;
const N_ROW = 0, N_TSTAMP = 1, N_ALERT_ID = 2, N_SCORE = 3, N_SEVERITY = 4, N_RISK_ID = 5, N_CLI_PORT = 6, N_SRV_PORT = 7;
const N_VLAN = 8, N_PROTO = 9, N_L7 = 10, N_L7_MASTER = 11, N_FLOW_KEY = 12, N_HASH_ID = 13, N_SERIAL = 14, N_BYTES = 15, N_FLOW_SCORE = 16;
const S_NAME = 0, S_CATEGORY = 1, S_MSG = 2, S_SOURCE = 3, S_SCRIPT = 4, S_HOOK = 5, S_RISK_NAME = 6, S_CLI_IP = 7, S_SRV_IP = 8;
const S_L4 = 9, S_L7_NAME = 10;
/** Rows allocated first; the columns double from there up to maxAlerts. */
const FIRST_CAPACITY = 1024;
/** Messages kept for sharing (scripts repeat theirs): one string per distinct text. */
const MESSAGE_POOL_LIMIT = 4096;

/**
 * The alerts of an analysis, in order, with filters. Bounded: past maxAlerts the oldest go (a
 * ring), counted in dropped.
 */
export class AlertStore {
  readonly maxAlerts: number;
  #num = new Float64Array(0);
  #str: Array<string | undefined> = [];
  #capacity = 0;
  /** Slot of the oldest alert, and how many are kept. */
  #head = 0;
  #count = 0;
  #nextRow = 1;
  #dropped = 0;
  readonly #messages = new Map<string, string>();
  readonly #listeners = new Set<(alert: FlowAlert) => void>();

  constructor(maxAlerts = 1_000_000) {
    if (!(maxAlerts >= 1)) throw new Error(`maxAlerts must be at least 1 (got ${maxAlerts})`);
    this.maxAlerts = Math.floor(maxAlerts);
  }

  /**
   * Stores an alert (its fields are copied: the object may be reused) and tells the listeners.
   * Returns its row_id, assigned here.
   */
  add(alert: NewFlowAlert): number {
    const row = this.#nextRow++;
    const slot = this.#slotForNew();
    const n = this.#num, o = slot * NUM_STRIDE;
    n[o + N_ROW] = row;
    n[o + N_TSTAMP] = alert.tstamp;
    n[o + N_ALERT_ID] = alert.alert_id;
    n[o + N_SCORE] = alert.score;
    n[o + N_SEVERITY] = alert.severity;
    n[o + N_RISK_ID] = alert.risk_id ?? NaN;
    n[o + N_CLI_PORT] = alert.cli_port;
    n[o + N_SRV_PORT] = alert.srv_port;
    n[o + N_VLAN] = alert.vlan_id;
    n[o + N_PROTO] = alert.proto;
    n[o + N_L7] = alert.l7_proto;
    n[o + N_L7_MASTER] = alert.l7_master_proto;
    n[o + N_FLOW_KEY] = alert.flow_key;
    n[o + N_HASH_ID] = alert.hash_id;
    n[o + N_SERIAL] = alert.flow_serial;
    n[o + N_BYTES] = alert.total_bytes;
    n[o + N_FLOW_SCORE] = alert.flow_score;
    const t = this.#str, so = slot * STR_STRIDE;
    t[so + S_NAME] = alert.alert_name;
    t[so + S_CATEGORY] = alert.alert_category;
    t[so + S_MSG] = this.#shared(alert.msg);
    t[so + S_SOURCE] = alert.source;
    t[so + S_SCRIPT] = alert.script;
    t[so + S_HOOK] = alert.hook;
    t[so + S_RISK_NAME] = alert.risk_name;
    t[so + S_CLI_IP] = alert.cli_ip;
    t[so + S_SRV_IP] = alert.srv_ip;
    t[so + S_L4] = alert.l4_proto;
    t[so + S_L7_NAME] = alert.l7_proto_name;
    if (this.#listeners.size !== 0) {
      const stored = this.#read(slot);
      for (const listener of this.#listeners) listener(stored);
    }
    return row;
  }

  /** The slot the next alert goes to: a new one while under maxAlerts, else the oldest's. */
  #slotForNew(): number {
    if (this.#count === this.maxAlerts) {
      const slot = this.#head;
      this.#head = (this.#head + 1) % this.#capacity;
      this.#dropped++;
      return slot;
    }
    if (this.#count === this.#capacity) this.#grow();
    return (this.#head + this.#count++) % this.#capacity;
  }

  /** Doubles the columns (at most to maxAlerts), the oldest alert moving to slot 0. */
  /**
   * Doubles the number column (at most to maxAlerts). Columns only grow before the ring is full,
   * when the oldest alert is in slot 0 and new ones are appended: the numbers are copied as they
   * are, and the string column (a plain array) simply grows as slots are appended to it.
   */
  #grow(): void {
    const capacity = Math.min(this.maxAlerts, Math.max(FIRST_CAPACITY, this.#capacity * 2));
    const num = new Float64Array(capacity * NUM_STRIDE);
    num.set(this.#num.subarray(0, this.#count * NUM_STRIDE));
    this.#num = num;
    this.#capacity = capacity;
  }

  /** The pooled copy of a message, so that a script's repeated text is kept once. */
  #shared(msg: string): string {
    const pooled = this.#messages.get(msg);
    if (pooled !== undefined) return pooled;
    if (this.#messages.size >= MESSAGE_POOL_LIMIT) this.#messages.clear();
    this.#messages.set(msg, msg);
    return msg;
  }

  /** The alert in `slot` as an object (a new one each call). */
  #read(slot: number): FlowAlert {
    const n = this.#num, o = slot * NUM_STRIDE;
    const t = this.#str, so = slot * STR_STRIDE;
    const severity = n[o + N_SEVERITY];
    const riskId = n[o + N_RISK_ID];
    return {
      row_id: n[o + N_ROW],
      tstamp: n[o + N_TSTAMP],
      family: 'flow',
      alert_id: n[o + N_ALERT_ID],
      alert_name: t[so + S_NAME] as string,
      alert_category: t[so + S_CATEGORY] as AlertCategory,
      score: n[o + N_SCORE],
      severity,
      severity_name: severityName(severity),
      msg: t[so + S_MSG] as string,
      source: t[so + S_SOURCE] as FlowAlert['source'],
      script: t[so + S_SCRIPT],
      hook: t[so + S_HOOK] as FlowAlert['hook'],
      risk_id: Number.isNaN(riskId) ? undefined : riskId,
      risk_name: t[so + S_RISK_NAME],
      cli_ip: t[so + S_CLI_IP] as string,
      cli_port: n[o + N_CLI_PORT],
      srv_ip: t[so + S_SRV_IP] as string,
      srv_port: n[o + N_SRV_PORT],
      vlan_id: n[o + N_VLAN],
      proto: n[o + N_PROTO],
      l4_proto: t[so + S_L4] as string,
      l7_proto: n[o + N_L7],
      l7_master_proto: n[o + N_L7_MASTER],
      l7_proto_name: t[so + S_L7_NAME] as string,
      flow_key: n[o + N_FLOW_KEY],
      hash_id: n[o + N_HASH_ID],
      flow_serial: n[o + N_SERIAL],
      total_bytes: n[o + N_BYTES],
      flow_score: n[o + N_FLOW_SCORE],
    };
  }

  /** Calls `listener` for every alert added from now on; returns the unsubscribe function. */
  subscribe(listener: (alert: FlowAlert) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#count;
  }

  /** Alerts ever added (dropped ones included). */
  get total(): number {
    return this.#nextRow - 1;
  }

  /** Alerts removed because the store was full. */
  get dropped(): number {
    return this.#dropped;
  }

  list(filter: AlertFilter = {}): FlowAlert[] {
    const severity = filter.severity === undefined ? undefined : parseSeverity(filter.severity);
    if (filter.severity !== undefined && severity === undefined) throw new Error(`unknown severity ${filter.severity}`);
    const alertId = filter.alertId ?? (filter.alertName !== undefined ? FLOW_ALERT_TYPES[filter.alertName] ?? -1 : undefined);
    const out: FlowAlert[] = [];
    let skip = filter.offset ?? 0;
    const limit = filter.limit ?? Infinity;
    const n = this.#num, t = this.#str;
    for (let i = 0; i < this.#count && out.length < limit; i++) {
      const slot = (this.#head + i) % this.#capacity;
      const o = slot * NUM_STRIDE, so = slot * STR_STRIDE;
      if (filter.flowSerial !== undefined && n[o + N_SERIAL] !== filter.flowSerial) continue;
      if (filter.flowKey !== undefined && n[o + N_FLOW_KEY] !== filter.flowKey) continue;
      if (filter.hashId !== undefined && n[o + N_HASH_ID] !== filter.hashId) continue;
      const sev = n[o + N_SEVERITY];
      if (severity !== undefined && (filter.severityExact ? sev !== severity : sev < severity)) continue;
      if (alertId !== undefined && n[o + N_ALERT_ID] !== alertId) continue;
      if (filter.source !== undefined && t[so + S_SOURCE] !== filter.source) continue;
      if (filter.script !== undefined && t[so + S_SCRIPT] !== filter.script) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      out.push(this.#read(slot));
    }
    return out;
  }

  /** Counts by severity name and by alert name. */
  summary(): { total: number; bySeverity: Record<string, number>; byType: Record<string, number> } {
    const bySeverity: Record<string, number> = {};
    const byType: Record<string, number> = {};
    for (let i = 0; i < this.#count; i++) {
      const slot = (this.#head + i) % this.#capacity;
      const severity = severityName(this.#num[slot * NUM_STRIDE + N_SEVERITY]);
      const name = this.#str[slot * STR_STRIDE + S_NAME] as string;
      bySeverity[severity] = (bySeverity[severity] ?? 0) + 1;
      byType[name] = (byType[name] ?? 0) + 1;
    }
    return { total: this.#count, bySeverity, byType };
  }

  /** Forgets the kept alerts (row ids and the totals go on). */
  clear(): void {
    this.#num = new Float64Array(0);
    this.#str = [];
    this.#capacity = 0;
    this.#head = 0;
    this.#count = 0;
    this.#messages.clear();
  }
}
