// The games group (core-as/dissect/group_games.ts): Activision (activision.ts), Heroes of the
// Storm (heroes_of_the_storm.ts), Steam Datagram Relay pings (steam_sdr.ts), Epic Games
// (epic_games.ts), LoL: Wild Rift (lol_wild_rift.ts) and TES Online (teso.ts). No public
// specifications: the expected labels are nDPI's on the corpus captures these shapes come from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, be32, cat, pattern, zeros } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

test('Activision: the 29-byte opener on 3074; another length, first bytes or port: not', async () => {
  const opener = (first: number, n = 26) => cat([first, 0x02, 0x00], pattern(n));
  assert.equal(proto(await udpConversation(3074, 33441, [opener(0x0d), { reply: opener(0x0c) }])), 'Activision [DPI]');
  assert.notEqual(proto(await udpConversation(3074, 33441, [opener(0x0d, 27)])), 'Activision [DPI]');
  assert.notEqual(proto(await udpConversation(3074, 33441, [opener(0x0e)])), 'Activision [DPI]');
  assert.notEqual(proto(await udpConversation(3075, 33441, [opener(0x0d)])), 'Activision [DPI]');
});

test('Heroes of the Storm: flags word 0x4000/0x4010 on 1119 and 3724; short datagrams or other ports: not', async () => {
  const game = (flags: number, n = 20) => cat(zeros(14), be16(flags), pattern(n - 16));
  assert.equal(proto(await udpConversation(50609, 3724, [{ reply: game(0x4000, 83) }])), 'Heroes_of_the_Storm [DPI]');
  assert.equal(proto(await udpConversation(54598, 1119, [game(0x4010, 24)])), 'Heroes_of_the_Storm [DPI]');
  assert.notEqual(proto(await udpConversation(54598, 1119, [game(0x4001, 24)])), 'Heroes_of_the_Storm [DPI]');
  assert.notEqual(proto(await udpConversation(54598, 1119, [Uint8Array.from([0x09, 0x01])])), 'Heroes_of_the_Storm [DPI]');
  assert.notEqual(proto(await udpConversation(54598, 1120, [game(0x4000, 24)])), 'Heroes_of_the_Storm [DPI]');
});

test('Steam Datagram Relay: "sdping" at offset 2; elsewhere or too short: not', async () => {
  assert.equal(proto(await udpConversation(46604, 27045, [cat([0x01, 0x81], ascii('sdping'), pattern(92))])), 'SteamDatagramRelay [DPI]');
  assert.notEqual(proto(await udpConversation(46604, 27045, [cat([0x01], ascii('sdping'), pattern(92))])), 'SteamDatagramRelay [DPI]');
  assert.notEqual(proto(await udpConversation(46604, 27045, [cat([0x01, 0x81], ascii('sdping'), pattern(4))])), 'SteamDatagramRelay [DPI]');
});

const epic = (first: number, counter: number, n = 40) => cat([first, 0x1a, 0x20, counter, 0x08, 0x98, 0x22, 0x65, 0x74, 0x04], pattern(n));

test('Epic Games: handshake answered in kind, after retransmissions too', async () => {
  assert.equal(proto(await udpConversation(39322, 9011, [epic(0x47, 0x00), { reply: epic(0x47, 0x08) }])), 'EpicGames [DPI]');
  assert.equal(proto(await udpConversation(47446, 15011, [epic(0x87, 0x00), epic(0x87, 0x00), epic(0x87, 0x00), { reply: epic(0x87, 0x08) }])), 'EpicGames [DPI]');
});

test('Epic Games: no answer, an answer of another shape, other constant: not', async () => {
  for (const turns of [[epic(0x47, 0)], [epic(0x47, 0), { reply: pattern(50) }], [cat([0x47, 0x1a, 0x20, 0, 8, 0x98, 0x22, 0x65, 0x75, 0x04], pattern(40)), { reply: epic(0x47, 8) }]]) {
    assert.notEqual(proto(await udpConversation(39322, 9011, turns)), 'EpicGames [DPI]', JSON.stringify(turns));
  }
});

test('LoL: Wild Rift: connect answered on the game ports, matchmaking request on 18001', async () => {
  assert.equal(proto(await udpConversation(43686, 15007, [cat(be32(0x04000000), pattern(65)), { reply: cat(be32(0x10000000), pattern(355)) }])), 'LoLWildRift [DPI]');
  assert.equal(proto(await udpConversation(44513, 18001, [cat(be32(0x0102c841), [0, 0, 0, 1, 0, 1, 0, 0, 0, 0x1e, 0, 4, 0, 4], ascii('A0B1'))])), 'LoLWildRift [DPI]');
});

test('LoL: Wild Rift: no answer, other lengths, other ports: not', async () => {
  for (const [port, turns] of [
    [15007, [cat(be32(0x04000000), pattern(65))]],
    [15007, [cat(be32(0x04000000), pattern(66)), { reply: cat(be32(0x10000000), pattern(355)) }]],
    [16007, [cat(be32(0x04000000), pattern(65)), { reply: cat(be32(0x10000000), pattern(355)) }]],
    [18001, [cat(be32(0x0102c841), pattern(19))]],
  ] as const) {
    assert.notEqual(proto(await udpConversation(43686, port, turns as never)), 'LoLWildRift [DPI]', `${port}`);
  }
});

test('TES Online: a doubly framed first message; lengths off or another marker: not', async () => {
  const msg = (body: Uint8Array, marker = 0x00010001, outerDelta = 0) => cat(be32(body.length + 8 + outerDelta), be32(marker), be32(body.length), body);
  assert.equal(proto(await tcpConversation(56158, 24120, [msg(cat([0x01, 0x10, 0, 0x14], ascii('gachimuchileatherman'), pattern(40)))])), 'TES_Online [DPI]');
  assert.notEqual(proto(await tcpConversation(56158, 24120, [msg(pattern(40), 0x00010002)])), 'TES_Online [DPI]');
  assert.notEqual(proto(await tcpConversation(56158, 24120, [msg(pattern(40), 0x00010001, 1)])), 'TES_Online [DPI]');
  assert.notEqual(proto(await tcpConversation(56158, 24120, [{ reply: msg(pattern(40)) }])), 'TES_Online [DPI]');
});
