// collectd's binary protocol (core-as/dissect/collectd.ts): parts of type, length (with the
// 4-byte header) and value; the host part names the flow. Layout: collectd wiki "Binary protocol".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, cat, pattern, type Bytes } from '../core/bytes.ts';
import { proto, udpConversation } from './l7-flows.ts';

const part = (type: number, value: Bytes | number[], declared?: number) => cat(be16(type), be16(declared ?? Uint8Array.from(value).length + 4), value);
const host = (name: string) => part(0x0000, cat(ascii(name), [0]));
const time = part(0x0008, pattern(8));
const interval = part(0x0009, pattern(8));
const plugin = part(0x0002, cat(ascii('cpu'), [0]));

test('three valid parts: collectd, the host part is the host name (lower case)', async () => {
  const f = await udpConversation(35988, 25826, [cat(host('DevLap.fritz.box'), time, interval, plugin, pattern(40))]);
  assert.equal(proto(f), 'collectd [DPI]');
  assert.equal(f.host_server_name, 'devlap.fritz.box');
  const g = await udpConversation(35988, 25827, [cat(time, interval, plugin)]);
  assert.equal(proto(g), 'collectd [DPI]', 'any port, no host part');
  assert.equal(g.host_server_name ?? '', '');
});

test('one encrypted part filling the payload with room for the IV: collectd', async () => {
  const encrypted = (userLen: number, total = 100) => part(0x0210, cat(be16(userLen), ascii('user'), pattern(total - 10)), total);
  assert.equal(proto(await udpConversation(39576, 25826, [encrypted(4)])), 'collectd [DPI]');
  assert.equal(proto(await udpConversation(39576, 25826, [encrypted(78)])), 'collectd [DPI]', 'name up to len - 22');
  assert.notEqual(proto(await udpConversation(39576, 25826, [encrypted(79)])), 'collectd [DPI]');
  assert.notEqual(proto(await udpConversation(39576, 25826, [encrypted(0xffff)])), 'collectd [DPI]');
  assert.notEqual(proto(await udpConversation(39576, 25826, [cat(encrypted(4), [0])])), 'collectd [DPI]', 'not the whole payload');
  assert.notEqual(proto(await udpConversation(39576, 25826, [part(0x0210, [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])])), 'collectd [DPI]', 'shorter than header + IV');
});

test('a bad part before the third, an unknown type, a length past the end or zero: not collectd', async () => {
  for (const [what, payload] of [
    ['host length 0xffff (collectd.pcap)', cat(part(0x0000, cat(ascii('devlap.fritz.box'), [0]), 0xffff), time, interval)],
    ['two parts', cat(host('a'), time)],
    ['type 0x000a', cat(host('a'), part(0x000a, pattern(8)), interval)],
    ['zero length', cat(host('a'), time, part(0x0009, [], 0))],
    ['past the end', cat(host('a'), time, part(0x0009, pattern(8), 13))],
  ] as Array<[string, Bytes]>) {
    assert.notEqual(proto(await udpConversation(36320, 25827, [payload])), 'collectd [DPI]', what);
  }
});
