// A map from flow serials (non-negative integers) to objects, for the runner's per-flow state:
// one entry made when a flow first needs state (an alert, a status, a periodic call) and removed
// when it ends, hundreds of thousands of times a capture. A JS Map pays for that churn (deleted
// entries stay in its table until a rehash, which allocates a new one); this is open addressing
// over a typed array of keys, with tombstones that later insertions reuse.

const EMPTY = 0, TOMBSTONE = -1;
const FIRST_CAPACITY_LOG2 = 10;

export class SerialMap<V> {
  #log2 = FIRST_CAPACITY_LOG2;
  /** serial + 1, EMPTY or TOMBSTONE. */
  #keys = new Float64Array(1 << FIRST_CAPACITY_LOG2);
  #values: Array<V | undefined> = new Array<V | undefined>(1 << FIRST_CAPACITY_LOG2).fill(undefined);
  #size = 0;
  /** Live entries plus tombstones: what the probes walk over. */
  #used = 0;

  get size(): number {
    return this.#size;
  }

  get(serial: number): V | undefined {
    const slot = this.#find(serial);
    return slot < 0 ? undefined : this.#values[slot];
  }

  set(serial: number, value: V): void {
    const key = serial + 1;
    const mask = (1 << this.#log2) - 1;
    let slot = hash(serial, this.#log2);
    let reuse = -1;
    for (;;) {
      const k = this.#keys[slot];
      if (k === key) {
        this.#values[slot] = value;
        return;
      }
      if (k === EMPTY) break;
      if (k === TOMBSTONE && reuse < 0) reuse = slot;
      slot = (slot + 1) & mask;
    }
    if (reuse >= 0) {
      slot = reuse;
    } else {
      // A new slot: keep live entries and tombstones under half the table (probes stay short).
      if ((this.#used + 1) * 2 > 1 << this.#log2) {
        this.#rehash(this.#size * 4 > 1 << this.#log2 ? this.#log2 + 1 : this.#log2);
        this.set(serial, value);
        return;
      }
      this.#used++;
    }
    this.#keys[slot] = key;
    this.#values[slot] = value;
    this.#size++;
  }

  delete(serial: number): boolean {
    const slot = this.#find(serial);
    if (slot < 0) return false;
    this.#keys[slot] = TOMBSTONE;
    this.#values[slot] = undefined;
    this.#size--;
    return true;
  }

  clear(): void {
    this.#keys.fill(EMPTY);
    this.#values.fill(undefined);
    this.#size = 0;
    this.#used = 0;
  }

  #find(serial: number): number {
    const key = serial + 1;
    const mask = (1 << this.#log2) - 1;
    let slot = hash(serial, this.#log2);
    for (;;) {
      const k = this.#keys[slot];
      if (k === key) return slot;
      if (k === EMPTY) return -1;
      slot = (slot + 1) & mask;
    }
  }

  /** Rebuilds the table at 2^log2 slots without its tombstones. */
  #rehash(log2: number): void {
    const keys = this.#keys, values = this.#values;
    this.#log2 = log2;
    this.#keys = new Float64Array(1 << log2);
    this.#values = new Array<V | undefined>(1 << log2).fill(undefined);
    this.#size = 0;
    this.#used = 0;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] > 0) this.set(keys[i] - 1, values[i] as V);
    }
  }
}

/** Fibonacci hashing of a serial into 2^log2 slots (serials are sequential: spread them). */
function hash(serial: number, log2: number): number {
  return Math.imul(serial | 0, 0x9e3779b1) >>> (32 - log2);
}
