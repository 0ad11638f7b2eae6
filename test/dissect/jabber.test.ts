// Jabber / XMPP (core-as/dissect/jabber.ts): the stream opening with the streams namespace
// (RFC 6120 §4.2), TruPhone's server, and the binary 0x25 / 0x26 / 0x30 record sequence nDPI
// also names Jabber.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, cat, zeros } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const open = (to: string, q = "'") =>
  ascii(`<stream:stream to=${q}${to}${q} xmlns=${q}jabber:client${q} xmlns:stream=${q}http://etherx.jabber.org/streams${q} version=${q}1.0${q}>`);

test('XML declaration, then the stream opening with the streams namespace: Jabber', async () => {
  const f = await tcpConversation(57094, 5222, [ascii("<?xml version='1.0' ?>"), open('cs-xmpp.lan')]);
  assert.equal(proto(f), 'Jabber [DPI]');
});

test('stream opening in double quotes, in the first payload: Jabber', async () => {
  assert.equal(proto(await tcpConversation(53460, 5222, [open('example.org', '"')])), 'Jabber [DPI]');
});

test('stream to im.truphone.com: TruPhone', async () => {
  assert.equal(proto(await tcpConversation(54898, 1299, [open('im.truphone.com')])), 'TruPhone [DPI]');
});

test('XML without the streams namespace: not Jabber', async () => {
  const f = await tcpConversation(57095, 5222, [ascii("<?xml version='1.0'?><root xmlns='urn:x'/>")]);
  assert.notEqual(proto(f), 'Jabber [DPI]');
});

test('the stream opening is looked for in the first three payloads only', async () => {
  const third = await tcpConversation(57096, 5222, [ascii('hello'), { reply: ascii('world') }, open('late.example')]);
  assert.equal(proto(third), 'Jabber [DPI]');
  const fourth = await tcpConversation(57097, 5222, [ascii('hello'), { reply: ascii('world') }, ascii('again'), open('late.example')]);
  assert.notEqual(proto(fourth), 'Jabber [DPI]');
});

// Binary records: type, big-endian length of the whole record, body.
const record = (type: number, n: number, declared?: number) => cat([type], be16(declared ?? n), zeros(n - 3));

test('binary 0x25 / 0x26 / 0x30 record sequence: Jabber', async () => {
  const f = await tcpConversation(58388, 5223, [record(0x25, 69), { reply: record(0x26, 16) }, record(0x30, 167)]);
  assert.equal(proto(f), 'Jabber [DPI]');
});

test('binary sequence with a retransmitted open record: Jabber', async () => {
  const f = await tcpConversation(41420, 5223, [record(0x25, 69), record(0x25, 69), { reply: record(0x26, 16) }, record(0x30, 167)]);
  assert.equal(proto(f), 'Jabber [DPI]');
});

test('binary records out of order, wrong lengths, or opened by the server: not Jabber', async () => {
  const cases = [
    [record(0x25, 69, 70), { reply: record(0x26, 16) }, record(0x30, 167)],
    [record(0x25, 69), { reply: record(0x26, 16, 15) }, record(0x30, 167)],
    [record(0x25, 69), { reply: record(0x30, 16) }, record(0x30, 167)],
    [record(0x25, 69), { reply: record(0x26, 16) }, record(0x30, 20, 21)],
    [{ reply: record(0x25, 69) }, record(0x26, 16), record(0x30, 167)],
  ];
  for (const [i, turns] of cases.entries()) {
    assert.notEqual(proto(await tcpConversation(42000 + i, 5223, turns)), 'Jabber [DPI]', `case ${i}`);
  }
});
