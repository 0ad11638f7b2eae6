// A KVBackend that keeps the snapshot in memory: the default, and what tests use. A store saved
// here and loaded into another KVStore carries its keys over (within one process).
import type { KVBackend, KVSnapshot } from './kv.ts';

export class MemoryBackend implements KVBackend {
  #snapshot: KVSnapshot | null = null;

  async load(): Promise<KVSnapshot | null> {
    return this.#snapshot === null ? null : structuredClone(this.#snapshot);
  }

  async save(snapshot: KVSnapshot): Promise<void> {
    this.#snapshot = structuredClone(snapshot);
  }
}
