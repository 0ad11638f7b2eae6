// Reads flow records and counters out of wasm memory. The record layout comes from the FLOW_*
// globals the core exports (core-as/flow/record.ts), the counters from STAT_/SKIP_/CAPERR_.
import type { EngineStats, FlowEvent, FlowInfo, FlowSummary, FlowValues } from './types.ts';
import { formatIpv6, ipv4Number, ipv4Text, ntopngAddressKey } from './ip.ts';
import { metaString, readL7, readL7Base, riskIds, type L7Layout } from './flow_l7.ts';
import { protocolPairName, riskIdByName } from './ndpi/tables.ts';

/** nDPI's "malware host contacted" risk: with the Malware category, what makes a flow blacklisted. */
export const MALWARE_HOST_RISK = riskIdByName('NDPI_MALWARE_HOST_CONTACTED') ?? -1;

type Global = WebAssembly.Global;

/** The core's exports as the runtime uses them (core-as/index.ts). */
export interface CoreExports {
  memory: WebAssembly.Memory;
  init(maxFlows: number, idleTimeoutMs: number): void;
  inputBuffer(size: number): number;
  feed(offset: number, length: number): number;
  finish(): number;
  statsPtr(): number;
  flowRecord(id: number): number;
  nextFlow(from: number): number;
  flowHighWater(): number;
  eventsPtr(): number;
  eventCount(): number;
  captureFormat(): number;
  captureFirstWord(): number;
  linkTypesPtr(): number;
  linkTypesCount(): number;
  FORMAT_INVALID: Global;
  [name: string]: unknown;
}

const L4_NAMES: Record<number, string> = {
  1: 'ICMP', 2: 'IGMP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 47: 'GRE', 50: 'ESP', 51: 'AH',
  58: 'IPv6-ICMP', 89: 'OSPF', 103: 'PIM', 112: 'VRRP', 132: 'SCTP',
};
const TUNNEL_NAMES = ['', 'IP-in-IP', 'GRE', 'VXLAN', 'GTP', 'CAPWAP', 'TZSP'];

const TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_ACK = 0x10;

export function l4Name(proto: number): string {
  return L4_NAMES[proto] ?? String(proto);
}

/** The number of bits set in a 32-bit word. */
function popcount32(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** An unsigned 64-bit little-endian counter (exact below 2^53). */
function u64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
}

function swap16(port: number): number {
  return ((port & 0xff) << 8) | (port >> 8);
}

/**
 * Views over the whole wasm memory, made again only when the memory grew (its buffer changes):
 * reading a flow then creates no view of its own.
 */
export class MemoryViews {
  readonly #memory: WebAssembly.Memory;
  #bytes: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  #view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  constructor(memory: WebAssembly.Memory) {
    this.#memory = memory;
  }

  #refresh(): void {
    // Growing the memory detaches its old buffer, whose views then have length 0: checking that
    // is cheaper than asking the memory for its buffer (a call into the engine) on every read.
    if (this.#bytes.length !== 0) return;
    const buffer = this.#memory.buffer;
    this.#bytes = new Uint8Array(buffer);
    this.#view = new DataView(buffer);
  }

  get bytes(): Uint8Array<ArrayBufferLike> {
    this.#refresh();
    return this.#bytes;
  }

  get view(): DataView<ArrayBufferLike> {
    this.#refresh();
    return this.#view;
  }
}

export class FlowReader {
  readonly #core: CoreExports;
  readonly #off: Record<string, number>;
  readonly #recordSize: number;
  readonly #stateFree: number;
  readonly #twhDone: number;
  readonly #eventCreated: number;
  readonly #eventDetected: number;
  readonly #eventSize: number;
  readonly #eventRecord: number;
  readonly #l7: L7Layout;
  readonly #mem: MemoryViews;
  /** Stats slot index -> [group, name], from the exported STAT_/SKIP_/CAPERR_ globals. */
  readonly #counters: Array<[group: 'stat' | 'skip' | 'caperr', name: string, slot: number]> = [];

  constructor(core: CoreExports) {
    this.#core = core;
    const offsets: Array<[string, number]> = [];
    for (const [name, value] of Object.entries(core)) {
      if (!(value instanceof WebAssembly.Global)) continue;
      const v = Number(value.value);
      if (name.startsWith('FLOW_')) offsets.push([name.slice(5), v]);
      else if (name.startsWith('STAT_')) this.#counters.push(['stat', name.slice(5).toLowerCase(), v]);
      else if (name.startsWith('SKIP_')) this.#counters.push(['skip', name.slice(5).toLowerCase(), v]);
      else if (name.startsWith('CAPERR_')) this.#counters.push(['caperr', name.slice(7).toLowerCase(), v]);
    }
    // Made in one go: given its keys one by one, an object this size becomes a dictionary, and
    // every offset read on the per-event path (#valuesAt, #summaryAt) a hash lookup.
    this.#off = Object.fromEntries(offsets);
    this.#recordSize = this.#off.RECORD_SIZE;
    this.#mem = new MemoryViews(core.memory);
    const strings: Array<[string, number]> = [];
    const numbers: Record<string, number> = {};
    for (const [name, value] of Object.entries(core)) {
      if (!(value instanceof WebAssembly.Global)) continue;
      if (name.startsWith('META_STR_')) strings.push([name.slice(9), Number(value.value)]);
      else if (name.startsWith('META_NUM_')) numbers[name.slice(9)] = Number(value.value);
    }
    this.#l7 = {
      off: this.#off, strings, numbers, stringIds: new Map(strings),
      stringsAt: Number((core.META_STRINGS_AT as Global).value),
      numbersAt: Number((core.META_NUMBERS_AT as Global).value),
    };
    this.#stateFree = Number((core.STATE_FREE as Global).value);
    this.#twhDone = Number((core.TWH_DONE as Global).value);
    this.#eventCreated = Number((core.EVENT_FLOW_CREATED as Global).value);
    this.#eventDetected = Number((core.EVENT_FLOW_DETECTED as Global).value);
    this.#eventSize = Number((core.EVENT_SIZE as Global).value);
    this.#eventRecord = Number((core.EVENT_RECORD as Global).value);
  }

  isReadable(id: number): boolean {
    if (!Number.isInteger(id) || id < 0 || id >= this.#core.flowHighWater()) return false;
    const rec = this.#core.flowRecord(id);
    return new Uint8Array(this.#core.memory.buffer, rec, this.#recordSize)[this.#off.STATE] !== this.#stateFree;
  }

  read(id: number): FlowInfo {
    return this.#readAt(this.#core.flowRecord(id));
  }

  /** Creation serial of a live record: flows() lists records in this order. */
  serial(id: number): number {
    return new DataView(this.#core.memory.buffer, this.#core.flowRecord(id) + this.#off.SERIAL, 4).getUint32(0, true);
  }

  /** What an event reads of its record copy: the flow object, or only its time and risks. */
  readonly #recordReader: RecordReader = {
    flow: (record) => this.#readAt(record),
    summary: (record) => this.#summaryAt(record),
    lastSeenUs: (record) => u64(this.#mem.view, record + this.#off.LAST_SEEN),
    risks: (record) => riskIds(this.#mem.view, record + this.#l7.off.RISKS),
    values: (record, out) => this.#valuesAt(record, out),
  };

  /**
   * The numbers of the record at `rec` into `out`: the same values as #summaryAt's, without
   * building the summary (its texts, risk list and keys).
   */
  #valuesAt(rec: number, out: FlowValues): void {
    const o = this.#off, l7 = this.#l7.off;
    const B = this.#mem.bytes, V = this.#mem.view, r = rec;
    const v4 = B[r + o.IP_VERSION] === 4;
    const proto = B[r + o.L4_PROTO];
    const master = V.getUint16(r + l7.MASTER_PROTO, true);
    const app = V.getUint16(r + l7.APP_PROTO, true);
    const masterId = app === 0 ? 0 : master;
    const appId = app === 0 ? master : app;
    const riskLow = V.getUint32(r + l7.RISKS, true), riskHigh = V.getUint32(r + l7.RISKS + 4, true);
    out.cliV4 = v4 ? V.getUint32(r + o.CLI_ADDR, false) : -1;
    out.srvV4 = v4 ? V.getUint32(r + o.SRV_ADDR, false) : -1;
    out.cliPort = V.getUint16(r + o.CLI_PORT, true);
    out.srvPort = V.getUint16(r + o.SRV_PORT, true);
    out.l4 = proto;
    out.vlan = V.getUint16(r + o.VLAN, true);
    out.c2sPackets = u64(V, r + o.C2S_PACKETS);
    out.s2cPackets = u64(V, r + o.S2C_PACKETS);
    out.c2sBytes = u64(V, r + o.C2S_BYTES);
    out.s2cBytes = u64(V, r + o.S2C_BYTES);
    out.twhOk = proto === 6 && B[r + o.TCP_HANDSHAKE] === this.#twhDone;
    out.master = masterId;
    out.app = appId;
    out.protoName = protocolPairName(masterId, appId);
    out.categoryId = V.getUint16(r + l7.CATEGORY, true);
    out.riskCount = popcount32(riskLow) + popcount32(riskHigh);
    out.malwareHostRisk = MALWARE_HOST_RISK >= 0 && ((MALWARE_HOST_RISK < 32 ? riskLow >>> MALWARE_HOST_RISK : riskHigh >>> (MALWARE_HOST_RISK - 32)) & 1) !== 0;
    out.lastSeenUs = u64(V, r + o.LAST_SEEN);
  }

  /** The FlowSummary of the record at `rec`: the same values as its flow object's keys. */
  #summaryAt(rec: number): FlowSummary {
    const o = this.#off, l7 = this.#l7.off;
    const B = this.#mem.bytes, V = this.#mem.view, r = rec;
    const version = B[r + o.IP_VERSION];
    const proto = B[r + o.L4_PROTO];
    const cliPort = V.getUint16(r + o.CLI_PORT, true);
    const srvPort = V.getUint16(r + o.SRV_PORT, true);
    const vlan = V.getUint16(r + o.VLAN, true);
    const master = V.getUint16(r + l7.MASTER_PROTO, true);
    const app = V.getUint16(r + l7.APP_PROTO, true);
    const masterId = app === 0 ? 0 : master;
    const appId = app === 0 ? master : app;
    const risks = riskIds(V, r + l7.RISKS);
    const v4 = version === 4;
    return new RecordSummary({
      cliText: v4 ? undefined : formatIpv6(B, r + o.CLI_ADDR),
      srvText: v4 ? undefined : formatIpv6(B, r + o.SRV_ADDR),
      cliV4: v4 ? V.getUint32(r + o.CLI_ADDR, false) : -1,
      srvV4: v4 ? V.getUint32(r + o.SRV_ADDR, false) : -1,
      ipVersion: version,
      cliPort,
      srvPort,
      l4: proto,
      l4Name: l4Name(proto),
      vlan,
      c2sPackets: u64(V, r + o.C2S_PACKETS),
      s2cPackets: u64(V, r + o.S2C_PACKETS),
      c2sBytes: u64(V, r + o.C2S_BYTES),
      s2cBytes: u64(V, r + o.S2C_BYTES),
      twhOk: proto === 6 && B[r + o.TCP_HANDSHAKE] === this.#twhDone,
      master: masterId,
      app: appId,
      protoName: protocolPairName(masterId, appId),
      categoryId: V.getUint16(r + l7.CATEGORY, true),
      risks,
      // The text of the risks (read only for a flow that has some: most summaries need none).
      riskInfo: risks.length > 0 ? metaString(this.#mem, rec, this.#l7, 'RISK_INFO') : '',
      lastSeenUs: u64(V, r + o.LAST_SEEN),
      ntopngKey: (swap16(cliPort) + swap16(srvPort) + vlan + proto +
        ntopngAddressKey(B, r + o.CLI_ADDR, version) + ntopngAddressKey(B, r + o.SRV_ADDR, version)) >>> 0,
      // ntopng's hash_entry_id: interface id (0) in the top byte, a 24-bit serial below.
      hashId: V.getUint32(r + o.SERIAL, true) & 0xffffff,
    });
  }

  #readAt(rec: number): FlowInfo {
    const o = this.#off;
    // The summary's values, then the rest of the record; views of the whole memory, at absolute
    // offsets: no view made per flow.
    const sum = this.#summaryAt(rec);
    const B = this.#mem.bytes, V = this.#mem.view, r = rec;
    const proto = sum.l4;
    const c2sPackets = sum.c2sPackets, s2cPackets = sum.s2cPackets;
    const c2sBytes = sum.c2sBytes, s2cBytes = sum.s2cBytes;
    const firstUs = u64(V, r + o.FIRST_SEEN);
    const lastUs = sum.lastSeenUs;
    const c2sGoodput = u64(V, r + o.C2S_GOODPUT), s2cGoodput = u64(V, r + o.S2C_GOODPUT);
    const c2sFlags = B[r + o.C2S_TCP_FLAGS], s2cFlags = B[r + o.S2C_TCP_FLAGS];
    const c2sTos = B[r + o.C2S_TOS], s2cTos = B[r + o.S2C_TOS];
    const tcp = proto === 6;
    const twhOk = sum.twhOk;
    // ntopng's precedence (ntopng-notes §1 getFlowsStatus): established, connecting, reset, closed.
    const reset = tcp && ((c2sFlags | s2cFlags) & TCP_RST) !== 0;
    const closed = tcp && !reset && (c2sFlags & TCP_FIN) !== 0 && (s2cFlags & TCP_FIN) !== 0;
    const established = twhOk && !reset && !closed;
    const connecting = tcp && !established && !reset && !closed &&
      (c2sFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN && (s2cFlags === 0 || (s2cFlags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK));
    const l7 = readL7Base(this.#mem, rec, this.#l7, sum);
    const flow = {
      'cli.ip': sum.cliIp,
      'cli.port': sum.cliPort,
      'srv.ip': sum.srvIp,
      'srv.port': sum.srvPort,
      vlan: sum.vlan,
      ip_version: sum.ipVersion,
      'proto.l4': sum.l4Name,
      'proto.l4_id': proto,
      'cli2srv.packets': c2sPackets,
      'srv2cli.packets': s2cPackets,
      'cli2srv.bytes': c2sBytes,
      'srv2cli.bytes': s2cBytes,
      'cli2srv.goodput_bytes': c2sGoodput,
      'srv2cli.goodput_bytes': s2cGoodput,
      'cli2srv.tcp_flags': c2sFlags,
      'srv2cli.tcp_flags': s2cFlags,
      'tos.client.DSCP': c2sTos >> 2,
      'tos.client.ECN': c2sTos & 3,
      'tos.server.DSCP': s2cTos >> 2,
      'tos.server.ECN': s2cTos & 3,
      packets: c2sPackets + s2cPackets,
      bytes: c2sBytes + s2cBytes,
      goodput_bytes: c2sGoodput + s2cGoodput,
      'seen.first': Math.floor(firstUs / 1e6),
      'seen.last': Math.floor(lastUs / 1e6),
      'seen.first_us': firstUs,
      'seen.last_us': lastUs,
      duration: (lastUs - firstUs) / 1e6,
      tcp_established: established,
      tcp_connecting: connecting,
      tcp_reset: reset,
      tcp_closed: closed,
      'tcp.twh_ok': twhOk,
      tunnel: TUNNEL_NAMES[B[r + o.TUNNEL]] ?? '',
      'ntopng.key': sum.ntopngKey,
      hash_entry_id: sum.hashId,
      'proto.ndpi': l7['proto.ndpi'],
      'proto.master_ndpi_id': l7['proto.master_ndpi_id'],
      'proto.ndpi_id': l7['proto.ndpi_id'],
      'proto.ndpi_cat': l7['proto.ndpi_cat'],
      'proto.ndpi_cat_id': l7['proto.ndpi_cat_id'],
      'proto.ndpi_breed': l7['proto.ndpi_breed'],
      'proto.is_encrypted': l7['proto.is_encrypted'],
      'proto.ndpi_confidence': l7['proto.ndpi_confidence'],
      'proto.ip_ndpi_id': l7['proto.ip_ndpi_id'],
      flow_risk: l7.flow_risk,
      flow_risk_names: l7.flow_risk_names,
      flow_risk_score: l7.flow_risk_score,
    } as FlowInfo;
    if (proto === 1 || proto === 58) {
      // ntopng's getICMP: the server's last message once the flow is bidirectional, else the client's.
      const at = c2sPackets > 0 && s2cPackets > 0 ? o.S2C_ICMP_TYPE : o.C2S_ICMP_TYPE;
      flow['icmp.type'] = B[r + at];
      flow['icmp.code'] = B[r + at + 1];
    }
    readL7(this.#mem, rec, this.#l7, flow as unknown as Record<string, unknown>, proto);
    return flow;
  }

  /**
   * The events of the last feed; each carries the flow as it was at that moment. The flow
   * object is built on first access of `event.flow` (most listeners skip most events), from the
   * event ring: read it inside the handler, the ring is reused by the next feed.
   */
  *events(): Generator<FlowEvent> {
    const core = this.#core;
    const count = core.eventCount();
    const base = core.eventsPtr();
    const memory = core.memory.buffer;
    const view = new DataView(memory, base, count * this.#eventSize);
    const read = this.#recordReader;
    for (let i = 0; i < count; i++) {
      const at = i * this.#eventSize;
      const code = view.getUint32(at, true);
      const kind = code === this.#eventCreated ? 'flow_created' : code === this.#eventDetected ? 'flow_detected' : 'flow_ended';
      const record = base + at + this.#eventRecord;
      const serial = view.getUint32(at + this.#eventRecord + this.#off.SERIAL, true);
      yield new RingEvent(kind, view.getUint32(at + 4, true), serial, record, read);
    }
  }


  stats(format: string): EngineStats {
    const core = this.#core;
    const view = new DataView(core.memory.buffer, core.statsPtr(), Number((core.STATS_SLOTS as Global).value) * 8);
    const read = (slot: number) => view.getUint32(slot * 8, true) + view.getUint32(slot * 8 + 4, true) * 2 ** 32;
    const totals: Record<string, number> = {};
    const skipped: Record<string, number> = {};
    const captureErrors: Record<string, number> = {};
    for (const [group, name, slot] of this.#counters) {
      const value = read(slot);
      if (group === 'stat') totals[name] = value;
      else if (group === 'skip') skipped[name] = value;
      else captureErrors[name] = value;
    }
    const linkTypes = Array.from(new Uint32Array(core.memory.buffer, core.linkTypesPtr(), core.linkTypesCount()));
    return {
      packets: totals.packets,
      bytes: totals.bytes,
      packetsInFlows: totals.packets_in_flows,
      activeFlows: totals.flows_active,
      flowsCreated: totals.flows_created,
      flowsPurged: totals.flows_purged,
      flowsDropped: skipped.flow_table_full,
      eventsLost: totals.events_lost,
      tunnelledPackets: totals.tunnelled_packets,
      pcapngOtherBlocks: totals.pcapng_other_blocks,
      skipped,
      captureErrors,
      format,
      linkTypes,
    };
  }
}

/** A drained event whose flow object is built when first asked for. */
interface RecordReader {
  flow(record: number): FlowInfo;
  summary(record: number): FlowSummary;
  lastSeenUs(record: number): number;
  risks(record: number): number[];
  values(record: number, out: FlowValues): void;
}

class RingEvent implements FlowEvent {
  #flow: FlowInfo | undefined;
  readonly #record: number;
  readonly #read: RecordReader;

  constructor(
    readonly kind: FlowEvent['kind'],
    readonly flowId: number,
    readonly serial: number,
    record: number,
    read: RecordReader,
  ) {
    this.#record = record;
    this.#read = read;
  }

  get flow(): FlowInfo {
    this.#flow ??= this.#read.flow(this.#record);
    return this.#flow;
  }

  summary(): FlowSummary {
    return this.#read.summary(this.#record);
  }

  get lastSeenUs(): number {
    return this.#read.lastSeenUs(this.#record);
  }

  risks(): number[] {
    return this.#read.risks(this.#record);
  }

  values(out: FlowValues): void {
    this.#read.values(this.#record, out);
  }
}

/**
 * A summary read from a record. The IPv4 texts are made on first read: most checks never need
 * them (the Lua strings are written from the numbers, host scores are keyed by them), and a flow
 * that raises no alert then costs no text at all.
 */
class RecordSummary implements FlowSummary {
  readonly cliV4: number;
  readonly srvV4: number;
  readonly ipVersion: number;
  readonly cliPort: number;
  readonly srvPort: number;
  readonly l4: number;
  readonly l4Name: string;
  readonly vlan: number;
  readonly c2sPackets: number;
  readonly s2cPackets: number;
  readonly c2sBytes: number;
  readonly s2cBytes: number;
  readonly twhOk: boolean;
  readonly master: number;
  readonly app: number;
  readonly protoName: string;
  readonly categoryId: number;
  readonly risks: number[];
  readonly riskInfo: string;
  readonly lastSeenUs: number;
  readonly ntopngKey: number;
  readonly hashId: number;
  #cliText: string | undefined;
  #srvText: string | undefined;

  constructor(v: Omit<FlowSummary, 'cliIp' | 'srvIp'> & { cliText: string | undefined; srvText: string | undefined }) {
    this.#cliText = v.cliText;
    this.#srvText = v.srvText;
    this.cliV4 = v.cliV4;
    this.srvV4 = v.srvV4;
    this.ipVersion = v.ipVersion;
    this.cliPort = v.cliPort;
    this.srvPort = v.srvPort;
    this.l4 = v.l4;
    this.l4Name = v.l4Name;
    this.vlan = v.vlan;
    this.c2sPackets = v.c2sPackets;
    this.s2cPackets = v.s2cPackets;
    this.c2sBytes = v.c2sBytes;
    this.s2cBytes = v.s2cBytes;
    this.twhOk = v.twhOk;
    this.master = v.master;
    this.app = v.app;
    this.protoName = v.protoName;
    this.categoryId = v.categoryId;
    this.risks = v.risks;
    this.riskInfo = v.riskInfo;
    this.lastSeenUs = v.lastSeenUs;
    this.ntopngKey = v.ntopngKey;
    this.hashId = v.hashId;
  }

  get cliIp(): string {
    return (this.#cliText ??= ipv4Text(this.cliV4));
  }

  get srvIp(): string {
    return (this.#srvText ??= ipv4Text(this.srvV4));
  }
}

/** A summary's numbers into `out` (FlowEvent.values for an event that has only a summary). */
export function valuesOf(summary: FlowSummary, out: FlowValues): void {
  out.cliV4 = summary.cliV4;
  out.srvV4 = summary.srvV4;
  out.cliPort = summary.cliPort;
  out.srvPort = summary.srvPort;
  out.l4 = summary.l4;
  out.vlan = summary.vlan;
  out.c2sPackets = summary.c2sPackets;
  out.s2cPackets = summary.s2cPackets;
  out.c2sBytes = summary.c2sBytes;
  out.s2cBytes = summary.s2cBytes;
  out.twhOk = summary.twhOk;
  out.master = summary.master;
  out.app = summary.app;
  out.protoName = summary.protoName;
  out.categoryId = summary.categoryId;
  out.riskCount = summary.risks.length;
  out.malwareHostRisk = summary.risks.includes(MALWARE_HOST_RISK);
  out.lastSeenUs = summary.lastSeenUs;
}

/** The FlowSummary of a flow object (events built by hand, flows from engine.flow()). */
export function summaryOf(flow: FlowInfo): FlowSummary {
  const riskInfo = (flow as unknown as Record<string, unknown>).risk_info;
  return {
    cliIp: flow['cli.ip'],
    srvIp: flow['srv.ip'],
    cliV4: ipv4Number(flow['cli.ip']),
    srvV4: ipv4Number(flow['srv.ip']),
    ipVersion: flow.ip_version,
    cliPort: flow['cli.port'],
    srvPort: flow['srv.port'],
    l4: flow['proto.l4_id'],
    l4Name: flow['proto.l4'],
    vlan: flow.vlan,
    c2sPackets: flow['cli2srv.packets'],
    s2cPackets: flow['srv2cli.packets'],
    c2sBytes: flow['cli2srv.bytes'],
    s2cBytes: flow['srv2cli.bytes'],
    twhOk: flow['tcp.twh_ok'] === true,
    master: flow['proto.master_ndpi_id'] ?? 0,
    app: flow['proto.ndpi_id'] ?? 0,
    protoName: flow['proto.ndpi'] ?? 'Unknown',
    categoryId: flow['proto.ndpi_cat_id'] ?? 0,
    risks: flow.flow_risk ?? [],
    riskInfo: typeof riskInfo === 'string' ? riskInfo : '',
    lastSeenUs: flow['seen.last_us'],
    ntopngKey: flow['ntopng.key'],
    hashId: flow.hash_entry_id,
  };
}
