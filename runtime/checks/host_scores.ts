// Host scores: what flow alerts add to their client and server hosts (ntopng's as-client and
// as-server score). Every alert credits two hosts, and a capture has hundreds of thousands of
// them, so the common case, an IPv4 host on VLAN 0, lives in an open-addressing table of typed
// arrays keyed by the address number: one probe reads a key and the two scores beside each other,
// where a Map of objects reads a bucket, an entry and then the object. Other hosts (IPv6, VLANs)
// are few and go in a Map by "ip" or "ip@vlan".

/** A host's accumulated score. */
export interface HostScore {
  ip: string;
  vlan: number;
  asClient: number;
  asServer: number;
}

const FIRST_CAPACITY_LOG2 = 12;
/**
 * A slot: address + 1 (0: empty), asClient, asServer, first-scored order. Four doubles, 32 bytes
 * aligned: one probe is one cache line.
 */
const STRIDE = 4, KEY = 0, AS_CLIENT = 1, AS_SERVER = 2, ORDER = 3;

export class HostScores {
  #log2 = FIRST_CAPACITY_LOG2;
  #table = new Float64Array(STRIDE << FIRST_CAPACITY_LOG2);
  /** The address text of slot i (kept for list(); the hot path never reads it). */
  #texts: string[] = new Array<string>(1 << FIRST_CAPACITY_LOG2).fill('');
  #count = 0;
  readonly #others = new Map<string, HostScore & { order: number }>();
  #nextOrder = 0;

  /** Adds to a host's scores; `v4` is its IPv4 address as a number, or -1. */
  credit(ip: string, v4: number, vlan: number, asClient: number, asServer: number): void {
    if (vlan !== 0 || v4 < 0) {
      const key = vlan === 0 ? ip : `${ip}@${vlan}`;
      let score = this.#others.get(key);
      if (score === undefined) {
        score = { ip, vlan, asClient: 0, asServer: 0, order: this.#nextOrder++ };
        this.#others.set(key, score);
      }
      score.asClient += asClient;
      score.asServer += asServer;
      return;
    }
    const at = this.#slot(v4, ip) * STRIDE;
    this.#table[at + AS_CLIENT] += asClient;
    this.#table[at + AS_SERVER] += asServer;
  }

  /** The slot of an IPv4 address, made on first use (linear probing from its hash). */
  #slot(v4: number, ip: string): number {
    const key = v4 + 1;
    const mask = (1 << this.#log2) - 1;
    const table = this.#table;
    let slot = Math.imul(v4, 0x9e3779b1) >>> (32 - this.#log2);
    for (;;) {
      const k = table[slot * STRIDE + KEY];
      if (k === key) return slot;
      if (k === 0) break;
      slot = (slot + 1) & mask;
    }
    // Keep the table at most half full: probes stay short.
    if ((this.#count + 1) * 2 > 1 << this.#log2) {
      this.#grow();
      return this.#slot(v4, ip);
    }
    table[slot * STRIDE + KEY] = key;
    table[slot * STRIDE + ORDER] = this.#nextOrder++;
    this.#texts[slot] = ip;
    this.#count++;
    return slot;
  }

  #grow(): void {
    const old = this.#table, texts = this.#texts;
    this.#log2++;
    const size = 1 << this.#log2;
    const table = new Float64Array(STRIDE * size);
    this.#table = table;
    this.#texts = new Array<string>(size).fill('');
    const mask = size - 1;
    for (let i = 0; i * STRIDE < old.length; i++) {
      const key = old[i * STRIDE + KEY];
      if (key === 0) continue;
      let slot = Math.imul(key - 1, 0x9e3779b1) >>> (32 - this.#log2);
      while (table[slot * STRIDE + KEY] !== 0) slot = (slot + 1) & mask;
      table.set(old.subarray(i * STRIDE, i * STRIDE + STRIDE), slot * STRIDE);
      this.#texts[slot] = texts[i];
    }
  }

  get size(): number {
    return this.#count + this.#others.size;
  }

  /** Every scored host, in the order they were first scored. */
  list(): HostScore[] {
    const rows: Array<{ order: number; score: HostScore }> = [];
    const table = this.#table;
    for (let i = 0; i * STRIDE < table.length; i++) {
      const at = i * STRIDE;
      if (table[at + KEY] === 0) continue;
      rows.push({ order: table[at + ORDER], score: { ip: this.#texts[i], vlan: 0, asClient: table[at + AS_CLIENT], asServer: table[at + AS_SERVER] } });
    }
    for (const { order, ...score } of this.#others.values()) rows.push({ order, score });
    rows.sort((a, b) => a.order - b.order);
    return rows.map((row) => row.score);
  }
}
