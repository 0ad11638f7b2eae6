// The games group (core-as/dissect/group_games.ts): Activision (activision.ts), Heroes of the
// Storm (heroes_of_the_storm.ts), Steam Datagram Relay pings (steam_sdr.ts), Epic Games
// (epic_games.ts), LoL: Wild Rift (lol_wild_rift.ts), TES Online (teso.ts), i3D (i3d.ts),
// Tencent's games (tencent_games.ts), NetEase's games (netease_games.ts) and World of Warcraft
// (world_of_warcraft.ts). No public specifications: the expected labels are nDPI's on the
// corpus captures these shapes come from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, be32, cat, le16, le32, pattern, zeros } from '../core/bytes.ts';
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

test('i3D: the discovery shape with i3D\'s SSRC, or the media shape; short, other SSRC or extension: not', async () => {
  const discovery = (type: number, ssrc = 0x0003cfa8, n = 66) => cat(be16(type), be16(0x46), be32(ssrc), zeros(n));
  const media = (head: number, extension = 0xbede0003) => cat(be16(head), be16(0x9425), be32(0x0767c6f2), be32(0x0003cfa9), be32(extension), pattern(60));
  assert.equal(proto(await udpConversation(60476, 50004, [discovery(1), { reply: discovery(2) }])), 'i3D [DPI]');
  assert.equal(proto(await udpConversation(60476, 50004, [{ reply: discovery(2) }])), 'i3D [DPI]');
  assert.equal(proto(await udpConversation(60476, 50004, [media(0x9078)])), 'i3D [DPI]');
  assert.equal(proto(await udpConversation(60476, 50004, [media(0x9067)])), 'i3D [DPI]');
  for (const bad of [discovery(1, 0x0003cfa8, 65), discovery(1, 0x12345678), discovery(3), media(0x9079), media(0x9078, 0xbede0001)]) {
    assert.notEqual(proto(await udpConversation(60476, 50004, [bad])), 'i3D [DPI]', Buffer.from(bad).toString('hex').slice(0, 32));
  }
});

test('TencentGames: the five openings of a first TCP payload over 50 bytes', async () => {
  const openings = [
    cat(be32(0x3366000b), be16(0x000b), pattern(60)),
    cat(be32(0x4366aa00), pattern(8), be32(0x10e68601), pattern(40)),
    cat(be32(0xaa000000), pattern(6), be32(0x10e68601), pattern(40)),
    cat(be16(0), be16(330), be16(0x7801), pattern(328)),
    cat(be32(0x4215f787), be16(0x03e9), be16(0), pattern(60)),
  ];
  for (const first of openings) {
    assert.equal(proto(await tcpConversation(47046, 31003, [first])), 'TencentGames [DPI]', Buffer.from(first).toString('hex').slice(0, 24));
  }
});

test('TencentGames: 50 bytes or less, a second word off, a wrong length, a later payload: not', async () => {
  for (const turns of [
    [cat(be32(0x3366000b), be16(0x000b), pattern(44))],
    [cat(be32(0x3366000b), be16(0x000c), pattern(60))],
    [cat(be32(0x4366aa00), pattern(8), be32(0x10e68602), pattern(40))],
    [cat(be16(0), be16(331), be16(0x7801), pattern(328))],
    [cat(be32(0x4215f787), be16(0x03e9), be16(1), pattern(60))],
    [pattern(60), cat(be32(0x3366000b), be16(0x000b), pattern(60))],
  ]) {
    assert.notEqual(proto(await tcpConversation(47046, 31003, turns)), 'TencentGames [DPI]', Buffer.from(turns[0]).toString('hex').slice(0, 24));
  }
});

test('NetEaseGames: the 12-byte client hello, Lost Light and Naraka openings', async () => {
  const hello = cat([0x01, 0xb5], le16(0x01d0), [0x11, 0x2a, 0x3d, 0x03], le32(0x01010100));
  assert.equal(proto(await udpConversation(56588, 4513, [hello, { reply: pattern(12) }])), 'NetEaseGames [DPI]');
  assert.equal(proto(await udpConversation(41040, 4170, [cat(be32(0xb3af8de8), pattern(26))])), 'NetEaseGames [DPI]');
  assert.equal(proto(await udpConversation(58951, 28203, [cat(le32(0x0c080807), pattern(27))])), 'NetEaseGames [DPI]');
});

test('NetEaseGames: the hello as a later payload, another length or tail, short Lost Light or Naraka: not', async () => {
  const hello = (tail = 0x01010100, extra: number[] = []) => cat([0x01, 0xb5], le16(0x01d0), [0x11, 0x2a, 0x3d, 0x03], le32(tail), extra);
  for (const turns of [
    [pattern(12), { reply: hello() }],
    [hello(0x01010101)],
    [hello(0x01010100, [0])],
    [cat(be32(0xb3af8de8), pattern(25))],
    [cat(le32(0x0c080807), pattern(26))],
  ]) {
    assert.notEqual(proto(await udpConversation(56588, 4513, turns as never)), 'NetEaseGames [DPI]', JSON.stringify(turns));
  }
});

const wowGreeting = (text: string, declared?: number) => cat(be16(declared ?? text.length + 1), ascii(text), [0]);

test('World of Warcraft: the world server\'s greeting, either side, also split over segments', async () => {
  assert.equal(proto(await tcpConversation(39329, 3724, [
    { reply: wowGreeting('WORLD OF WARCRAFT CONNECTION - SERVER TO CLIENT') },
    wowGreeting('WORLD OF WARCRAFT CONNECTION - CLIENT TO SERVER'),
  ])), 'WorldOfWarcraft [DPI]');
  assert.equal(proto(await tcpConversation(39329, 8085, [wowGreeting('WORLD OF WARCRAFT CONNECTION - CLIENT TO SERVER - V2')])), 'WorldOfWarcraft [DPI]');
  assert.equal(proto(await tcpConversation(39329, 3724, [wowGreeting('WORLD OF WARCRAFT CONNECTION - ', 48)])), 'WorldOfWarcraft [DPI]');
});

test('World of Warcraft: a length shorter than the text, another text, a later payload: not', async () => {
  for (const turns of [
    [wowGreeting('WORLD OF WARCRAFT CONNECTION - SERVER TO CLIENT', 10)],
    [wowGreeting('WORLD OF WARCRAFT - SERVER TO CLIENT')],
    [Uint8Array.from([0x00])],
    [pattern(20), wowGreeting('WORLD OF WARCRAFT CONNECTION - CLIENT TO SERVER')],
  ]) {
    assert.notEqual(proto(await tcpConversation(39329, 3724, turns)), 'WorldOfWarcraft [DPI]');
  }
});

test('Call of Duty: Mobile: the 12-byte ping on 7500, a loadout message among the first four payloads', async () => {
  const ping = cat(pattern(8), ascii('ping'));
  assert.equal(proto(await udpConversation(40282, 7500, [ping, { reply: ping }])), 'CoD_Mobile [DPI]');
  const loadout = cat([0xce], pattern(200), ascii('LOC_PREFAB_LOADOUTNAME_1'), pattern(200));
  assert.equal(proto(await udpConversation(38704, 7948, [pattern(182), { reply: pattern(8) }, { reply: pattern(466) }, { reply: loadout }])), 'CoD_Mobile [DPI]');
});

test('Call of Duty: Mobile: ping elsewhere or of another length, the loadout too late, short or without 0xCE: not', async () => {
  const loadout = (first: number, n = 200) => cat([first], pattern(n), ascii('LOC_PREFAB_LOADOUTNAME_1'), pattern(200));
  for (const [port, turns] of [
    [7501, [cat(pattern(8), ascii('ping'))]],
    [7500, [cat(pattern(9), ascii('ping'))]],
    [7948, [pattern(60), pattern(60), pattern(60), pattern(60), loadout(0xce)]],
    [7948, [cat([0xce], ascii('LOC_PREFAB_LOADOUTNAME_1'), pattern(300))].map((b) => b.subarray(0, 350))],
    [7948, [loadout(0xcf)]],
  ] as const) {
    assert.notEqual(proto(await udpConversation(38704, port, turns as never)), 'CoD_Mobile [DPI]', `${port}`);
  }
});

test('Half-Life 2: an out-of-band challenge answered in kind from the other side', async () => {
  const challenge = cat([0xff, 0xff, 0xff, 0xff], pattern(12), ascii('000'), [0]);
  assert.equal(proto(await udpConversation(27005, 27015, [challenge, { reply: challenge }])), 'HalfLife2 [DPI]');
  for (const [what, turns] of [
    ['no answer', [challenge]],
    ['answered from the same side', [challenge, challenge]],
    ['no 000 end', [challenge, { reply: cat([0xff, 0xff, 0xff, 0xff], pattern(12), ascii('001'), [0]) }]],
    ['19 bytes', [challenge.subarray(0, 19), { reply: challenge.subarray(0, 19) }]],
    ['answer third', [challenge, pattern(20), { reply: challenge }]],
  ] as const) {
    assert.notEqual(proto(await udpConversation(27005, 27015, turns as never)), 'HalfLife2 [DPI]', what);
  }
});
