// Mumble (core-as/dissect/mumble.ts): the UDP ping, a 12-byte request (zero type, 8-byte
// identifier) answered with 24 bytes (version, the identifier, users, max users, bandwidth).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be32, cat } from '../core/bytes.ts';
import { proto, udpConversation, udpDatagrams } from './l7-flows.ts';

const ident = [0x03, 0xd7, 0x20, 0x00, 0xfa, 0x76, 0x28, 0x7e];
const ping = (id = ident) => cat(be32(0), id);
const pong = (id = ident) => cat([0x00, 0x01, 0x03, 0x04], id, be32(0), be32(100), be32(72000));

test('ping answered with its identifier: Mumble', async () => {
  const f = await udpConversation(50085, 64738, [ping(), { reply: pong() }]);
  assert.equal(proto(f), 'Mumble [DPI]');
});

test('two servers pinged before either answers: both Mumble (each flow keeps its own identifier)', async () => {
  const other = [0x51, 0x79, 0x21, 0x00, 0xe2, 0xeb, 0x53, 0x51];
  const flows = await udpDatagrams([
    { src: '192.168.88.208', sport: 50085, dst: '5.39.185.162', dport: 64738, payload: ping() },
    { src: '192.168.88.208', sport: 50085, dst: '87.122.110.156', dport: 64738, payload: ping(other) },
    { src: '5.39.185.162', sport: 64738, dst: '192.168.88.208', dport: 50085, payload: pong() },
    { src: '87.122.110.156', sport: 64738, dst: '192.168.88.208', dport: 50085, payload: pong(other) },
  ]);
  assert.deepEqual(flows.map(proto), ['Mumble [DPI]', 'Mumble [DPI]']);
});

test('a repeated ping before the answer still counts', async () => {
  const f = await udpConversation(50085, 64738, [ping(), ping(), { reply: pong() }]);
  assert.equal(proto(f), 'Mumble [DPI]');
});

test('answer with another identifier, non-zero type, wrong lengths: not Mumble', async () => {
  const other = [1, 2, 3, 4, 5, 6, 7, 8];
  for (const turns of [
    [ping(), { reply: pong(other) }],
    [cat(be32(1), ident), { reply: pong() }],
    [cat(ping(), [0]), { reply: pong() }],
    [ping(), { reply: cat(pong(), [0]) }],
    [ping()],
  ]) {
    const f = await udpConversation(50085, 40000, turns);
    assert.notEqual(proto(f), 'Mumble [DPI]', JSON.stringify(turns));
  }
});
