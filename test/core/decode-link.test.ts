// Link layers (core-as/decode/packet.ts decodeLink/decodeEthertype, core-as/wire/*): each link
// type and L2 encapsulation carrying the same UDP datagram must give the same flow, with the
// innermost VLAN id, frame bytes counted whole and goodput = the UDP payload only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlowInfo } from '../../runtime/types.ts';
import {
  ETH, IPPROTO, LINKTYPE, PPP, chdlc, ethernet, ethernetLlcSnap, ipv4, ipv6, llcSnap, loopback, mplsStack,
  padded, pattern, ppi, pppHdlc, pppPfc, pppoeSession, sll, sll2, udp, vlanTag, wlanData, zeros, cat, be16, le16,
  type Bytes,
} from './bytes.ts';
import { assertFlow, onlyFlow, runFrames, skippedOnly } from './run.ts';
import { ARP_REQUEST } from './samples.ts';

const PAYLOAD = pattern(12);
const DGRAM = udp({ sport: 40001, dport: 53, payload: PAYLOAD });
const IP4 = ipv4({ src: '192.0.2.1', dst: '198.51.100.2', protocol: IPPROTO.UDP, payload: DGRAM });
const IP6 = ipv6({ src: '2001:db8::1', dst: '2001:db8:0:1::2', nextHeader: IPPROTO.UDP, payload: DGRAM });

const FLOW4: Partial<FlowInfo> = {
  'cli.ip': '192.0.2.1', 'cli.port': 40001, 'srv.ip': '198.51.100.2', 'srv.port': 53, ip_version: 4,
  'proto.l4': 'UDP', 'proto.l4_id': IPPROTO.UDP, vlan: 0, tunnel: '',
  'cli2srv.packets': 1, 'srv2cli.packets': 0, 'srv2cli.bytes': 0,
  'cli2srv.goodput_bytes': PAYLOAD.length, 'srv2cli.goodput_bytes': 0, 'cli2srv.tcp_flags': 0,
};
const FLOW6: Partial<FlowInfo> = { ...FLOW4, 'cli.ip': '2001:db8::1', 'srv.ip': '2001:db8:0:1::2', ip_version: 6 };

interface Case { name: string; linkType: number; frame: Bytes; flow: Partial<FlowInfo> }

const CASES: Case[] = [
  // IEEE 802.3 §3.2: Ethernet II; frames below 60 bytes are padded, the padding is no payload.
  { name: 'Ethernet II, IPv4, padded to 60 bytes', linkType: LINKTYPE.ETHERNET, frame: padded(ethernet(ETH.IPV4, IP4)), flow: FLOW4 },
  { name: 'Ethernet II, IPv6', linkType: LINKTYPE.ETHERNET, frame: ethernet(ETH.IPV6, IP6), flow: FLOW6 },
  { name: 'IEEE 802.3 length + LLC/SNAP (RFC 1042), IPv4', linkType: LINKTYPE.ETHERNET, frame: padded(ethernetLlcSnap(ETH.IPV4, IP4)), flow: FLOW4 },
  // IEEE 802.1Q §9.6: the VID is the low 12 bits of the TCI (PCP 5 must not leak into it).
  { name: '802.1Q tag, VID 100, PCP 5', linkType: LINKTYPE.ETHERNET, frame: padded(ethernet(ETH.VLAN, vlanTag(100, ETH.IPV4, IP4, 5))), flow: { ...FLOW4, vlan: 100 } },
  { name: '802.1Q VID 4094 (all bits of the VID)', linkType: LINKTYPE.ETHERNET, frame: ethernet(ETH.VLAN, vlanTag(4094, ETH.IPV6, IP6, 7)), flow: { ...FLOW6, vlan: 4094 } },
  // IEEE 802.1ad: S-tag (0x88a8) then C-tag (0x8100): the inner (C) VID keys the flow.
  { name: '802.1ad S-tag 300 + C-tag 42: innermost VID', linkType: LINKTYPE.ETHERNET, frame: ethernet(ETH.QINQ, vlanTag(300, ETH.VLAN, vlanTag(42, ETH.IPV4, IP4))), flow: { ...FLOW4, vlan: 42 } },
  { name: 'pre-standard QinQ 0x9100 + 0x8100', linkType: LINKTYPE.ETHERNET, frame: ethernet(0x9100, vlanTag(7, ETH.VLAN, vlanTag(8, ETH.IPV4, IP4))), flow: { ...FLOW4, vlan: 8 } },
  // RFC 3032 §2.1: label stack; the IP version nibble after the bottom entry picks IPv4/IPv6.
  { name: 'MPLS, two labels, IPv4', linkType: LINKTYPE.ETHERNET, frame: ethernet(ETH.MPLS, mplsStack([16, 1000], IP4)), flow: FLOW4 },
  { name: 'MPLS multicast (0x8848), one label, IPv6', linkType: LINKTYPE.ETHERNET, frame: ethernet(0x8848, mplsStack([3], IP6)), flow: FLOW6 },
  { name: '802.1Q VID 10 then MPLS', linkType: LINKTYPE.ETHERNET, frame: ethernet(ETH.VLAN, vlanTag(10, ETH.MPLS, mplsStack([20], IP4))), flow: { ...FLOW4, vlan: 10 } },
  // RFC 2516 §4: PPPoE session stage.
  { name: 'PPPoE session, IPv4', linkType: LINKTYPE.ETHERNET, frame: ethernet(ETH.PPPOE_SESSION, pppoeSession(0x1234, PPP.IPV4, IP4)), flow: FLOW4 },
  { name: '802.1Q VID 35 + PPPoE session, IPv6', linkType: LINKTYPE.ETHERNET, frame: ethernet(ETH.VLAN, vlanTag(35, ETH.PPPOE_SESSION, pppoeSession(1, PPP.IPV6, IP6))), flow: { ...FLOW6, vlan: 35 } },
  // Linux cooked captures (tcpdump.org LINKTYPE_LINUX_SLL / LINKTYPE_LINUX_SLL2).
  { name: 'Linux SLL, IPv4 (outgoing)', linkType: LINKTYPE.LINUX_SLL, frame: sll(ETH.IPV4, IP4, 4), flow: FLOW4 },
  { name: 'Linux SLL, 802.1Q VID 9', linkType: LINKTYPE.LINUX_SLL, frame: sll(ETH.VLAN, vlanTag(9, ETH.IPV6, IP6)), flow: { ...FLOW6, vlan: 9 } },
  { name: 'Linux SLL2, IPv4', linkType: LINKTYPE.LINUX_SLL2, frame: sll2(ETH.IPV4, IP4), flow: FLOW4 },
  { name: 'Linux SLL2, IPv6', linkType: LINKTYPE.LINUX_SLL2, frame: sll2(ETH.IPV6, IP6), flow: FLOW6 },
  // BSD loopback: NULL in host order (either), LOOP in network order; AF_INET6 is 24/28/30/10.
  { name: 'NULL, AF_INET little-endian', linkType: LINKTYPE.NULL, frame: loopback(2, IP4, false), flow: FLOW4 },
  { name: 'NULL, AF_INET big-endian host', linkType: LINKTYPE.NULL, frame: loopback(2, IP4, true), flow: FLOW4 },
  { name: 'NULL, AF_INET6 30 (macOS)', linkType: LINKTYPE.NULL, frame: loopback(30, IP6, false), flow: FLOW6 },
  { name: 'NULL, AF_INET6 28 (FreeBSD)', linkType: LINKTYPE.NULL, frame: loopback(28, IP6, false), flow: FLOW6 },
  // An unknown family value: the IP version nibble decides (core-as/decode/packet.ts).
  { name: 'NULL, unknown family 99, IPv4 inside', linkType: LINKTYPE.NULL, frame: loopback(99, IP4, false), flow: FLOW4 },
  { name: 'LOOP, AF_INET', linkType: LINKTYPE.LOOP, frame: loopback(2, IP4, true), flow: FLOW4 },
  { name: 'LOOP, AF_INET6 24 (OpenBSD)', linkType: LINKTYPE.LOOP, frame: loopback(24, IP6, true), flow: FLOW6 },
  // PPP (RFC 1661 §2) with HDLC-like framing (RFC 1662 §3.1) or compressed fields (RFC 1661 §6.5/§6.6).
  { name: 'PPP, HDLC framing ff 03 0021', linkType: LINKTYPE.PPP, frame: pppHdlc(PPP.IPV4, IP4), flow: FLOW4 },
  { name: 'PPP, address/control and protocol compressed (21)', linkType: LINKTYPE.PPP, frame: pppPfc(0x21, IP4), flow: FLOW4 },
  { name: 'PPP, address/control compressed, 2-byte protocol 0057', linkType: LINKTYPE.PPP, frame: cat(be16(PPP.IPV6), IP6), flow: FLOW6 },
  { name: 'PPP_HDLC (50), IPv6', linkType: LINKTYPE.PPP_HDLC, frame: pppHdlc(PPP.IPV6, IP6), flow: FLOW6 },
  { name: 'PPP_HDLC (50), PFC protocol 57', linkType: LINKTYPE.PPP_HDLC, frame: pppPfc(0x57, IP6), flow: FLOW6 },
  // Cisco HDLC: address, control, EtherType.
  { name: 'C_HDLC, IPv4', linkType: LINKTYPE.C_HDLC, frame: chdlc(ETH.IPV4, IP4), flow: FLOW4 },
  { name: 'C_HDLC, IPv6', linkType: LINKTYPE.C_HDLC, frame: chdlc(ETH.IPV6, IP6), flow: FLOW6 },
  // PPI 1.0.10 §3.1: the DLT field names the link type that follows the header.
  { name: 'PPI wrapping Ethernet', linkType: LINKTYPE.PPI, frame: ppi(LINKTYPE.ETHERNET, ethernet(ETH.VLAN, vlanTag(5, ETH.IPV4, IP4))), flow: { ...FLOW4, vlan: 5 } },
  { name: 'PPI wrapping 802.11', linkType: LINKTYPE.PPI, frame: ppi(LINKTYPE.IEEE802_11, wlanData(llcSnap(ETH.IPV4, IP4), { toDs: true })), flow: FLOW4 },
  // IEEE 802.11-2020 §9.3.2.1: 24-byte header, +6 for address 4, +2 for QoS control.
  { name: '802.11 data to-DS + LLC/SNAP', linkType: LINKTYPE.IEEE802_11, frame: wlanData(llcSnap(ETH.IPV4, IP4), { toDs: true }), flow: FLOW4 },
  { name: '802.11 QoS data from-DS, IPv6', linkType: LINKTYPE.IEEE802_11, frame: wlanData(llcSnap(ETH.IPV6, IP6), { fromDs: true, qos: true }), flow: FLOW6 },
  { name: '802.11 QoS data, 4 addresses (WDS)', linkType: LINKTYPE.IEEE802_11, frame: wlanData(llcSnap(ETH.IPV4, IP4), { toDs: true, fromDs: true, qos: true }), flow: FLOW4 },
  { name: '802.11 QoS data with Order set: HT Control follows QoS Control', linkType: LINKTYPE.IEEE802_11, frame: wlanData(llcSnap(ETH.IPV6, IP6), { toDs: true, qos: true, order: true }), flow: FLOW6 },
  // Raw IP link types.
  { name: 'RAW (101), IPv4', linkType: LINKTYPE.RAW, frame: IP4, flow: FLOW4 },
  { name: 'RAW (101), IPv6', linkType: LINKTYPE.RAW, frame: IP6, flow: FLOW6 },
  { name: 'IPV4 (228)', linkType: LINKTYPE.IPV4, frame: IP4, flow: FLOW4 },
  { name: 'IPV6 (229)', linkType: LINKTYPE.IPV6, frame: IP6, flow: FLOW6 },
];

for (const c of CASES) {
  test(`link: ${c.name}`, async () => {
    const result = await runFrames(c.linkType, [c.frame]);
    skippedOnly(result.stats, {});
    assert.equal(result.stats.packetsInFlows, 1);
    assert.equal(result.stats.tunnelledPackets, 0);
    assertFlow(onlyFlow(result), { ...c.flow, 'cli2srv.bytes': c.frame.length, bytes: c.frame.length, packets: 1 });
  });
}

const NOT_IP: Array<[string, number, Bytes, string]> = [
  ['Ethernet ARP', LINKTYPE.ETHERNET, padded(ethernet(ETH.ARP, ARP_REQUEST)), 'non_ip'],
  ['802.1Q ARP', LINKTYPE.ETHERNET, padded(ethernet(ETH.VLAN, vlanTag(3, ETH.ARP, ARP_REQUEST))), 'non_ip'],
  ['PPPoE discovery (PADI)', LINKTYPE.ETHERNET, padded(ethernet(ETH.PPPOE_DISCOVERY, cat([0x11, 0x09, 0, 0], be16(4), [1, 1, 0, 0]))), 'non_ip'],
  ['PPPoE session carrying LCP', LINKTYPE.ETHERNET, padded(ethernet(ETH.PPPOE_SESSION, pppoeSession(1, PPP.LCP, zeros(8)))), 'non_ip'],
  ['802.3 + 802.2 LLC (STP, not SNAP)', LINKTYPE.ETHERNET, padded(cat(ethernet(38, cat([0x42, 0x42, 0x03], zeros(35))))), 'non_ip'],
  ['PPP LCP', LINKTYPE.PPP, pppHdlc(PPP.LCP, zeros(8)), 'non_ip'],
  ['C_HDLC SLARP (0x8035)', LINKTYPE.C_HDLC, chdlc(0x8035, zeros(20)), 'non_ip'],
  ['SLL ARP', LINKTYPE.LINUX_SLL, sll(ETH.ARP, ARP_REQUEST), 'non_ip'],
  ['MPLS with a non-IP payload', LINKTYPE.ETHERNET, padded(ethernet(ETH.MPLS, mplsStack([5], zeros(20)))), 'non_ip'],
  ['802.11 protected data', LINKTYPE.IEEE802_11, wlanData(llcSnap(ETH.IPV4, IP4), { toDs: true, protected: true }), 'non_ip'],
  ['802.11 beacon (management)', LINKTYPE.IEEE802_11, cat(le16(0x0080), zeros(22), zeros(12)), 'non_ip'],
  ['802.11 null function (data subtype 4)', LINKTYPE.IEEE802_11, cat(le16(0x0148), zeros(22)), 'non_ip'],
  ['NULL, unknown family 99, no IP inside', LINKTYPE.NULL, loopback(99, zeros(40), false), 'non_ip'],
  ['USER0 link type (147)', LINKTYPE.USER0, IP4, 'unsupported_linktype'],
  ['link type 999', 999, IP4, 'unsupported_linktype'],
  ['PPI inside PPI', LINKTYPE.PPI, ppi(LINKTYPE.PPI, ppi(LINKTYPE.ETHERNET, ethernet(ETH.IPV4, IP4))), 'malformed'],
  ['Ethernet header cut (10 bytes)', LINKTYPE.ETHERNET, zeros(10), 'truncated'],
  ['802.1Q tag cut', LINKTYPE.ETHERNET, ethernet(ETH.VLAN, [0, 1]), 'truncated'],
  ['SLL header cut', LINKTYPE.LINUX_SLL, zeros(12), 'truncated'],
  ['SLL2 header cut', LINKTYPE.LINUX_SLL2, zeros(16), 'truncated'],
  ['NULL header cut', LINKTYPE.NULL, zeros(3), 'truncated'],
];

for (const [name, linkType, frame, reason] of NOT_IP) {
  test(`link, no flow: ${name} -> skipped.${reason}`, async () => {
    const result = await runFrames(linkType, [frame, frame]);
    assert.deepEqual(result.flows, []);
    assert.equal(result.stats.packets, 2);
    skippedOnly(result.stats, { [reason]: 2 });
  });
}

test('Ethernet trailer after the IP datagram (e.g. an FCS) is frame bytes, not goodput', async () => {
  const frame = cat(ethernet(ETH.IPV6, IP6), [1, 2, 3, 4]);
  assertFlow(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [frame])), { 'cli2srv.bytes': frame.length, 'cli2srv.goodput_bytes': PAYLOAD.length });
});

/** n 802.1Q tags with VIDs 1..n, IPv4 inside. */
const vlanStack = (n: number): Bytes => {
  let inner: Bytes = IP4;
  for (let vid = n; vid >= 1; vid--) inner = vlanTag(vid, vid === n ? ETH.IPV4 : ETH.VLAN, inner);
  return ethernet(ETH.VLAN, inner);
};

test('16 stacked VLAN tags still decode (the bound MPLS and IPv6 chains also allow)', async () => {
  assertFlow(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [vlanStack(16)])), { ...FLOW4, vlan: 16 });
});

test('15 stacked VLAN tags decode, innermost VID kept', async () => {
  assertFlow(onlyFlow(await runFrames(LINKTYPE.ETHERNET, [vlanStack(15)])), { ...FLOW4, vlan: 15 });
});

test('header-chain bombs: 17 and 1000 VLAN tags end quickly as skipped.malformed', { timeout: 5000 }, async () => {
  const result = await runFrames(LINKTYPE.ETHERNET, [vlanStack(17), vlanStack(1000)]);
  assert.deepEqual(result.flows, []);
  skippedOnly(result.stats, { malformed: 2 });
});

test('16 MPLS labels decode; 17 and 1000 labels end as skipped.malformed', { timeout: 5000 }, async () => {
  const labels = (n: number) => ethernet(ETH.MPLS, mplsStack(Array.from({ length: n }, (_, i) => 100 + i), IP4));
  const ok = await runFrames(LINKTYPE.ETHERNET, [labels(16)]);
  assertFlow(onlyFlow(ok), FLOW4);
  const bomb = await runFrames(LINKTYPE.ETHERNET, [labels(17), labels(1000)]);
  assert.deepEqual(bomb.flows, []);
  skippedOnly(bomb.stats, { malformed: 2 });
});
