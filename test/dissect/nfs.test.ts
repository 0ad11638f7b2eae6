// NFS and its companion ONC RPC services (core-as/dissect/nfs.ts): RFC 5531 §9 call messages,
// with the TCP record mark of §11.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be32, cat, zeros } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

/** xid, CALL, rpcvers 2, prog, vers, proc, AUTH_NONE credential and verifier. */
const call = (prog: number, vers = 3, o: { type?: number; rpcvers?: number } = {}) =>
  cat(be32(0x1234abcd), be32(o.type ?? 0), be32(o.rpcvers ?? 2), be32(prog), be32(vers), be32(1), zeros(16), zeros(32));
const reply = () => cat(be32(0x1234abcd), be32(1), be32(0), zeros(12), be32(0));
const marked = (m: Uint8Array) => cat(be32(0x80000000 | m.length), m);

test('NFS GETATTR over UDP 2049: NFS', async () => {
  const f = await udpConversation(1023, 2049, [call(100003, 2), { reply: reply() }]);
  assert.equal(proto(f), 'NFS [DPI]');
});

test('portmapper and mountd calls are NFS too (with the non-standard-port risk nDPI gives them)', async () => {
  let f = await udpConversation(3289, 111, [call(100000, 3)]);
  assert.equal(proto(f), 'NFS [DPI]');
  assert.ok(f.flow_risk.includes(5));
  f = await udpConversation(671, 1048, [call(100005, 1)]);
  assert.equal(proto(f), 'NFS [DPI]');
});

test('over TCP behind the record mark', async () => {
  const f = await tcpConversation(800, 2049, [marked(call(100003, 4))]);
  assert.equal(proto(f), 'NFS [DPI]');
});

test('a reply first, another program, RPC version 1, version 0, a tiny record, truncated calls: not NFS', async () => {
  for (const bad of [reply(), call(100017), call(100003, 3, { rpcvers: 1 }), call(100003, 0), call(100003).subarray(0, 30)]) {
    const f = await udpConversation(1023, 20490, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', Buffer.from(bad).toString('hex'));
  }
  const f = await tcpConversation(800, 20490, [cat(be32(0x80000004), zeros(4))]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});
