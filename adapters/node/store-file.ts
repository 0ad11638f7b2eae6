// A KVBackend on a JSON file (the CLI's --state FILE). Saving writes a temporary file beside the
// target and renames it over, so an interrupted save leaves the previous state intact.
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { KVBackend, KVSnapshot } from '../../runtime/store/kv.ts';

export class FileBackend implements KVBackend {
  constructor(readonly path: string) {}

  async load(): Promise<KVSnapshot | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    if (text.trim() === '') return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`${this.path}: not a flowscope state file (${(error as Error).message})`);
    }
    const snapshot = parsed as KVSnapshot;
    if (snapshot?.version !== 1 || !Array.isArray(snapshot.entries)) throw new Error(`${this.path}: not a flowscope state file (version 1 expected)`);
    return snapshot;
  }

  async save(snapshot: KVSnapshot): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(snapshot)}\n`);
    await rename(temporary, this.path);
  }
}
