// Flow lifecycle: TCP connection state (core-as/flow/tcp_state.ts, RFC 9293 §3.5 three-way
// handshake, §3.6 closing; the state booleans as runtime/flow.ts derives them with ntopng's
// precedence) and idle purging on packet time (core-as/flow/table.ts sweepIdle).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlowInfo } from '../../runtime/types.ts';
import { IPPROTO, LINKTYPE, TCP_FLAG, T0, ipv4, pattern, pcapFile, tcp, udp, type Bytes } from './bytes.ts';
import { assertFlow, onlyFlow, run, runFrames } from './run.ts';

/** The created/ended sequence (flow_detected comes in between; its own test pins it down). */
const lifecycle = (events: Array<{ kind: string }>) => events.map((e) => e.kind).filter((k) => k !== 'flow_detected');

const { SYN, ACK, FIN, RST, PSH } = TCP_FLAG;
const CLIENT = { ip: '10.0.0.1', port: 49152 };
const SERVER = { ip: '10.0.0.2', port: 80 };

/** A TCP segment from the client (c) or the server (s) with the given flags. */
function seg(from: 'c' | 's', flags: number, payload?: Bytes): Bytes {
  const [a, b] = from === 'c' ? [CLIENT, SERVER] : [SERVER, CLIENT];
  return ipv4({ src: a.ip, dst: b.ip, protocol: IPPROTO.TCP, payload: tcp({ sport: a.port, dport: b.port, flags, payload }) });
}

type State = Pick<FlowInfo, 'tcp.twh_ok' | 'tcp_established' | 'tcp_connecting' | 'tcp_reset' | 'tcp_closed' | 'cli2srv.tcp_flags' | 'srv2cli.tcp_flags'>;

const STATE_CASES: Array<[string, Bytes[], State]> = [
  ['SYN, SYN/ACK, ACK: handshake done, established', [seg('c', SYN), seg('s', SYN | ACK), seg('c', ACK)],
    { 'tcp.twh_ok': true, tcp_established: true, tcp_connecting: false, tcp_reset: false, tcp_closed: false, 'cli2srv.tcp_flags': SYN | ACK, 'srv2cli.tcp_flags': SYN | ACK }],
  ['handshake then data both ways: still established', [seg('c', SYN), seg('s', SYN | ACK), seg('c', ACK), seg('c', PSH | ACK, pattern(10)), seg('s', PSH | ACK, pattern(99))],
    { 'tcp.twh_ok': true, tcp_established: true, tcp_connecting: false, tcp_reset: false, tcp_closed: false, 'cli2srv.tcp_flags': SYN | ACK | PSH, 'srv2cli.tcp_flags': SYN | ACK | PSH }],
  ['SYN only: connecting', [seg('c', SYN), seg('c', SYN)],
    { 'tcp.twh_ok': false, tcp_established: false, tcp_connecting: true, tcp_reset: false, tcp_closed: false, 'cli2srv.tcp_flags': SYN, 'srv2cli.tcp_flags': 0 }],
  ['SYN, SYN/ACK without the final ACK: connecting', [seg('c', SYN), seg('s', SYN | ACK)],
    { 'tcp.twh_ok': false, tcp_established: false, tcp_connecting: true, tcp_reset: false, tcp_closed: false, 'cli2srv.tcp_flags': SYN, 'srv2cli.tcp_flags': SYN | ACK }],
  ['SYN answered by RST/ACK: reset', [seg('c', SYN), seg('s', RST | ACK)],
    { 'tcp.twh_ok': false, tcp_established: false, tcp_connecting: false, tcp_reset: true, tcp_closed: false, 'cli2srv.tcp_flags': SYN, 'srv2cli.tcp_flags': RST | ACK }],
  ['handshake then RST from the client: reset (not established)', [seg('c', SYN), seg('s', SYN | ACK), seg('c', ACK), seg('c', RST)],
    { 'tcp.twh_ok': true, tcp_established: false, tcp_connecting: false, tcp_reset: true, tcp_closed: false, 'cli2srv.tcp_flags': SYN | ACK | RST, 'srv2cli.tcp_flags': SYN | ACK }],
  ['handshake, FIN both ways: closed', [seg('c', SYN), seg('s', SYN | ACK), seg('c', ACK), seg('c', FIN | ACK), seg('s', FIN | ACK), seg('c', ACK)],
    { 'tcp.twh_ok': true, tcp_established: false, tcp_connecting: false, tcp_reset: false, tcp_closed: true, 'cli2srv.tcp_flags': SYN | ACK | FIN, 'srv2cli.tcp_flags': SYN | ACK | FIN }],
  ['handshake, FIN from the client only: half-closed, still established', [seg('c', SYN), seg('s', SYN | ACK), seg('c', ACK), seg('c', FIN | ACK)],
    { 'tcp.twh_ok': true, tcp_established: true, tcp_connecting: false, tcp_reset: false, tcp_closed: false, 'cli2srv.tcp_flags': SYN | ACK | FIN, 'srv2cli.tcp_flags': SYN | ACK }],
  ['mid-stream (no SYN seen): no state', [seg('c', PSH | ACK, pattern(5)), seg('s', ACK)],
    { 'tcp.twh_ok': false, tcp_established: false, tcp_connecting: false, tcp_reset: false, tcp_closed: false, 'cli2srv.tcp_flags': PSH | ACK, 'srv2cli.tcp_flags': ACK }],
  ['ACK before the SYN/ACK does not complete the handshake', [seg('c', SYN), seg('c', ACK), seg('s', SYN | ACK)],
    { 'tcp.twh_ok': false, tcp_established: false, tcp_connecting: false, tcp_reset: false, tcp_closed: false, 'cli2srv.tcp_flags': SYN | ACK, 'srv2cli.tcp_flags': SYN | ACK }],
];

for (const [name, frames, state] of STATE_CASES) {
  test(`TCP state: ${name}`, async () => {
    const flow = onlyFlow(await runFrames(LINKTYPE.RAW, frames));
    assertFlow(flow, { 'cli.ip': CLIENT.ip, 'cli.port': CLIENT.port, 'srv.port': SERVER.port, ...state });
  });
}

test('UDP flows carry no TCP state', async () => {
  const flow = onlyFlow(await runFrames(LINKTYPE.RAW, [ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.UDP, payload: udp({ sport: 1, dport: 2 }) })]));
  assertFlow(flow, { 'tcp.twh_ok': false, tcp_established: false, tcp_connecting: false, tcp_reset: false, tcp_closed: false, 'cli2srv.tcp_flags': 0 });
});

// --- Idle purging on packet time -------------------------------------------------------------

const A = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.UDP, payload: udp({ sport: 1000, dport: 2000, payload: pattern(8) }) });
const B = ipv4({ src: '10.0.0.3', dst: '10.0.0.4', protocol: IPPROTO.UDP, payload: udp({ sport: 3000, dport: 4000, payload: pattern(8) }) });
/** A RAW pcap of [seconds after T0, packet] records. */
const timed = (records: Array<[number, Bytes]>) => pcapFile(LINKTYPE.RAW, records.map(([s, data]) => ({ sec: T0 + s, data })));
const label = (f: FlowInfo) => `${f['cli.ip']} x${f.packets} @${(f['seen.first_us'] - T0 * 1e6) / 1e6}`;

test('idle timeout 10 s, same 5-tuple 30 s later: the first flow ends before the new one is created', async () => {
  const result = await run(timed([[0, A], [30, A]]), { idleTimeoutSec: 10 });
  assert.equal(result.stats.flowsCreated, 2);
  assert.deepEqual(lifecycle(result.events), ['flow_created', 'flow_ended', 'flow_created', 'flow_ended']);
  assert.deepEqual(result.ended.map(label), ['10.0.0.1 x1 @0', '10.0.0.1 x1 @30']);
});

test('idle timeout 10 s: another flow\'s packet at 20 s ends the idle flow; the same key at 30 s is a new flow', async () => {
  const result = await run(timed([[0, A], [20, B], [30, A]]), { idleTimeoutSec: 10 });
  assert.equal(result.stats.flowsCreated, 3);
  assert.deepEqual(lifecycle(result.events), ['flow_created', 'flow_created', 'flow_ended', 'flow_created', 'flow_ended', 'flow_ended']);
  assert.deepEqual(result.ended.map(label), ['10.0.0.1 x1 @0', '10.0.0.3 x1 @20', '10.0.0.1 x1 @30']);
  assert.equal(result.stats.flowsPurged, 3);
});

test('a flow refused at maxFlows is admitted once the full table\'s flow has been idle past the timeout', async () => {
  const result = await run(timed([[0, A], [5, B], [30, B]]), { idleTimeoutSec: 10, maxFlows: 1 });
  assert.equal(result.stats.flowsDropped, 1); // B at 5 s, while A is active
  assert.deepEqual(result.ended.map(label), ['10.0.0.1 x1 @0', '10.0.0.3 x1 @30']);
});

test('packets closer than the idle timeout keep one flow', async () => {
  const result = await run(timed([[0, A], [9, A], [18, A], [27, A]]), { idleTimeoutSec: 10 });
  assert.deepEqual(result.ended.map(label), ['10.0.0.1 x4 @0']);
  assert.equal(result.stats.flowsCreated, 1);
});

test('without an idle timeout the same 5-tuple an hour later stays one flow', async () => {
  const result = await run(timed([[0, A], [20, B], [3600, A]]));
  assert.deepEqual(result.flows.map(label), ['10.0.0.1 x2 @0', '10.0.0.3 x1 @20']);
  assert.equal(result.stats.flowsPurged, 2); // at end() only
  assert.deepEqual(lifecycle(result.events), ['flow_created', 'flow_created', 'flow_ended', 'flow_ended']);
});

// Records of idle-ended flows are recycled at once (their event carries the flow), so record ids,
// flows() after end() (the flows alive at the end, in creation order) and the order of end()'s
// flow_ended events (oldest first) depend on the packets only, never on where the input was split.
test('with an idle timeout, flows() after end() does not depend on how the input was split', async () => {
  const file = timed([[0, A], [20, B], [30, A]]);
  const cut = 24 + 2 * 16 + A.length + B.length;
  const whole = await run(file, { idleTimeoutSec: 10 });
  const split = await run([file.subarray(0, cut), file.subarray(cut)], { idleTimeoutSec: 10 });
  assert.deepEqual(split.flows.map(label), whole.flows.map(label));
  const firsts = split.flows.map((f) => f['seen.first_us']);
  assert.deepEqual(firsts, [...firsts].sort((x, y) => x - y));
  // The flow_ended events of end() come in record-id order, so their order moves with the reuse too.
  assert.deepEqual(split.ended.map(label), whole.ended.map(label));
});
