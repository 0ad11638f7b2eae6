// SMB over TCP (core-as/dissect/smb.ts): the session/direct-TCP header (RFC 1002 §4.3.1,
// MS-SMB2 §2.1) and the SMB1/SMB2/SMB3 magic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, cat, zeros } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const smbHeader = (version: number, size: number) => cat([version], ascii('SMB'), zeros(size - 4));
const session = (body: Uint8Array, declared = body.length) => cat([0x00, declared >> 16], be16(declared & 0xffff), body);
const riskInfo = (f: object) => (f as Record<string, unknown>).risk_info;

test('SMB1 negotiate on 445: NetBIOS.SMBv1, insecure version, unsafe, and nDPI\'s "Expected on port 139"', async () => {
  const f = await tcpConversation(50927, 445, [session(cat(smbHeader(0xff, 32), ascii('\u0002PC NETWORK PROGRAM 1.0\u0000')))]);
  assert.equal(proto(f), 'NetBIOS.SMBv1 [DPI]');
  assert.deepEqual(f.flow_risk, [5, 20, 22]);
  assert.equal(riskInfo(f), 'Found SMBv1');
});

test('SMB2 negotiate, SMB3 transform and compression headers: NetBIOS.SMBv23', async () => {
  for (const [version, size] of [[0xfe, 64], [0xfd, 52], [0xfc, 16]]) {
    const f = await tcpConversation(56848, 445, [session(smbHeader(version, size))]);
    assert.equal(f['proto.ndpi'], 'NetBIOS.SMBv23');
    assert.ok(!f.flow_risk.includes(20));
  }
});

test('a message whose data continues in later segments (declared length past the end) is still SMB', async () => {
  const f = await tcpConversation(56848, 445, [session(smbHeader(0xfe, 64), 4000)]);
  assert.equal(proto(f), 'NetBIOS.SMBv23 [DPI]');
});

test('a continuation first, a session request type, an unknown magic, a declared length below the header: port guess', async () => {
  for (const bad of [cat([0x00, 0x00, 0x00, 0x40], zeros(64)), cat([0x81], session(smbHeader(0xfe, 64)).subarray(1)),
    session(smbHeader(0xfb, 64)), session(smbHeader(0xfe, 64), 20), Uint8Array.from([0, 0, 0, 4, 0xfe])]) {
    const f = await tcpConversation(49156, 445, [bad]);
    assert.equal(proto(f), 'SMBv23 [Match by port]', Buffer.from(bad).toString('hex'));
  }
});
