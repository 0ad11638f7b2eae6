// SSH (core-as/dissect/ssh.ts): identification strings (RFC 4253 §4.2), SSH_MSG_KEXINIT in a
// binary packet (§6, §7.1) with name-lists (RFC 4251 §5), HASSH and the RFC 8758 cipher risks.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  ETH, IPPROTO, LINKTYPE, TCP_FLAG, ascii, be32, cat, ethernet, ipv4, tcp, zeros, type Bytes,
} from '../core/bytes.ts';
import { onlyFlow, runFrames } from '../core/run.ts';
import { proto, tcpConversation } from './l7-flows.ts';
import type { FlowInfo } from '../../runtime/types.ts';

/** A flow key outside FlowInfo's typed ones. */
const field = (f: FlowInfo, key: string): unknown => (f as unknown as Record<string, unknown>)[key];

const RISK_OBSOLETE_CLIENT = 18;
const RISK_OBSOLETE_SERVER = 19;

interface Offer {
  kex: string; hostKey: string; encC2s: string; encS2c: string; macC2s: string; macS2c: string;
  compC2s: string; compS2c: string;
}

const CLIENT_OFFER: Offer = {
  kex: 'curve25519-sha256,diffie-hellman-group14-sha256,ext-info-c',
  hostKey: 'ssh-ed25519,rsa-sha2-512',
  encC2s: 'chacha20-poly1305@openssh.com,aes128-ctr,aes256-gcm@openssh.com',
  encS2c: 'chacha20-poly1305@openssh.com,aes128-ctr,aes256-gcm@openssh.com',
  macC2s: 'umac-64-etm@openssh.com,hmac-sha2-256',
  macS2c: 'umac-64-etm@openssh.com,hmac-sha2-256',
  compC2s: 'none,zlib@openssh.com',
  compS2c: 'none,zlib@openssh.com',
};

const SERVER_OFFER: Offer = {
  kex: 'curve25519-sha256,ecdh-sha2-nistp256',
  hostKey: 'rsa-sha2-512,ecdsa-sha2-nistp256',
  encC2s: 'aes256-ctr,aes128-ctr',
  encS2c: 'aes128-ctr,aes256-ctr',
  macC2s: 'hmac-sha2-512',
  macS2c: 'hmac-sha2-256',
  compC2s: 'none',
  compS2c: 'zlib',
};

/** RFC 4251 §5 name-list: uint32 length, then the names. */
const nameList = (names: string): Bytes => cat(be32(names.length), ascii(names));

/** §6 binary packet around a §7.1 KEXINIT payload; `lengthOverride` replaces packet_length. */
function kexinit(o: Offer, opts: { lengthOverride?: number; paddingField?: number; lists?: Bytes } = {}): Bytes {
  const lists = opts.lists ?? cat(
    nameList(o.kex), nameList(o.hostKey), nameList(o.encC2s), nameList(o.encS2c), nameList(o.macC2s),
    nameList(o.macS2c), nameList(o.compC2s), nameList(o.compS2c), nameList(''), nameList(''));
  const payload = cat([20], Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i), lists, [0], be32(0));
  // Padding: at least 4 bytes, so that the packet (without MAC) is a multiple of 8.
  let padding = 8 - ((4 + 1 + payload.length) % 8);
  if (padding < 4) padding += 8;
  const packetLength = opts.lengthOverride ?? 1 + payload.length + padding;
  return cat(be32(packetLength), [opts.paddingField ?? padding], payload, zeros(padding));
}

const hassh = (o: Offer, client: boolean): string => createHash('md5')
  .update(client ? `${o.kex};${o.encC2s};${o.macC2s};${o.compC2s}` : `${o.kex};${o.encS2c};${o.macS2c};${o.compS2c}`)
  .digest('hex').toUpperCase();

const CLIENT_IDENT = 'SSH-2.0-OpenSSH_9.6p1 Debian-4';
const SERVER_IDENT = 'SSH-2.0-dropbear_2022.83';
const line = (text: string) => ascii(`${text}\r\n`);

test('server speaks first: its identification is reported as the client one (nDPI), HASSH both ways', async () => {
  const f = await tcpConversation(50000, 22, [
    { reply: line(SERVER_IDENT) }, line(CLIENT_IDENT), kexinit(CLIENT_OFFER), { reply: kexinit(SERVER_OFFER) },
  ]);
  assert.equal(proto(f), 'SSH [DPI]');
  assert.equal(f['proto.ndpi_cat'], 'RemoteAccess');
  assert.equal(f.host_server_name, SERVER_IDENT);
  assert.equal(f['protos.ssh.client_signature'], SERVER_IDENT);
  assert.equal(f['protos.ssh.server_signature'], CLIENT_IDENT);
  assert.equal(f['protos.ssh.hassh.client_hash'], hassh(CLIENT_OFFER, true));
  assert.equal(f['protos.ssh.hassh.server_hash'], hassh(SERVER_OFFER, false));
  assert.deepEqual(f.flow_risk, []);
});

test('client speaks first; identification and KEXINIT in one segment; LF-only line end (§4.2)', async () => {
  const f = await tcpConversation(50001, 22, [
    cat(ascii(`${CLIENT_IDENT}\n`), kexinit(CLIENT_OFFER)), { reply: cat(line(SERVER_IDENT), kexinit(SERVER_OFFER)) },
  ]);
  assert.equal(f.host_server_name, CLIENT_IDENT);
  assert.equal(f['protos.ssh.server_signature'], SERVER_IDENT);
  assert.equal(f['protos.ssh.hassh.client_hash'], hassh(CLIENT_OFFER, true));
  assert.equal(f['protos.ssh.hassh.server_hash'], hassh(SERVER_OFFER, false));
});

test('a KEXINIT split over segments, even inside its length field, is gathered', async () => {
  const k = kexinit(CLIENT_OFFER);
  const s = kexinit(SERVER_OFFER);
  const f = await tcpConversation(50002, 2222, [
    line(CLIENT_IDENT), { reply: line(SERVER_IDENT) },
    k.subarray(0, 2), k.subarray(2, 7), { reply: s.subarray(0, 100) }, k.subarray(7, 300), { reply: s.subarray(100) },
    k.subarray(300),
  ]);
  assert.equal(f['protos.ssh.hassh.client_hash'], hassh(CLIENT_OFFER, true));
  assert.equal(f['protos.ssh.hassh.server_hash'], hassh(SERVER_OFFER, false));
});

test('other lines a server sends before its identification are skipped (§4.2)', async () => {
  const f = await tcpConversation(50003, 22, [
    line(CLIENT_IDENT), { reply: ascii('Welcome to the bastion\r\nSSH-2.0-Server\r\n') }, { reply: kexinit(SERVER_OFFER) },
  ]);
  assert.equal(f['protos.ssh.server_signature'], 'SSH-2.0-Server');
  assert.equal(f['protos.ssh.hassh.server_hash'], hassh(SERVER_OFFER, false));
});

test('RC4 offered (RFC 8758): obsolete-cipher risks with their info, for the side that offers it', async () => {
  const rc4Client = { ...CLIENT_OFFER, encC2s: 'aes128-ctr,arcfour256,arcfour128', encS2c: 'aes128-ctr' };
  const rc4Server = { ...SERVER_OFFER, encS2c: 'aes128-cbc,arcfour' };
  const f = await tcpConversation(50004, 22, [
    line(CLIENT_IDENT), { reply: line(SERVER_IDENT) }, kexinit(rc4Client), { reply: kexinit(rc4Server) },
  ]);
  assert.deepEqual(f.flow_risk, [RISK_OBSOLETE_CLIENT, RISK_OBSOLETE_SERVER]);
  assert.equal(field(f, 'risk_info'), 'Found cipher arcfour128 / Found cipher arcfour');
  const onlyServer = await tcpConversation(50005, 22, [
    line(CLIENT_IDENT), { reply: line(SERVER_IDENT) }, kexinit(CLIENT_OFFER), { reply: kexinit(rc4Server) },
  ]);
  assert.deepEqual(onlyServer.flow_risk, [RISK_OBSOLETE_SERVER]);
  assert.equal(field(onlyServer, 'risk_info'), 'Found cipher arcfour');
});

test('cipher names match whole: "arcfour1280" or "x-arcfour" are not RC4 names', async () => {
  const lookalike = { ...CLIENT_OFFER, encC2s: 'arcfour1280,x-arcfour', encS2c: 'arcfour128x' };
  const f = await tcpConversation(50006, 22, [line(CLIENT_IDENT), kexinit(lookalike)]);
  assert.deepEqual(f.flow_risk, []);
  assert.equal(f['protos.ssh.hassh.client_hash'], hassh(lookalike, true));
});

test('malformed KEXINITs give no HASSH and no crash', async () => {
  const lists = cat(nameList(CLIENT_OFFER.kex), be32(0x7fff0000), ascii('ssh-ed25519'));
  const cases: Array<[string, Bytes]> = [
    ['name-list length past the packet end', kexinit(CLIENT_OFFER, { lists })],
    ['packet_length 0', kexinit(CLIENT_OFFER, { lengthOverride: 0 })],
    ['packet_length beyond any KEXINIT', kexinit(CLIENT_OFFER, { lengthOverride: 0x00ffffff })],
    ['padding_length over the name-lists', kexinit(CLIENT_OFFER, { paddingField: 255 })],
    ['padding_length beyond packet_length', cat(be32(100), [200, 20], zeros(98))],
    ['not message 20', cat(be32(12), [4, 21], zeros(10))],
    ['ten empty name-lists cut short', cat(be32(20), [4, 20], zeros(18))],
  ];
  for (const [what, packet] of cases) {
    const f = await tcpConversation(50007, 22, [line(CLIENT_IDENT), packet]);
    assert.equal(proto(f), 'SSH [DPI]', what);
    assert.equal(f['protos.ssh.hassh.client_hash'], undefined, what);
  }
});

test('a KEXINIT cut off by the end of the flow, or an identification without its line end', async () => {
  const f = await tcpConversation(50008, 22, [line(CLIENT_IDENT), kexinit(CLIENT_OFFER).subarray(0, 200)]);
  assert.equal(f['protos.ssh.hassh.client_hash'], undefined);
  const g = await tcpConversation(50009, 22, [ascii('SSH-2.0-cut'), ascii('-short\r\n'), kexinit(CLIENT_OFFER)]);
  assert.equal(g['protos.ssh.client_signature'], 'SSH-2.0-cut');
  assert.equal(g['protos.ssh.hassh.client_hash'], hassh(CLIENT_OFFER, true));
});

test('an identification longer than 255 bytes is cut to 255 (§4.2 maximum)', async () => {
  const long = `SSH-2.0-${'x'.repeat(400)}`;
  const f = await tcpConversation(50010, 22, [line(long)]);
  assert.equal(f.host_server_name, long.slice(0, 255));
});

test('a first payload without "SSH-<version>" is not SSH, even on port 22', async () => {
  for (const first of ['HELLO SSH-2.0-x\r\n', 'SSH-', 'SSH-x.0-y\r\n']) {
    const f = await tcpConversation(50011, 22, [ascii(first), line(CLIENT_IDENT)]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', first);
    assert.equal(f['protos.ssh.client_signature'], undefined, first);
  }
});

/** A client-to-server segment of one connection 10.0.0.1:40000 -> 10.0.0.2:22 at sequence `seq`. */
const segment = (seq: number, payload: Bytes, flags = TCP_FLAG.ACK | TCP_FLAG.PSH): Bytes =>
  ethernet(ETH.IPV4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.TCP,
    payload: tcp({ sport: 40000, dport: 22, seq, flags, payload }) }));

test('a split KEXINIT with retransmitted segments, whole or overlapping, is gathered once (RFC 9293 §3.4)', async () => {
  const ident = line(CLIENT_IDENT);
  const k = kexinit(CLIENT_OFFER);
  const at = (offset: number) => 1 + ident.length + offset;
  const result = await runFrames(LINKTYPE.ETHERNET, [
    segment(0, zeros(0), TCP_FLAG.SYN),
    segment(1, ident),
    segment(1, ident), // retransmitted identification
    segment(at(0), k.subarray(0, 100)),
    segment(at(0), k.subarray(0, 100)), // whole retransmission
    segment(at(50), k.subarray(50, 250)), // overlaps 50 bytes already seen
    segment(at(250), k.subarray(250)),
  ]);
  const f = onlyFlow(result);
  assert.equal(f['protos.ssh.client_signature'], CLIENT_IDENT);
  assert.equal(f['protos.ssh.hassh.client_hash'], hassh(CLIENT_OFFER, true));
});

test('a segment lost inside the KEXINIT: that direction gives up', async () => {
  const ident = line(CLIENT_IDENT);
  const k = kexinit(CLIENT_OFFER);
  const at = (offset: number) => 1 + ident.length + offset;
  const result = await runFrames(LINKTYPE.ETHERNET, [
    segment(0, zeros(0), TCP_FLAG.SYN), segment(1, ident), segment(at(0), k.subarray(0, 100)), segment(at(200), k.subarray(200)),
  ]);
  const f = onlyFlow(result);
  assert.equal(proto(f), 'SSH [DPI]');
  assert.equal(f['protos.ssh.hassh.client_hash'], undefined);
});
