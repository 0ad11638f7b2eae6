// Small captures shared by the framing tests: a few flows of different kinds, in pcap and pcapng.
import {
  ETH, IPPROTO, LINKTYPE, TCP_FLAG, T0, ascii, cat, epb, ethernet, idb, ipv4, ipv6, ngBlock, padded,
  pattern, pcapFile, shb, spb, tcp, tcpOpt, udp, usTicks, vlanTag, type Bytes, type PcapOptions,
} from './bytes.ts';

const syn = tcp({ sport: 40000, dport: 80, flags: TCP_FLAG.SYN, seq: 100, options: [...tcpOpt.mss(1460), ...tcpOpt.sackPermitted(), ...tcpOpt.nop(), ...tcpOpt.nop()] });
const synAck = tcp({ sport: 80, dport: 40000, flags: TCP_FLAG.SYN | TCP_FLAG.ACK, seq: 500, ack: 101, options: tcpOpt.mss(1400) });
const ack = tcp({ sport: 40000, dport: 80, flags: TCP_FLAG.ACK | TCP_FLAG.PSH, seq: 101, ack: 501, payload: ascii('GET / HTTP/1.0\r\n\r\n') });

/** ARP request (RFC 826): htype 1, ptype IPv4, hlen 6, plen 4, op 1, addresses. */
export const ARP_REQUEST = cat([0, 1, 8, 0, 6, 4, 0, 1], [2, 0, 0, 0, 0, 1], [10, 0, 0, 1], [0, 0, 0, 0, 0, 0], [10, 0, 0, 2]);

/** Six Ethernet frames: a TCP handshake with data, an ARP request, an IPv6 UDP packet, a VLAN 7 UDP packet. */
export const SAMPLE_FRAMES: Bytes[] = [
  padded(ethernet(ETH.IPV4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.TCP, payload: syn }))),
  padded(ethernet(ETH.IPV4, ipv4({ src: '10.0.0.2', dst: '10.0.0.1', protocol: IPPROTO.TCP, payload: synAck }))),
  padded(ethernet(ETH.IPV4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.TCP, payload: ack }))),
  padded(ethernet(ETH.ARP, ARP_REQUEST)),
  ethernet(ETH.IPV6, ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: IPPROTO.UDP, payload: udp({ sport: 5000, dport: 53, payload: pattern(10) }) })),
  padded(ethernet(ETH.VLAN, vlanTag(7, ETH.IPV4, ipv4({ src: '192.168.7.1', dst: '192.168.7.2', protocol: IPPROTO.UDP, payload: udp({ sport: 123, dport: 123, payload: pattern(4) }) })))),
];

/** The frames 1.5 s apart from T0 + 0.25 s. */
export function samplePcap(opts: PcapOptions = {}): Bytes {
  return pcapFile(LINKTYPE.ETHERNET, SAMPLE_FRAMES.map((data, i) => {
    const us = 250_000 + i * 1_500_000;
    return { sec: T0 + Math.floor(us / 1e6), frac: opts.nanos ? (us % 1e6) * 1000 : us % 1e6, data };
  }), opts);
}

/** The same frames as pcapng: SHB, IDB, an unknown block, EPBs (the last one as an SPB). */
export function samplePcapng(bigEndian = false): Bytes {
  const blocks = [shb({ bigEndian, options: [{ code: 4, value: ascii('flowscope tests') }] }), idb(LINKTYPE.ETHERNET, { bigEndian, snaplen: 262144, name: 'eth0' })];
  SAMPLE_FRAMES.forEach((data, i) => {
    if (i === 3) blocks.push(ngBlock(0x00000bad, pattern(8), bigEndian)); // custom-ish block: skipped
    blocks.push(i === SAMPLE_FRAMES.length - 1 ? spb(data, { bigEndian }) : epb(0, usTicks(250_000 + i * 1_500_000), data, { bigEndian }));
  });
  return cat(...blocks);
}
