// OpenVPN (core-as/dissect/openvpn.ts): opcode/key id byte, 8-byte session ids, the hard
// reset exchange; 2-byte length prefix over TCP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, be32, cat, pattern, zeros } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const CLI_SID = [0x39, 0xfd, 0xed, 0x2d, 0xaa, 0x10, 0xa4, 0x37];
const SRV_SID = [0x94, 0x21, 0x91, 0x7d, 0xe7, 0x26, 0x77, 0x29];
const op = (code: number, key = 0) => [(code << 3) | key];
/** tls-auth: an HMAC-SHA1 (20 bytes), a replay packet id and a time (4 + 4). */
const tlsAuth = () => cat(pattern(20), be32(1), be32(0x57a1c15f));
/** P_CONTROL_HARD_RESET_CLIENT_V2: session id, tls-auth, no acks, message packet id 0. */
const clientReset = () => cat(op(7), CLI_SID, tlsAuth(), [0], be32(0));
/** P_CONTROL_HARD_RESET_SERVER_V2: its session id, tls-auth, one ack quoting the client's session id. */
const serverReset = () => cat(op(8), SRV_SID, tlsAuth(), [1], be32(0), CLI_SID, be32(0));
const ack = (sid: number[]) => cat(op(5), sid, [1], be32(0), zeros(8));
const control = (sid: number[], body = pattern(60)) => cat(op(4), sid, pattern(32), body);
const tcpFramed = (m: Uint8Array) => cat(be16(m.length), m);

test('UDP: the server\'s hard reset quotes the client\'s session id: OpenVPN', async () => {
  const f = await udpConversation(51146, 1194, [clientReset(), { reply: serverReset() }]);
  assert.equal(proto(f), 'OpenVPN [DPI]');
});

test('TCP with the length prefix, on 443: OpenVPN with the non-standard-port risk', async () => {
  const f = await tcpConversation(39772, 443, [tcpFramed(clientReset()), { reply: tcpFramed(serverReset()) }]);
  assert.equal(proto(f), 'OpenVPN [DPI]');
  assert.ok(f.flow_risk.includes(5));
});

test('without tls-auth (14-byte reset): recognised once the session ids repeat', async () => {
  const bare = cat(op(7), CLI_SID, [0], be32(0));
  const f = await udpConversation(51146, 1194, [bare, { reply: cat(op(8), SRV_SID, [1], be32(0), CLI_SID, be32(0)) },
    ack(CLI_SID), control(CLI_SID), { reply: ack(SRV_SID) }, { reply: control(SRV_SID) }]);
  assert.equal(proto(f), 'OpenVPN [DPI]');
});

test('tls-crypt (no quoted id): two control packets each way with steady session ids', async () => {
  const hmacReset = cat(op(7), CLI_SID, pattern(40));
  const f = await udpConversation(41133, 1194, [hmacReset, { reply: cat(op(8), SRV_SID, pattern(60)) }, control(CLI_SID), { reply: control(SRV_SID) }]);
  assert.equal(proto(f), 'OpenVPN [DPI]');
});

test('one direction only: four control packets from the same session', async () => {
  const f = await udpConversation(60201, 443, [clientReset(), ack(CLI_SID), control(CLI_SID), ack(CLI_SID)]);
  assert.equal(proto(f), 'OpenVPN [DPI]');
});

test('a first packet that opens no session, a changing session id, a key id on the reset: not OpenVPN', async () => {
  let f = await udpConversation(40000, 1194, [control(CLI_SID), control(CLI_SID), control(CLI_SID), control(CLI_SID)]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  f = await udpConversation(40000, 1194, [clientReset(), ack(SRV_SID), ack(CLI_SID), ack(CLI_SID)]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  f = await udpConversation(40000, 1194, [cat(op(7, 2), CLI_SID, tlsAuth(), [0], be32(0))]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});

test('truncated packets and TCP length prefixes past the end: no crash', async () => {
  for (const bad of [Uint8Array.from([0x38]), Uint8Array.from([0x38, 1, 2, 3]), cat(op(8), SRV_SID)]) {
    const f = await udpConversation(40000, 40001, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  }
  const f = await tcpConversation(40000, 40001, [cat(be16(500), clientReset())]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});
