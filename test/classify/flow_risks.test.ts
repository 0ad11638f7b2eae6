// Unidirectional traffic (risk 46) exemptions of classify.ts setFlowRisks: protocols that only
// send one way. Multicast DNS answers sent to one host never get it; syslog only over UDP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ETH, IPPROTO, LINKTYPE, TCP_FLAG, ascii, be16, cat, ethernet, ipv4, tcp } from '../core/bytes.ts';
import { onlyFlow, runFrames } from '../core/run.ts';
import { proto, udpConversation } from '../dissect/l7-flows.ts';

const UNIDIRECTIONAL = 46;
const one = async (f: ReturnType<typeof udpConversation>) => [...(await f).flow_risk].includes(UNIDIRECTIONAL);

test('mDNS response to a unicast address (telegram.pcap): no unidirectional risk', async () => {
  const label = (l: string) => cat([l.length], ascii(l));
  const answer = cat(be16(0), be16(0x8400), be16(0), be16(1), be16(0), be16(0),
    label('_companion-link'), label('_tcp'), label('local'), [0], be16(12), be16(1), [0, 0, 0x11, 0x94], be16(2), [0xc0, 12]);
  const f = await udpConversation(5353, 5353, [answer], { server: '192.168.1.75' });
  assert.equal(proto(f), 'MDNS [DPI]');
  assert.ok(!(await one(Promise.resolve(f))));
});

test('syslog one way: exempt over UDP, flagged over TCP (synscan.pcap, syslog.pcap)', async () => {
  const msg = ascii('<34>Oct 11 22:14:15 mymachine su: \'su root\' failed for lonvick on /dev/pts/8');
  assert.ok(!(await one(udpConversation(40000, 514, [msg]))));
  // A client that only ever sends (its SYN unanswered, as synscan.pcap's probes of port 514).
  const syn = ethernet(ETH.IPV4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.TCP, payload: tcp({ sport: 40000, dport: 514, seq: 1, flags: TCP_FLAG.SYN }) }));
  const f = onlyFlow(await runFrames(LINKTYPE.ETHERNET, [syn]));
  assert.equal(proto(f), 'Syslog [Match by port]');
  assert.ok(await one(Promise.resolve(f)));
});

test('RDP named by its port only (a SYN to 3389, synscan.pcap) is still a desktop-sharing session', async () => {
  const syn = ethernet(ETH.IPV4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.TCP, payload: tcp({ sport: 40001, dport: 3389, seq: 1, flags: TCP_FLAG.SYN }) }));
  const f = onlyFlow(await runFrames(LINKTYPE.ETHERNET, [syn]));
  assert.equal(proto(f), 'RDP [Match by port]');
  assert.ok([...f.flow_risk].includes(30));
  // Another remote-access protocol guessed by its port is not (VNC on 5900: 6 such flows without it).
  const vnc = ethernet(ETH.IPV4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.TCP, payload: tcp({ sport: 40001, dport: 5900, seq: 1, flags: TCP_FLAG.SYN }) }));
  assert.ok(![...onlyFlow(await runFrames(LINKTYPE.ETHERNET, [vnc])).flow_risk].includes(30));
});
