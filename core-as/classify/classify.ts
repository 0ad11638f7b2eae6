// Deciding a flow's protocols, nDPI's order of evidence: payload dissection first (the
// dissectors call setDetected), then the host name the dissector found against the host list
// (the application on top, e.g. TLS.YouTube), and for flows dissection could not decide, at
// the end, the default ports (Match by port), then the server's address lists (Match by IP).
import * as info from "../decode/packet_info";
import {
  CONF_DPI, CONF_MATCH_BY_IP, CONF_MATCH_BY_PORT, FLOW_APP_PROTO, FLOW_CATEGORY, FLOW_CLI_PORT,
  FLOW_CONFIDENCE, FLOW_IP_PROTO, FLOW_L4_PROTO, FLOW_L7_FLAGS, FLOW_MASTER_PROTO, FLOW_RISKS,
  FLOW_SRV_PORT, L7_DETECTED, L7_DONE,
} from "../flow/record";
import { META_STR_HOST, META_STR_RISK_INFO, metaHasString, metaSetString, metaStringLen, metaStringPtr } from "../dissect/meta";
import { hostMatchCategory, hostMatchProto, matchHost, matchRiskyDomain } from "./host_match";
import { RISKY_DOMAIN_RISK } from "./generated/risky_domains";
import { matchIpv4, matchIpv6 } from "./ip_match";
import { guessProtoByPorts, protoHasDefaultPort, protoUsesPort } from "./port_guess";
import { checkIcmpEntropy, endPayloadRisks } from "./payload_risks";
import { setTcpIssues } from "./tcp_risks";
import { ooklaByCache, ooklaNoteClient } from "../dissect/ookla";
import {
  RISK_DESKTOP_OR_FILE_SHARING_SESSION, RISK_KNOWN_PROTOCOL_ON_NON_STANDARD_PORT, RISK_UNIDIRECTIONAL_TRAFFIC, RISK_UNSAFE_PROTOCOL,
} from "./generated/risks";
import * as P from "./generated/protocols";
import {
  IPPROTO_ESP, IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_IGMP, IPPROTO_IPIP, IPPROTO_SCTP,
  IPPROTO_TCP, IPPROTO_UDP,
} from "../wire/transport";

const IPPROTO_EGP: u32 = 8;
const IPPROTO_AH: u32 = 51;
const IPPROTO_OSPF: u32 = 89;
const IPPROTO_PIM: u32 = 103;
const IPPROTO_VRRP: u32 = 112;
const IPPROTO_PGM: u32 = 113;

/** New flow: what nDPI's IP lists say of the server address, and the protocol of non-TCP/UDP flows. */
export function classifyNewFlow(rec: usize): void {
  // The server is the destination of the flow's first packet (packet_info still holds it).
  const ipProto = info.ipVersion == 4
    ? matchIpv4(bswap<u32>(load<u32>(info.dstAddr)))
    : matchIpv6(info.dstAddr);
  store<u16>(rec + FLOW_IP_PROTO, <u16>ipProto);
  const byIpProtocol = protoOfIpProtocol(info.l4Proto);
  if (byIpProtocol != 0) {
    // nDPI names these flows by their IP protocol number: nothing to dissect.
    setDetected(rec, byIpProtocol, 0);
    store<u8>(rec + FLOW_L7_FLAGS, load<u8>(rec + FLOW_L7_FLAGS) | L7_DONE);
    checkIcmpEntropy(rec);
  }
}

function protoOfIpProtocol(l4: u32): u32 {
  switch (l4) {
    case IPPROTO_ICMP: return P.PROTO_IP_ICMP;
    case IPPROTO_ICMPV6: return P.PROTO_IP_ICMPV6;
    case IPPROTO_IGMP: return P.PROTO_IP_IGMP;
    case IPPROTO_SCTP: return P.PROTO_IP_SCTP;
    case IPPROTO_ESP: case IPPROTO_AH: return P.PROTO_IPSEC;
    case IPPROTO_GRE: return P.PROTO_IP_GRE;
    case IPPROTO_IPIP: return P.PROTO_IP_IP_IN_IP;
    case IPPROTO_EGP: return P.PROTO_IP_EGP;
    case IPPROTO_OSPF: return P.PROTO_IP_OSPF;
    case IPPROTO_VRRP: return P.PROTO_IP_VRRP;
    case IPPROTO_PIM: return P.PROTO_IP_PIM;
    case IPPROTO_PGM: return P.PROTO_IP_PGM;
  }
  return 0;
}

/**
 * A dissector recognised the flow. `master` is the protocol it speaks (DNS, TLS...), `app` an
 * application it identified itself (0 if none; a host name may still provide one).
 */
export function setDetected(rec: usize, master: u32, app: u32): void {
  store<u16>(rec + FLOW_MASTER_PROTO, <u16>master);
  store<u16>(rec + FLOW_APP_PROTO, <u16>app);
  store<u8>(rec + FLOW_CONFIDENCE, CONF_DPI);
  store<u8>(rec + FLOW_L7_FLAGS, load<u8>(rec + FLOW_L7_FLAGS) | L7_DETECTED);
  store<u16>(rec + FLOW_CATEGORY, <u16>defaultCategory(master, app));
}

/**
 * The dissector stored a host name (META_STR_HOST): if nDPI's host list knows it, that
 * application goes on top of the master protocol, with the host entry's category.
 */
export function applyHostName(rec: usize): void {
  const len = metaStringLen(rec, META_STR_HOST);
  if (len == 0) return;
  checkRiskyDomain(rec, metaStringPtr(rec, META_STR_HOST), len);
  applyHostNameOf(rec, metaStringPtr(rec, META_STR_HOST), len);
}

/**
 * The flow's host name (SNI, HTTP Host, DNS query...) against the reader's risky-domain list
 * (tk.pcap: the DNS query whois.dot.tk, listed as ".tk"); the name is the risk's info. Not the
 * certificate's names: nDPI does not flag pinterest.pcap's images.unsplash.com flow, whose
 * certificate lists assets.verishop.xyz (".xyz").
 */
function checkRiskyDomain(rec: usize, namePtr: usize, nameLen: u32): void {
  if (!matchRiskyDomain(namePtr, nameLen)) return;
  setRisk(rec, RISKY_DOMAIN_RISK);
  if (!metaHasString(rec, META_STR_RISK_INFO)) metaSetString(rec, META_STR_RISK_INFO, namePtr, <usize>nameLen);
}

/**
 * The same for another name the dissector found (e.g. a TLS certificate's subjectAltName when
 * the client sent no SNI). Returns true when the host list knew it.
 */
export function applyHostNameOf(rec: usize, namePtr: usize, nameLen: u32): bool {
  const match = matchHost(namePtr, nameLen);
  if (match == 0) return false;
  const master = <u32>load<u16>(rec + FLOW_MASTER_PROTO);
  const app = hostMatchProto(match);
  if (app == master) return true;
  store<u16>(rec + FLOW_APP_PROTO, <u16>app);
  if (app == P.PROTO_OOKLA) ooklaNoteClient(rec);
  // DNS and the mail protocols keep their own category (pcaps README, [cat:]).
  store<u16>(rec + FLOW_CATEGORY, <u16>(keepsMasterCategory(master) ? P.protoCategory(master) : hostMatchCategory(match)));
  return true;
}

/**
 * A dissector identified the application from other evidence than the host name (e.g. the TLS
 * certificate's subject): it goes on top of the master with its default category.
 */
export function setApplication(rec: usize, app: u32): void {
  const master = <u32>load<u16>(rec + FLOW_MASTER_PROTO);
  if (app == master) return;
  store<u16>(rec + FLOW_APP_PROTO, <u16>app);
  store<u16>(rec + FLOW_CATEGORY, <u16>defaultCategory(master, app));
}

function keepsMasterCategory(master: u32): bool {
  return master == P.PROTO_DNS || master == P.PROTO_MAIL_POP || master == P.PROTO_MAIL_SMTP ||
    master == P.PROTO_MAIL_IMAP || master == P.PROTO_MAIL_POPS || master == P.PROTO_MAIL_SMTPS ||
    master == P.PROTO_MAIL_IMAPS;
}

function defaultCategory(master: u32, app: u32): u32 {
  if (app != 0 && !keepsMasterCategory(master)) return P.protoCategory(app);
  return P.protoCategory(master);
}

/**
 * A TCP flow to an address of nDPI's Telegram list whose first data packet gave the
 * dissectors nothing is Telegram (Match by IP) at once: nDPI's reader does so for every such
 * flow of the ground truth (telegram_videocall.pcapng: "[Confidence: Match by IP][DPI
 * packets: 4]", the packet after the handshake), before any port guess (TLS on 443).
 * Returns true when it named the flow.
 */
export function classifyTelegramByAddress(rec: usize): bool {
  if ((load<u8>(rec + FLOW_L7_FLAGS) & L7_DETECTED) != 0) return false;
  if (<u32>load<u8>(rec + FLOW_L4_PROTO) != IPPROTO_TCP || <u32>load<u16>(rec + FLOW_IP_PROTO) != P.PROTO_TELEGRAM) return false;
  store<u16>(rec + FLOW_MASTER_PROTO, P.PROTO_TELEGRAM);
  store<u8>(rec + FLOW_CONFIDENCE, CONF_MATCH_BY_IP);
  store<u8>(rec + FLOW_L7_FLAGS, load<u8>(rec + FLOW_L7_FLAGS) | L7_DETECTED);
  store<u16>(rec + FLOW_CATEGORY, <u16>P.protoCategory(P.PROTO_TELEGRAM));
  return true;
}

/** Dissection is over without a protocol: guess from the ports, then from the server address. */
export function guessUndetected(rec: usize): void {
  if ((load<u8>(rec + FLOW_L7_FLAGS) & L7_DETECTED) != 0) return;
  if (classifyTelegramByAddress(rec)) return;
  if (ooklaByCache(rec)) return;
  const byPort = guessProtoByPorts(<u32>load<u8>(rec + FLOW_L4_PROTO), <u32>load<u16>(rec + FLOW_CLI_PORT), <u32>load<u16>(rec + FLOW_SRV_PORT));
  if (byPort != 0) {
    store<u16>(rec + FLOW_MASTER_PROTO, <u16>byPort);
    store<u8>(rec + FLOW_CONFIDENCE, CONF_MATCH_BY_PORT);
    store<u16>(rec + FLOW_CATEGORY, <u16>P.protoCategory(byPort));
    return;
  }
  const byIp = <u32>load<u16>(rec + FLOW_IP_PROTO);
  if (byIp != 0) {
    store<u16>(rec + FLOW_MASTER_PROTO, <u16>byIp);
    store<u8>(rec + FLOW_CONFIDENCE, CONF_MATCH_BY_IP);
    store<u16>(rec + FLOW_CATEGORY, <u16>P.protoCategory(byIp));
  }
}

@inline export function setRisk(rec: usize, risk: u32): void {
  store<u64>(rec + FLOW_RISKS, load<u64>(rec + FLOW_RISKS) | (<u64>1 << risk));
}

// --- Flow-level risks, decided when the flow ends -------------------------------------------

/**
 * Protocols that only ever send one way (exports, logs, streams, multicast DNS answers sent to
 * one host): no unidirectional risk. Syslog only over UDP: nDPI flags one-way TCP syslog.
 */
function isOneWayByNature(proto: u32, l4: u32): bool {
  return (proto == P.PROTO_SYSLOG && l4 != IPPROTO_TCP) || proto == P.PROTO_MDNS || proto == P.PROTO_COLLECTD || proto == P.PROTO_NETFLOW ||
    proto == P.PROTO_SFLOW || proto == P.PROTO_RTP || proto == P.PROTO_CPHA ||
    proto == P.PROTO_SONOS;
}

/**
 * Multicast (224/4, ff00::/8), reserved 240/4 (with 255.255.255.255), or a .255 directed
 * broadcast: nDPI sets no unidirectional risk towards any of them (no flow to 240/4 has it).
 */
function isGroupAddress(addr: usize, version: u32): bool {
  if (version == 6) return load<u8>(addr) == 0xff;
  const first = <u32>load<u8>(addr);
  return first >= 0xe0 || load<u8>(addr + 3) == 0xff;
}

/**
 * The risks nDPI derives from the flow as a whole rather than from one protocol's payload:
 * unidirectional traffic to a unicast address, a protocol whose breed is unsafe or worse, and
 * a protocol found by dissection on none of its default ports.
 */
export function setFlowRisks(rec: usize, s2cPackets: u64, srvAddr: usize, ipVersion: u32): void {
  const master = <u32>load<u16>(rec + FLOW_MASTER_PROTO);
  const app = <u32>load<u16>(rec + FLOW_APP_PROTO);
  const l4 = <u32>load<u8>(rec + FLOW_L4_PROTO);
  if (s2cPackets == 0 && !isGroupAddress(srvAddr, ipVersion) && !isOneWayByNature(master, l4) && !isOneWayByNature(app, l4)) {
    setRisk(rec, RISK_UNIDIRECTIONAL_TRAFFIC);
  }
  const breed = P.protoBreed(app != 0 ? app : master);
  if (breed == P.BREED_UNSAFE || breed == P.BREED_POTENTIALLY_DANGEROUS || breed == P.BREED_DANGEROUS) {
    setRisk(rec, RISK_UNSAFE_PROTOCOL);
  }
  if (load<u8>(rec + FLOW_CONFIDENCE) == CONF_DPI && master != 0 && !onDefaultPort(rec, master) && !appOnItsPort(rec, app)) {
    setRisk(rec, RISK_KNOWN_PROTOCOL_ON_NON_STANDARD_PORT);
  }
  // RDP is a desktop-sharing session even when only its port named it (all 8 RDP flows of the
  // ground truth carry the risk, the 5 guessed by port included; rdp.ts sets it on detection).
  if (master == P.PROTO_RDP) setRisk(rec, RISK_DESKTOP_OR_FILE_SHARING_SESSION);
  endPayloadRisks(rec, false);
  if (<u32>load<u8>(rec + FLOW_L4_PROTO) == IPPROTO_TCP) setTcpIssues(rec);
}

/** The application on top has default ports and the flow uses one (DNS over TLS on 853). */
function appOnItsPort(rec: usize, app: u32): bool {
  if (app == 0) return false;
  const l4 = <u32>load<u8>(rec + FLOW_L4_PROTO);
  if ((l4 != IPPROTO_TCP && l4 != IPPROTO_UDP) || !protoHasDefaultPort(app, l4)) return false;
  return protoUsesPort(app, l4, <u32>load<u16>(rec + FLOW_CLI_PORT)) || protoUsesPort(app, l4, <u32>load<u16>(rec + FLOW_SRV_PORT));
}

/**
 * True when the protocol has no default port for the flow's transport, or one end uses one.
 * FTP data connections use the ports the control connection negotiated (RFC 959 §3.2, passive
 * mode): nDPI never calls them off their port (ftp.pcap).
 */
function onDefaultPort(rec: usize, proto: u32): bool {
  const l4 = <u32>load<u8>(rec + FLOW_L4_PROTO);
  if (l4 != IPPROTO_TCP && l4 != IPPROTO_UDP) return true;
  if (proto == P.PROTO_FTP_DATA) return true;
  if (!protoHasDefaultPort(proto, l4)) return true;
  const cli = <u32>load<u16>(rec + FLOW_CLI_PORT);
  const srv = <u32>load<u16>(rec + FLOW_SRV_PORT);
  return protoUsesPort(proto, l4, cli) || protoUsesPort(proto, l4, srv);
}
