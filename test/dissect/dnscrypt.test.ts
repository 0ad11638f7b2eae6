// DNSCrypt (core-as/dissect/dnscrypt.ts): the resolver's answers start with its magic
// "r6fnvWj8"; certificate questions name "2.dnscrypt-cert.<provider>" (dnscrypt.info/protocol).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, cat, pattern } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const query = pattern(1088);
const answer = (n = 240) => cat(ascii('r6fnvWj8'), pattern(n - 8));
const certQuestion = (name: string) => cat(be16(0x1234), be16(0x0100), be16(1), be16(0), be16(0), be16(0),
  ...name.split('.').map((label) => cat([label.length], ascii(label))), [0], be16(16), be16(1));

test('an encrypted query answered with the resolver magic, on any port', async () => {
  assert.equal(proto(await udpConversation(38650, 5353, [query, { reply: answer() }])), 'DNScrypt [DPI]');
  assert.equal(proto(await udpConversation(46858, 443, [pattern(512), { reply: answer(112) }])), 'DNScrypt [DPI]');
  assert.equal(proto(await udpConversation(46858, 4433, [query, query, query, { reply: answer(64) }])), 'DNScrypt [DPI]', 'several queries before the answer');
});

test('a certificate question (any case) decides on the first packet', async () => {
  assert.equal(proto(await udpConversation(40000, 4434, [certQuestion('2.dnscrypt-cert.example.org')])), 'DNScrypt [DPI]');
  assert.equal(proto(await udpConversation(40000, 4434, [certQuestion('2.DNSCrypt-Cert.example.org')])), 'DNScrypt [DPI]');
});

test('an answer without the magic, a short one, or one after the flow went both ways: not DNScrypt', async () => {
  assert.notEqual(proto(await udpConversation(38650, 5354, [query, { reply: pattern(240) }])), 'DNScrypt [DPI]');
  assert.notEqual(proto(await udpConversation(38650, 5354, [query, { reply: answer(63) }])), 'DNScrypt [DPI]');
  assert.notEqual(proto(await udpConversation(38650, 5354, [query, { reply: pattern(240) }, query, { reply: answer() }])), 'DNScrypt [DPI]');
  assert.notEqual(proto(await udpConversation(40000, 4434, [certQuestion('3.dnscrypt-cert.example.org')])), 'DNScrypt [DPI]');
  // Over TCP the handshake has already gone both ways: only the first payload counts.
  assert.notEqual(proto(await tcpConversation(40000, 4434, [query, { reply: answer() }])), 'DNScrypt [DPI]');
  assert.equal(proto(await tcpConversation(40000, 4434, [{ reply: answer() }])), 'DNScrypt [DPI]');
});

test('one-way queries: given up after the eighth payload', async () => {
  assert.notEqual(proto(await udpConversation(38650, 5354, [...Array(8).fill(query), answer()])), 'DNScrypt [DPI]');
  assert.equal(proto(await udpConversation(38650, 5354, [...Array(7).fill(query), answer()])), 'DNScrypt [DPI]');
});
