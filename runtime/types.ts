// The runtime's public shapes. Flow objects use ntopng's Flow::lua key names
// (../shared/spec/ntopng-notes.md §2) so that Lua checks, the REST API and the CLI's
// NDJSON all speak the same vocabulary.

export interface EngineOptions {
  /** Upper bound of concurrent flows; packets of new flows beyond it are counted as dropped. */
  maxFlows?: number;
  /**
   * Purge a flow once it has been idle this many seconds of *packet* time. 0 (default) keeps
   * every flow until end(), as nDPI's reader does with a capture file.
   */
  idleTimeoutSec?: number;
}

/** One flow, keyed as ntopng's Flow::lua() does. */
export interface FlowInfo {
  'cli.ip': string;
  'cli.port': number;
  'srv.ip': string;
  'srv.port': number;
  /** Inner VLAN id, 0 when untagged. */
  vlan: number;
  /** 4 or 6. */
  'ip_version': number;
  /** L4 name as ntopng prints it: "TCP", "UDP", "ICMP", "IPv6-ICMP", "SCTP", or the number. */
  'proto.l4': string;
  'proto.l4_id': number;
  'cli2srv.packets': number;
  'srv2cli.packets': number;
  /**
   * Frame bytes per direction, link header included, as captured: nDPI's reader counts the
   * captured length, which differs from the on-wire length only for frames cut by the snaplen.
   */
  'cli2srv.bytes': number;
  'srv2cli.bytes': number;
  /** L4 payload bytes per direction. */
  'cli2srv.goodput_bytes': number;
  'srv2cli.goodput_bytes': number;
  /** OR of the TCP flags seen per direction (0 for non-TCP). */
  'cli2srv.tcp_flags': number;
  'srv2cli.tcp_flags': number;
  /**
   * DSCP and ECN of the last packet of each side (IPv4 TOS, IPv6 traffic class): ntopng's
   * Flow::lua `tos = {client = {DSCP, ECN}, server = {DSCP, ECN}}`, flattened.
   */
  'tos.client.DSCP': number;
  'tos.client.ECN': number;
  'tos.server.DSCP': number;
  'tos.server.ECN': number;
  /**
   * ICMP and ICMPv6 flows only: type and code of the last message, the server's once it has
   * answered, else the client's (ntopng's Flow::getICMP; Flow::lua's `icmp = {type, code}`).
   */
  'icmp.type'?: number;
  'icmp.code'?: number;
  packets: number;
  bytes: number;
  goodput_bytes: number;
  /** Epoch seconds (integer, as ntopng) and the exact microsecond values. */
  'seen.first': number;
  'seen.last': number;
  'seen.first_us': number;
  'seen.last_us': number;
  /** last - first in seconds, microsecond precision. */
  duration: number;
  /** ntopng's TCP state booleans (precedence established > connecting > reset > closed). */
  tcp_established: boolean;
  tcp_connecting: boolean;
  tcp_reset: boolean;
  tcp_closed: boolean;
  /** SYN, SYN/ACK and ACK all seen in order. */
  'tcp.twh_ok': boolean;
  /** Outer encapsulation the flow was found in: "" or "IP-in-IP", "GRE", "VXLAN", "GTP", "CAPWAP", "TZSP". */
  tunnel: string;
  /** ntopng's u32 flow key (symmetric sum, ntopng-notes §3) and the table's entry serial. */
  'ntopng.key': number;
  hash_entry_id: number;

  // --- Application layer (nDPI ids and names, ../shared/ndpi) ---
  /** "Master.App" or "App", as nDPI prints it ("DNS.Google", "TLS", "Unknown"). */
  'proto.ndpi': string;
  /** nDPI master id (0 when the flow has a single protocol) and app id. */
  'proto.master_ndpi_id': number;
  'proto.ndpi_id': number;
  'proto.ndpi_cat': string;
  'proto.ndpi_cat_id': number;
  'proto.ndpi_breed': string;
  'proto.is_encrypted': boolean;
  /** "DPI", "Match by port", "Match by IP" or "Unknown". */
  'proto.ndpi_confidence': string;
  /** Protocol of the server address in nDPI's IP lists (nDPI's `[IP: ...]`), 0 if none. */
  'proto.ip_ndpi_id': number;
  /** nDPI risk ids set on the flow, their display names and the summed score. */
  flow_risk: number[];
  flow_risk_names: string[];
  flow_risk_score: number;
  /** SNI, HTTP Host, DNS query... (nDPI's Hostname/SNI). */
  host_server_name?: string;
  /** nDPI's protocol info (for DNS the first answer address). */
  info?: string;
  /** ntopng's RTP stream type (nDPI's [Stream Content]): "audio", "video" or "screen_share". */
  rtp_stream_type?: string;
  [metadata: `protos.${string}`]: string | number | boolean | undefined;
}

export interface EngineStats {
  /** Capture records read (frames). */
  packets: number;
  /** Sum of on-wire lengths (pcap original length) of all frames. */
  bytes: number;
  /** Frames that were accounted to a flow. */
  packetsInFlows: number;
  /** Flows currently in the table, flows ever created, flows purged (idle or at end). */
  activeFlows: number;
  flowsCreated: number;
  flowsPurged: number;
  /** Frames of new flows refused because the table was at maxFlows. */
  flowsDropped: number;
  /** Events the ring could not hold; always 0 unless the core has a bug. */
  eventsLost: number;
  /** Frames whose flow is the inner packet of a tunnel. */
  tunnelledPackets: number;
  /** pcapng blocks not needed for flows (name resolution, interface statistics, ...), skipped. */
  pcapngOtherBlocks: number;
  /** Frames not accounted to a flow, by reason. Their sum + packetsInFlows = packets. */
  skipped: Record<string, number>;
  /** Capture-level problems (bad blocks, truncated tail...), by reason. */
  captureErrors: Record<string, number>;
  /** "pcap", "pcapng" or "" until the magic has been seen. */
  format: string;
  /** Link types met (pcap header or each pcapng IDB). */
  linkTypes: number[];
}

/**
 * flow_created: first packet; flow_detected: dissection over (protocol known or given up), once
 * per flow, ntopng's protocol-detected moment; flow_ended: idle timeout or end of input.
 */
export type FlowEventKind = 'flow_created' | 'flow_detected' | 'flow_ended';

export interface FlowEvent {
  kind: FlowEventKind;
  /** Handle of the flow's record while the flow is alive (recycled after an idle end). */
  flowId: number;
  /** Creation serial: flows() and analyzeStream() list flows in this order. */
  serial: number;
  /**
   * The flow as it was at the event (for flow_ended: its final state). Built on first access:
   * read it inside the event handler (the core reuses the event ring at the next feed).
   */
  readonly flow: FlowInfo;
  /**
   * The flow's main facts at the event, read straight from the record without building `flow`
   * (engine events have it; the checks runner needs no more for most flows). Call it inside the
   * handler, as `flow`.
   */
  summary?(): FlowSummary;
  /** Cheaper still, for a listener that needs no more: the summary's lastSeenUs and risks. */
  readonly lastSeenUs?: number;
  risks?(): number[];
  /**
   * The numbers a check run needs, written into `out` (a reused object) straight from the record:
   * no summary object, no array, no text. Engine events have it; call it inside the handler.
   */
  values?(out: FlowValues): void;
}

/**
 * The summary's numbers, as FlowEvent.values writes them: what the checks runner reads of every
 * flow it runs a script for (cliV4/srvV4 are -1 for IPv6, whose texts only the summary has). The
 * texts, the risk list and the keys stay in the summary, which the runner asks for only when a
 * run needs more (an alert, an IPv6 flow, a metadata table).
 */
export type FlowValues = Pick<FlowSummary,
  'cliV4' | 'srvV4' | 'cliPort' | 'srvPort' | 'l4' | 'vlan' | 'c2sPackets' | 's2cPackets' | 'c2sBytes' | 's2cBytes' |
  'twhOk' | 'master' | 'app' | 'protoName' | 'categoryId' | 'lastSeenUs'> & {
  /** How many nDPI risks the flow has, and whether one is "malware host contacted". */
  riskCount: number;
  malwareHostRisk: boolean;
};

/**
 * What the checks read of a flow at every event (FlowEvent.summary, summaryOf). Engine events'
 * summaries format the IPv4 texts on first read (a getter: spread copies do not carry them).
 */
export interface FlowSummary {
  readonly cliIp: string;
  readonly srvIp: string;
  /** IPv4 addresses as unsigned numbers (-1 for IPv6): classified without parsing the text. */
  cliV4: number;
  srvV4: number;
  ipVersion: number;
  cliPort: number;
  srvPort: number;
  /** L4 protocol number and name ("TCP"). */
  l4: number;
  l4Name: string;
  vlan: number;
  c2sPackets: number;
  s2cPackets: number;
  c2sBytes: number;
  s2cBytes: number;
  twhOk: boolean;
  /** nDPI master and app ids (as the flow object's proto.master_ndpi_id / proto.ndpi_id), "Master.App" name, category. */
  master: number;
  app: number;
  protoName: string;
  categoryId: number;
  /** nDPI risk ids and nDPI's risk text (risk_info, '' when none). */
  risks: number[];
  riskInfo: string;
  lastSeenUs: number;
  ntopngKey: number;
  hashId: number;
}
