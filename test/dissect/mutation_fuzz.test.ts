// Every dissector against damaged real traffic: the dev and extra captures with their packets' payloads
// mutated (bytes flipped, runs zeroed or set to 0xff, lengths cut short in place), seeded so
// that a failure can be replayed. Framing is kept intact (pcap record headers, pcapng block
// headers) so that the packets still reach the dissectors that own their flows. Nothing may
// throw or trap, and the engine's counters must stay consistent (core/run.ts checks them).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PCAPS_DIR, listCaptures } from '../conformance-report.ts';
import { prng, run } from '../core/run.ts';

/** Packet bodies of a classic pcap or a pcapng (EPB/SPB), as [start, end) in the file. */
function packetBodies(file: Uint8Array): Array<[number, number]> {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const bodies: Array<[number, number]> = [];
  const magic = view.getUint32(0, false);
  if (magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1 || magic === 0xa1b23c4d || magic === 0x4d3cb2a1) {
    const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
    for (let at = 24; at + 16 <= file.length;) {
      const caplen = view.getUint32(at + 8, le);
      const start = at + 16, end = Math.min(file.length, start + caplen);
      bodies.push([start, end]);
      at = start + caplen;
    }
  } else if (magic === 0x0a0d0d0a) {
    let le = true;
    for (let at = 0; at + 12 <= file.length;) {
      const type = view.getUint32(at, le);
      if (type === 0x0a0d0d0a) le = view.getUint32(at + 8, true) === 0x1a2b3c4d;
      const length = view.getUint32(at + 4, le);
      if (length < 12 || at + length > file.length) break;
      if (type === 6) bodies.push([at + 28, Math.min(at + 28 + view.getUint32(at + 20, le), at + length - 4)]);
      if (type === 3) bodies.push([at + 12, at + length - 4]);
      at += length;
    }
  }
  return bodies;
}

/** A copy of the capture whose packet payloads (past the first 42 bytes) are damaged. */
function mutate(file: Uint8Array, seed: number): Uint8Array {
  const out = file.slice();
  const next = prng(seed);
  for (const [start, end] of packetBodies(out)) {
    const from = start + 42;
    if (from >= end || next() < 0.5) continue;
    const span = end - from;
    switch (Math.floor(next() * 4)) {
      case 0: // a few random bytes
        for (let i = 0; i < 1 + Math.floor(next() * 4); i++) out[from + Math.floor(next() * span)] = Math.floor(next() * 256);
        break;
      case 1: // a run of zeros (zero lengths, empty names)
        out.fill(0, from + Math.floor(next() * span), Math.min(end, from + Math.floor(next() * span) + 8));
        break;
      case 2: // a run of 0xff (lengths past the end, pointer loops in DNS names: 0xc0ff...)
        out.fill(0xff, from + Math.floor(next() * span), Math.min(end, from + Math.floor(next() * span) + 6));
        break;
      default: // the payload shifted by one byte: every field misaligned
        out.copyWithin(from, from + 1, end);
        break;
    }
  }
  return out;
}

test('dev and extra captures with damaged payloads: every dissector survives, counters consistent', async () => {
  if (!existsSync(PCAPS_DIR)) assert.fail(`shared corpus missing: ${PCAPS_DIR}`);
  const captures = listCaptures(['dev', 'extra']);
  assert.ok(captures.length >= 400, `only ${captures.length} captures in dev and extra`);
  let packets = 0;
  for (const [index, capture] of captures.entries()) {
    const file = new Uint8Array(readFileSync(capture.path));
    if (packetBodies(file).length === 0) continue;
    for (const seed of [index * 2 + 1, index * 2 + 2]) {
      try {
        const result = await run(mutate(file, seed));
        packets += result.stats.packets;
      } catch (error) {
        assert.fail(`${capture.name} mutated with seed ${seed}: ${error instanceof Error ? error.stack : String(error)}`);
      }
    }
  }
  // Both sets hold about 94,000 packets; each goes through twice.
  assert.ok(packets > 150_000, `only ${packets} packets went through`);
});
