// Crafted input for the dissectors of Kerberos, IPsec, SMB, RDP, FTP, SMTP, IMAP, POP3, MQTT,
// Modbus, IEC 104, WireGuard, OpenVPN, OICQ, Zabbix, TDS, NFS, PostgreSQL and LDAP: random
// payloads and every truncation of a plausible first message, on each protocol's ports, over
// TCP and UDP. Nothing may throw or hang, and the engine's counters must stay consistent
// (core/run.ts checks them on every run).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, be32, cat, zeros } from '../core/bytes.ts';
import { prng } from '../core/run.ts';
import { tcpConversation, udpConversation } from './l7-flows.ts';

const PORTS = [88, 500, 4500, 445, 139, 3389, 21, 25, 143, 110, 1883, 502, 2404, 51820, 1194, 8000, 10051, 1433, 2049, 111, 5432, 389];

function randomBytes(next: () => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
}

/** First messages that pass each dissector's early checks, to be cut at every length. */
const SEEDS: Uint8Array[] = [
  cat([0x6a, 0x81, 0x40, 0x30, 0x7e, 0xa1, 3, 2, 1, 5, 0xa2, 3, 2, 1, 10, 0xa4, 0x81, 0x70, 0x30, 0x6e], zeros(112)), // Kerberos AS-REQ shell
  cat(be32(1), be32(2), zeros(8), [33, 0x20, 34, 0x08], be32(0), be32(68), zeros(40)),                             // IKEv2
  cat([0, 0, 0, 64, 0xfe], ascii('SMB'), zeros(60)),                                                                   // SMB2
  cat([3, 0, 0, 19, 14, 0xe0], zeros(5), [1, 0, 8, 0, 3, 0, 0, 0]),                                                    // RDP CR
  ascii('220 host ESMTP\r\nUSER a\r\nPASS b\r\n* OK x\r\na1 LOGIN "u" "p"\r\n+OK\r\n'),                             // text protocols
  cat([0x10, 0x10], be16(4), ascii('MQTT'), [4, 2], be16(60), be16(4), ascii('abcd')),                                 // MQTT CONNECT
  cat(be16(1), be16(0), be16(6), [1, 3, 0, 1, 0, 1]),                                                                 // Modbus
  Uint8Array.from([0x68, 4, 7, 0, 0, 0, 0x68, 4, 1, 0, 2, 0]),                                                         // IEC 104
  cat([1, 0, 0, 0], be32(7), zeros(140)),                                                                              // WireGuard initiation
  cat([0x38], zeros(8), zeros(28), [1], be32(0), zeros(8), be32(0)),                                                   // OpenVPN reset
  cat([0x02, 0x3b, 0x0b, 0, 1, 0, 1], be32(1), zeros(8), [0x03]),                                                      // OICQ
  cat(ascii('ZBXD'), [1], be32(0x0a000000), be32(0), ascii('agent.ping')),                                              // Zabbix
  cat([18, 1], be16(40), [0, 0, 1, 0], zeros(32)),                                                                     // TDS PRELOGIN
  cat(be32(0x80000028), be32(1), be32(0), be32(2), be32(100003), be32(3), be32(1), zeros(16)),                          // ONC RPC over TCP
  cat(be32(26), be32(0x00030000), ascii('user\0postgres\0\0'), zeros(4)),                                              // PostgreSQL startup
  Uint8Array.from([0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00, 0x80, 0x00]),               // LDAP bind
];

test('every truncation of plausible first messages, on every port, TCP and UDP: no throw', async () => {
  for (const seed of SEEDS) {
    for (let cut = 1; cut <= seed.length; cut += Math.max(1, Math.floor(seed.length / 24))) {
      const piece = seed.subarray(0, cut);
      for (const port of [PORTS[SEEDS.indexOf(seed) % PORTS.length], 3389, 4500]) {
        await tcpConversation(40000, port, [piece, { reply: piece }]);
        await udpConversation(40000, port, [piece, { reply: piece }]);
      }
    }
  }
  assert.ok(true);
});

test('random payloads on the protocols\' ports, several packets each way: no throw', async () => {
  const next = prng(0xd22);
  for (const port of PORTS) {
    for (let round = 0; round < 6; round++) {
      const turns = Array.from({ length: 6 }, (_, i) => {
        const bytes = randomBytes(next, 1 + Math.floor(next() * 300));
        // Keep some plausible first bytes so that the deeper paths are reached.
        if (round % 2 === 0) bytes.set(SEEDS[(round + i + port) % SEEDS.length].subarray(0, Math.min(bytes.length, 12)));
        return i % 2 === 0 ? bytes : { reply: bytes };
      });
      await tcpConversation(40000 + round, port, turns);
      await udpConversation(40000 + round, port, turns);
    }
  }
  assert.ok(true);
});
