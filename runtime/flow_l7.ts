// The application-layer part of a flow object: protocol pair, category, breed, confidence,
// risks and the dissected metadata, under ntopng's Flow::lua key names (ntopng-notes §2).
// Reads the record's L7 fields and its metadata block (core-as/dissect/meta.ts).
import {
  breedName, categoryName, protocolBreed, protocolIsEncrypted, riskName, riskScore,
} from './ndpi/tables.ts';
import type { MemoryViews } from './flow.ts';
import type { FlowInfo, FlowSummary } from './types.ts';

/** nDPI's printed confidence names, by the core's CONF_* values (core-as/flow/record.ts). */
const CONFIDENCE_NAMES = ['Unknown', 'Match by port', 'Match by IP', 'DPI'];

/** ntopng's rtp_stream_type values (nDPI's [Stream Content]), by META_NUM_STREAM_CONTENT value. */
const RTP_STREAM_TYPES = ['', 'audio', 'video', 'screen_share'];

/** Metadata string fields (META_STR_*) -> flow object key. */
const STRING_KEYS: Record<string, string> = {
  HOST: 'host_server_name',
  INFO: 'info',
  URL: 'protos.http.last_url',
  HTTP_METHOD: 'protos.http.last_method',
  USER_AGENT: 'protos.http.last_user_agent',
  HTTP_SERVER: 'protos.http.last_server',
  CONTENT_TYPE: 'protos.http.last_content_type',
  REQ_CONTENT_TYPE: 'protos.http.last_req_content_type',
  TLS_ALPN: 'protos.tls.client_alpn',
  TLS_VERSIONS: 'protos.tls.client_tls_supported_versions',
  JA3C: 'protos.tls.ja3.client_hash',
  JA3S: 'protos.tls.ja3.server_hash',
  JA4: 'protos.tls.ja4.client_hash',
  TLS_ISSUER: 'protos.tls.issuerDN',
  TLS_SUBJECT: 'protos.tls.subjectDN',
  TLS_SERVER_NAMES: 'protos.tls.server_names',
  TLS_NEGOTIATED_ALPN: 'protos.tls.negotiated_alpn',
  SSH_CLIENT: 'protos.ssh.client_signature',
  SSH_SERVER: 'protos.ssh.server_signature',
  HASSH_C: 'protos.ssh.hassh.client_hash',
  HASSH_S: 'protos.ssh.hassh.server_hash',
  RISK_INFO: 'risk_info',
  DHCP_FINGERPRINT: 'protos.dhcp.fingerprint',
  DHCP_CLASS: 'protos.dhcp.class_ident',
  BT_HASH: 'bittorrent_hash',
  QUIC_VERSION: 'protos.quic.version_name',
  STUN_MAPPED: 'protos.stun.mapped_ip_address',
  USER: 'protos.credentials.user',
  PASSWORD: 'protos.credentials.password',
};

export interface L7Layout {
  off: Record<string, number>;
  /** META_STR_* ids and META_NUM_* ids by name. */
  strings: Array<[name: string, id: number]>;
  /** The same ids by name. */
  stringIds: Map<string, number>;
  numbers: Record<string, number>;
  stringsAt: number;
  numbersAt: number;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * The text of bytes[start, end): UTF-8, with a fast path for the common short ASCII string
 * (TextDecoder costs more than the copy for a host name).
 */
export function decodeText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (bytes[i] > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  return decoder.decode(bytes.subarray(start, end));
}

/** The nDPI risk ids set in the 64-bit risk mask at `at`, in id order. */
export function riskIds(view: DataView, at: number): number[] {
  const low = view.getUint32(at, true), high = view.getUint32(at + 4, true);
  const ids: number[] = [];
  if ((low | high) === 0) return ids;
  for (let id = 0; id < 64; id++) if (((id < 32 ? low >>> id : high >>> (id - 32)) & 1) !== 0) ids.push(id);
  return ids;
}

/** One META_STR_* field of the record at `rec` ('' when absent or when it has no metadata). */
export function metaString(mem: MemoryViews, rec: number, layout: L7Layout, name: string): string {
  const view = mem.view;
  const block = view.getUint32(rec + layout.off.META_BLOCK, true);
  if (block === 0) return '';
  const id = layout.stringIds.get(name);
  if (id === undefined) return '';
  const slot = block + layout.stringsAt + id * 4;
  const length = view.getUint16(slot + 2, true);
  if (length === 0) return '';
  const start = block + view.getUint16(slot, true);
  return decodeText(mem.bytes, start, start + length);
}

/** A META_NUM_* field of a metadata block. */
function metaNumber(view: DataView, block: number, layout: L7Layout, name: string): number {
  return view.getUint32(block + layout.numbersAt + layout.numbers[name] * 4, true);
}

/** The fixed L7 keys of a flow object (readL7Base). */
export type L7Base = Pick<FlowInfo, 'proto.ndpi' | 'proto.master_ndpi_id' | 'proto.ndpi_id' | 'proto.ndpi_cat' | 'proto.ndpi_cat_id' |
  'proto.ndpi_breed' | 'proto.is_encrypted' | 'proto.ndpi_confidence' | 'proto.ip_ndpi_id' | 'flow_risk' | 'flow_risk_names' |
  'flow_risk_score'>;

/**
 * Protocol pair, category, breed, confidence and risks of the record at `rec`, completing its
 * summary. The caller puts them in the flow object's literal: one shape for every flow.
 */
export function readL7Base(mem: MemoryViews, rec: number, layout: L7Layout, sum: FlowSummary): L7Base {
  const view = mem.view;
  const main = sum.master !== 0 ? sum.master : sum.app;
  const names: string[] = [];
  let score = 0;
  for (const id of sum.risks) {
    names.push(riskName(id));
    score += riskScore(id);
  }
  return {
    'proto.ndpi': sum.protoName,
    'proto.master_ndpi_id': sum.master,
    'proto.ndpi_id': sum.app,
    'proto.ndpi_cat': categoryName(sum.categoryId),
    'proto.ndpi_cat_id': sum.categoryId,
    'proto.ndpi_breed': breedName(protocolBreed(sum.app)),
    'proto.is_encrypted': protocolIsEncrypted(main),
    'proto.ndpi_confidence': CONFIDENCE_NAMES[view.getUint8(rec + layout.off.CONFIDENCE)] ?? 'Unknown',
    'proto.ip_ndpi_id': view.getUint16(rec + layout.off.IP_PROTO, true),
    flow_risk: sum.risks,
    flow_risk_names: names,
    flow_risk_score: score,
  };
}

/** The dissected metadata of the record at `rec` (its metadata block), added to `flow`. */
export function readL7(mem: MemoryViews, rec: number, layout: L7Layout, flow: Record<string, unknown>, l4Proto: number): void {
  const { off } = layout;
  const view = mem.view;
  const master = view.getUint16(rec + off.MASTER_PROTO, true);
  const block = view.getUint32(rec + off.META_BLOCK, true);
  if (block === 0) return;
  const bytes = mem.bytes;
  for (const [name, id] of layout.strings) {
    const slot = block + layout.stringsAt + id * 4;
    const length = view.getUint16(slot + 2, true);
    if (length === 0) continue;
    const start = block + view.getUint16(slot, true);
    const key = STRING_KEYS[name] ?? `meta.${name.toLowerCase()}`;
    flow[key] = decodeText(bytes, start, start + length);
  }
  if (flow.host_server_name !== undefined && flow['protos.tls.ja3.client_hash'] !== undefined) {
    // TLS, QUIC, DTLS: the SNI under ntopng's protos.tls key as well.
    flow['protos.tls.client_requested_server_name'] = flow.host_server_name;
  }
  if (flow.host_server_name !== undefined && (master === 5 || master === 8 || master === 154)) {
    // DNS, mDNS, LLMNR: ntopng's protos.dns.* view of the same facts.
    flow['protos.dns.last_query'] = flow.host_server_name;
    flow['protos.dns.last_query_type'] = metaNumber(view, block, layout, 'DNS_QUERY_TYPE');
    const rcode = metaNumber(view, block, layout, 'DNS_RCODE');
    if (rcode !== 0) flow['protos.dns.last_return_code'] = rcode - 1;
    if (metaNumber(view, block, layout, 'DNS_INVALID_CHARS') !== 0) flow['protos.dns.invalid_chars_in_query'] = true;
    if (flow.info !== undefined) flow['protos.dns.last_answer'] = flow.info;
  }
  const status = metaNumber(view, block, layout, 'HTTP_STATUS');
  if (status !== 0) flow['protos.http.last_return_code'] = status;
  const tlsVersion = metaNumber(view, block, layout, 'TLS_VERSION');
  if (tlsVersion !== 0) flow['protos.tls_version'] = tlsVersion;
  const cipher = metaNumber(view, block, layout, 'TLS_CIPHER');
  if (cipher !== 0) flow['protos.tls.cipher'] = cipher;
  const quicVersion = metaNumber(view, block, layout, 'QUIC_VERSION');
  if (quicVersion !== 0) flow['protos.quic.version'] = quicVersion >>> 0;
  const notBefore = metaNumber(view, block, layout, 'CERT_NOT_BEFORE');
  if (notBefore !== 0) flow['protos.tls.notBefore'] = notBefore;
  const notAfter = metaNumber(view, block, layout, 'CERT_NOT_AFTER');
  if (notAfter !== 0) flow['protos.tls.notAfter'] = notAfter;
  const streamContent = metaNumber(view, block, layout, 'STREAM_CONTENT');
  if (streamContent !== 0 && RTP_STREAM_TYPES[streamContent] !== undefined) flow.rtp_stream_type = RTP_STREAM_TYPES[streamContent];
  void l4Proto;
}
