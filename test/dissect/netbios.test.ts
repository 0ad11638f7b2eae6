// NetBIOS (core-as/dissect/netbios.ts): name service (RFC 1002 §4.2) on UDP 137, datagram
// service (§4.4) on UDP 138, session service (§4.3) on TCP 139; names in the first-level
// encoding of RFC 1001 §14.1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, cat, filled } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

/** RFC 1001 §14.1: the 16-byte name (padded with blanks, suffix last) as 32 letters 'A'+nibble, length 32, root label. */
function encodedName(name: string, suffix = 0x00, padding = 0x20): Uint8Array {
  const raw = filled(16, padding);
  raw.set(ascii(name).subarray(0, 15));
  raw[15] = suffix;
  const out = [32];
  for (const b of raw) out.push(0x41 + (b >> 4), 0x41 + (b & 15));
  return Uint8Array.from([...out, 0]);
}

/** RFC 1002 §4.2.1.1 header + a question (name, NB type 0x20, IN class). */
function nameQuery(name: Uint8Array, o: { opcode?: number; qd?: number } = {}): Uint8Array {
  const flags = ((o.opcode ?? 0) << 11) | 0x0110; // RD, B
  return cat(be16(0x8001), be16(flags), be16(o.qd ?? 1), be16(0), be16(0), be16(0), name, be16(0x20), be16(1));
}

/** RFC 1002 §4.4.1 direct group datagram: type, flags, id, source IP and port, length, offset, names, user data. */
function datagram(source: Uint8Array, data: Uint8Array, type = 0x11): Uint8Array {
  const dest = encodedName('WORKGROUP', 0x1d);
  return cat([type, 0x02], be16(0x1234), [192, 168, 1, 41], be16(138), be16(source.length + dest.length + data.length), be16(0),
    source, dest, data);
}

test('name query to 137: NetBIOS, host name decoded, lower case, suffix and blanks dropped', async () => {
  const f = await udpConversation(137, 137, [nameQuery(encodedName('MSEDGEWIN10', 0x20))]);
  assert.equal(proto(f), 'NetBIOS [DPI]');
  assert.equal(f.host_server_name, 'msedgewin10');
});

test('15-character names keep every character; a wildcard "*" stops at the first NUL', async () => {
  let f = await udpConversation(59789, 137, [nameQuery(encodedName('SANJI-LIFEBOOK-X'))]);
  assert.equal(f.host_server_name, 'sanji-lifebook-');
  f = await udpConversation(57836, 137, [nameQuery(encodedName('*', 0, 0x00))]);
  assert.equal(f.host_server_name, '*');
});

test('registration (opcode 5) and its response keep the first name', async () => {
  const reg = nameQuery(encodedName('GURU'), { opcode: 5 });
  const f = await udpConversation(137, 137, [reg, { reply: nameQuery(encodedName('OTHER'), { opcode: 5 }) }]);
  assert.equal(f.host_server_name, 'guru');
});

test('a name not in the 32-character form, or cut short, gives NetBIOS without host name', async () => {
  const notCompressed = cat(nameQuery(encodedName('X')).subarray(0, 12), [31], ascii('EFEDEJFPEEEPENEBEJEOCACACACACAB'), [0]);
  let f = await udpConversation(29440, 137, [notCompressed]);
  assert.equal(proto(f), 'NetBIOS [DPI]');
  assert.equal(f.host_server_name, undefined);
  // The encoding ends at the first pair that is not two letters A-P: "ECI" then garbage.
  const broken = encodedName('ECI_DOMAIN');
  broken[7] = 0x5a;
  f = await udpConversation(137, 137, [nameQuery(broken)]);
  assert.equal(f.host_server_name, 'eci');
  // Header only, name missing entirely.
  f = await udpConversation(137, 137, [nameQuery(encodedName('A')).subarray(0, 12)]);
  assert.equal(proto(f), 'NetBIOS [DPI]');
  assert.equal(f.host_server_name, undefined);
});

test('unknown opcode, zero counts, huge counts or a short header: not NetBIOS by payload', async () => {
  const name = encodedName('HOST');
  for (const bad of [nameQuery(name, { opcode: 2 }), nameQuery(name, { qd: 0 }), nameQuery(name, { qd: 500 }), nameQuery(name).subarray(0, 11)]) {
    const f = await udpConversation(137, 137, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  }
});

test('a flow first seen from 137 (a response) is left to the port guess', async () => {
  const f = await udpConversation(137, 40000, [nameQuery(encodedName('HOST'))]);
  assert.equal(proto(f), 'NetBIOS [Match by port]');
});

test('datagram to 138: NetBIOS.SMBv1 with the source name, risk Unsafe Protocol', async () => {
  const smb = cat([0xff], ascii('SMB'), [0x25], filled(40, 0));
  const f = await udpConversation(138, 138, [datagram(encodedName('MACBOOKAIR-E1D0'), smb)]);
  assert.equal(proto(f), 'NetBIOS.SMBv1 [DPI]');
  assert.equal(f.host_server_name, 'macbookair-e1d0');
  assert.ok(f.flow_risk.includes(22), `risks ${f.flow_risk}`);
});

test('datagram with a damaged source name: still NetBIOS.SMBv1, no host name', async () => {
  const f = await udpConversation(138, 138, [datagram(filled(34, 0xaa), filled(100, 0xaa))]);
  assert.equal(proto(f), 'NetBIOS.SMBv1 [DPI]');
  assert.equal(f.host_server_name, undefined);
});

test('datagram error and query types are NetBIOS only; unknown types are not NetBIOS', async () => {
  let f = await udpConversation(138, 138, [cat([0x13, 0x02], be16(1), [10, 0, 0, 1], be16(138), [0x82])]);
  assert.equal(proto(f), 'NetBIOS [DPI]');
  f = await udpConversation(138, 138, [cat([0x20, 0x02], be16(1), [10, 0, 0, 1], be16(138))]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  f = await udpConversation(138, 138, [datagram(encodedName('A'), filled(1, 0)).subarray(0, 16)]);
  assert.equal(proto(f), 'NetBIOS.SMBv1 [DPI]');
});

test('session request on TCP 139 (called and calling names): NetBIOS', async () => {
  const names = cat(encodedName('IBIFHQ11WS0235', 0x20), encodedName('CLIENT'));
  const f = await tcpConversation(55489, 139, [cat([0x81, 0x00], be16(names.length), names)]);
  assert.equal(proto(f), 'NetBIOS [DPI]');
});

test('session messages (SMB) and bad session headers are not claimed', async () => {
  const smb = cat([0xff], ascii('SMB'), filled(28, 0));
  // A session message is left to the SMB dissector (core-as/dissect/smb.ts), which names it.
  let f = await tcpConversation(40000, 139, [cat([0x00, 0x00], be16(smb.length), smb)]);
  assert.equal(f['proto.ndpi'], 'NetBIOS.SMBv1');
  f = await tcpConversation(40000, 139, [cat([0x81, 0x00], be16(10), filled(10, 0x41))]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
  f = await tcpConversation(40000, 139, [cat([0x85, 0x7e], be16(0))]);
  assert.notEqual(f['proto.ndpi_confidence'], 'DPI');
});
