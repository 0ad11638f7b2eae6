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
