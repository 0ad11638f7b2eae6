// The KV store behind ntop's cache: strings with TTL on a chosen clock, hashes, lists, sets,
// snapshots to memory and to a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KVStore, KVTypeError, globMatch } from '../../runtime/store/kv.ts';
import { MemoryBackend } from '../../runtime/store/memory.ts';
import { FileBackend } from '../../adapters/node/store-file.ts';

test('strings, TTL on the store clock, types, keys', () => {
  let now = 1_000_000;
  const kv = new KVStore({ clock: () => now });
  kv.set('a', '1');
  kv.set('b', '2', 10);
  assert.equal(kv.get('a'), '1');
  assert.equal(kv.ttl('a'), -1);
  assert.equal(kv.ttl('b'), 10);
  now += 9_999;
  assert.equal(kv.get('b'), '2');
  now += 1;
  assert.equal(kv.get('b'), undefined);
  assert.equal(kv.ttl('b'), -2);
  assert.equal(kv.incrBy('n', 5), 5);
  assert.equal(kv.incrBy('n', -2), 3);
  kv.hset('h', 'f', 'v');
  assert.throws(() => kv.get('h'), KVTypeError);
  assert.deepEqual(kv.hgetall('h'), { f: 'v' });
  kv.rpush('l', 'x');
  kv.lpush('l', 'w');
  kv.rpush('l', 'y');
  assert.deepEqual(kv.lrange('l', 0, -1), ['w', 'x', 'y']);
  assert.deepEqual(kv.lrange('l', -2, -1), ['x', 'y']);
  kv.ltrim('l', 1, 1);
  assert.deepEqual(kv.lrange('l', 0, -1), ['x']);
  assert.equal(kv.sadd('s', 'm'), true);
  assert.equal(kv.sadd('s', 'm'), false);
  assert.equal(kv.sismember('s', 'm'), true);
  assert.deepEqual(kv.keys('*'), ['a', 'h', 'l', 'n', 's']);
  assert.deepEqual(kv.keys('[ah]'), ['a', 'h']);
  assert.equal(globMatch('ntopng.cache.*', 'ntopng.cache.x.y'), true);
  assert.equal(globMatch('a?c', 'abc'), true);
  assert.equal(globMatch('a\\*', 'a*'), true);
  assert.equal(globMatch('a\\*', 'ab'), false);
});

test('snapshots round-trip through memory and a file; expired keys are not restored', async () => {
  let now = 5_000;
  const kv = new KVStore({ clock: () => now });
  kv.set('keep', 'v');
  kv.set('short', 'v', 1);
  kv.hset('h', 'a', 'b');
  kv.rpush('l', 'x');
  kv.sadd('s', 'y');
  const memory = new MemoryBackend();
  await kv.saveTo(memory);
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-kv-'));
  const file = new FileBackend(join(dir, 'state.json'));
  assert.equal(await file.load(), null);
  await kv.saveTo(file);
  now += 2_000;
  for (const backend of [memory, file]) {
    const copy = new KVStore({ clock: () => now });
    await copy.loadFrom(backend);
    assert.deepEqual(copy.keys(), ['h', 'keep', 'l', 's']);
    assert.deepEqual(copy.hgetall('h'), { a: 'b' });
  }
  writeFileSync(join(dir, 'bad.json'), 'not json');
  await assert.rejects(new FileBackend(join(dir, 'bad.json')).load(), /not a flowscope state file/);
  assert.match(readFileSync(join(dir, 'state.json'), 'utf8'), /^\{"version":1,"entries":\[/);
});

test('capture clock: unknown before the first packet, TTLs set then count from the first known time', () => {
  let packetMs: number | null = null;
  const kv = new KVStore({ clock: () => packetMs, clockName: 'capture' });
  kv.set('early', 'v', 30);
  assert.equal(kv.ttl('early'), 30);
  assert.equal(kv.now(), null);
  packetMs = 1_700_000_000_000;
  assert.equal(kv.get('early'), 'v'); // the first known time starts the TTL
  packetMs += 29_999;
  assert.equal(kv.ttl('early'), 1);
  packetMs += 1;
  assert.equal(kv.get('early'), undefined);
  // A TTL set on a known time; expire() and rename() keep the absolute time.
  kv.set('k', 'v', 10);
  assert.equal(kv.expire('k', 20), true);
  assert.equal(kv.rename('k', 'renamed'), true);
  assert.equal(kv.get('k'), undefined);
  packetMs += 19_999;
  assert.equal(kv.get('renamed'), 'v');
  packetMs += 1;
  assert.equal(kv.get('renamed'), undefined);
  assert.equal(kv.rename('missing', 'x'), false);
});

test('snapshots carry their clock: same clock restores "now", another clock keeps every entry', () => {
  let packetMs: number | null = 1_600_000_000_000;
  const first = new KVStore({ clock: () => packetMs, clockName: 'capture' });
  first.set('ttl', 'v', 60);
  first.set('forever', 'v');
  packetMs += 10_000;
  const snapshot = first.snapshot();
  assert.equal(snapshot.clock, 'capture');
  assert.equal(snapshot.savedAt, 1_600_000_010_000);
  assert.deepEqual(snapshot.entries.find(([k]) => k === 'ttl')![1], { type: 'string', value: 'v', expiresAt: 1_600_000_060_000 });

  // The next file of the same capture, before its first packet: the saved time stands for "now".
  let next: number | null = null;
  const second = new KVStore({ clock: () => next, clockName: 'capture' });
  second.restore(snapshot);
  assert.equal(second.ttl('ttl'), 50);
  next = 1_600_000_059_999;
  assert.equal(second.get('ttl'), 'v');
  next += 1;
  assert.equal(second.get('ttl'), undefined);
  assert.equal(second.get('forever'), 'v');

  // Restored under the wall clock (default) and switched to capture time afterwards, as the
  // CLI does (state loaded, then the runner sets its clock): nothing was dropped on the way.
  const later = new KVStore();
  later.restore(snapshot);
  assert.deepEqual(later.keys(), ['forever']); // on the wall clock 2020 is past: the TTL key is gone
  const switched = new KVStore();
  switched.restore(snapshot);
  switched.useClock(() => null, 'capture');
  assert.deepEqual(switched.keys(), ['forever', 'ttl']);
  assert.equal(switched.ttl('ttl'), 50);

  // A wall-time snapshot (no clock name: older files) restored on the wall clock drops expired keys.
  const wall = new KVStore({ clock: () => 5_000 });
  wall.restore({ version: 1, entries: [['gone', { type: 'string', value: 'v', expiresAt: 4_000 }], ['kept', { type: 'string', value: 'v', expiresAt: 6_000 }]] });
  assert.deepEqual(wall.keys(), ['kept']);
});
