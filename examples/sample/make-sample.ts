/**
 * make-sample.ts: writes flowscope's bundled sample capture.
 *
 *   npx tsx examples/sample/make-sample.ts OUT.pcap
 *
 * The capture (classic pcap, little-endian, microsecond timestamps, Ethernet) starts at
 * 2024-01-01T00:00:00Z and shows one dual-stack client on a home LAN: 192.168.1.10 and
 * 2001:db8::10, behind a router at 192.168.1.1 that is also its DNS resolver and NTP server.
 *
 *    1. NTPv4: one client/server exchange (UDP 123)
 *    2. DNS: A and AAAA for www.example.com (UDP 53)
 *    3. HTTP/1.1: GET /index.html from www.example.com (TCP 80), from SYN to the FIN/ACK close
 *    4. QUIC v1 to www.example.com over IPv6 (UDP 443): a client Initial protected as RFC 9001
 *       §5 says, so any decoder can decrypt it and read the SNI; the server's Initial (also
 *       decryptable) and Handshake packets; then a few 1-RTT packets
 *    5. DNS: A and AAAA for www.wikipedia.org, answered with a CNAME chain
 *    6. TLS 1.3 to www.wikipedia.org (TCP 443): a Chrome-like ClientHello (SNI, ALPN, GREASE),
 *       ServerHello, ChangeCipherSpec, encrypted records both ways, close_notify, FIN
 *    7. DNS: A for no-such-host.example.com, answered NXDOMAIN with the zone's SOA
 *    8. TLS 1.2 to sample.flowscope.test (TCP 443): the server's Certificate, a hand-encoded
 *       self-signed X.509 certificate, travels in the clear
 *    9. ICMP: an echo request and its reply
 *
 * Why it is generated rather than shipped: every byte is ours, so the sample holds nobody's
 * real traffic and raises no licence question; anyone can read here exactly what it contains;
 * the repository carries no binary blob; and the output is byte-for-byte the same on every run
 * (a fixed clock, fixed addresses, and a seeded PRNG for keys, ports, ids and ciphertext), so
 * tests can pin the flows the engine must find in it.
 *
 * Layout of this file, bottom-up: bytes and PRNG; the capture (clock + pcap records); link,
 * network and transport builders; a TCP session that tracks seq/ack; DNS; TLS and X.509;
 * QUIC; NTP and ICMP; then the conversations, in capture order.
 */
import { Buffer } from "node:buffer";
import { createCipheriv, createHmac } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";

// ---------------------------------------------------------------------------------------------
// Bytes
// ---------------------------------------------------------------------------------------------

const EMPTY = Buffer.alloc(0);
const concat = (...parts: Buffer[]): Buffer => Buffer.concat(parts);
const ascii = (text: string): Buffer => Buffer.from(text, "latin1");
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ""), "hex");

const u8 = (value: number): Buffer => Buffer.from([value & 0xff]);
function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}
function u24(value: number): Buffer {
  const bytes = Buffer.alloc(3);
  bytes.writeUIntBE(value, 0, 3);
  return bytes;
}
function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes;
}

/** TLS vectors (RFC 8446 §3.4): the body preceded by its length in 1, 2 or 3 bytes. */
const vec8 = (...body: Buffer[]): Buffer => { const joined = concat(...body); return concat(u8(joined.length), joined); };
const vec16 = (...body: Buffer[]): Buffer => { const joined = concat(...body); return concat(u16(joined.length), joined); };
const vec24 = (...body: Buffer[]): Buffer => { const joined = concat(...body); return concat(u24(joined.length), joined); };

/** mulberry32: small, fast, and plenty for filler bytes; never for real secrets. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(this.state ^ (this.state >>> 15), this.state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return (mixed ^ (mixed >>> 14)) >>> 0;
  }
  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + (this.nextU32() % (max - min + 1));
  }
  bytes(count: number): Buffer {
    const out = Buffer.alloc(count);
    for (let index = 0; index < count; index++) out[index] = this.nextU32() & 0xff;
    return out;
  }
}

/** RFC 1071 Internet checksum over the concatenation of `parts`. */
function internetChecksum(...parts: Buffer[]): number {
  const data = concat(...parts);
  let sum = 0;
  for (let index = 0; index + 1 < data.length; index += 2) sum += data.readUInt16BE(index);
  if (data.length % 2 === 1) sum += data[data.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

// ---------------------------------------------------------------------------------------------
// The capture: a clock and the pcap records
// ---------------------------------------------------------------------------------------------

/** 2024-01-01T00:00:00Z in microseconds since the Unix epoch (fits a double exactly). */
const CAPTURE_START_MICROS = 1_704_067_200 * 1_000_000;
const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 262_144;

class Capture {
  private readonly records: Buffer[] = [];
  private nowMicros = CAPTURE_START_MICROS;
  packetCount = 0;

  constructor(readonly rng: SeededRandom) {}

  get now(): number {
    return this.nowMicros;
  }

  /** Lets about `micros` pass: ±10 %, because real timings wobble. */
  wait(micros: number): void {
    const wobble = 0.9 + 0.2 * (this.rng.nextU32() / 2 ** 32);
    this.nowMicros += Math.max(1, Math.round(micros * wobble));
  }

  /** One record (pcap draft-ietf-opsawg-pcap §5) stamped with the current time. */
  addFrame(frame: Buffer): void {
    const header = Buffer.alloc(16);
    header.writeUInt32LE(Math.floor(this.nowMicros / 1_000_000), 0);
    header.writeUInt32LE(this.nowMicros % 1_000_000, 4);
    header.writeUInt32LE(frame.length, 8); // captured length
    header.writeUInt32LE(frame.length, 12); // original length
    this.records.push(header, frame);
    this.packetCount++;
  }

  /** The file header (§4): magic, version 2.4, no zone offset, snaplen, link type. */
  toPcap(): Buffer {
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(SNAPLEN, 16);
    header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
    return concat(header, ...this.records);
  }
}

// ---------------------------------------------------------------------------------------------
// Hosts, Ethernet, IPv4, IPv6
// ---------------------------------------------------------------------------------------------

interface Host {
  /** The Ethernet address this host has on the captured LAN (the router's, for remote hosts). */
  readonly mac: Buffer;
  /** 4 bytes for IPv4, 16 for IPv6. */
  readonly ip: Buffer;
  /** TTL or hop limit as the packets show at the capture point. */
  readonly ttl: number;
  /** Next IPv4 Identification value. */
  ipId: number;
}

/** One direction of a conversation. `flowLabel` is used by IPv6 only. */
interface Path {
  readonly from: Host;
  readonly to: Host;
  readonly flowLabel: number;
}

function macBytes(text: string): Buffer {
  return Buffer.from(text.split(":").map((part) => parseInt(part, 16)));
}

function ipBytes(text: string): Buffer {
  if (text.includes(".")) return Buffer.from(text.split(".").map(Number));
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const zeros = Array<string>(8 - headGroups.length - tailGroups.length).fill("0");
  const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];
  return concat(...groups.map((group) => u16(parseInt(group, 16))));
}

function pathsBetween(rng: SeededRandom, client: Host, server: Host): [Path, Path] {
  const label = (): number => (client.ip.length === 16 ? rng.nextU32() & 0xfffff : 0);
  return [{ from: client, to: server, flowLabel: label() }, { from: server, to: client, flowLabel: label() }];
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
/** IEEE 802.3 minimum frame, without the FCS the capture does not keep. */
const ETHERNET_MIN_FRAME = 60;

function ethernetFrame(path: Path, etherType: number, payload: Buffer): Buffer {
  const frame = concat(path.to.mac, path.from.mac, u16(etherType), payload);
  return frame.length >= ETHERNET_MIN_FRAME ? frame : concat(frame, Buffer.alloc(ETHERNET_MIN_FRAME - frame.length));
}

/** RFC 791 §3.1: no options, Don't Fragment set, as Linux sends. */
function ipv4Packet(path: Path, protocol: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header[0] = 0x45; // version 4, header length 5 words
  header.writeUInt16BE(header.length + payload.length, 2);
  header.writeUInt16BE(path.from.ipId, 4);
  path.from.ipId = (path.from.ipId + 1) & 0xffff;
  header.writeUInt16BE(0x4000, 6); // DF, fragment offset 0
  header[8] = path.from.ttl;
  header[9] = protocol;
  path.from.ip.copy(header, 12);
  path.to.ip.copy(header, 16);
  header.writeUInt16BE(internetChecksum(header), 10);
  return concat(header, payload);
}

/** RFC 8200 §3. */
function ipv6Packet(path: Path, nextHeader: number, payload: Buffer): Buffer {
  const versionClassLabel = u32((6 << 28) | path.flowLabel);
  return concat(versionClassLabel, u16(payload.length), u8(nextHeader), u8(path.from.ttl), path.from.ip, path.to.ip, payload);
}

/** The pseudo-header TCP and UDP checksums cover: RFC 9293 §3.1, RFC 768, RFC 8200 §8.1. */
function pseudoHeader(path: Path, protocol: number, length: number): Buffer {
  if (path.from.ip.length === 4) return concat(path.from.ip, path.to.ip, u8(0), u8(protocol), u16(length));
  return concat(path.from.ip, path.to.ip, u32(length), Buffer.alloc(3), u8(protocol));
}

/** Wraps a finished transport message in IP and Ethernet and adds it to the capture. */
function sendIp(capture: Capture, path: Path, protocol: number, transport: Buffer): void {
  const isIpv4 = path.from.ip.length === 4;
  const packet = isIpv4 ? ipv4Packet(path, protocol, transport) : ipv6Packet(path, protocol, transport);
  capture.addFrame(ethernetFrame(path, isIpv4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6, packet));
}

// ---------------------------------------------------------------------------------------------
// UDP and TCP
// ---------------------------------------------------------------------------------------------

/** RFC 768. A computed checksum of zero goes on the wire as 0xffff. */
function udpDatagram(path: Path, srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const datagram = concat(u16(srcPort), u16(dstPort), u16(8 + payload.length), u16(0), payload);
  const checksum = internetChecksum(pseudoHeader(path, IPPROTO_UDP, datagram.length), datagram);
  datagram.writeUInt16BE(checksum === 0 ? 0xffff : checksum, 6);
  return datagram;
}

function sendUdp(capture: Capture, path: Path, srcPort: number, dstPort: number, payload: Buffer): void {
  sendIp(capture, path, IPPROTO_UDP, udpDatagram(path, srcPort, dstPort, payload));
}

/** An ephemeral port in Linux's default range (net.ipv4.ip_local_port_range). */
const ephemeralPort = (rng: SeededRandom): number => rng.int(32768, 60999);

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_PSH = 0x08;
const TCP_ACK = 0x10;

interface TcpFields {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  options: Buffer;
  payload: Buffer;
}

/** RFC 9293 §3.1. Options must already be padded to a multiple of 4 bytes. */
function tcpSegment(path: Path, fields: TcpFields): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(fields.srcPort, 0);
  header.writeUInt16BE(fields.dstPort, 2);
  header.writeUInt32BE(fields.seq >>> 0, 4);
  header.writeUInt32BE(fields.ack >>> 0, 8);
  header[12] = ((20 + fields.options.length) / 4) << 4; // data offset in words
  header[13] = fields.flags;
  header.writeUInt16BE(fields.window, 14);
  const segment = concat(header, fields.options, fields.payload);
  segment.writeUInt16BE(internetChecksum(pseudoHeader(path, IPPROTO_TCP, segment.length), segment), 16);
  return segment;
}

/** SYN options: MSS (RFC 9293 §3.7.1), NOP NOP SACK-permitted (RFC 2018), NOP window scale (RFC 7323 §2). */
const tcpSynOptions = (mss: number, windowScale: number): Buffer =>
  concat(u8(2), u8(4), u16(mss), hex("01010402"), hex("010303"), u8(windowScale));

type TcpRole = "client" | "server";

interface TcpPeer {
  readonly path: Path;
  readonly port: number;
  /** Sequence number of the next byte this peer sends. */
  nextSeq: number;
  readonly mss: number;
  readonly windowScale: number;
  readonly synWindow: number;
  /** Window advertised after the handshake, already divided by 2^windowScale. */
  readonly window: number;
}

/**
 * One TCP connection seen from the client's side of the link: packets from the client leave
 * at once, packets from the server show up one round trip after what they answer. Tracks both
 * sequence spaces so every segment carries the right seq and ack.
 */
class TcpSession {
  private readonly peers: Record<TcpRole, TcpPeer>;
  /** How long the client's stack takes to answer a segment. */
  private static readonly CLIENT_TURNAROUND_MICROS = 60;

  constructor(
    private readonly capture: Capture,
    client: Host,
    server: Host,
    serverPort: number,
    private readonly rttMicros: number,
  ) {
    const rng = capture.rng;
    const [toServer, toClient] = pathsBetween(rng, client, server);
    this.peers = {
      client: {
        path: toServer, port: ephemeralPort(rng), nextSeq: rng.nextU32(), mss: 1460, windowScale: 7, synWindow: 64240, window: 502,
      },
      server: {
        path: toClient, port: serverPort, nextSeq: rng.nextU32(), mss: 1460, windowScale: 9, synWindow: 65535, window: 128,
      },
    };
  }

  /** The delay before a packet from `from`, if it answers the packet just captured. */
  private turnaround(from: TcpRole): number {
    return from === "server" ? this.rttMicros : TcpSession.CLIENT_TURNAROUND_MICROS;
  }

  private emit(from: TcpRole, flags: number, payload: Buffer = EMPTY): void {
    const sender = this.peers[from];
    const receiver = this.peers[from === "client" ? "server" : "client"];
    const isSyn = (flags & TCP_SYN) !== 0;
    const segment = tcpSegment(sender.path, {
      srcPort: sender.port,
      dstPort: receiver.port,
      seq: sender.nextSeq,
      ack: flags & TCP_ACK ? receiver.nextSeq : 0,
      flags,
      window: isSyn ? sender.synWindow : sender.window,
      options: isSyn ? tcpSynOptions(sender.mss, sender.windowScale) : EMPTY,
      payload,
    });
    sendIp(this.capture, sender.path, IPPROTO_TCP, segment);
    // SYN and FIN each take one sequence number (RFC 9293 §3.4).
    const consumed = payload.length + (isSyn ? 1 : 0) + (flags & TCP_FIN ? 1 : 0);
    sender.nextSeq = (sender.nextSeq + consumed) >>> 0;
  }

  /** The three-way handshake, RFC 9293 §3.5. */
  handshake(): void {
    this.emit("client", TCP_SYN);
    this.capture.wait(this.turnaround("server"));
    this.emit("server", TCP_SYN | TCP_ACK);
    this.capture.wait(this.turnaround("client"));
    this.emit("client", TCP_ACK);
  }

  /**
   * `data` from one side after `delayMicros`, cut at the MSS, PSH on the last segment. Data
   * from the server is acknowledged by the client every second segment and at the end of the
   * flight (RFC 9293 §3.8.6.3); the server's acknowledgements of client data piggyback on its
   * next segment, or come from ack().
   */
  send(from: TcpRole, data: Buffer, delayMicros: number): void {
    const mss = Math.min(this.peers.client.mss, this.peers.server.mss);
    this.capture.wait(delayMicros);
    let unacknowledged = 0;
    for (let offset = 0; offset < data.length; offset += mss) {
      const isLast = offset + mss >= data.length;
      this.emit(from, TCP_ACK | (isLast ? TCP_PSH : 0), data.subarray(offset, offset + mss));
      if (from === "server" && (++unacknowledged === 2 || isLast)) {
        this.capture.wait(this.turnaround("client"));
        this.emit("client", TCP_ACK);
        unacknowledged = 0;
      }
      if (!isLast) this.capture.wait(from === "server" ? 25 : 10);
    }
  }

  /** A bare ACK from `from`, answering what was captured last. */
  ack(from: TcpRole): void {
    this.capture.wait(this.turnaround(from));
    this.emit(from, TCP_ACK);
  }

  /** Close from both sides: FIN/ACK, FIN/ACK, ACK (RFC 9293 §3.6). */
  close(initiator: TcpRole, delayMicros: number): void {
    const responder: TcpRole = initiator === "client" ? "server" : "client";
    this.capture.wait(delayMicros);
    this.emit(initiator, TCP_FIN | TCP_ACK);
    this.capture.wait(this.turnaround(responder));
    this.emit(responder, TCP_FIN | TCP_ACK);
    this.capture.wait(this.turnaround(initiator));
    this.emit(initiator, TCP_ACK);
  }
}

// ---------------------------------------------------------------------------------------------
// DNS (RFC 1035 §4.1)
// ---------------------------------------------------------------------------------------------

const DNS_TYPE_A = 1;
const DNS_TYPE_CNAME = 5;
const DNS_TYPE_SOA = 6;
const DNS_TYPE_AAAA = 28;
const DNS_CLASS_IN = 1;
const DNS_RCODE_NXDOMAIN = 3;

/** Writes one DNS message, compressing every name against the names already written. */
class DnsMessageWriter {
  private readonly bytes: number[] = [];
  /** Offset of each name suffix already in the message, lower-cased, for §4.1.4 pointers. */
  private readonly suffixOffsets = new Map<string, number>();

  u16(value: number): void {
    this.bytes.push((value >>> 8) & 0xff, value & 0xff);
  }
  u32(value: number): void {
    this.u16(value >>> 16);
    this.u16(value & 0xffff);
  }
  raw(data: Buffer): void {
    this.bytes.push(...data);
  }

  /** Labels until a known suffix, then a pointer to it (RFC 1035 §4.1.4). */
  name(name: string): void {
    const labels = name.split(".").filter((label) => label.length > 0);
    for (let index = 0; index < labels.length; index++) {
      const suffix = labels.slice(index).join(".").toLowerCase();
      const knownOffset = this.suffixOffsets.get(suffix);
      if (knownOffset !== undefined) {
        this.u16(0xc000 | knownOffset);
        return;
      }
      if (this.bytes.length < 0x4000) this.suffixOffsets.set(suffix, this.bytes.length);
      this.bytes.push(labels[index].length, ...ascii(labels[index]));
    }
    this.bytes.push(0);
  }

  /** RDATA preceded by its RDLENGTH, which is only known once `writeRdata` has run. */
  rdata(writeRdata: (writer: DnsMessageWriter) => void): void {
    const lengthOffset = this.bytes.length;
    this.u16(0);
    writeRdata(this);
    const length = this.bytes.length - lengthOffset - 2;
    this.bytes[lengthOffset] = length >>> 8;
    this.bytes[lengthOffset + 1] = length & 0xff;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

interface DnsRecord {
  name: string;
  type: number;
  ttl: number;
  writeRdata: (writer: DnsMessageWriter) => void;
}

const addressRecord = (name: string, ttl: number, address: string): DnsRecord => {
  const bytes = ipBytes(address);
  return { name, type: bytes.length === 4 ? DNS_TYPE_A : DNS_TYPE_AAAA, ttl, writeRdata: (writer) => writer.raw(bytes) };
};
const cnameRecord = (name: string, ttl: number, target: string): DnsRecord =>
  ({ name, type: DNS_TYPE_CNAME, ttl, writeRdata: (writer) => writer.name(target) });

/** RFC 1035 §3.3.13; the numbers are serial, refresh, retry, expire, minimum (the negative TTL). */
function soaRecord(zone: string, ttl: number, primary: string, mailbox: string, numbers: number[]): DnsRecord {
  const writeRdata = (writer: DnsMessageWriter): void => {
    writer.name(primary);
    writer.name(mailbox);
    for (const value of numbers) writer.u32(value);
  };
  return { name: zone, type: DNS_TYPE_SOA, ttl, writeRdata };
}

interface DnsLookup {
  name: string;
  type: number;
  rcode: number;
  answers: DnsRecord[];
  authority: DnsRecord[];
}

function dnsMessage(id: number, flags: number, lookup: DnsLookup, isResponse: boolean): Buffer {
  const answers = isResponse ? lookup.answers : [];
  const authority = isResponse ? lookup.authority : [];
  const writer = new DnsMessageWriter();
  for (const count of [id, flags, 1, answers.length, authority.length, 0]) writer.u16(count);
  writer.name(lookup.name);
  writer.u16(lookup.type);
  writer.u16(DNS_CLASS_IN);
  for (const record of [...answers, ...authority]) {
    writer.name(record.name);
    writer.u16(record.type);
    writer.u16(DNS_CLASS_IN);
    writer.u32(record.ttl);
    writer.rdata(record.writeRdata);
  }
  return writer.toBuffer();
}

const DNS_FLAGS_QUERY = 0x0100; // RD
const DNS_FLAGS_RESPONSE = 0x8180; // QR RD RA

/** Like glibc: every query from one socket back to back, then the answers in turn. */
function dnsExchange(capture: Capture, client: Host, resolver: Host, lookups: DnsLookup[]): void {
  const rng = capture.rng;
  const [toResolver, toClient] = pathsBetween(rng, client, resolver);
  const clientPort = ephemeralPort(rng);
  const ids = lookups.map(() => rng.int(0, 0xffff));
  capture.wait(150);
  lookups.forEach((lookup, index) => {
    if (index > 0) capture.wait(40);
    sendUdp(capture, toResolver, clientPort, 53, dnsMessage(ids[index], DNS_FLAGS_QUERY, lookup, false));
  });
  lookups.forEach((lookup, index) => {
    capture.wait(index === 0 ? 9_000 : 300);
    const flags = DNS_FLAGS_RESPONSE | lookup.rcode;
    sendUdp(capture, toClient, 53, clientPort, dnsMessage(ids[index], flags, lookup, true));
  });
}

// ---------------------------------------------------------------------------------------------
// TLS (RFC 8446, RFC 5246)
// ---------------------------------------------------------------------------------------------

const TLS_CONTENT_CHANGE_CIPHER_SPEC = 20;
const TLS_CONTENT_ALERT = 21;
const TLS_CONTENT_HANDSHAKE = 22;
const TLS_CONTENT_APPLICATION_DATA = 23;
const TLS_HANDSHAKE_CLIENT_HELLO = 1;
const TLS_HANDSHAKE_SERVER_HELLO = 2;
const TLS_HANDSHAKE_CERTIFICATE = 11;
const TLS_HANDSHAKE_SERVER_HELLO_DONE = 14;
const TLS_HANDSHAKE_CLIENT_KEY_EXCHANGE = 16;
const TLS_VERSION_1_0 = 0x0301;
const TLS_VERSION_1_2 = 0x0303;
const TLS_VERSION_1_3 = 0x0304;
const GROUP_X25519 = 0x001d;
const GROUP_SECP256R1 = 0x0017;
const GROUP_SECP384R1 = 0x0018;
const AEAD_TAG_BYTES = 16;
/** ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256, and the same for 384 and 512. */
const SIGNATURE_SCHEMES = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

/** TLSPlaintext (RFC 8446 §5.1). */
const tlsRecord = (contentType: number, legacyVersion: number, fragment: Buffer): Buffer =>
  concat(u8(contentType), u16(legacyVersion), vec16(fragment));
/** Handshake (RFC 8446 §4). */
const handshakeMessage = (type: number, body: Buffer): Buffer => concat(u8(type), vec24(body));
/** Extension (RFC 8446 §4.2). */
const tlsExtension = (type: number, ...body: Buffer[]): Buffer => concat(u16(type), vec16(...body));
const changeCipherSpecRecord = (): Buffer => tlsRecord(TLS_CONTENT_CHANGE_CIPHER_SPEC, TLS_VERSION_1_2, u8(1));

interface KeyShareEntry {
  group: number;
  keyExchange: Buffer;
}
const keyShareEntry = (entry: KeyShareEntry): Buffer => concat(u16(entry.group), vec16(entry.keyExchange));

const extensions = {
  serverName: (host: string) => tlsExtension(0, vec16(u8(0), vec16(ascii(host)))), // RFC 6066 §3
  statusRequest: () => tlsExtension(5, u8(1), vec16(), vec16()), // RFC 6066 §8, OCSP
  supportedGroups: (groups: number[]) => tlsExtension(10, vec16(...groups.map((group) => u16(group)))), // RFC 8446 §4.2.7
  ecPointFormats: () => tlsExtension(11, vec8(u8(0))), // RFC 8422 §5.1.2, uncompressed
  signatureAlgorithms: () => tlsExtension(13, vec16(...SIGNATURE_SCHEMES.map((scheme) => u16(scheme)))), // §4.2.3
  alpn: (protocols: string[]) => tlsExtension(16, vec16(...protocols.map((name) => vec8(ascii(name))))), // RFC 7301 §3.1
  signedCertificateTimestamp: () => tlsExtension(18), // RFC 6962 §3.3.1
  padding: (length: number) => tlsExtension(21, Buffer.alloc(length)), // RFC 7685
  extendedMasterSecret: () => tlsExtension(23), // RFC 7627
  compressCertificate: () => tlsExtension(27, vec8(u16(2))), // RFC 8879, brotli
  sessionTicket: () => tlsExtension(35), // RFC 5077
  supportedVersions: (versions: number[]) => tlsExtension(43, vec8(...versions.map((version) => u16(version)))), // §4.2.1
  selectedVersion: (version: number) => tlsExtension(43, u16(version)),
  pskKeyExchangeModes: () => tlsExtension(45, vec8(u8(1))), // §4.2.9, psk_dhe_ke
  keyShares: (entries: KeyShareEntry[]) => tlsExtension(51, vec16(...entries.map(keyShareEntry))), // §4.2.8
  selectedKeyShare: (entry: KeyShareEntry) => tlsExtension(51, keyShareEntry(entry)),
  quicTransportParameters: (parameters: Buffer) => tlsExtension(57, parameters), // RFC 9001 §8.2
  renegotiationInfo: () => tlsExtension(0xff01, vec8()), // RFC 5746 §3.2, initial handshake
};

interface HelloFields {
  random: Buffer;
  sessionId: Buffer;
  extensions: Buffer[];
}

/** ClientHello (RFC 8446 §4.1.2); legacy_version 1.2, null compression only. */
const clientHello = (fields: HelloFields & { cipherSuites: number[] }): Buffer =>
  handshakeMessage(TLS_HANDSHAKE_CLIENT_HELLO, concat(
    u16(TLS_VERSION_1_2), fields.random, vec8(fields.sessionId),
    vec16(...fields.cipherSuites.map((suite) => u16(suite))), vec8(u8(0)), vec16(...fields.extensions),
  ));

/** ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3). */
const serverHello = (fields: HelloFields & { cipherSuite: number }): Buffer =>
  handshakeMessage(TLS_HANDSHAKE_SERVER_HELLO, concat(
    u16(TLS_VERSION_1_2), fields.random, vec8(fields.sessionId), u16(fields.cipherSuite), u8(0), vec16(...fields.extensions),
  ));

/** A TLS 1.3 ServerHello choosing TLS_AES_128_GCM_SHA256 and x25519 (RFC 8446 §4.1.3). */
const tls13ServerHello = (rng: SeededRandom, sessionIdEcho: Buffer): Buffer => serverHello({
  random: rng.bytes(32),
  sessionId: sessionIdEcho,
  cipherSuite: 0x1301,
  extensions: [
    extensions.selectedVersion(TLS_VERSION_1_3),
    extensions.selectedKeyShare({ group: GROUP_X25519, keyExchange: rng.bytes(32) }),
  ],
});

/** A GREASE value (RFC 8701 §2): 0x0a0a, 0x1a1a, ... 0xfafa. */
const greaseValue = (rng: SeededRandom): number => 0x0a0a + 0x1010 * rng.int(0, 15);

/**
 * A ClientHello shaped like Chrome 120's: GREASE cipher, group, version and two GREASE
 * extensions, and BoringSSL's padding of a 256..511-byte hello up to 512 bytes (RFC 7685).
 */
function chromeClientHello(rng: SeededRandom, serverName: string): Buffer {
  const greaseCipher = greaseValue(rng);
  const greaseGroup = greaseValue(rng);
  const greaseVersion = greaseValue(rng);
  const greaseFirstExtension = greaseValue(rng);
  let greaseLastExtension = greaseValue(rng);
  if (greaseLastExtension === greaseFirstExtension) greaseLastExtension ^= 0x1010;
  const chosenExtensions = [
    tlsExtension(greaseFirstExtension),
    extensions.serverName(serverName),
    extensions.extendedMasterSecret(),
    extensions.renegotiationInfo(),
    extensions.supportedGroups([greaseGroup, GROUP_X25519, GROUP_SECP256R1, GROUP_SECP384R1]),
    extensions.ecPointFormats(),
    extensions.sessionTicket(),
    extensions.alpn(["h2", "http/1.1"]),
    extensions.statusRequest(),
    extensions.signatureAlgorithms(),
    extensions.signedCertificateTimestamp(),
    extensions.keyShares([{ group: greaseGroup, keyExchange: u8(0) }, { group: GROUP_X25519, keyExchange: rng.bytes(32) }]),
    extensions.pskKeyExchangeModes(),
    extensions.supportedVersions([greaseVersion, TLS_VERSION_1_3, TLS_VERSION_1_2]),
    extensions.compressCertificate(),
    tlsExtension(greaseLastExtension, u8(0)),
  ];
  const fields = {
    random: rng.bytes(32),
    sessionId: rng.bytes(32), // RFC 8446 §D.4 middlebox compatibility mode
    cipherSuites: [
      greaseCipher, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
      0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
    ],
    extensions: chosenExtensions,
  };
  const unpaddedLength = clientHello(fields).length;
  if (unpaddedLength > 0xff && unpaddedLength < 0x200) {
    const paddingLength = Math.max(1, 0x200 - unpaddedLength - 4);
    fields.extensions = [...chosenExtensions, extensions.padding(paddingLength)];
  }
  return clientHello(fields);
}

/** An encrypted TLS 1.3 record (§5.2): to an observer, `length` bytes of noise. */
const tls13EncryptedRecord = (rng: SeededRandom, length: number): Buffer =>
  tlsRecord(TLS_CONTENT_APPLICATION_DATA, TLS_VERSION_1_2, rng.bytes(length));

/** A TLS 1.2 AES-GCM record (RFC 5288 §3): 8-byte explicit nonce, ciphertext, tag. */
const tls12GcmRecord = (rng: SeededRandom, contentType: number, sequence: number, plaintextLength: number): Buffer =>
  tlsRecord(contentType, TLS_VERSION_1_2, concat(u32(0), u32(sequence), rng.bytes(plaintextLength + AEAD_TAG_BYTES)));

// ---------------------------------------------------------------------------------------------
// X.509 in DER (RFC 5280 §4.1, ITU-T X.690 §8 and §10)
// ---------------------------------------------------------------------------------------------

function derLength(length: number): Buffer {
  if (length < 0x80) return u8(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const der = (tag: number, ...content: Buffer[]): Buffer => {
  const body = concat(...content);
  return concat(u8(tag), derLength(body.length), body);
};
const derSequence = (...content: Buffer[]): Buffer => der(0x30, ...content);
const derSet = (...content: Buffer[]): Buffer => der(0x31, ...content);
const derNull = (): Buffer => der(0x05);
const derTrue = (): Buffer => der(0x01, u8(0xff));
const derOctetString = (content: Buffer): Buffer => der(0x04, content);
const derUtf8String = (text: string): Buffer => der(0x0c, Buffer.from(text, "utf8"));
const derUtcTime = (yymmddhhmmss: string): Buffer => der(0x17, ascii(`${yymmddhhmmss}Z`));
/** BIT STRING; the first content octet counts the unused bits of the last one. */
const derBitString = (content: Buffer, unusedBits = 0): Buffer => der(0x03, u8(unusedBits), content);

/** INTEGER from an unsigned big-endian magnitude: minimal, with a 0x00 when the top bit is set. */
function derUnsignedInteger(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  return der(0x02, trimmed[0] & 0x80 ? concat(u8(0), trimmed) : trimmed);
}

/** OBJECT IDENTIFIER (X.690 §8.19): the first two arcs in one octet, then base-128 arcs. */
function derOid(dotted: string): Buffer {
  const arcs = dotted.split(".").map(Number);
  const octets = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const groups = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) groups.unshift(0x80 | (rest & 0x7f));
    octets.push(...groups);
  }
  return der(0x06, Buffer.from(octets));
}

const OID = {
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRsaEncryption: "1.2.840.113549.1.1.11",
  commonName: "2.5.4.3",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
};

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
const x509Extension = (oid: string, isCritical: boolean, value: Buffer): Buffer =>
  derSequence(derOid(oid), ...(isCritical ? [derTrue()] : []), derOctetString(value));

/**
 * A self-signed certificate for `commonName`, valid 2024-01-01..2025-01-01, with a 2048-bit
 * RSA key and a signature that are PRNG bytes: well-formed DER that parses anywhere, but proves
 * nothing, which is all a capture needs.
 */
export function selfSignedCertificate(rng: SeededRandom, commonName: string): Buffer {
  const signatureAlgorithm = derSequence(derOid(OID.sha256WithRsaEncryption), derNull());
  const name = derSequence(derSet(derSequence(derOid(OID.commonName), derUtf8String(commonName))));
  const serialNumber = rng.bytes(16);
  serialNumber[0] = (serialNumber[0] & 0x7f) | 0x10; // positive, 16 octets (§4.1.2.2)
  const modulus = rng.bytes(256);
  modulus[0] |= 0x80; // a full 2048 bits
  modulus[255] |= 0x01; // odd, as an RSA modulus is
  const rsaPublicKey = derSequence(derUnsignedInteger(modulus), derUnsignedInteger(hex("010001")));
  const subjectPublicKeyInfo = derSequence(derSequence(derOid(OID.rsaEncryption), derNull()), derBitString(rsaPublicKey));
  const certificateExtensions = derSequence(
    x509Extension(OID.keyUsage, true, derBitString(u8(0xa0), 5)), // digitalSignature, keyEncipherment
    x509Extension(OID.extKeyUsage, false, derSequence(derOid(OID.serverAuth))),
    x509Extension(OID.basicConstraints, true, derSequence()), // cA defaults to FALSE
    x509Extension(OID.subjectAltName, false, derSequence(der(0x82, ascii(commonName)))), // [2] dNSName
  );
  const tbsCertificate = derSequence(
    der(0xa0, derUnsignedInteger(u8(2))), // [0] EXPLICIT version v3
    derUnsignedInteger(serialNumber),
    signatureAlgorithm,
    name, // issuer: the subject itself
    derSequence(derUtcTime("240101000000"), derUtcTime("250101000000")),
    name,
    subjectPublicKeyInfo,
    der(0xa3, certificateExtensions), // [3] EXPLICIT extensions
  );
  return derSequence(tbsCertificate, signatureAlgorithm, derBitString(rng.bytes(256)));
}

// ---------------------------------------------------------------------------------------------
// QUIC v1 (RFC 9000, RFC 9001)
// ---------------------------------------------------------------------------------------------

const QUIC_VERSION_1 = 0x00000001;
/** RFC 9001 §5.2. */
const QUIC_V1_INITIAL_SALT = hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
const QUIC_PACKET_INITIAL = 0;
const QUIC_PACKET_NUMBER_LENGTH = 2;
/** RFC 9000 §14.1: a client pads datagrams carrying Initial packets to at least this. */
const QUIC_MIN_INITIAL_DATAGRAM = 1200;

const hmacSha256 = (key: Buffer, data: Buffer): Buffer => createHmac("sha256", key).update(data).digest();

/** HKDF-Expand (RFC 5869 §2.3) with SHA-256. */
function hkdfExpand(pseudoRandomKey: Buffer, info: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous: Buffer = EMPTY;
  for (let counter = 1; blocks.length * 32 < length; counter++) {
    previous = hmacSha256(pseudoRandomKey, concat(previous, info, u8(counter)));
    blocks.push(previous);
  }
  return concat(...blocks).subarray(0, length);
}

/** HKDF-Expand-Label (RFC 8446 §7.1). */
const hkdfExpandLabel = (secret: Buffer, label: string, context: Buffer, length: number): Buffer =>
  hkdfExpand(secret, concat(u16(length), vec8(ascii(`tls13 ${label}`)), vec8(context)), length);

export interface QuicPacketKeys {
  secret: Buffer;
  key: Buffer;
  iv: Buffer;
  hp: Buffer;
}

/** Initial secrets and keys (RFC 9001 §5.2, §5.1), from the client's first Destination CID. */
export function quicInitialKeys(originalDcid: Buffer, sender: "client" | "server"): QuicPacketKeys {
  const initialSecret = hmacSha256(QUIC_V1_INITIAL_SALT, originalDcid); // HKDF-Extract(salt, DCID)
  const secret = hkdfExpandLabel(initialSecret, `${sender} in`, EMPTY, 32);
  return {
    secret,
    key: hkdfExpandLabel(secret, "quic key", EMPTY, 16),
    iv: hkdfExpandLabel(secret, "quic iv", EMPTY, 12),
    hp: hkdfExpandLabel(secret, "quic hp", EMPTY, 16),
  };
}

/**
 * Packet protection (RFC 9001 §5.3) then header protection (§5.4). `header` ends with the
 * unprotected packet number, `packetNumberLength` bytes long; `payload` is the frames.
 */
export function protectQuicPacket(
  keys: QuicPacketKeys, header: Buffer, packetNumberLength: number, packetNumber: number, payload: Buffer,
): Buffer {
  const nonce = Buffer.from(keys.iv);
  for (let index = 0; index < 6; index++) nonce[11 - index] ^= Math.floor(packetNumber / 2 ** (8 * index)) & 0xff;
  const aead = createCipheriv("aes-128-gcm", keys.key, nonce);
  aead.setAAD(header);
  const sealed = concat(aead.update(payload), aead.final(), aead.getAuthTag());

  // §5.4.2: the sample starts 4 bytes after the start of the packet number.
  const sampleStart = 4 - packetNumberLength;
  const headerProtection = createCipheriv("aes-128-ecb", keys.hp, null);
  headerProtection.setAutoPadding(false);
  const mask = headerProtection.update(sealed.subarray(sampleStart, sampleStart + 16));
  const protectedHeader = Buffer.from(header);
  const isLongHeader = (header[0] & 0x80) !== 0;
  protectedHeader[0] ^= mask[0] & (isLongHeader ? 0x0f : 0x1f);
  const packetNumberOffset = header.length - packetNumberLength;
  for (let index = 0; index < packetNumberLength; index++) protectedHeader[packetNumberOffset + index] ^= mask[1 + index];
  return concat(protectedHeader, sealed);
}

/** Variable-length integer (RFC 9000 §16), shortest form. */
function quicVarint(value: number): Buffer {
  if (value < 0x40) return u8(value);
  if (value < 0x4000) return u16(0x4000 | value);
  if (value < 0x40000000) return u32(0x80000000 + value);
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE((0xc0n << 56n) | BigInt(value));
  return bytes;
}

interface LongHeaderFields {
  packetType: number;
  dcid: Buffer;
  scid: Buffer;
  packetNumber: number;
  /** Bytes of frames that will follow the header. */
  payloadLength: number;
}

/** Long header (RFC 9000 §17.2, §17.2.2 for the Initial's token), before protection. */
function quicLongHeader(fields: LongHeaderFields): Buffer {
  const firstByte = 0xc0 | (fields.packetType << 4) | (QUIC_PACKET_NUMBER_LENGTH - 1);
  const token = fields.packetType === QUIC_PACKET_INITIAL ? quicVarint(0) : EMPTY; // no token
  // Length covers the packet number and the protected payload; always written in 2 bytes.
  const length = u16(0x4000 | (QUIC_PACKET_NUMBER_LENGTH + fields.payloadLength + AEAD_TAG_BYTES));
  return concat(u8(firstByte), u32(QUIC_VERSION_1), vec8(fields.dcid), vec8(fields.scid), token, length, u16(fields.packetNumber));
}

/** A protected Initial packet; `packetBytes`, if given, is reached with PADDING frames (§19.1). */
function quicInitialPacket(
  keys: QuicPacketKeys, fields: Omit<LongHeaderFields, "packetType" | "payloadLength">, frames: Buffer, packetBytes?: number,
): Buffer {
  const headerBytes = quicLongHeader({ ...fields, packetType: QUIC_PACKET_INITIAL, payloadLength: 0 }).length;
  const paddingBytes = packetBytes === undefined ? 0 : packetBytes - headerBytes - frames.length - AEAD_TAG_BYTES;
  const payload = concat(frames, Buffer.alloc(paddingBytes));
  const header = quicLongHeader({ ...fields, packetType: QUIC_PACKET_INITIAL, payloadLength: payload.length });
  return protectQuicPacket(keys, header, QUIC_PACKET_NUMBER_LENGTH, fields.packetNumber, payload);
}

/** CRYPTO frame (RFC 9000 §19.6). */
const quicCryptoFrame = (offset: number, data: Buffer): Buffer => concat(u8(0x06), quicVarint(offset), quicVarint(data.length), data);
/** ACK frame with one range (RFC 9000 §19.3). */
const quicAckFrame = (largest: number, ackDelay: number, firstRange: number): Buffer =>
  concat(u8(0x02), quicVarint(largest), quicVarint(ackDelay), quicVarint(0), quicVarint(firstRange));

/**
 * A Handshake packet (§17.2.4) of `packetBytes`. Its keys come from an x25519 exchange this
 * generator does not perform, so past the clear header it is noise, as it is to any observer.
 */
function opaqueHandshakePacket(rng: SeededRandom, dcid: Buffer, scid: Buffer, packetBytes: number): Buffer {
  const firstByte = 0xe0 | (rng.nextU32() & 0x0f); // long header, type 2; low bits are protected
  const clearPart = concat(u8(firstByte), u32(QUIC_VERSION_1), vec8(dcid), vec8(scid));
  const protectedBytes = packetBytes - clearPart.length - 2;
  return concat(clearPart, u16(0x4000 | protectedBytes), rng.bytes(protectedBytes));
}

/** A 1-RTT packet (§17.3.1): fixed bit, spin bit 0, the DCID, then protected bytes. */
const opaqueShortHeaderPacket = (rng: SeededRandom, dcid: Buffer, packetBytes: number): Buffer =>
  concat(u8(0x40 | (rng.nextU32() & 0x1f)), dcid, rng.bytes(packetBytes - 1 - dcid.length));

/** Transport parameters (RFC 9000 §18): id, length, value. */
const transportParameter = (id: number, value: Buffer): Buffer => concat(quicVarint(id), quicVarint(value.length), value);
const integerParameter = (id: number, value: number): Buffer => transportParameter(id, quicVarint(value));

function quicClientHello(rng: SeededRandom, serverName: string, clientCid: Buffer): Buffer {
  const parameters = concat(
    integerParameter(0x01, 30_000), // max_idle_timeout, ms
    integerParameter(0x03, 1472), // max_udp_payload_size
    integerParameter(0x04, 15_728_640), // initial_max_data
    integerParameter(0x05, 6_291_456), // initial_max_stream_data_bidi_local
    integerParameter(0x06, 6_291_456), // initial_max_stream_data_bidi_remote
    integerParameter(0x07, 6_291_456), // initial_max_stream_data_uni
    integerParameter(0x08, 100), // initial_max_streams_bidi
    integerParameter(0x09, 103), // initial_max_streams_uni
    transportParameter(0x0f, clientCid), // initial_source_connection_id (§7.3)
    transportParameter(31 * rng.int(1, 0xffff) + 27, rng.bytes(4)), // reserved, to exercise unknown ids (§18.1)
  );
  return clientHello({
    random: rng.bytes(32),
    sessionId: EMPTY, // RFC 9001 §8.4: no middlebox compatibility mode in QUIC
    cipherSuites: [0x1301, 0x1302, 0x1303],
    extensions: [
      extensions.serverName(serverName),
      extensions.supportedGroups([GROUP_X25519, GROUP_SECP256R1, GROUP_SECP384R1]),
      extensions.alpn(["h3"]),
      extensions.signatureAlgorithms(),
      extensions.keyShares([{ group: GROUP_X25519, keyExchange: rng.bytes(32) }]),
      extensions.pskKeyExchangeModes(),
      extensions.supportedVersions([TLS_VERSION_1_3]),
      extensions.quicTransportParameters(parameters),
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// NTP (RFC 5905) and ICMP (RFC 792)
// ---------------------------------------------------------------------------------------------

/** Seconds from the NTP era 0 epoch (1900-01-01) to the Unix epoch (RFC 5905 §6). */
const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;

function ntpTimestamp(unixMicros: number): Buffer {
  const seconds = Math.floor(unixMicros / 1_000_000) + NTP_UNIX_OFFSET_SECONDS;
  const fraction = Math.floor(((unixMicros % 1_000_000) * 2 ** 32) / 1_000_000);
  return concat(u32(seconds), u32(fraction));
}

interface NtpFields {
  mode: number;
  stratum: number;
  precisionLog2: number;
  rootDelay: number;
  rootDispersion: number;
  referenceId: Buffer;
  reference: Buffer;
  origin: Buffer;
  receive: Buffer;
  transmit: Buffer;
}

/** The 48-byte NTPv4 header (RFC 5905 §7.3): LI 0, VN 4, poll 2^6 s, no extensions. */
const ntpPacket = (fields: NtpFields): Buffer => concat(
  u8((4 << 3) | fields.mode), u8(fields.stratum), u8(6), u8(fields.precisionLog2),
  u32(fields.rootDelay), u32(fields.rootDispersion), fields.referenceId,
  fields.reference, fields.origin, fields.receive, fields.transmit,
);
const NTP_MODE_CLIENT = 3;
const NTP_MODE_SERVER = 4;
const NTP_ZERO_TIMESTAMP = Buffer.alloc(8);

/** Echo or Echo Reply (RFC 792); the checksum covers the ICMP message only. */
function icmpEcho(type: number, identifier: number, sequence: number, data: Buffer): Buffer {
  const message = concat(u8(type), u8(0), u16(0), u16(identifier), u16(sequence), data);
  message.writeUInt16BE(internetChecksum(message), 2);
  return message;
}
const ICMP_ECHO_REPLY = 0;
const ICMP_ECHO_REQUEST = 8;

/** iputils ping's 56 data bytes: a struct timeval (64-bit, little-endian), then 0x10, 0x11, ... */
function pingPayload(unixMicros: number): Buffer {
  const timeval = Buffer.alloc(16);
  timeval.writeBigUInt64LE(BigInt(Math.floor(unixMicros / 1_000_000)), 0);
  timeval.writeBigUInt64LE(BigInt(unixMicros % 1_000_000), 8);
  return concat(timeval, Buffer.from(Array.from({ length: 40 }, (_, index) => 0x10 + index)));
}

// ---------------------------------------------------------------------------------------------
// The conversations
// ---------------------------------------------------------------------------------------------

const EXAMPLE_IPV4 = "93.184.215.14";
const EXAMPLE_IPV6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c";
const WIKIPEDIA_IPV4 = "185.15.59.224";
const WIKIPEDIA_IPV6 = "2a02:ec80:300:ed1a::1";
/** TEST-NET-2 (RFC 5737): sample.flowscope.test exists only in this capture. */
const SAMPLE_SERVER_IPV4 = "198.51.100.20";

interface Network {
  client: Host;
  client6: Host;
  router: Host;
  exampleServer: Host;
  exampleServer6: Host;
  wikipediaServer: Host;
  sampleServer: Host;
}

function makeNetwork(rng: SeededRandom): Network {
  const clientMac = macBytes("06:1c:42:5e:10:0a");
  const routerMac = macBytes("06:1c:42:5e:10:01");
  const host = (mac: Buffer, ip: string, ttl: number): Host => ({ mac, ip: ipBytes(ip), ttl, ipId: rng.int(0, 0xffff) });
  return {
    client: host(clientMac, "192.168.1.10", 64),
    client6: host(clientMac, "2001:db8::10", 64),
    router: host(routerMac, "192.168.1.1", 64),
    exampleServer: host(routerMac, EXAMPLE_IPV4, 55),
    exampleServer6: host(routerMac, EXAMPLE_IPV6, 55),
    wikipediaServer: host(routerMac, WIKIPEDIA_IPV4, 57),
    sampleServer: host(routerMac, SAMPLE_SERVER_IPV4, 52),
  };
}

function ntpSync(capture: Capture, net: Network): void {
  const [toServer, toClient] = pathsBetween(capture.rng, net.client, net.router);
  const clientPort = ephemeralPort(capture.rng);
  const clientTransmit = ntpTimestamp(capture.now);
  sendUdp(capture, toServer, clientPort, 123, ntpPacket({
    mode: NTP_MODE_CLIENT, stratum: 0, precisionLog2: 0xe9 /* -23 */, rootDelay: 0, rootDispersion: 0,
    referenceId: Buffer.alloc(4), reference: NTP_ZERO_TIMESTAMP, origin: NTP_ZERO_TIMESTAMP, receive: NTP_ZERO_TIMESTAMP,
    transmit: clientTransmit,
  }));
  const sentAt = capture.now;
  capture.wait(420);
  // The server stamps arrival and departure; half the round trip each way, 16 µs in between.
  const serverReceiveMicros = sentAt + Math.floor((capture.now - sentAt) / 2) - 8;
  sendUdp(capture, toClient, 123, clientPort, ntpPacket({
    mode: NTP_MODE_SERVER, stratum: 2, precisionLog2: 0xe8 /* -24 */, rootDelay: 0x0000_0a3d, rootDispersion: 0x0000_0123,
    referenceId: ipBytes("192.0.2.123"), // the router's own upstream server
    reference: ntpTimestamp(CAPTURE_START_MICROS - 512_000_000),
    origin: clientTransmit, receive: ntpTimestamp(serverReceiveMicros), transmit: ntpTimestamp(serverReceiveMicros + 16),
  }));
}

function httpDownload(capture: Capture, net: Network): void {
  const rtt = 18_000;
  const session = new TcpSession(capture, net.client, net.exampleServer, 80, rtt);
  session.handshake();
  const request = ascii([
    "GET /index.html HTTP/1.1",
    "Host: www.example.com",
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "Accept-Language: en-US,en;q=0.5",
    "Connection: close",
    "", "",
  ].join("\r\n"));
  session.send("client", request, 120);
  session.ack("server");
  const body = ascii([
    "<!doctype html>",
    "<html lang=\"en\">",
    "<head>",
    "<meta charset=\"utf-8\">",
    "<title>Example Domain</title>",
    "</head>",
    "<body>",
    "<h1>Example Domain</h1>",
    "<p>This page travels in flowscope's generated sample capture.</p>",
    "<p><a href=\"https://www.iana.org/domains/example\">More information...</a></p>",
    "</body>",
    "</html>",
    "",
  ].join("\n"));
  const responseHead = ascii([
    "HTTP/1.1 200 OK",
    `Date: ${new Date(Math.floor(capture.now / 1000)).toUTCString()}`,
    "Server: nginx/1.24.0",
    "Content-Type: text/html; charset=UTF-8",
    `Content-Length: ${body.length}`,
    "Last-Modified: Thu, 17 Oct 2019 07:18:26 GMT",
    "Cache-Control: max-age=604800",
    "Connection: close",
    "", "",
  ].join("\r\n"));
  session.send("server", concat(responseHead, body), 1_500);
  session.close("server", 200);
}

function quicVisit(capture: Capture, net: Network): void {
  const rng = capture.rng;
  const rtt = 18_000;
  const [toServer, toClient] = pathsBetween(rng, net.client6, net.exampleServer6);
  const clientPort = ephemeralPort(rng);
  const sendToServer = (datagram: Buffer): void => sendUdp(capture, toServer, clientPort, 443, datagram);
  const sendToClient = (datagram: Buffer): void => sendUdp(capture, toClient, 443, clientPort, datagram);
  const originalDcid = rng.bytes(8);
  const clientCid = rng.bytes(8);
  const serverCid = rng.bytes(8);
  const clientKeys = quicInitialKeys(originalDcid, "client");
  const serverKeys = quicInitialKeys(originalDcid, "server");

  capture.wait(40_000);
  const hello = quicClientHello(rng, "www.example.com", clientCid);
  const clientInitial = quicInitialPacket(clientKeys, { dcid: originalDcid, scid: clientCid, packetNumber: 0 },
    quicCryptoFrame(0, hello), QUIC_MIN_INITIAL_DATAGRAM);
  sendToServer(clientInitial);

  // The server's first flight: Initial (ACK + ServerHello) coalesced with Handshake (§12.2).
  capture.wait(rtt + 400);
  const serverInitial = quicInitialPacket(serverKeys, { dcid: clientCid, scid: serverCid, packetNumber: 0 },
    concat(quicAckFrame(0, 52, 0), quicCryptoFrame(0, tls13ServerHello(rng, EMPTY))));
  sendToClient(concat(serverInitial, opaqueHandshakePacket(rng, clientCid, serverCid, QUIC_MIN_INITIAL_DATAGRAM - serverInitial.length)));
  capture.wait(30);
  sendToClient(opaqueHandshakePacket(rng, clientCid, serverCid, 1068));

  // The client acknowledges the server's Initial and sends its Finished in a Handshake packet.
  capture.wait(2_500);
  const clientFinished = opaqueHandshakePacket(rng, serverCid, clientCid, 88);
  const clientAck = quicInitialPacket(clientKeys, { dcid: serverCid, scid: clientCid, packetNumber: 1 },
    quicAckFrame(0, 310, 0), QUIC_MIN_INITIAL_DATAGRAM - clientFinished.length);
  sendToServer(concat(clientAck, clientFinished));

  // 1-RTT: the request, HANDSHAKE_DONE and settings, the response, the acknowledgements.
  capture.wait(80);
  sendToServer(opaqueShortHeaderPacket(rng, serverCid, 161));
  capture.wait(rtt);
  sendToClient(opaqueShortHeaderPacket(rng, clientCid, 231));
  capture.wait(3_000);
  for (const size of [1232, 1232, 617]) {
    sendToClient(opaqueShortHeaderPacket(rng, clientCid, size));
    capture.wait(25);
  }
  capture.wait(300);
  sendToServer(opaqueShortHeaderPacket(rng, serverCid, 36));
}

function tls13Visit(capture: Capture, net: Network): void {
  const rng = capture.rng;
  const rtt = 12_000;
  const session = new TcpSession(capture, net.client, net.wikipediaServer, 443, rtt);
  session.handshake();
  const hello = chromeClientHello(rng, "www.wikipedia.org");
  session.send("client", tlsRecord(TLS_CONTENT_HANDSHAKE, TLS_VERSION_1_0, hello), 90);
  const sessionId = hello.subarray(4 + 2 + 32 + 1, 4 + 2 + 32 + 1 + 32); // echoed, RFC 8446 §4.1.3

  const serverHelloRecord = tlsRecord(TLS_CONTENT_HANDSHAKE, TLS_VERSION_1_2, tls13ServerHello(rng, sessionId));
  // EncryptedExtensions, Certificate, CertificateVerify, Finished: one record each.
  const encryptedFlight = [41, 2_873, 96, 53].map((length) => tls13EncryptedRecord(rng, length));
  session.send("server", concat(serverHelloRecord, changeCipherSpecRecord(), ...encryptedFlight), rtt + 900);

  // Client: ChangeCipherSpec and Finished, then the HTTP/2 preface, SETTINGS and a request.
  session.send("client", concat(changeCipherSpecRecord(), tls13EncryptedRecord(rng, 53)), 2_100);
  session.send("client", concat(tls13EncryptedRecord(rng, 112), tls13EncryptedRecord(rng, 402)), 60);
  // Server: two NewSessionTickets, SETTINGS, then the response headers and body.
  session.send("server", concat(tls13EncryptedRecord(rng, 233), tls13EncryptedRecord(rng, 233), tls13EncryptedRecord(rng, 48)), rtt + 300);
  session.send("server", concat(tls13EncryptedRecord(rng, 421), tls13EncryptedRecord(rng, 5_214), tls13EncryptedRecord(rng, 26)), 4_200);
  // close_notify (2 bytes + content type + tag), then FIN.
  session.send("client", tls13EncryptedRecord(rng, 2 + 1 + AEAD_TAG_BYTES), 1_200_000);
  session.close("client", 150);
}

function tls12Visit(capture: Capture, net: Network): void {
  const rng = capture.rng;
  const rtt = 25_000;
  const serverName = "sample.flowscope.test";
  const session = new TcpSession(capture, net.client, net.sampleServer, 443, rtt);
  session.handshake();
  const hello = clientHello({
    random: rng.bytes(32),
    sessionId: EMPTY,
    cipherSuites: [0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009c, 0x009d, 0x002f, 0x0035],
    extensions: [
      extensions.serverName(serverName),
      extensions.ecPointFormats(),
      extensions.supportedGroups([GROUP_X25519, GROUP_SECP256R1, GROUP_SECP384R1]),
      extensions.alpn(["http/1.1"]),
      extensions.extendedMasterSecret(),
      extensions.signatureAlgorithms(),
      extensions.renegotiationInfo(),
    ],
  });
  session.send("client", tlsRecord(TLS_CONTENT_HANDSHAKE, TLS_VERSION_1_0, hello), 90);

  // TLS_RSA_WITH_AES_128_GCM_SHA256: RSA key transport, so no ServerKeyExchange (RFC 5246 §7.3).
  const serverHelloMessage = serverHello({
    random: rng.bytes(32), sessionId: rng.bytes(32), cipherSuite: 0x009c,
    extensions: [extensions.renegotiationInfo(), extensions.extendedMasterSecret(), extensions.alpn(["http/1.1"])],
  });
  const certificate = handshakeMessage(TLS_HANDSHAKE_CERTIFICATE, vec24(vec24(selfSignedCertificate(rng, serverName)))); // §7.4.2
  const helloDone = handshakeMessage(TLS_HANDSHAKE_SERVER_HELLO_DONE, EMPTY);
  const handshakeRecord = (message: Buffer): Buffer => tlsRecord(TLS_CONTENT_HANDSHAKE, TLS_VERSION_1_2, message);
  const serverFlight = concat(handshakeRecord(serverHelloMessage), handshakeRecord(certificate), handshakeRecord(helloDone));
  session.send("server", serverFlight, rtt + 1_100);

  // ClientKeyExchange: the premaster secret encrypted to the 2048-bit key (§7.4.7.1).
  const clientKeyExchange = handshakeMessage(TLS_HANDSHAKE_CLIENT_KEY_EXCHANGE, vec16(rng.bytes(256)));
  const finishedLength = 4 + 12; // handshake header + verify_data (§7.4.9)
  const clientFinished = tls12GcmRecord(rng, TLS_CONTENT_HANDSHAKE, 0, finishedLength);
  session.send("client", concat(handshakeRecord(clientKeyExchange), changeCipherSpecRecord(), clientFinished), 1_800);
  session.send("server", concat(changeCipherSpecRecord(), tls12GcmRecord(rng, TLS_CONTENT_HANDSHAKE, 0, finishedLength)), rtt + 700);
  session.send("client", tls12GcmRecord(rng, TLS_CONTENT_APPLICATION_DATA, 1, 173), 400);
  session.send("server", tls12GcmRecord(rng, TLS_CONTENT_APPLICATION_DATA, 1, 2_460), rtt + 2_300);
  session.send("client", tls12GcmRecord(rng, TLS_CONTENT_ALERT, 2, 2), 600_000); // close_notify
  session.close("client", 120);
}

function ping(capture: Capture, net: Network): void {
  const [toRouter, toClient] = pathsBetween(capture.rng, net.client, net.router);
  const identifier = capture.rng.int(1, 0xffff);
  const data = pingPayload(capture.now);
  sendIp(capture, toRouter, IPPROTO_ICMP, icmpEcho(ICMP_ECHO_REQUEST, identifier, 1, data));
  capture.wait(380);
  sendIp(capture, toClient, IPPROTO_ICMP, icmpEcho(ICMP_ECHO_REPLY, identifier, 1, data));
}

const SAMPLE_SEED = 0x20240101;

export interface SampleCapture {
  bytes: Buffer;
  packetCount: number;
}

/** The whole sample capture, the same bytes on every call. */
export function buildSampleCapture(): SampleCapture {
  const rng = new SeededRandom(SAMPLE_SEED);
  const capture = new Capture(rng);
  const net = makeNetwork(rng);
  const resolver = net.router;
  const answered = (name: string, type: number, answers: DnsRecord[]): DnsLookup => ({ name, type, rcode: 0, answers, authority: [] });
  const wikipediaAlias = cnameRecord("www.wikipedia.org", 86_400, "dyna.wikimedia.org");

  ntpSync(capture, net);
  capture.wait(1_300_000);
  dnsExchange(capture, net.client, resolver, [
    answered("www.example.com", DNS_TYPE_A, [addressRecord("www.example.com", 2_843, EXAMPLE_IPV4)]),
    answered("www.example.com", DNS_TYPE_AAAA, [addressRecord("www.example.com", 2_843, EXAMPLE_IPV6)]),
  ]);
  capture.wait(300);
  httpDownload(capture, net);
  quicVisit(capture, net);
  capture.wait(2_400_000);
  dnsExchange(capture, net.client, resolver, [
    answered("www.wikipedia.org", DNS_TYPE_A, [wikipediaAlias, addressRecord("dyna.wikimedia.org", 600, WIKIPEDIA_IPV4)]),
    answered("www.wikipedia.org", DNS_TYPE_AAAA, [wikipediaAlias, addressRecord("dyna.wikimedia.org", 600, WIKIPEDIA_IPV6)]),
  ]);
  capture.wait(250);
  tls13Visit(capture, net);
  capture.wait(3_100_000);
  dnsExchange(capture, net.client, resolver, [{
    name: "no-such-host.example.com", type: DNS_TYPE_A, rcode: DNS_RCODE_NXDOMAIN, answers: [],
    authority: [soaRecord("example.com", 3_600, "ns.icann.org", "noc.dns.icann.org", [2_024_010_101, 7_200, 3_600, 1_209_600, 3_600])],
  }]);
  capture.wait(1_700_000);
  tls12Visit(capture, net);
  capture.wait(900_000);
  ping(capture, net);
  return { bytes: capture.toPcap(), packetCount: capture.packetCount };
}

function main(outPath: string | undefined): void {
  if (!outPath) {
    console.error("usage: npx tsx examples/sample/make-sample.ts OUT.pcap");
    process.exit(2);
  }
  const sample = buildSampleCapture();
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, sample.bytes);
  console.log(`wrote ${outPath}: ${sample.packetCount} packets, ${sample.bytes.length} bytes`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv[2]);
