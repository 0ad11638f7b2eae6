// Builds one UDP or TCP conversation from application payloads and runs it through the engine,
// for the dissector unit tests: the client 10.0.0.1 (or fe80::1) talks to 10.0.0.2 (fe80::2),
// frames 1 ms apart; TCP conversations open with a three-way handshake (RFC 9293 §3.5).
import {
  ETH, IPPROTO, LINKTYPE, TCP_FLAG, ethernet, ipv4, ipv6, tcp, udp, type Bytes,
} from '../core/bytes.ts';
import { onlyFlow, runFrames } from '../core/run.ts';
import type { FlowInfo } from '../../runtime/types.ts';

/** A payload from the client, or `{ reply }` from the server. */
export type Turn = Bytes | { reply: Bytes };

export interface ConversationOptions {
  ipv6?: boolean;
  client?: string;
  server?: string;
}

function ipFrame(o: ConversationOptions, fromClient: boolean, protocol: number, payload: Bytes): Bytes {
  const cli = o.client ?? (o.ipv6 ? 'fe80::1' : '10.0.0.1');
  const srv = o.server ?? (o.ipv6 ? 'fe80::2' : '10.0.0.2');
  const [src, dst] = fromClient ? [cli, srv] : [srv, cli];
  return o.ipv6
    ? ethernet(ETH.IPV6, ipv6({ src, dst, nextHeader: protocol, payload }))
    : ethernet(ETH.IPV4, ipv4({ src, dst, protocol, payload }));
}

const isReply = (t: Turn): t is { reply: Bytes } => !(t instanceof Uint8Array);

export async function udpConversation(cport: number, sport: number, turns: Turn[], o: ConversationOptions = {}): Promise<FlowInfo> {
  const frames = turns.map((t) => isReply(t)
    ? ipFrame(o, false, IPPROTO.UDP, udp({ sport, dport: cport, payload: t.reply }))
    : ipFrame(o, true, IPPROTO.UDP, udp({ sport: cport, dport: sport, payload: t })));
  return onlyFlow(await runFrames(LINKTYPE.ETHERNET, frames));
}

export async function tcpConversation(cport: number, sport: number, turns: Turn[], o: ConversationOptions = {}): Promise<FlowInfo> {
  return onlyFlow(await runFrames(LINKTYPE.ETHERNET, tcpFrames(cport, sport, turns, o)));
}

/** The Ethernet frames of a TCP conversation (handshake, then the turns), for captures of several flows. */
export function tcpFrames(cport: number, sport: number, turns: Turn[], o: ConversationOptions = {}): Bytes[] {
  let cseq = 1000;
  let sseq = 5000;
  const frames = [
    ipFrame(o, true, IPPROTO.TCP, tcp({ sport: cport, dport: sport, seq: cseq++, flags: TCP_FLAG.SYN })),
    ipFrame(o, false, IPPROTO.TCP, tcp({ sport, dport: cport, seq: sseq++, ack: cseq, flags: TCP_FLAG.SYN | TCP_FLAG.ACK })),
    ipFrame(o, true, IPPROTO.TCP, tcp({ sport: cport, dport: sport, seq: cseq, ack: sseq, flags: TCP_FLAG.ACK })),
  ];
  for (const t of turns) {
    if (isReply(t)) {
      frames.push(ipFrame(o, false, IPPROTO.TCP, tcp({ sport, dport: cport, seq: sseq, ack: cseq, flags: TCP_FLAG.ACK | TCP_FLAG.PSH, payload: t.reply })));
      sseq += t.reply.length;
    } else {
      frames.push(ipFrame(o, true, IPPROTO.TCP, tcp({ sport: cport, dport: sport, seq: cseq, ack: sseq, flags: TCP_FLAG.ACK | TCP_FLAG.PSH, payload: t })));
      cseq += t.length;
    }
  }
  return frames;
}

/** The flow's classification as nDPI prints it, and its confidence. */
export function proto(f: FlowInfo): string {
  return `${f['proto.ndpi']} [${f['proto.ndpi_confidence']}]`;
}

/** One UDP datagram between two endpoints, for captures of several flows. */
export interface Datagram {
  src: string; sport: number; dst: string; dport: number; payload: Bytes;
}

/** Runs UDP datagrams (IPv4 or IPv6 by address form) in order; returns every flow. */
export async function udpDatagrams(datagrams: Datagram[]): Promise<FlowInfo[]> {
  const frames = datagrams.map((d) => {
    const payload = udp({ sport: d.sport, dport: d.dport, payload: d.payload });
    return d.src.includes(':')
      ? ethernet(ETH.IPV6, ipv6({ src: d.src, dst: d.dst, nextHeader: IPPROTO.UDP, payload }))
      : ethernet(ETH.IPV4, ipv4({ src: d.src, dst: d.dst, protocol: IPPROTO.UDP, payload }));
  });
  return (await runFrames(LINKTYPE.ETHERNET, frames)).flows;
}

/** The flow between the two ports (either direction). */
export function flowOf(flows: FlowInfo[], portA: number, portB: number): FlowInfo {
  const f = flows.find((x) => (x['cli.port'] === portA && x['srv.port'] === portB) || (x['cli.port'] === portB && x['srv.port'] === portA));
  if (!f) throw new Error(`no flow ${portA} <-> ${portB}`);
  return f;
}
