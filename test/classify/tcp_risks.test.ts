// TCP Connection Issues (core-as/classify/tcp_risks.ts): refused connections, a lone reset
// from a service port, and the NULL/FIN/XMAS scans of RFC 9293 §3.10.7.1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ETH, IPPROTO, LINKTYPE, TCP_FLAG, ethernet, ipv4, tcp, type Bytes } from '../core/bytes.ts';
import { onlyFlow, runFrames } from '../core/run.ts';
import type { FlowInfo } from '../../runtime/types.ts';

const TCP_ISSUES = 50;
const { FIN, SYN, RST, PSH, ACK, URG } = TCP_FLAG;

interface Seg { fromA: boolean; flags: number; payload?: Bytes }

/** Segments between 10.0.0.1:aPort and 10.0.0.2:bPort; the first one's sender is the client. */
async function flow(aPort: number, bPort: number, segs: Seg[]): Promise<FlowInfo> {
  const frames = segs.map((s, i) => ethernet(ETH.IPV4, ipv4({
    src: s.fromA ? '10.0.0.1' : '10.0.0.2', dst: s.fromA ? '10.0.0.2' : '10.0.0.1', protocol: IPPROTO.TCP,
    payload: tcp({ sport: s.fromA ? aPort : bPort, dport: s.fromA ? bPort : aPort, seq: 1000 + i, ack: s.flags & ACK ? 1 : 0, flags: s.flags, payload: s.payload }),
  })));
  return onlyFlow(await runFrames(LINKTYPE.ETHERNET, frames));
}
const issue = (f: FlowInfo) => [...f.flow_risk].includes(TCP_ISSUES);
const A = (flags: number, payload?: Bytes): Seg => ({ fromA: true, flags, payload });
const B = (flags: number, payload?: Bytes): Seg => ({ fromA: false, flags, payload });

test('connection refused by the server (SYN answered by RST) or by the client (its own RST), without data', async () => {
  assert.ok(issue(await flow(50000, 445, [A(SYN), B(RST | ACK)])));
  assert.ok(issue(await flow(50000, 445, [A(SYN), B(RST | ACK), A(SYN), B(RST | ACK)])));
  assert.ok(issue(await flow(50000, 443, [A(SYN), B(SYN | ACK), A(RST)])));
  // A handshake, data, then a reset is an ordinary end; a SYN nobody answers is no issue.
  assert.ok(!issue(await flow(50000, 80, [A(SYN), B(SYN | ACK), A(ACK), A(PSH | ACK, Uint8Array.of(1, 2)), B(RST | ACK)])));
  assert.ok(!issue(await flow(50000, 80, [A(SYN), A(SYN), A(SYN)])));
});

test('probing: one reset from the service port, or a segment with every flag; not a reset from the ephemeral side', async () => {
  assert.ok(issue(await flow(443, 38380, [A(RST | ACK)])));
  assert.ok(!issue(await flow(55512, 443, [A(RST | ACK)])));
  assert.ok(!issue(await flow(443, 59912, [A(RST | ACK), A(RST | ACK)])));
  assert.ok(issue(await flow(40000, 110, [A(FIN | SYN | RST | PSH | ACK | URG)])));
});

test('NULL scan: a client segment with no flag at all', async () => {
  assert.ok(issue(await flow(40000, 80, [A(0), B(RST | ACK)])));
  assert.ok(issue(await flow(1, 1119, [A(0, Uint8Array.of(1, 2, 3))])));
  // The same segment from the server is not a scan.
  assert.ok(!issue(await flow(40000, 80, [A(SYN), B(0)])));
});

test('FIN and XMAS scans are the ones a closed port resets', async () => {
  assert.ok(issue(await flow(40000, 443, [A(FIN), B(RST | ACK)])));
  assert.ok(issue(await flow(40000, 445, [A(FIN | PSH | URG), B(RST | ACK)])));
  assert.ok(!issue(await flow(40000, 88, [A(FIN)])));
  assert.ok(!issue(await flow(40000, 443, [A(FIN | ACK), B(RST | ACK)])));
});
