// Capture framing over chunks split anywhere (core-as/capture/reader.ts): the same bytes fed
// whole, byte by byte, in two pieces at every offset and in random-size pieces must give the
// same flows, stats and events. Each piece is flushed to the core on its own (see run.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ETH, IPPROTO, LINKTYPE, T0, cat, epb, ethernet, idb, ipv4, le32, pattern, pcapRecord, shb, sll, udp, usTicks, type Bytes,
} from './bytes.ts';
import { prng, run, type RunResult } from './run.ts';
import { SAMPLE_FRAMES, samplePcap, samplePcapng } from './samples.ts';

function assertSame(actual: RunResult, whole: RunResult, how: string): void {
  assert.deepEqual(actual.stats, whole.stats, `stats, ${how}`);
  assert.deepEqual(actual.flows, whole.flows, `flows, ${how}`);
  assert.deepEqual(actual.events, whole.events, `events, ${how}`);
}

/** Random pieces of 1..maxPiece bytes. */
function randomPieces(bytes: Bytes, seed: number, maxPiece: number): Bytes[] {
  const random = prng(seed);
  const pieces: Bytes[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(random() * maxPiece);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

async function assertEverySplitAgrees(bytes: Bytes): Promise<RunResult> {
  const whole = await run(bytes);
  assertSame(await run(Array.from(bytes, (b) => Uint8Array.of(b))), whole, 'byte by byte');
  for (let cut = 0; cut <= bytes.length; cut++) {
    assertSame(await run([bytes.subarray(0, cut), bytes.subarray(cut)]), whole, `two pieces cut at ${cut}`);
  }
  for (let seed = 1; seed <= 25; seed++) {
    assertSame(await run(randomPieces(bytes, seed, seed <= 10 ? 8 : 64)), whole, `random pieces, seed ${seed}`);
  }
  return whole;
}

test('pcap (little-endian, µs): every split point gives the whole-input result', async () => {
  const whole = await assertEverySplitAgrees(samplePcap());
  assert.equal(whole.stats.packets, SAMPLE_FRAMES.length);
  assert.equal(whole.flows.length, 3);
});

test('pcap (big-endian, ns): every split point gives the whole-input result', async () => {
  const whole = await assertEverySplitAgrees(samplePcap({ bigEndian: true, nanos: true }));
  assert.equal(whole.stats.packets, SAMPLE_FRAMES.length);
  assert.equal(whole.flows.length, 3);
});

test('pcapng (little-endian, with an unknown block and an SPB): every split point gives the whole-input result', async () => {
  const whole = await assertEverySplitAgrees(samplePcapng());
  assert.equal(whole.stats.packets, SAMPLE_FRAMES.length);
  assert.equal(whole.stats.pcapngOtherBlocks, 1);
  assert.equal(whole.flows.length, 3);
});

test('pcapng (big-endian): every split point gives the whole-input result', async () => {
  const whole = await assertEverySplitAgrees(samplePcapng(true));
  assert.equal(whole.stats.packets, SAMPLE_FRAMES.length);
  assert.equal(whole.flows.length, 3);
});

test('pcapng with two sections of both byte orders and three interfaces: every split point agrees', async () => {
  const packet = ipv4({ src: '10.3.0.1', dst: '10.3.0.2', protocol: IPPROTO.UDP, payload: udp({ sport: 9, dport: 10, payload: pattern(6) }) });
  const file = cat(
    shb(), idb(LINKTYPE.ETHERNET), idb(LINKTYPE.RAW, { tsresol: 9 }), idb(LINKTYPE.LINUX_SLL, { tsresol: 0x8a, tsoffset: 60n }),
    epb(0, usTicks(1), ethernet(ETH.IPV4, packet)), epb(1, BigInt(T0) * 1_000_000_000n + 5_000n, packet), epb(2, BigInt(T0) * 1024n, sll(ETH.IPV4, packet)),
    shb({ bigEndian: true }), idb(LINKTYPE.RAW, { bigEndian: true }), epb(0, usTicks(70_000_000), packet, { bigEndian: true }),
  );
  const whole = await assertEverySplitAgrees(file);
  assert.equal(whole.stats.packets, 4);
  assert.equal(whole.flows.length, 1);
  assert.equal(whole.flows[0]['seen.last_us'], (T0 + 70) * 1e6);
});

test('pcap with a corrupt record in the middle: resync counters do not depend on the split points', async () => {
  const file = samplePcap();
  const firstTwo = 24 + 2 * 16 + SAMPLE_FRAMES[0].length + SAMPLE_FRAMES[1].length;
  // Record header with impossible lengths (caplen and origlen ~2 GB), then 20 bytes of its "data".
  const corrupt = cat(le32(T0 + 1), le32(0), le32(0x7ffffff0), le32(0x7ffffff0), new Uint8Array(20).fill(0xee));
  const damaged = cat(file.subarray(0, firstTwo), corrupt, file.subarray(firstTwo));
  const whole = await assertEverySplitAgrees(damaged);
  assert.equal(whole.stats.packets, SAMPLE_FRAMES.length);
  assert.equal(whole.stats.captureErrors.corrupt_records, 1);
  assert.equal(whole.stats.captureErrors.resync_bytes, corrupt.length);
});

test('pcap with a caplen-repaired record (caplen huge, origlen sane): every split point agrees', async () => {
  const file = samplePcap();
  const firstOne = 24 + 16 + SAMPLE_FRAMES[0].length;
  const frame = SAMPLE_FRAMES[1];
  const repaired = cat(le32(T0 + 1), le32(0), le32(0x00ffffff), le32(frame.length), frame);
  const second = 24 + 2 * 16 + SAMPLE_FRAMES[0].length + frame.length;
  const whole = await assertEverySplitAgrees(cat(file.subarray(0, firstOne), repaired, file.subarray(second)));
  assert.equal(whole.stats.packets, SAMPLE_FRAMES.length);
  assert.equal(whole.stats.captureErrors.caplen_repaired, 1);
  assert.equal(whole.stats.captureErrors.corrupt_records, 0);
});

test('a record header alone split from its data at every offset keeps the record', async () => {
  // One record, chunked so that the 16-byte header itself is cut at each of its offsets.
  const record = pcapRecord({ sec: T0, frac: 7, data: SAMPLE_FRAMES[4] });
  const file = cat(samplePcap().subarray(0, 24), record);
  const whole = await run(file);
  assert.equal(whole.flows.length, 1);
  for (let cut = 24; cut <= 24 + 16; cut++) {
    assertSame(await run([file.subarray(0, cut), file.subarray(cut, cut + 3), file.subarray(cut + 3)]), whole, `cut at ${cut}`);
  }
});
