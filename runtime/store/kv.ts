// The key-value store behind ntop's cache functions (ntop.getCache/setCache, hashes, lists, sets),
// shaped after the Redis subset ntopng uses. Web standards only.
//
// Two layers: KVStore is synchronous and in memory, because Lua calls it in the middle of a run
// and cannot wait; a KVBackend loads a snapshot before the analysis and saves one after (memory,
// a file in Node, later IndexedDB, Deno KV or Redis). TTLs run on the store's clock, which the
// caller chooses: wall time, or packet time so that a replayed capture expires keys as it did live.
//
// Expiry times are absolute on that clock (ms since the epoch), and so are the snapshots: a state
// saved after one capture file and loaded before the next file of the same capture (rotated files)
// expires its keys at the same packet time as one long file would. A snapshot names its clock
// ('wall', 'capture') and the time it was saved at. The capture clock is unknown before the first
// packet (the clock returns null): then no key expires, the time of a restored snapshot of the same
// clock stands in for "now", and without one a TTL set then counts from the first known time.

/** expiresAt: ms on the store's clock; ttlMs: a TTL still waiting for a known time (see above). */
export type KVEntry =
  | { type: 'string'; value: string; expiresAt?: number; ttlMs?: number }
  | { type: 'hash'; value: Record<string, string>; expiresAt?: number; ttlMs?: number }
  | { type: 'list'; value: string[]; expiresAt?: number; ttlMs?: number }
  | { type: 'set'; value: string[]; expiresAt?: number; ttlMs?: number };

export interface KVSnapshot {
  version: 1;
  entries: Array<[key: string, entry: KVEntry]>;
  /** The clock the expiry times are on (absent in older snapshots: wall). */
  clock?: string;
  /** The clock's time when the snapshot was taken (ms), when it was known. */
  savedAt?: number;
}

/** Where snapshots live between runs. */
export interface KVBackend {
  load(): Promise<KVSnapshot | null>;
  save(snapshot: KVSnapshot): Promise<void>;
}

export interface KVStoreOptions {
  /** Milliseconds since the epoch; default Date.now. null: not known yet (capture time before the first packet). */
  clock?: () => number | null;
  /** The clock's name, kept in snapshots: 'wall' (default) or 'capture'. */
  clockName?: string;
  /** Upper bound of keys; writes of new keys beyond it fail. Default 1,000,000. */
  maxKeys?: number;
}

type Stored =
  | { type: 'string'; value: string; expiresAt?: number; ttlMs?: number }
  | { type: 'hash'; value: Map<string, string>; expiresAt?: number; ttlMs?: number }
  | { type: 'list'; value: string[]; expiresAt?: number; ttlMs?: number }
  | { type: 'set'; value: Set<string>; expiresAt?: number; ttlMs?: number };

export class KVTypeError extends Error {
  constructor(key: string, wanted: string, actual: string) {
    super(`WRONGTYPE key "${key}" holds a ${actual}, not a ${wanted}`);
    this.name = 'KVTypeError';
  }
}

/** Glob match as Redis KEYS does (*, ?, [set], \\ escapes). */
export function globMatch(pattern: string, text: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let set = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (set.startsWith('^')) set = `^${set.slice(1)}`;
        re += `[${set}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) {
      re += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 's').test(text);
}

export class KVStore {
  readonly #data = new Map<string, Stored>();
  #clock: () => number | null;
  #clockName: string;
  readonly #maxKeys: number;
  /** The latest known time of the clock (ms), or null. */
  #lastNow: number | null = null;
  /** Entries whose TTL waits for a known time. */
  readonly #pending = new Set<Stored>();
  /** Clock name and time of the last restored snapshot (for a clock set later). */
  #restored: { clock: string; savedAt?: number } | null = null;

  constructor(options: KVStoreOptions = {}) {
    this.#clock = options.clock ?? Date.now;
    this.#clockName = options.clockName ?? 'wall';
    this.#maxKeys = options.maxKeys ?? 1_000_000;
  }

  /**
   * Changes the clock (e.g. the check runner's capture clock, once the runner exists). Expiry
   * times already stored stay as they are: they are absolute times on the clock of that name.
   */
  useClock(clock: () => number | null, name: string): void {
    this.#clock = clock;
    this.#clockName = name;
    this.#lastNow = this.#restored !== null && this.#restored.clock === name ? this.#restored.savedAt ?? null : null;
  }

  get clockName(): string {
    return this.#clockName;
  }

  /**
   * The clock's time in ms: its reading, else (capture clock before the first packet) the
   * latest known one, else null. A first known time starts the TTLs that were waiting for one.
   */
  now(): number | null {
    const reading = this.#clock();
    if (reading !== null && Number.isFinite(reading)) {
      this.#lastNow = reading;
      if (this.#pending.size > 0) {
        for (const entry of this.#pending) {
          if (entry.ttlMs !== undefined) entry.expiresAt = reading + entry.ttlMs;
          entry.ttlMs = undefined;
        }
        this.#pending.clear();
      }
    }
    return this.#lastNow;
  }

  /** Sets a TTL on an entry (ms), pending when the time is not known yet. */
  #setTtl(entry: Stored, ms: number | undefined): void {
    if (entry.ttlMs !== undefined) this.#pending.delete(entry);
    entry.ttlMs = undefined;
    entry.expiresAt = undefined;
    if (ms === undefined) return;
    const now = this.now();
    if (now === null) {
      entry.ttlMs = ms;
      this.#pending.add(entry);
    } else {
      entry.expiresAt = now + ms;
    }
  }

  #live(key: string): Stored | undefined {
    const entry = this.#data.get(key);
    if (entry === undefined) return undefined;
    // A pending TTL starts at the first known time, whichever operation reads it first.
    if (entry.expiresAt !== undefined || this.#pending.size > 0) {
      const now = this.now();
      if (now !== null && entry.expiresAt !== undefined && entry.expiresAt <= now) {
        this.#data.delete(key);
        return undefined;
      }
    }
    return entry;
  }

  #delete(key: string): boolean {
    const entry = this.#data.get(key);
    if (entry === undefined) return false;
    if (entry.ttlMs !== undefined) this.#pending.delete(entry);
    return this.#data.delete(key);
  }

  #typed<T extends Stored['type']>(key: string, type: T): Extract<Stored, { type: T }> | undefined {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    if (entry.type !== type) throw new KVTypeError(key, type, entry.type);
    return entry as Extract<Stored, { type: T }>;
  }

  #create<T extends Stored>(key: string, entry: T): T {
    if (!this.#data.has(key) && this.#data.size >= this.#maxKeys) throw new Error(`the store is full (${this.#maxKeys} keys)`);
    this.#data.set(key, entry);
    return entry;
  }

  get size(): number {
    return this.#data.size;
  }

  // ---------------------------------------------------------------- keys
  exists(key: string): boolean {
    return this.#live(key) !== undefined;
  }

  del(key: string): boolean {
    return this.#delete(key);
  }

  /** Keys matching a Redis glob pattern, sorted. */
  keys(pattern = '*'): string[] {
    const out: string[] = [];
    for (const key of [...this.#data.keys()]) if (this.#live(key) !== undefined && globMatch(pattern, key)) out.push(key);
    return out.sort();
  }

  /** Sets a TTL in seconds (<= 0 removes the key). False when the key does not exist. */
  expire(key: string, seconds: number): boolean {
    const entry = this.#live(key);
    if (entry === undefined) return false;
    if (seconds <= 0) return this.#delete(key);
    this.#setTtl(entry, seconds * 1000);
    return true;
  }

  /** Seconds to live: -2 no key, -1 no TTL (as Redis). */
  ttl(key: string): number {
    const entry = this.#live(key);
    if (entry === undefined) return -2;
    if (entry.ttlMs !== undefined) return Math.ceil(entry.ttlMs / 1000);
    if (entry.expiresAt === undefined) return -1;
    const now = this.now();
    return now === null ? -1 : Math.max(0, Math.ceil((entry.expiresAt - now) / 1000));
  }

  flushAll(): void {
    this.#data.clear();
    this.#pending.clear();
  }

  // ---------------------------------------------------------------- strings
  get(key: string): string | undefined {
    return this.#typed(key, 'string')?.value;
  }

  /** ttlSeconds > 0 sets an expiry; otherwise the key does not expire. */
  set(key: string, value: string, ttlSeconds?: number): void {
    this.#delete(key);
    const entry = this.#create(key, { type: 'string', value } as Stored);
    if (ttlSeconds !== undefined && ttlSeconds > 0) this.#setTtl(entry, ttlSeconds * 1000);
  }

  incrBy(key: string, by: number): number {
    const entry = this.#typed(key, 'string');
    const current = entry === undefined ? 0 : Number(entry.value);
    if (!Number.isFinite(current)) throw new Error(`value of "${key}" is not a number`);
    const next = current + by;
    if (entry === undefined) this.#create(key, { type: 'string', value: String(next) });
    else entry.value = String(next);
    return next;
  }

  // ---------------------------------------------------------------- hashes
  hget(key: string, field: string): string | undefined {
    return this.#typed(key, 'hash')?.value.get(field);
  }

  hset(key: string, field: string, value: string): void {
    const entry = this.#typed(key, 'hash') ?? this.#create(key, { type: 'hash', value: new Map<string, string>() });
    entry.value.set(field, value);
  }

  hdel(key: string, field: string): boolean {
    const entry = this.#typed(key, 'hash');
    if (entry === undefined) return false;
    const removed = entry.value.delete(field);
    if (entry.value.size === 0) this.#delete(key);
    return removed;
  }

  hgetall(key: string): Record<string, string> {
    const entry = this.#typed(key, 'hash');
    return entry === undefined ? {} : Object.fromEntries(entry.value);
  }

  hkeys(key: string): string[] {
    const entry = this.#typed(key, 'hash');
    return entry === undefined ? [] : [...entry.value.keys()];
  }

  // ---------------------------------------------------------------- lists
  #list(key: string): string[] {
    return (this.#typed(key, 'list') ?? this.#create(key, { type: 'list', value: [] as string[] })).value;
  }

  lpush(key: string, value: string): number {
    const list = this.#list(key);
    list.unshift(value);
    return list.length;
  }

  rpush(key: string, value: string): number {
    const list = this.#list(key);
    list.push(value);
    return list.length;
  }

  lpop(key: string): string | undefined {
    const entry = this.#typed(key, 'list');
    const v = entry?.value.shift();
    if (entry && entry.value.length === 0) this.#delete(key);
    return v;
  }

  rpop(key: string): string | undefined {
    const entry = this.#typed(key, 'list');
    const v = entry?.value.pop();
    if (entry && entry.value.length === 0) this.#delete(key);
    return v;
  }

  llen(key: string): number {
    return this.#typed(key, 'list')?.value.length ?? 0;
  }

  /** Redis LRANGE: inclusive indexes, negative from the end. */
  lrange(key: string, start: number, stop: number): string[] {
    const list = this.#typed(key, 'list')?.value ?? [];
    const n = list.length;
    const from = start < 0 ? Math.max(0, n + start) : start;
    const to = stop < 0 ? n + stop : Math.min(stop, n - 1);
    return from > to ? [] : list.slice(from, to + 1);
  }

  /** Redis LTRIM: keeps only [start, stop]. */
  ltrim(key: string, start: number, stop: number): void {
    const entry = this.#typed(key, 'list');
    if (entry === undefined) return;
    entry.value = this.lrange(key, start, stop);
    if (entry.value.length === 0) this.#delete(key);
  }

  // ---------------------------------------------------------------- sets
  sadd(key: string, member: string): boolean {
    const entry = this.#typed(key, 'set') ?? this.#create(key, { type: 'set', value: new Set<string>() });
    if (entry.value.has(member)) return false;
    entry.value.add(member);
    return true;
  }

  srem(key: string, member: string): boolean {
    const entry = this.#typed(key, 'set');
    if (entry === undefined) return false;
    const removed = entry.value.delete(member);
    if (entry.value.size === 0) this.#delete(key);
    return removed;
  }

  smembers(key: string): string[] {
    const entry = this.#typed(key, 'set');
    return entry === undefined ? [] : [...entry.value].sort();
  }

  sismember(key: string, member: string): boolean {
    return this.#typed(key, 'set')?.value.has(member) ?? false;
  }

  // ---------------------------------------------------------------- snapshots
  snapshot(): KVSnapshot {
    const entries: KVSnapshot['entries'] = [];
    for (const key of [...this.#data.keys()].sort()) {
      const entry = this.#live(key);
      if (entry === undefined) continue;
      const base = entry.expiresAt !== undefined ? { expiresAt: entry.expiresAt } : entry.ttlMs !== undefined ? { ttlMs: entry.ttlMs } : {};
      switch (entry.type) {
        case 'string': entries.push([key, { type: 'string', value: entry.value, ...base }]); break;
        case 'hash': entries.push([key, { type: 'hash', value: Object.fromEntries(entry.value), ...base }]); break;
        case 'list': entries.push([key, { type: 'list', value: [...entry.value], ...base }]); break;
        case 'set': entries.push([key, { type: 'set', value: [...entry.value].sort(), ...base }]); break;
      }
    }
    const savedAt = this.now();
    return savedAt === null ? { version: 1, entries, clock: this.#clockName } : { version: 1, entries, clock: this.#clockName, savedAt };
  }

  /**
   * Replaces the contents with a snapshot. Entries already expired on this clock are skipped
   * when the snapshot is on the same clock (a snapshot without a clock name is on wall time);
   * otherwise they are kept and expire when this store's clock reaches their time.
   */
  restore(snapshot: KVSnapshot): void {
    if (snapshot.version !== 1 || !Array.isArray(snapshot.entries)) throw new Error('unsupported store snapshot (version 1 expected)');
    this.#data.clear();
    this.#pending.clear();
    const clock = typeof snapshot.clock === 'string' ? snapshot.clock : 'wall';
    const savedAt = typeof snapshot.savedAt === 'number' && Number.isFinite(snapshot.savedAt) ? snapshot.savedAt : undefined;
    this.#restored = { clock, savedAt };
    const sameClock = clock === this.#clockName;
    if (sameClock && this.#lastNow === null && savedAt !== undefined) this.#lastNow = savedAt;
    const now = sameClock ? this.now() : null;
    for (const [key, entry] of snapshot.entries) {
      if (entry.expiresAt !== undefined && now !== null && entry.expiresAt <= now) continue;
      let stored: Stored;
      switch (entry.type) {
        case 'string': stored = { type: 'string', value: String(entry.value) }; break;
        case 'hash': stored = { type: 'hash', value: new Map(Object.entries(entry.value).map(([f, v]) => [f, String(v)])) }; break;
        case 'list': stored = { type: 'list', value: entry.value.map(String) }; break;
        case 'set': stored = { type: 'set', value: new Set(entry.value.map(String)) }; break;
        default: throw new Error(`unsupported entry type for key "${key}"`);
      }
      if (typeof entry.expiresAt === 'number') stored.expiresAt = entry.expiresAt;
      else if (typeof entry.ttlMs === 'number' && entry.ttlMs > 0) this.#setTtl(stored, entry.ttlMs);
      this.#data.set(key, stored);
    }
  }

  /** Redis RENAME: `to` takes `from`'s value and TTL. False when `from` does not exist. */
  rename(from: string, to: string): boolean {
    const entry = this.#live(from);
    if (entry === undefined) return false;
    if (from === to) return true;
    this.#delete(to);
    this.#data.delete(from);
    this.#data.set(to, entry);
    return true;
  }

  /** Loads the backend's snapshot, if any. */
  async loadFrom(backend: KVBackend): Promise<void> {
    const snapshot = await backend.load();
    if (snapshot !== null) this.restore(snapshot);
  }

  saveTo(backend: KVBackend): Promise<void> {
    return backend.save(this.snapshot());
  }
}
