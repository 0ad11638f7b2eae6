// SerialMap (runtime/checks/serial_map.ts) against a JS Map doing the same operations: the runner's
// churn of flow states (insert, look up, delete at the flow's end), through growth and tombstone
// purges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SerialMap } from '../../runtime/checks/serial_map.ts';

test('SerialMap behaves as a Map under insert/get/delete churn, growth and clear', () => {
  const map = new SerialMap<{ serial: number }>();
  const model = new Map<number, { serial: number }>();
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  let serial = 0;
  const live: number[] = [];
  for (let step = 0; step < 200000; step++) {
    const r = next() % 10;
    if (r < 4 || live.length === 0) {
      // New flows get increasing serials, sometimes beyond 2^31 (the hash must cope).
      const s = step % 1000 === 0 ? 2 ** 31 + serial++ : serial++;
      const value = { serial: s };
      map.set(s, value);
      model.set(s, value);
      live.push(s);
    } else if (r < 8) {
      const at = next() % live.length;
      const s = live[at];
      live[at] = live[live.length - 1];
      live.pop();
      assert.equal(map.delete(s), true);
      model.delete(s);
      assert.equal(map.delete(s), false);
    } else {
      const s = live[next() % live.length];
      assert.equal(map.get(s), model.get(s));
      assert.equal(map.get(serial + 5), undefined);
    }
    assert.equal(map.size, model.size);
  }
  for (const [s, v] of model) assert.equal(map.get(s), v);
  // Overwrite keeps one entry.
  const some = live[0];
  map.set(some, { serial: -1 });
  assert.equal(map.size, model.size);
  assert.deepEqual(map.get(some), { serial: -1 });
  map.clear();
  assert.equal(map.size, 0);
  assert.equal(map.get(some), undefined);
});
