// The key-value store: the synchronous in-memory KVStore and its snapshot backends.
export { KVStore, KVTypeError, globMatch, type KVBackend, type KVEntry, type KVSnapshot, type KVStoreOptions } from './kv.ts';
export { MemoryBackend } from './memory.ts';
