// Classic pcap framing (draft-ietf-opsawg-pcap §4 file header, §5 packet records): byte order,
// timestamp resolution, empty and damaged input. The engine API is runtime/engine.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEngine } from '../../adapters/node/engine.ts';
import { CaptureFormatError } from '../../runtime/engine.ts';
import {
  ETH, IPPROTO, LINKTYPE, T0, ascii, be32, cat, ethernet, ipv4, le32, pattern, pcapFile, pcapFileHeader,
  pcapRecord, udp, zeros,
} from './bytes.ts';
import { assertFlow, captureErrorsOnly, onlyFlow, run, skippedOnly } from './run.ts';
import { SAMPLE_FRAMES, samplePcap } from './samples.ts';

const UDP_FRAME = ethernet(ETH.IPV4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IPPROTO.UDP, payload: udp({ sport: 1111, dport: 2222, payload: pattern(40) }) }));

test('the file header: little-endian µs magic a1b2c3d4, link type, format and link types in stats', async () => {
  const header = pcapFileHeader(LINKTYPE.ETHERNET);
  assert.deepEqual([...header.subarray(0, 4)], [0xd4, 0xc3, 0xb2, 0xa1]); // the magic as written on disk
  const result = await run(samplePcap());
  assert.equal(result.stats.format, 'pcap');
  assert.deepEqual(result.stats.linkTypes, [LINKTYPE.ETHERNET]);
  assert.equal(result.stats.packets, SAMPLE_FRAMES.length);
  assert.equal(result.stats.bytes, SAMPLE_FRAMES.reduce((n, f) => n + f.length, 0));
  assert.equal(result.stats.packetsInFlows, 5);
  skippedOnly(result.stats, { non_ip: 1 });
  captureErrorsOnly(result.stats, {});
});

test('big-endian pcap (magic a1b2c3d4 written big-endian) gives the same flows and stats', async () => {
  const bigEndian = samplePcap({ bigEndian: true });
  assert.deepEqual([...bigEndian.subarray(0, 4)], [0xa1, 0xb2, 0xc3, 0xd4]);
  const expected = await run(samplePcap());
  const actual = await run(bigEndian);
  assert.deepEqual(actual.flows, expected.flows);
  assert.deepEqual(actual.stats, expected.stats);
});

test('nanosecond pcap (magic a1b23c4d): timestamps exact to the microsecond in seen.first_us/last_us', async () => {
  for (const bigEndian of [false, true]) {
    const file = pcapFile(LINKTYPE.ETHERNET, [
      { sec: T0 + 5, frac: 123_456_789, data: UDP_FRAME },
      { sec: T0 + 9, frac: 999_999_999, data: UDP_FRAME },
    ], { nanos: true, bigEndian });
    assert.deepEqual([...file.subarray(0, 4)], bigEndian ? [0xa1, 0xb2, 0x3c, 0x4d] : [0x4d, 0x3c, 0xb2, 0xa1]);
    const flow = onlyFlow(await run(file));
    assertFlow(flow, {
      'seen.first_us': (T0 + 5) * 1e6 + 123_456, 'seen.last_us': (T0 + 9) * 1e6 + 999_999,
      'seen.first': T0 + 5, 'seen.last': T0 + 9, duration: 4.876543, 'cli2srv.packets': 2,
    });
  }
});

test('µs pcap: timestamps exact; the same instants in a ns file give identical flows', async () => {
  const us = await run(pcapFile(LINKTYPE.ETHERNET, [{ sec: T0, frac: 1, data: UDP_FRAME }, { sec: T0 + 1, frac: 999_999, data: UDP_FRAME }]));
  assertFlow(onlyFlow(us), { 'seen.first_us': T0 * 1e6 + 1, 'seen.last_us': (T0 + 1) * 1e6 + 999_999 });
  const ns = await run(pcapFile(LINKTYPE.ETHERNET, [{ sec: T0, frac: 1_000, data: UDP_FRAME }, { sec: T0 + 1, frac: 999_999_000, data: UDP_FRAME }], { nanos: true }));
  assert.deepEqual(ns.flows, us.flows);
});

test('the link type field keeps the FCS bits out of the link type (§4: FCS len 2, f set, LinkType 1)', async () => {
  const fcs = [0xde, 0xad, 0xbe, 0xef];
  const file = cat(pcapFileHeader(0x5000_0001), pcapRecord({ sec: T0, data: cat(UDP_FRAME, fcs) }));
  const result = await run(file);
  assert.deepEqual(result.stats.linkTypes, [LINKTYPE.ETHERNET]);
  // The FCS is frame bytes, not L4 payload.
  assertFlow(onlyFlow(result), { 'cli2srv.bytes': UDP_FRAME.length + 4, 'cli2srv.goodput_bytes': 40 });
});

test('empty input: no flows, no errors, no format', async () => {
  for (const input of [zeros(0), [] as Uint8Array[]]) {
    const result = await run(input);
    assert.deepEqual(result.flows, []);
    assert.deepEqual(result.events, []);
    assert.equal(result.stats.packets, 0);
    assert.equal(result.stats.format, '');
    assert.deepEqual(result.stats.linkTypes, []);
    captureErrorsOnly(result.stats, {});
  }
});

test('a file of only the pcap header: format and link type known, no packets, no errors', async () => {
  const result = await run(pcapFileHeader(LINKTYPE.LINUX_SLL, { bigEndian: true }));
  assert.equal(result.stats.format, 'pcap');
  assert.deepEqual(result.stats.linkTypes, [LINKTYPE.LINUX_SLL]);
  assert.equal(result.stats.packets, 0);
  assert.deepEqual(result.flows, []);
  captureErrorsOnly(result.stats, {});
});

test('a file header cut short is a truncated tail', async () => {
  const result = await run(pcapFileHeader(LINKTYPE.ETHERNET).subarray(0, 10));
  assert.equal(result.stats.packets, 0);
  captureErrorsOnly(result.stats, { truncated_tail: 1, truncated_tail_bytes: 10 });
});

test('not a capture: CaptureFormatError naming the first bytes, not_a_capture counted', async () => {
  for (const [input, hex] of [[ascii('GET / HTTP/1.1\r\n\r\n'), '47455420'], [cat(be32(1), be32(32), zeros(24)), '00000001']] as const) {
    const engine = await createEngine();
    assert.throws(() => { engine.feed(input); engine.end(); }, (error: unknown) => {
      assert.ok(error instanceof CaptureFormatError);
      assert.equal(error.name, 'CaptureFormatError');
      assert.match(error.message, new RegExp(`0x${hex}`));
      return true;
    });
    assert.equal(engine.stats().captureErrors.not_a_capture, 1);
    assert.equal(engine.stats().packets, 0);
  }
});

test('not a capture, the first four bytes split over two pieces: the error comes with the second', async () => {
  const engine = await createEngine();
  engine.feed(ascii('GE'));
  engine.flush();
  assert.throws(() => { engine.feed(ascii('T / HTTP/1.1')); engine.flush(); }, /0x47455420/);
});

test('a record of 0 captured bytes is a packet, skipped.truncated', async () => {
  const result = await run(pcapFile(LINKTYPE.ETHERNET, [{ sec: T0, data: zeros(0), origLen: 60 }, { sec: T0, data: UDP_FRAME }]));
  assert.equal(result.stats.packets, 2);
  assert.equal(result.stats.bytes, 60 + UDP_FRAME.length);
  skippedOnly(result.stats, { truncated: 1 });
  captureErrorsOnly(result.stats, {});
});

test('truncated tail inside the last record data: earlier records counted, the tail bytes reported', async () => {
  const file = samplePcap();
  const result = await run(file.subarray(0, file.length - 10));
  const lastRecord = 16 + SAMPLE_FRAMES[5].length;
  assert.equal(result.stats.packets, 5);
  assert.equal(result.flows.length, 2);
  captureErrorsOnly(result.stats, { truncated_tail: 1, truncated_tail_bytes: lastRecord - 10 });
});

test('truncated tail inside the last record header', async () => {
  const file = cat(samplePcap(), pcapRecord({ sec: T0 + 60, data: UDP_FRAME }).subarray(0, 7));
  const result = await run(file);
  assert.equal(result.stats.packets, SAMPLE_FRAMES.length);
  captureErrorsOnly(result.stats, { truncated_tail: 1, truncated_tail_bytes: 7 });
});

test('corrupt record in the middle (caplen and origlen ~2 GB): resync, the later records still counted', async () => {
  const clean = samplePcap();
  const afterTwo = 24 + 2 * 16 + SAMPLE_FRAMES[0].length + SAMPLE_FRAMES[1].length;
  const corrupt = cat(le32(T0 + 1), le32(500_000), le32(0xfffffff0), le32(0xfffffff0), zeros(33));
  const result = await run(cat(clean.subarray(0, afterTwo), corrupt, clean.subarray(afterTwo)));
  const expected = await run(clean);
  assert.equal(result.stats.packets, SAMPLE_FRAMES.length);
  assert.deepEqual(result.flows, expected.flows);
  captureErrorsOnly(result.stats, { corrupt_records: 1, resync_bytes: corrupt.length });
});

test('record whose caplen alone is huge (origlen sane) is read with origlen bytes', async () => {
  const damaged = cat(le32(T0), le32(0), le32(0x00ffffff), le32(UDP_FRAME.length), UDP_FRAME);
  const result = await run(cat(pcapFileHeader(LINKTYPE.ETHERNET), damaged, pcapRecord({ sec: T0 + 1, data: UDP_FRAME })));
  assert.equal(result.stats.packets, 2);
  assertFlow(onlyFlow(result), { 'cli2srv.packets': 2, 'cli2srv.bytes': 2 * UDP_FRAME.length });
  captureErrorsOnly(result.stats, { caplen_repaired: 1 });
});

test('stats.bytes counts original lengths, flow bytes the captured ones', async () => {
  // A record cut by a snaplen of 60: the IPv4 datagram is longer than captured, so it is not
  // analysed (nDPI's reader semantics), but its on-wire length is in the totals.
  const big = ethernet(ETH.IPV4, ipv4({ src: '10.9.0.1', dst: '10.9.0.2', protocol: IPPROTO.UDP, payload: udp({ sport: 1, dport: 2, payload: pattern(1000) }) }));
  const file = pcapFile(LINKTYPE.ETHERNET, [
    { sec: T0, data: big.subarray(0, 60), origLen: big.length },
    { sec: T0, data: UDP_FRAME },
  ], { snaplen: 60 });
  const result = await run(file);
  assert.equal(result.stats.bytes, big.length + UDP_FRAME.length);
  skippedOnly(result.stats, { truncated: 1 });
  assertFlow(onlyFlow(result), { 'cli2srv.bytes': UDP_FRAME.length });
});
