// Frame -> flow key. Walks link layer, tags, IP, transport and tunnels down to the innermost IP
// packet, filling packet_info. Returns DECODED, or the stats slot (SKIP_*) that says why the
// frame belongs to no flow. Every read is preceded by a bounds check against `end`.
import { be16, be32, le32, u8at } from "../util/bytes";
import {
  SKIP_IP_FRAGMENT, SKIP_MALFORMED, SKIP_NON_IP, SKIP_TRUNCATED, SKIP_UNSUPPORTED_LINKTYPE,
} from "../stats";
import * as info from "./packet_info";
import * as lt from "./linktypes";
import {
  ETH_HEADER_LEN, ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_MIN, ETHERTYPE_MPLS_MULTICAST,
  ETHERTYPE_MPLS_UNICAST, ETHERTYPE_PPPOE_SESSION, ETHERTYPE_QINQ, ETHERTYPE_QINQ_LEGACY,
  ETHERTYPE_VLAN, LLC_SNAP_LEN, LLC_SNAP_TYPE, etherType, isLlcSnap,
} from "../wire/ethernet";
import { VLAN_TAG_LEN, vlanId, vlanInnerType } from "../wire/vlan";
import { MPLS_ENTRY_LEN, mplsIsBottom } from "../wire/mpls";
import {
  CHDLC_HEADER_LEN, CHDLC_PROTO, PPP_HDLC_ADDRESS, PPP_HDLC_CONTROL, PPP_PROTO_IPV4, PPP_PROTO_IPV6,
  PPPOE_TOTAL_LEN, pppProtoIsCompressed, pppoePppProto,
} from "../wire/ppp";
import { SLL2_HEADER_LEN, SLL_HEADER_LEN, sll2Protocol, sllProtocol } from "../wire/sll";
import { AF_INET, LOOPBACK_HEADER_LEN, isAfInet6 } from "../wire/loopback";
import { PPI_MIN_LEN, ppiDlt, ppiHeaderLen } from "../wire/ppi";
import {
  WLAN_BASE_HEADER_LEN, WLAN_TYPE_DATA, wlanDataHeaderLen, wlanFrameControl, wlanFrameType,
  wlanIsProtected, wlanSubtype,
} from "../wire/ieee80211";
import {
  IPV4_DST, IPV4_MIN_HEADER_LEN, IPV4_SRC, ipVersionNibble, ipv4FragOffset, ipv4HeaderLen,
  ipv4MoreFragments, ipv4Protocol, ipv4Tos, ipv4TotalLen,
} from "../wire/ipv4";
import {
  EXT_FRAGMENT, IPV6_DST, IPV6_HEADER_LEN, IPV6_SRC, extHeaderLen, fragmentOffset,
  ipv6NextHeader, ipv6PayloadLen, ipv6TrafficClass, isIpv6ExtensionHeader,
} from "../wire/ipv6";
import {
  IPPROTO_GRE, IPPROTO_IPIP, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP, TCP_MIN_HEADER_LEN,
  UDP_HEADER_LEN, UDP_LENGTH, dstPortOf, srcPortOf, tcpFlagsOf, tcpHeaderLen, tcpSeqOf,
} from "../wire/transport";
import {
  CAPWAP_DATA_PORT, CAPWAP_MIN_HEADER_LEN, CAPWAP_WBID_IEEE80211, ERSPAN_II_HEADER_LEN,
  GRE_PROTO_ERSPAN_II, GRE_PROTO_PPP, GRE_PROTO_TRANSPARENT_ETHERNET, GTPU_PORT, GTP_FLAG_EXT,
  GTP_FLAG_NPDU, GTP_FLAG_SEQ, GTP_HEADER_LEN, GTP_MSG_G_PDU, GTP_MSG_TYPE, GTP_NEXT_EXT_TYPE,
  GTP_OPTIONAL_LEN, TZSP_ENCAP, TZSP_ENCAP_ETHERNET, TZSP_ENCAP_IEEE80211, TZSP_HEADER_LEN,
  TZSP_PORT, TZSP_TAG_END, TZSP_TAG_PADDING, VXLAN_FLAG_VNI, VXLAN_HEADER_LEN, VXLAN_PORT,
  capwapHeaderLen, capwapIsFragment, capwapIsNativeFrame, capwapWirelessBinding, greFlags,
  greHeaderLen, greProtocol, gtpProtocolType, gtpVersion,
} from "../wire/tunnels";

export const DECODED: i32 = -1;

/** Bound on tag/label/extension-header loops, so crafted stacks cannot spin. */
const MAX_HEADER_CHAIN: i32 = 16;

export function decodeFrame(linkType: u32, frame: usize, capturedLen: u32): i32 {
  info.resetPacketInfo();
  return decodeLink(linkType, frame, frame + <usize>capturedLen, 0);
}

function decodeLink(linkType: u32, p: usize, end: usize, nesting: i32): i32 {
  switch (linkType) {
    case lt.LINKTYPE_ETHERNET: return decodeEthernet(p, end);
    case lt.LINKTYPE_RAW:
    case lt.LINKTYPE_RAW_BSD_12:
    case lt.LINKTYPE_RAW_BSD_14:
    case lt.LINKTYPE_IPV4:
    case lt.LINKTYPE_IPV6: return decodeIp(p, end);
    case lt.LINKTYPE_NULL:
    case lt.LINKTYPE_LOOP: {
      if (end - p < LOOPBACK_HEADER_LEN) return SKIP_TRUNCATED;
      // NULL is in the capturing host's byte order: accept either.
      const family = linkType == lt.LINKTYPE_LOOP ? be32(p) : le32(p);
      const swapped = bswap<u32>(family);
      if (family == AF_INET || swapped == AF_INET || isAfInet6(family) || isAfInet6(swapped)) {
        return decodeIp(p + LOOPBACK_HEADER_LEN, end);
      }
      // An unknown family value (damaged or exotic): let the IP version nibble decide, as a
      // reader that assumes "not AF_INET means IPv6" would still find an IP packet there.
      if (end - p > LOOPBACK_HEADER_LEN) {
        const version = ipVersionNibble(p + LOOPBACK_HEADER_LEN);
        if (version == 4 || version == 6) return decodeIp(p + LOOPBACK_HEADER_LEN, end);
      }
      return SKIP_NON_IP;
    }
    case lt.LINKTYPE_PPP:
    case lt.LINKTYPE_PPP_HDLC: return decodePpp(p, end);
    case lt.LINKTYPE_C_HDLC: {
      if (end - p < CHDLC_HEADER_LEN) return SKIP_TRUNCATED;
      return decodeEthertype(be16(p + CHDLC_PROTO), p + CHDLC_HEADER_LEN, end);
    }
    case lt.LINKTYPE_LINUX_SLL: {
      if (end - p < SLL_HEADER_LEN) return SKIP_TRUNCATED;
      return decodeEthertype(sllProtocol(p), p + SLL_HEADER_LEN, end);
    }
    case lt.LINKTYPE_LINUX_SLL2: {
      if (end - p < SLL2_HEADER_LEN) return SKIP_TRUNCATED;
      return decodeEthertype(sll2Protocol(p), p + SLL2_HEADER_LEN, end);
    }
    case lt.LINKTYPE_IEEE802_11: return decode80211(p, end);
    case lt.LINKTYPE_PPI: {
      if (end - p < PPI_MIN_LEN) return SKIP_TRUNCATED;
      const headerLen = <usize>ppiHeaderLen(p);
      if (headerLen < PPI_MIN_LEN) return SKIP_MALFORMED;
      if (end - p < headerLen) return SKIP_TRUNCATED;
      const inner = ppiDlt(p);
      if (inner == lt.LINKTYPE_PPI || nesting > 0) return SKIP_MALFORMED;
      return decodeLink(inner, p + headerLen, end, nesting + 1);
    }
  }
  return SKIP_UNSUPPORTED_LINKTYPE;
}

function decodeEthernet(p: usize, end: usize): i32 {
  if (end - p < ETH_HEADER_LEN) return SKIP_TRUNCATED;
  let type = etherType(p);
  p += ETH_HEADER_LEN;
  if (type < ETHERTYPE_MIN) {
    // 802.3 length field: only LLC/SNAP can carry IP.
    if (end - p < LLC_SNAP_LEN || !isLlcSnap(p)) return SKIP_NON_IP;
    type = be16(p + LLC_SNAP_TYPE);
    p += LLC_SNAP_LEN;
  }
  return decodeEthertype(type, p, end);
}

function decodeEthertype(type: u32, p: usize, end: usize): i32 {
  // Up to MAX_HEADER_CHAIN tags, then the EtherType after the last one.
  for (let hops = 0; hops <= MAX_HEADER_CHAIN; hops++) {
    if (type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6) return decodeIp(p, end);
    if (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_LEGACY) {
      if (end - p < VLAN_TAG_LEN) return SKIP_TRUNCATED;
      info.setVlan(vlanId(p));
      type = vlanInnerType(p);
      p += VLAN_TAG_LEN;
      continue;
    }
    if (type == ETHERTYPE_MPLS_UNICAST || type == ETHERTYPE_MPLS_MULTICAST) return decodeMpls(p, end);
    if (type == ETHERTYPE_PPPOE_SESSION) {
      if (end - p < PPPOE_TOTAL_LEN) return SKIP_TRUNCATED;
      const proto = pppoePppProto(p);
      p += PPPOE_TOTAL_LEN;
      if (proto == PPP_PROTO_IPV4 || proto == PPP_PROTO_IPV6) return decodeIp(p, end);
      return SKIP_NON_IP;
    }
    return SKIP_NON_IP;
  }
  return SKIP_MALFORMED;
}

function decodeMpls(p: usize, end: usize): i32 {
  for (let labels = 0; labels < MAX_HEADER_CHAIN; labels++) {
    if (end - p < MPLS_ENTRY_LEN) return SKIP_TRUNCATED;
    const bottom = mplsIsBottom(p);
    p += MPLS_ENTRY_LEN;
    if (bottom) {
      if (end - p < 1) return SKIP_TRUNCATED;
      const version = ipVersionNibble(p);
      return version == 4 || version == 6 ? decodeIp(p, end) : SKIP_NON_IP;
    }
  }
  return SKIP_MALFORMED;
}

function decodePpp(p: usize, end: usize): i32 {
  if (end - p < 2) return SKIP_TRUNCATED;
  if (u8at(p) == PPP_HDLC_ADDRESS && u8at(p + 1) == PPP_HDLC_CONTROL) p += 2;
  if (end - p < 1) return SKIP_TRUNCATED;
  let proto: u32;
  if (pppProtoIsCompressed(p)) {
    proto = u8at(p); p += 1;
  } else {
    if (end - p < 2) return SKIP_TRUNCATED;
    proto = be16(p); p += 2;
  }
  if (proto == PPP_PROTO_IPV4 || proto == PPP_PROTO_IPV6) return decodeIp(p, end);
  return SKIP_NON_IP;
}

function decode80211(p: usize, end: usize, frameControlMaybeSwapped: bool = false): i32 {
  if (end - p < WLAN_BASE_HEADER_LEN) return SKIP_TRUNCATED;
  let fc = wlanFrameControl(p);
  // Cisco access points send the frame control bytes swapped inside CAPWAP (Wireshark's CAPWAP
  // "swap frame control" preference exists for them): accept the swapped form there.
  if (frameControlMaybeSwapped && wlanFrameType(fc) != WLAN_TYPE_DATA && wlanFrameType(<u32>bswap<u16>(<u16>fc)) == WLAN_TYPE_DATA) {
    fc = <u32>bswap<u16>(<u16>fc);
  }
  // Only unprotected data frames that carry data (subtype bit 2 clear: not Null/QoS-Null) hold IP.
  if (wlanFrameType(fc) != WLAN_TYPE_DATA || (wlanSubtype(fc) & 0x4) != 0 || wlanIsProtected(fc)) return SKIP_NON_IP;
  const headerLen = wlanDataHeaderLen(fc);
  if (end - p < headerLen + LLC_SNAP_LEN) return SKIP_TRUNCATED;
  p += headerLen;
  if (!isLlcSnap(p)) return SKIP_NON_IP;
  return decodeEthertype(be16(p + LLC_SNAP_TYPE), p + LLC_SNAP_LEN, end);
}

function decodeIp(p: usize, end: usize): i32 {
  if (end - p < 1) return SKIP_TRUNCATED;
  const version = ipVersionNibble(p);
  if (version == 4) return decodeIpv4(p, end);
  if (version == 6) return decodeIpv6(p, end);
  return SKIP_MALFORMED;
}

function decodeIpv4(p: usize, end: usize): i32 {
  if (end - p < IPV4_MIN_HEADER_LEN) return SKIP_TRUNCATED;
  const headerLen = ipv4HeaderLen(p);
  if (headerLen < IPV4_MIN_HEADER_LEN) return SKIP_MALFORMED;
  if (end - p < headerLen) return SKIP_TRUNCATED;
  const totalLen = <usize>ipv4TotalLen(p);
  // Total length 0 is what segmentation offload leaves in captures taken on the sender: trust the frame.
  let ipEnd = end;
  if (totalLen != 0) {
    if (totalLen < headerLen) return SKIP_MALFORMED;
    // A datagram longer than what was captured is not analysed, as nDPI's reader does.
    if (totalLen > end - p) return SKIP_TRUNCATED;
    ipEnd = p + totalLen; // drops Ethernet padding
  }
  if (ipv4FragOffset(p) != 0) return SKIP_IP_FRAGMENT;
  if (ipv4MoreFragments(p)) info.setFragmented();
  info.setAddresses(4, p + IPV4_SRC, p + IPV4_DST);
  info.setTos(ipv4Tos(p));
  return decodeTransport(ipv4Protocol(p), p + headerLen, ipEnd);
}

function decodeIpv6(p: usize, end: usize): i32 {
  if (end - p < IPV6_HEADER_LEN) return SKIP_TRUNCATED;
  const payloadLen = <usize>ipv6PayloadLen(p);
  let ipEnd = end;
  // Payload length 0 means a jumbogram (RFC 2675) or offload: trust the frame.
  if (payloadLen != 0 && p + IPV6_HEADER_LEN + payloadLen < end) ipEnd = p + IPV6_HEADER_LEN + payloadLen;
  info.setAddresses(6, p + IPV6_SRC, p + IPV6_DST);
  info.setTos(ipv6TrafficClass(p));
  let next = ipv6NextHeader(p);
  let q = p + IPV6_HEADER_LEN;
  for (let hops = 0; isIpv6ExtensionHeader(next); hops++) {
    if (hops >= MAX_HEADER_CHAIN) return SKIP_MALFORMED;
    if (ipEnd - q < 2 || q > ipEnd) return SKIP_TRUNCATED;
    const kind = next;
    const len = extHeaderLen(q, kind);
    if (ipEnd - q < len) return SKIP_TRUNCATED;
    if (kind == EXT_FRAGMENT) {
      if (fragmentOffset(q) != 0) return SKIP_IP_FRAGMENT;
      info.setFragmented();
    }
    next = u8at(q);
    q += len;
  }
  return decodeTransport(next, q, ipEnd);
}

function decodeTransport(proto: u32, p: usize, end: usize): i32 {
  // A transport header cut short still makes a flow, keyed without ports (as nDPI's reader).
  if (proto == IPPROTO_TCP && end - p >= TCP_MIN_HEADER_LEN) {
    // A data offset below 5 words cannot be right; take the payload after the fixed header.
    let headerLen = tcpHeaderLen(p);
    if (headerLen < TCP_MIN_HEADER_LEN) headerLen = TCP_MIN_HEADER_LEN;
    info.setL4(proto, srcPortOf(p), dstPortOf(p), tcpFlagsOf(p));
    info.setTcpSeq(tcpSeqOf(p));
    const payload = p + headerLen;
    info.setPayload(payload, payload < end ? <u32>(end - payload) : 0);
    return DECODED;
  }
  if (proto == IPPROTO_UDP && end - p >= UDP_HEADER_LEN) {
    const sport = srcPortOf(p);
    const dport = dstPortOf(p);
    const payload = p + UDP_HEADER_LEN;
    let payloadEnd = end;
    const udpLen = <usize>be16(p + UDP_LENGTH);
    if (udpLen >= UDP_HEADER_LEN && p + udpLen < end) payloadEnd = p + udpLen;
    const tunnelled = decodeUdpTunnel(sport, dport, payload, payloadEnd);
    if (tunnelled != NOT_A_TUNNEL) return tunnelled;
    info.setL4(proto, sport, dport, 0);
    info.setPayload(payload, <u32>(payloadEnd - payload));
    return DECODED;
  }
  if (proto == IPPROTO_IPIP || proto == IPPROTO_IPV6) {
    if (info.enterTunnel(info.TUNNEL_IP_IN_IP)) return decodeIp(p, end);
  } else if (proto == IPPROTO_GRE) {
    const inner = decodeGre(p, end);
    if (inner != NOT_A_TUNNEL) return inner;
  }
  // ICMP, ICMPv6, SCTP, ESP, ... : one flow per address pair and protocol, ports 0 (as nDPI).
  info.setL4(proto, 0, 0, 0);
  info.setPayload(p, p < end ? <u32>(end - p) : 0);
  return DECODED;
}

/** Returned by tunnel decoders when the payload is not (decodable as) that tunnel: keep the outer flow. */
const NOT_A_TUNNEL: i32 = -2;

function decodeGre(p: usize, end: usize): i32 {
  if (end - p < 4) return NOT_A_TUNNEL;
  const flags = greFlags(p);
  const version = flags & 7;
  if (version > 1) return NOT_A_TUNNEL;
  const headerLen = greHeaderLen(flags);
  if (end - p < headerLen) return NOT_A_TUNNEL;
  const proto = greProtocol(p);
  let inner = p + headerLen;
  if (proto == ETHERTYPE_IPV4 || proto == ETHERTYPE_IPV6) {
    if (!info.enterTunnel(info.TUNNEL_GRE)) return NOT_A_TUNNEL;
    return decodeIp(inner, end);
  }
  if (proto == GRE_PROTO_TRANSPARENT_ETHERNET) {
    if (!info.enterTunnel(info.TUNNEL_GRE)) return NOT_A_TUNNEL;
    return decodeEthernet(inner, end);
  }
  if (proto == GRE_PROTO_ERSPAN_II) {
    if (end - inner < ERSPAN_II_HEADER_LEN || !info.enterTunnel(info.TUNNEL_GRE)) return NOT_A_TUNNEL;
    return decodeEthernet(inner + ERSPAN_II_HEADER_LEN, end);
  }
  if (proto == GRE_PROTO_PPP) {
    // PPTP data (RFC 2637): enhanced GRE carrying PPP. Only plain IP inside is decodable.
    if (end - inner < 1) return NOT_A_TUNNEL;
    if (u8at(inner) == PPP_HDLC_ADDRESS) inner += 2;
    if (end - inner < 2) return NOT_A_TUNNEL;
    const pppProto = pppProtoIsCompressed(inner) ? u8at(inner) : be16(inner);
    if (pppProto != PPP_PROTO_IPV4 && pppProto != PPP_PROTO_IPV6) return NOT_A_TUNNEL;
    inner += pppProtoIsCompressed(inner) ? 1 : 2;
    if (!info.enterTunnel(info.TUNNEL_GRE)) return NOT_A_TUNNEL;
    return decodeIp(inner, end);
  }
  return NOT_A_TUNNEL;
}

function decodeUdpTunnel(sport: u32, dport: u32, p: usize, end: usize): i32 {
  if (sport == GTPU_PORT || dport == GTPU_PORT) return decodeGtpU(p, end);
  if (sport == VXLAN_PORT || dport == VXLAN_PORT) {
    if (end - p < VXLAN_HEADER_LEN || (u8at(p) & VXLAN_FLAG_VNI) == 0) return NOT_A_TUNNEL;
    if (!info.enterTunnel(info.TUNNEL_VXLAN)) return NOT_A_TUNNEL;
    return decodeEthernet(p + VXLAN_HEADER_LEN, end);
  }
  if (sport == CAPWAP_DATA_PORT || dport == CAPWAP_DATA_PORT) return decodeCapwap(p, end);
  if (sport == TZSP_PORT || dport == TZSP_PORT) return decodeTzsp(p, end);
  return NOT_A_TUNNEL;
}

function decodeGtpU(p: usize, end: usize): i32 {
  if (end - p < GTP_HEADER_LEN) return NOT_A_TUNNEL;
  if (gtpVersion(p) != 1 || gtpProtocolType(p) != 1 || u8at(p + GTP_MSG_TYPE) != GTP_MSG_G_PDU) return NOT_A_TUNNEL;
  const flags = u8at(p);
  let q = p + GTP_HEADER_LEN;
  if ((flags & (GTP_FLAG_EXT | GTP_FLAG_SEQ | GTP_FLAG_NPDU)) != 0) {
    if (end - p < GTP_HEADER_LEN + GTP_OPTIONAL_LEN) return NOT_A_TUNNEL;
    q += GTP_OPTIONAL_LEN;
    if ((flags & GTP_FLAG_EXT) != 0) {
      let nextType = u8at(p + GTP_NEXT_EXT_TYPE);
      for (let hops = 0; nextType != 0; hops++) {
        if (hops >= MAX_HEADER_CHAIN || end - q < 4) return NOT_A_TUNNEL;
        const len = <usize>u8at(q) << 2;
        if (len == 0 || end - q < len) return NOT_A_TUNNEL;
        nextType = u8at(q + len - 1);
        q += len;
      }
    }
  }
  if (end - q < 1) return NOT_A_TUNNEL;
  const version = ipVersionNibble(q);
  if (version != 4 && version != 6) return NOT_A_TUNNEL;
  if (!info.enterTunnel(info.TUNNEL_GTP)) return NOT_A_TUNNEL;
  return decodeIp(q, end);
}

function decodeCapwap(p: usize, end: usize): i32 {
  if (end - p < CAPWAP_MIN_HEADER_LEN || u8at(p) != 0) return NOT_A_TUNNEL;
  const headerLen = capwapHeaderLen(p);
  if (headerLen < CAPWAP_MIN_HEADER_LEN || end - p < headerLen || capwapIsFragment(p)) return NOT_A_TUNNEL;
  const native = capwapIsNativeFrame(p);
  if (native && capwapWirelessBinding(p) != CAPWAP_WBID_IEEE80211) return NOT_A_TUNNEL;
  if (!info.enterTunnel(info.TUNNEL_CAPWAP)) return NOT_A_TUNNEL;
  return native ? decode80211(p + headerLen, end, true) : decodeEthernet(p + headerLen, end);
}

function decodeTzsp(p: usize, end: usize): i32 {
  if (end - p < TZSP_HEADER_LEN || u8at(p) != 1) return NOT_A_TUNNEL;
  const encapsulation = be16(p + TZSP_ENCAP);
  let q = p + TZSP_HEADER_LEN;
  for (let tags = 0; ; tags++) {
    if (tags >= 64 || q >= end) return NOT_A_TUNNEL;
    const tag = u8at(q);
    if (tag == TZSP_TAG_END) { q++; break; }
    if (tag == TZSP_TAG_PADDING) { q++; continue; }
    if (end - q < 2) return NOT_A_TUNNEL;
    q += 2 + <usize>u8at(q + 1);
  }
  if (encapsulation == TZSP_ENCAP_ETHERNET) {
    if (!info.enterTunnel(info.TUNNEL_TZSP)) return NOT_A_TUNNEL;
    return decodeEthernet(q, end);
  }
  if (encapsulation == TZSP_ENCAP_IEEE80211) {
    if (!info.enterTunnel(info.TUNNEL_TZSP)) return NOT_A_TUNNEL;
    return decode80211(q, end);
  }
  return NOT_A_TUNNEL;
}
