// Risks nDPI derives from the statistics of payload bytes while it inspects a flow, not from a
// protocol's fields: Susp Entropy (35) and Fully Encrypted Flow (51).
//
// Susp Entropy. nDPI computes the Shannon entropy (bits per byte) of a packet's payload and
// classes it (pcaps ../ndpi/risks_notes.md): below 4.941 plaintext, the risk is cleared; from
// 4.941 "Executable", 6.677 "Compressed Executable", 7.174 "Encrypted Executable", 7.312
// "Encrypted or Random". A non-plaintext value raises the risk while the flow is not classified
// by DPI; once it is, only when it already carries a risk that makes binary content suspect
// (53, 54, 4, 40, 25, 23, 17), or is HTTP with category Download, or its category is
// DataTransfer, Unspecified or Web. A judged packet of a TLS, QUIC or DTLS flow clears it: QUIC
// found within the first packets loses what the packets before set, QUIC found later keeps it
// (quic_sh.pcap: found at the third packet, no risk; at the fifth and sixth, the risk).
// Which packets are judged was read from the ground truth: the Risk Info of the 149 flows that
// carry the risk prints the entropy of one packet ("Entropy: 5.090"), matched against each
// packet's entropy, and the flows without it bound the rule. Each judged packet sets or clears
// the risk: the first four payload packets of a non-TCP flow; of a TCP flow the first payload
// packet, and the other direction's first one while DPI has not classified the flow. A flow
// nDPI cannot classify is still inspected, so its packets are judged after our dissectors gave
// up. Plain HTTP (no application from the host list) never gets it from its request: nDPI
// judges it before the flow has a category; an application found by the host list brings its
// own (HTTP.Amazon, HTTP.GoogleServices: Web).
//
// ICMP (IPv4) flows: the entropy of the first message's data (after the 8-byte ICMP header),
// any non-plaintext value raises the risk (20 flows of the ground truth; ICMPv6 never does).
//
// Fully Encrypted Flow. The heuristic of Wu et al., "How the Great Firewall of China Detects
// and Blocks Fully Encrypted Traffic" (USENIX Security 2023, section 4), which nDPI applies to
// the first payload packet of a TCP connection, sent by the client after the handshake: the
// packet is exempt (not fully encrypted) when its average number of set bits per byte is at
// most 3.4 or at least 4.6 (Ex1), its first six bytes are printable ASCII (Ex2), more than half
// of its bytes are printable (Ex3), it holds a run of more than 20 printable bytes (Ex4), or it
// starts like TLS or HTTP (Ex5). A flow later classified by DPI loses the risk; a fully
// encrypted flow is never checked for entropy.
import * as info from "../decode/packet_info";
import {
  CONF_DPI, CONF_MATCH_BY_IP, CONF_UNKNOWN, FLOW_APP_PROTO, FLOW_CATEGORY, FLOW_CONFIDENCE, FLOW_L4_PROTO, FLOW_MASTER_PROTO,
  FLOW_PAYLOAD_CHECKS, FLOW_RISKS, FLOW_TCP_HANDSHAKE, TWH_DONE, TWH_NONE,
} from "../flow/record";
import {
  RISK_BINARY_APPLICATION_TRANSFER, RISK_BINARY_DATA_TRANSFER, RISK_DNS_SUSPICIOUS_TRAFFIC,
  RISK_FULLY_ENCRYPTED, RISK_HTTP_SUSPICIOUS_CONTENT, RISK_MALFORMED_PACKET,
  RISK_MALWARE_HOST_CONTACTED, RISK_POSSIBLE_EXPLOIT, RISK_SUSPICIOUS_ENTROPY,
} from "./generated/risks";
import * as P from "./generated/protocols";

const IPPROTO_ICMP: u32 = 1;
const IPPROTO_TCP: u32 = 6;
const ICMP_HEADER_LEN: u32 = 8;

/** Entropy below this is plaintext (bits per byte). */
export const ENTROPY_PLAINTEXT_BELOW: f64 = 4.941;
/** Payload packets of a non-TCP flow whose entropy is checked. */
export const ENTROPY_PACKETS: u32 = 4;

// FLOW_PAYLOAD_CHECKS bits: how far the checks went for this flow.
const CHECKS_COUNT_MASK: u8 = 0x07; // non-TCP: payload packets checked so far (0..4)
const CHECKED_C2S: u8 = 0x08;       // TCP: the client's first payload packet was checked
const CHECKED_S2C: u8 = 0x10;       // TCP: the server's first payload packet was checked
const FE_DECIDED: u8 = 0x20;        // the fully-encrypted test ran (first payload packet seen)

/** Risks that make binary content suspect even in a flow DPI classified. */
const BINARY_SUSPECT_RISKS: u64 = (<u64>1 << RISK_MALWARE_HOST_CONTACTED) | (<u64>1 << RISK_BINARY_DATA_TRANSFER) |
  (<u64>1 << RISK_BINARY_APPLICATION_TRANSFER) | (<u64>1 << RISK_POSSIBLE_EXPLOIT) |
  (<u64>1 << RISK_HTTP_SUSPICIOUS_CONTENT) | (<u64>1 << RISK_DNS_SUSPICIOUS_TRAFFIC) | (<u64>1 << RISK_MALFORMED_PACKET);

// --- Shannon entropy without allocation -----------------------------------------------------
// H = log2(n) - (1/n) * sum(c * log2(c)) over the byte counts c. c*log2(c) comes from a table
// for the counts a packet usually has, so a packet costs one pass over its bytes (four per load)
// and one over the 256 counters (zeroed on the way for the next call).
const TABLE_COUNTS: u32 = 4096;
const histogram: usize = memory.data(256 * 4, 4);
const cLogC: usize = memory.data(<i32>(TABLE_COUNTS * 8), 8);
let tableReady = false;

function fillTable(): void {
  store<f64>(cLogC, 0);
  for (let c: u32 = 1; c < TABLE_COUNTS; c++) store<f64>(cLogC + (<usize>c << 3), <f64>c * Math.log2(<f64>c));
  tableReady = true;
}

@inline function countLogCount(c: u32): f64 {
  return c < TABLE_COUNTS ? load<f64>(cLogC + (<usize>c << 3)) : <f64>c * Math.log2(<f64>c);
}

/** Shannon entropy of `len` bytes at `ptr`, in bits per byte (0 for an empty buffer). */
export function shannonEntropy(ptr: usize, len: u32): f64 {
  if (len == 0) return 0;
  if (!tableReady) fillTable();
  // Count four bytes per load, then the tail.
  const end = ptr + <usize>len;
  let at = ptr;
  for (; at + 4 <= end; at += 4) {
    const word = load<u32>(at);
    countByte(word & 0xff);
    countByte((word >> 8) & 0xff);
    countByte((word >> 16) & 0xff);
    countByte(word >> 24);
  }
  for (; at < end; at++) countByte(<u32>load<u8>(at));
  // Sum c*log2(c) over the byte values present, zeroing their counters for the next call.
  let sum: f64 = 0;
  for (let b: usize = 0; b < 256; b++) {
    const slot = histogram + (b << 2);
    const c = load<u32>(slot);
    if (c != 0) {
      sum += countLogCount(c);
      store<u32>(slot, 0);
    }
  }
  const n = <f64>len;
  const h = Math.log2(n) - sum / n;
  return h > 0 ? h : 0; // rounding can leave -0.000...
}

@inline function countByte(value: u32): void {
  const slot = histogram + (<usize>value << 2);
  store<u32>(slot, load<u32>(slot) + 1);
}

// --- Fully encrypted (first client payload) --------------------------------------------------

@inline function isPrintable(b: u32): bool { return b >= 0x20 && b <= 0x7e; }

/** True when the packet passes none of the exemptions Ex1-Ex5 (see the header comment). */
export function looksFullyEncrypted(ptr: usize, len: u32): bool {
  if (len == 0) return false;
  let setBits: u32 = 0;
  let printable: u32 = 0;
  let run: u32 = 0;
  let longestRun: u32 = 0;
  for (let i: u32 = 0; i < len; i++) {
    const b = <u32>load<u8>(ptr + i);
    setBits += popcnt<u32>(b);
    if (isPrintable(b)) {
      printable++;
      run++;
      if (run > longestRun) longestRun = run;
    } else {
      run = 0;
    }
  }
  // Ex1: popcount per byte <= 3.4 or >= 4.6, compared in integers (x10).
  if (setBits * 10 <= 34 * len || setBits * 10 >= 46 * len) return false;
  // Ex2: the first six bytes printable.
  if (len >= 6) {
    let firstSix = true;
    for (let i: u32 = 0; i < 6; i++) if (!isPrintable(<u32>load<u8>(ptr + i))) { firstSix = false; break; }
    if (firstSix) return false;
  }
  // Ex3, Ex4: mostly printable, or a long printable run.
  if (printable * 2 > len || longestRun > 20) return false;
  // Ex5: a TLS record header (content type 20-23, version 3.x); HTTP is already exempt by Ex2.
  if (len >= 3) {
    const type = <u32>load<u8>(ptr);
    if (type >= 0x14 && type <= 0x17 && load<u8>(ptr + 1) == 3 && load<u8>(ptr + 2) <= 4) return false;
  }
  return true;
}

// --- Per packet ------------------------------------------------------------------------------

@inline function hasRisk(rec: usize, risk: u32): bool {
  return (load<u64>(rec + FLOW_RISKS) & (<u64>1 << risk)) != 0;
}

@inline function setRiskBit(rec: usize, risk: u32, on: bool): void {
  const risks = load<u64>(rec + FLOW_RISKS);
  store<u64>(rec + FLOW_RISKS, on ? risks | (<u64>1 << risk) : risks & ~(<u64>1 << risk));
}

function isEncryptedTransport(proto: u32): bool {
  return proto == P.PROTO_TLS || proto == P.PROTO_QUIC || proto == P.PROTO_DTLS;
}

/** nDPI's conditions for keeping the risk on a flow classified by DPI. */
function suspectWhenClassified(rec: usize): bool {
  const master = <u32>load<u16>(rec + FLOW_MASTER_PROTO);
  const app = <u32>load<u16>(rec + FLOW_APP_PROTO);
  // Plain HTTP: nDPI judges the request before the flow has its category or risks.
  if (master == P.PROTO_HTTP && app == 0) return false;
  if ((load<u64>(rec + FLOW_RISKS) & BINARY_SUSPECT_RISKS) != 0) return true;
  const category = <u32>load<u16>(rec + FLOW_CATEGORY);
  if (master == P.PROTO_HTTP && category == P.CATEGORY_DOWNLOAD_FT) return true;
  return category == P.CATEGORY_DATA_TRANSFER || category == P.CATEGORY_UNSPECIFIED || category == P.CATEGORY_WEB;
}

/**
 * Whether the entropy is judged with the conditions for a classified flow: DPI found the
 * protocol, or dissection ended with a port or address guess. A guess stands for the detection
 * nDPI makes with the dissectors this engine lacks: on the ground truth, a flow we can only
 * guess is far more often one nDPI classified (no risk in its category) than one nDPI guessed
 * too. A TCP flow named Telegram by its address at the first data packet (classify.ts) is
 * judged as unclassified, as nDPI does.
 */
function judgedAsClassified(rec: usize): bool {
  const confidence = load<u8>(rec + FLOW_CONFIDENCE);
  if (confidence == CONF_DPI) return true;
  if (confidence == CONF_UNKNOWN) return false;
  return !(confidence == CONF_MATCH_BY_IP && <u32>load<u8>(rec + FLOW_L4_PROTO) == IPPROTO_TCP &&
    <u32>load<u16>(rec + FLOW_MASTER_PROTO) == P.PROTO_TELEGRAM);
}

/**
 * A UDP flow our dissectors gave up on and that the ports or addresses then named (QUIC on 443)
 * is still unknown to nDPI while it inspects the packets: each is judged as an unknown flow's,
 * not exempt as QUIC or DTLS (http_ipv6.pcap: a gQUIC flow matched by port whose third packet,
 * entropy 4.939, clears the risk the first set; quic.pcap's twin, 5.101 last, keeps it).
 */
function guessedOverUdp(rec: usize): bool {
  return load<u8>(rec + FLOW_CONFIDENCE) != CONF_DPI && <u32>load<u8>(rec + FLOW_L4_PROTO) != IPPROTO_TCP;
}

/** Sets or clears risk 35 from one payload's entropy, with the flow's state after this packet. */
function judgeEntropy(rec: usize, ptr: usize, len: u32): void {
  if (hasRisk(rec, RISK_FULLY_ENCRYPTED)) { setRiskBit(rec, RISK_SUSPICIOUS_ENTROPY, false); return; }
  // A TLS, QUIC or DTLS packet clears what the packets before it set (quic_0RTT.pcap: 0-RTT
  // packets, then the Initial; quic_sh.pcap: short headers, then QUIC found at the third).
  const encrypted = isEncryptedTransport(<u32>load<u16>(rec + FLOW_MASTER_PROTO)) || isEncryptedTransport(<u32>load<u16>(rec + FLOW_APP_PROTO));
  if (encrypted && !guessedOverUdp(rec)) { setRiskBit(rec, RISK_SUSPICIOUS_ENTROPY, false); return; }
  // A classified flow outside the suspect conditions loses the risk whatever its entropy: the
  // bytes are only counted when they can matter.
  if (judgedAsClassified(rec) && !suspectWhenClassified(rec)) { setRiskBit(rec, RISK_SUSPICIOUS_ENTROPY, false); return; }
  setRiskBit(rec, RISK_SUSPICIOUS_ENTROPY, shannonEntropy(ptr, len) >= ENTROPY_PLAINTEXT_BELOW);
}

/**
 * A packet with payload was handed to the dissectors (dissect/dispatch.ts), which already ran:
 * the fully-encrypted test on the first one, the entropy check on the ones in the window.
 */
export function checkPayloadRisks(rec: usize, fromClient: bool): void {
  const len = info.payloadLen;
  if (len == 0) return;
  let checks = load<u8>(rec + FLOW_PAYLOAD_CHECKS);
  const ptr = info.payloadPtr;
  if (<u32>load<u8>(rec + FLOW_L4_PROTO) == IPPROTO_TCP) {
    if ((checks & FE_DECIDED) == 0) {
      checks |= FE_DECIDED;
      if (fromClient && load<u8>(rec + FLOW_TCP_HANDSHAKE) == TWH_DONE &&
        load<u8>(rec + FLOW_CONFIDENCE) == CONF_UNKNOWN && looksFullyEncrypted(ptr, len)) {
        setRiskBit(rec, RISK_FULLY_ENCRYPTED, true);
      }
    }
    // The first payload packet; the other direction's first one too while DPI has not
    // classified the flow (an HTTP response is not judged, a Kerberos reply to an unknown
    // request is).
    const dirBit = fromClient ? CHECKED_C2S : CHECKED_S2C;
    const skip = (checks & dirBit) != 0 || ((checks & (CHECKED_C2S | CHECKED_S2C)) != 0 && load<u8>(rec + FLOW_CONFIDENCE) == CONF_DPI);
    store<u8>(rec + FLOW_PAYLOAD_CHECKS, checks | dirBit);
    if (skip) return;
  } else {
    if (<u32>(checks & CHECKS_COUNT_MASK) >= ENTROPY_PACKETS) return;
    store<u8>(rec + FLOW_PAYLOAD_CHECKS, checks + 1);
  }
  judgeEntropy(rec, ptr, len);
}

/**
 * Dissection is over. A flow classified by DPI is not fully encrypted; a flow given up while
 * packets still came, and then guessed to be TLS/QUIC/DTLS, is not checked for entropy (nDPI
 * judges it again as that protocol).
 */
export function endPayloadRisks(rec: usize, givenUpInFlight: bool): void {
  const confidence = load<u8>(rec + FLOW_CONFIDENCE);
  if (confidence == CONF_DPI) { setRiskBit(rec, RISK_FULLY_ENCRYPTED, false); return; }
  if (confidence == CONF_UNKNOWN) return;
  if (givenUpInFlight && <u32>load<u16>(rec + FLOW_MASTER_PROTO) == P.PROTO_TLS) {
    setRiskBit(rec, RISK_SUSPICIOUS_ENTROPY, false);
    return;
  }
  const midStream = <u32>load<u8>(rec + FLOW_L4_PROTO) == IPPROTO_TCP && load<u8>(rec + FLOW_TCP_HANDSHAKE) == TWH_NONE;
  if (!midStream && judgedAsClassified(rec) && !suspectWhenClassified(rec)) setRiskBit(rec, RISK_SUSPICIOUS_ENTROPY, false);
}

/** ICMP flows (named at creation, never dissected): the first message's data. */
export function checkIcmpEntropy(rec: usize): void {
  if (info.l4Proto != IPPROTO_ICMP || info.payloadLen <= ICMP_HEADER_LEN) return;
  if (shannonEntropy(info.payloadPtr + ICMP_HEADER_LEN, info.payloadLen - ICMP_HEADER_LEN) >= ENTROPY_PLAINTEXT_BELOW) {
    setRiskBit(rec, RISK_SUSPICIOUS_ENTROPY, true);
  }
}
