// Encapsulations whose inner packet is the flow (core-as/decode/packet.ts decodeGre,
// decodeUdpTunnel, decodeGtpU, decodeCapwap, decodeTzsp; core-as/wire/tunnels.ts): the flow
// carries the inner 5-tuple and the tunnel's name, bytes count the outer frame, goodput the
// inner L4 payload.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlowInfo } from '../../runtime/types.ts';
import {
  ETH, IPPROTO, LINKTYPE, PORT, PPP, TCP_FLAG, be16, be32, capwap, cat, ethernet, gre, gtpu, ipv4, ipv6, llcSnap,
  pattern, pppHdlc, tcp, tzsp, udp, vlanTag, vxlan, wlanData, type Bytes,
} from './bytes.ts';
import { assertFlow, onlyFlow, runFrames, skippedOnly } from './run.ts';

const INNER_PAYLOAD = pattern(20);
const INNER_UDP = udp({ sport: 33000, dport: 443, payload: INNER_PAYLOAD });
const INNER4 = ipv4({ src: '172.16.0.1', dst: '172.16.0.2', protocol: IPPROTO.UDP, payload: INNER_UDP });
const INNER6 = ipv6({ src: 'fd00::1', dst: 'fd00::2', nextHeader: IPPROTO.UDP, payload: INNER_UDP });
const INNER_FLOW4: Partial<FlowInfo> = {
  'cli.ip': '172.16.0.1', 'cli.port': 33000, 'srv.ip': '172.16.0.2', 'srv.port': 443, ip_version: 4, 'proto.l4_id': IPPROTO.UDP,
  vlan: 0, 'cli2srv.packets': 1, 'srv2cli.packets': 0, 'cli2srv.goodput_bytes': INNER_PAYLOAD.length,
};
const INNER_FLOW6: Partial<FlowInfo> = { ...INNER_FLOW4, 'cli.ip': 'fd00::1', 'srv.ip': 'fd00::2', ip_version: 6 };

/** Outer Ethernet + IPv4 198.51.100.1 -> 203.0.113.1 carrying `payload` as `protocol`. */
const outer4 = (protocol: number, payload: Bytes) => ethernet(ETH.IPV4, ipv4({ src: '198.51.100.1', dst: '203.0.113.1', protocol, payload }));
const outer6 = (nextHeader: number, payload: Bytes) => ethernet(ETH.IPV6, ipv6({ src: '2001:db8:a::1', dst: '2001:db8:b::1', nextHeader, payload }));
const outerUdp = (dport: number, payload: Bytes, sport = 50000) => outer4(IPPROTO.UDP, udp({ sport, dport, payload }));
const innerEthernet = (ip: Bytes) => ethernet(ip === INNER6 ? ETH.IPV6 : ETH.IPV4, ip);

interface Case { name: string; frame: Bytes; tunnel: string; flow: Partial<FlowInfo> }

const CASES: Case[] = [
  // RFC 2784 §2.1 / RFC 2890 §2.
  { name: 'GRE, no optional fields, inner IPv4', frame: outer4(IPPROTO.GRE, gre({ protocol: ETH.IPV4, payload: INNER4 })), tunnel: 'GRE', flow: INNER_FLOW4 },
  { name: 'GRE with checksum, key and sequence number, inner IPv6', frame: outer4(IPPROTO.GRE, gre({ protocol: ETH.IPV6, checksum: true, key: 0xdeadbeef, seq: 7, payload: INNER6 })), tunnel: 'GRE', flow: INNER_FLOW6 },
  { name: 'GRE with key only, over IPv6', frame: outer6(IPPROTO.GRE, gre({ protocol: ETH.IPV4, key: 1, payload: INNER4 })), tunnel: 'GRE', flow: INNER_FLOW4 },
  { name: 'GRE transparent Ethernet bridging (0x6558, RFC 7637), inner 802.1Q VID 77', frame: outer4(IPPROTO.GRE, gre({ protocol: ETH.TEB, key: 0x1000, payload: ethernet(ETH.VLAN, vlanTag(77, ETH.IPV4, INNER4)) })), tunnel: 'GRE', flow: { ...INNER_FLOW4, vlan: 77 } },
  // RFC 2637 §4.1 enhanced GRE (version 1, K, S and A set: payload length + call id, sequence, ack) carrying PPP.
  { name: 'PPTP enhanced GRE carrying PPP/IPv4', frame: outer4(IPPROTO.GRE, cat(be16(0x3081), be16(0x880b), be16(INNER4.length + 4), be16(0x55), be32(1), be32(0), pppHdlc(PPP.IPV4, INNER4))), tunnel: 'GRE', flow: INNER_FLOW4 },
  // RFC 7348 §5.
  { name: 'VXLAN (UDP 4789), inner Ethernet IPv4', frame: outerUdp(PORT.VXLAN, vxlan(5001, innerEthernet(INNER4))), tunnel: 'VXLAN', flow: INNER_FLOW4 },
  { name: 'VXLAN in outer 802.1Q VID 10, untagged inner frame: VID 10 kept', frame: ethernet(ETH.VLAN, vlanTag(10, ETH.IPV4, ipv4({ src: '198.51.100.1', dst: '203.0.113.1', protocol: IPPROTO.UDP, payload: udp({ sport: 1, dport: PORT.VXLAN, payload: vxlan(1, innerEthernet(INNER6)) }) }))), tunnel: 'VXLAN', flow: { ...INNER_FLOW6, vlan: 10 } },
  // 3GPP TS 29.281 §5.1, §5.2.
  { name: 'GTP-U without optional fields, inner IPv4', frame: outerUdp(PORT.GTPU, gtpu({ teid: 0x11223344, payload: INNER4 }), PORT.GTPU), tunnel: 'GTP', flow: INNER_FLOW4 },
  { name: 'GTP-U with sequence number, inner IPv6', frame: outerUdp(PORT.GTPU, gtpu({ teid: 1, seq: 99, payload: INNER6 }), PORT.GTPU), tunnel: 'GTP', flow: INNER_FLOW6 },
  { name: 'GTP-U with PDU Session Container (0x85) and a second extension header', frame: outerUdp(PORT.GTPU, gtpu({ teid: 2, extensions: [{ type: 0x85, content: [0x00, 0x09] }, { type: 0x40, content: [0, 0, 0, 0, 0, 0] }], payload: INNER4 })), tunnel: 'GTP', flow: INNER_FLOW4 },
  // RFC 5415 §4.3 (data channel, UDP 5247) with the RFC 5416 IEEE 802.11 binding.
  { name: 'CAPWAP data, 802.3 payload (T clear)', frame: outerUdp(PORT.CAPWAP_DATA, capwap({ payload: innerEthernet(INNER4) }), 5246), tunnel: 'CAPWAP', flow: INNER_FLOW4 },
  { name: 'CAPWAP data, native 802.11 frame (T set, WBID 1)', frame: outerUdp(PORT.CAPWAP_DATA, capwap({ native80211: true, payload: wlanData(llcSnap(ETH.IPV4, INNER4), { fromDs: true, qos: true }) })), tunnel: 'CAPWAP', flow: INNER_FLOW4 },
  { name: 'CAPWAP data, native 802.11 with the frame control bytes swapped (Cisco)', frame: outerUdp(PORT.CAPWAP_DATA, capwap({ native80211: true, payload: wlanData(llcSnap(ETH.IPV6, INNER6), { toDs: true, swapFrameControl: true }) })), tunnel: 'CAPWAP', flow: INNER_FLOW6 },
  // TZSP: version 1, type, encapsulation (1 Ethernet, 18 IEEE 802.11), tags, END.
  { name: 'TZSP (UDP 37008), Ethernet, with padding and a signal tag', frame: outerUdp(PORT.TZSP, tzsp({ encapsulation: 1, tags: [0, 10, 1, 0xc4], payload: innerEthernet(INNER4) })), tunnel: 'TZSP', flow: INNER_FLOW4 },
  { name: 'TZSP, IEEE 802.11', frame: outerUdp(PORT.TZSP, tzsp({ encapsulation: 18, payload: wlanData(llcSnap(ETH.IPV4, INNER4), { toDs: true }) })), tunnel: 'TZSP', flow: INNER_FLOW4 },
  // RFC 2003 §3 IP-in-IP, RFC 4213 §3.5 6in4, RFC 2473 §3 4in6 and 6in6.
  { name: 'IP-in-IP (protocol 4)', frame: outer4(IPPROTO.IPIP, INNER4), tunnel: 'IP-in-IP', flow: INNER_FLOW4 },
  { name: '6in4 (protocol 41)', frame: outer4(IPPROTO.IPV6, INNER6), tunnel: 'IP-in-IP', flow: INNER_FLOW6 },
  { name: '4in6 (next header 4)', frame: outer6(IPPROTO.IPIP, INNER4), tunnel: 'IP-in-IP', flow: INNER_FLOW4 },
  { name: '6in6 (next header 41)', frame: outer6(IPPROTO.IPV6, INNER6), tunnel: 'IP-in-IP', flow: INNER_FLOW6 },
  { name: 'nested: IP-in-IP then GRE: the outermost tunnel names the flow', frame: outer4(IPPROTO.IPIP, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.GRE, payload: gre({ protocol: ETH.IPV4, payload: INNER4 }) })), tunnel: 'IP-in-IP', flow: INNER_FLOW4 },
];

for (const c of CASES) {
  test(`tunnel: ${c.name}`, async () => {
    const result = await runFrames(LINKTYPE.ETHERNET, [c.frame]);
    skippedOnly(result.stats, {});
    assert.equal(result.stats.tunnelledPackets, 1);
    assertFlow(onlyFlow(result), { ...c.flow, tunnel: c.tunnel, 'cli2srv.bytes': c.frame.length });
  });
}

// Payloads on the tunnel ports that are not that tunnel stay outer flows.
const NOT_TUNNELS: Array<[string, Bytes, number, number]> = [
  ['VXLAN port, I flag clear', outerUdp(PORT.VXLAN, cat([0, 0, 0, 0, 0, 0, 0x10, 0], innerEthernet(INNER4))), IPPROTO.UDP, PORT.VXLAN],
  ['GTP port, Echo Request (type 1)', outerUdp(PORT.GTPU, cat([0x32, 0x01], be16(4), be32(0), be16(1), [0, 0])), IPPROTO.UDP, PORT.GTPU],
  ['GTP port, GTPv2-C header', outerUdp(PORT.GTPU, cat([0x48, 0x20], be16(8), be32(0), be32(0))), IPPROTO.UDP, PORT.GTPU],
  ['CAPWAP data port, fragment (F set)', outerUdp(PORT.CAPWAP_DATA, capwap({ fragment: true, payload: innerEthernet(INNER4) })), IPPROTO.UDP, PORT.CAPWAP_DATA],
  ['CAPWAP data port, native frame of WBID 3', outerUdp(PORT.CAPWAP_DATA, capwap({ native80211: true, wbid: 3, payload: innerEthernet(INNER4) })), IPPROTO.UDP, PORT.CAPWAP_DATA],
  ['TZSP port, encapsulation 0x1234', outerUdp(PORT.TZSP, tzsp({ encapsulation: 0x1234, payload: INNER4 })), IPPROTO.UDP, PORT.TZSP],
  ['GRE version 2', outer4(IPPROTO.GRE, cat(be16(0x0002), be16(ETH.IPV4), INNER4)), IPPROTO.GRE, 0],
  ['GRE carrying an unknown protocol', outer4(IPPROTO.GRE, gre({ protocol: 0x0101, payload: INNER4 })), IPPROTO.GRE, 0],
];

for (const [name, frame, proto, srvPort] of NOT_TUNNELS) {
  test(`not a tunnel: ${name} -> the outer flow`, async () => {
    const result = await runFrames(LINKTYPE.ETHERNET, [frame]);
    assert.equal(result.stats.tunnelledPackets, 0);
    assertFlow(onlyFlow(result), { 'cli.ip': '198.51.100.1', 'srv.ip': '203.0.113.1', 'proto.l4_id': proto, 'srv.port': srvPort, tunnel: '' });
  });
}

test('both directions through a GTP-U tunnel land in one flow (reply: outer and inner reversed)', async () => {
  const reply = ipv4({ src: '172.16.0.2', dst: '172.16.0.1', protocol: IPPROTO.UDP, payload: udp({ sport: 443, dport: 33000, payload: pattern(100) }) });
  const up = outerUdp(PORT.GTPU, gtpu({ teid: 1, payload: INNER4 }), PORT.GTPU);
  const down = ethernet(ETH.IPV4, ipv4({ src: '203.0.113.1', dst: '198.51.100.1', protocol: IPPROTO.UDP, payload: udp({ sport: PORT.GTPU, dport: PORT.GTPU, payload: gtpu({ teid: 2, payload: reply }) }) }));
  const result = await runFrames(LINKTYPE.ETHERNET, [up, down]);
  assert.equal(result.stats.tunnelledPackets, 2);
  assertFlow(onlyFlow(result), {
    ...INNER_FLOW4, tunnel: 'GTP', 'srv2cli.packets': 1, 'cli2srv.bytes': up.length, 'srv2cli.bytes': down.length, 'srv2cli.goodput_bytes': 100,
  });
});

test('5 nested IP-in-IP encapsulations do not hang and are counted in one flow', { timeout: 5000 }, async () => {
  let packet = INNER4;
  for (let level = 5; level >= 1; level--) packet = ipv4({ src: `10.${level}.0.1`, dst: `10.${level}.0.2`, protocol: IPPROTO.IPIP, payload: packet });
  const result = await runFrames(LINKTYPE.RAW, [packet, packet]);
  skippedOnly(result.stats, {});
  assert.equal(result.stats.packetsInFlows, 2);
  const flow = onlyFlow(result);
  assertFlow(flow, { tunnel: 'IP-in-IP', 'cli2srv.packets': 2, 'cli2srv.bytes': 2 * packet.length });
  // The depth bound stops before the innermost UDP: the flow is an IP-in-IP hop, not the UDP one.
  assert.equal(flow['proto.l4_id'], IPPROTO.IPIP);
});

test('GTP-U extension header chain bomb (64 headers) is no tunnel: the outer UDP flow', { timeout: 5000 }, async () => {
  const extensions = Array.from({ length: 64 }, () => ({ type: 0x40, content: [0, 0] }));
  const result = await runFrames(LINKTYPE.ETHERNET, [outerUdp(PORT.GTPU, gtpu({ teid: 3, extensions, payload: INNER4 }))]);
  assertFlow(onlyFlow(result), { 'srv.port': PORT.GTPU, tunnel: '' });
});
