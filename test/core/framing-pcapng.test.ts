// pcapng framing (draft-ietf-opsawg-pcapng): sections (§4.1), interfaces with if_tsresol and
// if_tsoffset (§4.2), EPB (§4.3), SPB (§4.4), the obsolete Packet Block (Appendix A), blocks the
// engine does not need, and damage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ETH, IPPROTO, LINKTYPE, T0, ascii, cat, epb, ethernet, idb, ipv4, ipv6, le32, ngBlock, opb, pattern,
  sll, shb, spb, udp, usTicks, zeros,
} from './bytes.ts';
import { assertFlow, captureErrorsOnly, onlyFlow, run, skippedOnly } from './run.ts';

const udp4 = (src: string, dst: string, sport: number, dport: number, n = 8) =>
  ipv4({ src, dst, protocol: IPPROTO.UDP, payload: udp({ sport, dport, payload: pattern(n) }) });
const udp6 = (src: string, dst: string, sport: number, dport: number, n = 8) =>
  ipv6({ src, dst, nextHeader: IPPROTO.UDP, payload: udp({ sport, dport, payload: pattern(n) }) });

const ETH_PACKET = ethernet(ETH.IPV4, udp4('10.1.0.1', '10.1.0.2', 1001, 2001));
const RAW_PACKET = udp4('10.2.0.1', '10.2.0.2', 1002, 2002);
const SLL_PACKET = sll(ETH.IPV6, udp6('2001:db8::a', '2001:db8::b', 1003, 2003));

test('three interfaces: link types Ethernet/RAW/SLL, resolutions µs, 10^-9 s, 2^-10 s with if_tsoffset', async () => {
  const file = cat(
    shb(),
    idb(LINKTYPE.ETHERNET, { snaplen: 65535 }), // no if_tsresol: µs
    idb(LINKTYPE.RAW, { tsresol: 9, name: 'raw0' }), // 10^-9 s
    idb(LINKTYPE.LINUX_SLL, { tsresol: 0x80 | 10, tsoffset: 3600n, name: 'any' }), // 2^-10 s, +1 h
    epb(0, usTicks(42), ETH_PACKET),
    epb(1, BigInt(T0 + 10) * 1_000_000_000n + 123_456_789n, RAW_PACKET),
    epb(2, BigInt(T0 + 20 - 3600) * 1024n + 256n, SLL_PACKET), // 256/1024 s = 0.25 s
  );
  const result = await run(file);
  assert.equal(result.stats.format, 'pcapng');
  assert.deepEqual(result.stats.linkTypes, [LINKTYPE.ETHERNET, LINKTYPE.RAW, LINKTYPE.LINUX_SLL]);
  assert.equal(result.stats.packets, 3);
  assert.equal(result.stats.bytes, ETH_PACKET.length + RAW_PACKET.length + SLL_PACKET.length);
  skippedOnly(result.stats, {});
  captureErrorsOnly(result.stats, {});
  const [eth, raw, cooked] = result.flows;
  assertFlow(eth, { 'cli.ip': '10.1.0.1', 'cli.port': 1001, 'seen.first_us': T0 * 1e6 + 42, 'cli2srv.bytes': ETH_PACKET.length });
  assertFlow(raw, { 'cli.ip': '10.2.0.1', 'cli.port': 1002, 'seen.first_us': (T0 + 10) * 1e6 + 123_456, 'cli2srv.bytes': RAW_PACKET.length });
  assertFlow(cooked, { 'cli.ip': '2001:db8::a', 'cli.port': 1003, 'seen.first_us': (T0 + 20) * 1e6 + 250_000, 'cli2srv.bytes': SLL_PACKET.length });
});

test('if_tsresol 10^-3 and a negative if_tsoffset', async () => {
  const file = cat(shb(), idb(LINKTYPE.RAW, { tsresol: 3, tsoffset: -100n }), epb(0, BigInt(T0 + 100) * 1000n + 7n, RAW_PACKET));
  assertFlow(onlyFlow(await run(file)), { 'seen.first_us': T0 * 1e6 + 7000 });
});

test('big-endian section (if_tsresol, if_tsoffset in big-endian too): same flows as little-endian', async () => {
  const build = (bigEndian: boolean) => cat(shb({ bigEndian }), idb(LINKTYPE.RAW, { bigEndian, tsresol: 6, tsoffset: 2n }),
    epb(0, usTicks(5), RAW_PACKET, { bigEndian }), epb(0, usTicks(9), RAW_PACKET, { bigEndian }));
  const big = build(true);
  assert.deepEqual([...big.subarray(8, 12)], [0x1a, 0x2b, 0x3c, 0x4d]);
  const expected = await run(build(false));
  assertFlow(onlyFlow(expected), { 'cli2srv.packets': 2, 'seen.first_us': (T0 + 2) * 1e6 + 5, 'seen.last_us': (T0 + 2) * 1e6 + 9 });
  assert.deepEqual((await run(big)).flows, expected.flows);
});

test('two sections: the second (big-endian) one starts with no interfaces', async () => {
  const file = cat(
    shb(), idb(LINKTYPE.ETHERNET), idb(LINKTYPE.RAW),
    epb(1, usTicks(1), RAW_PACKET),
    shb({ bigEndian: true }), idb(LINKTYPE.LINUX_SLL, { bigEndian: true }),
    epb(0, usTicks(2), SLL_PACKET, { bigEndian: true }), // interface 0 is now SLL
    epb(1, usTicks(3), RAW_PACKET, { bigEndian: true }), // interface 1 is gone with its section
  );
  const result = await run(file);
  assert.equal(result.stats.packets, 3);
  skippedOnly(result.stats, { unknown_interface: 1 });
  assert.deepEqual(result.stats.linkTypes, [LINKTYPE.ETHERNET, LINKTYPE.RAW, LINKTYPE.LINUX_SLL]);
  assert.deepEqual(result.flows.map((f) => [f['cli.ip'], f['seen.first_us']]), [['10.2.0.1', T0 * 1e6 + 1], ['2001:db8::a', T0 * 1e6 + 2]]);
});

test('blocks the engine does not need are skipped and counted (NRB, ISB, DSB, custom, unknown)', async () => {
  const file = cat(
    shb(), idb(LINKTYPE.ETHERNET),
    ngBlock(4, cat([1, 0, 8, 0], [10, 1, 0, 2], ascii('srv\0'), zeros(4))), // §4.5 Name Resolution Block
    epb(0, usTicks(1), ETH_PACKET),
    ngBlock(5, cat(le32(0), le32(0), le32(0))), // §4.6 Interface Statistics Block
    ngBlock(0x0a, cat(le32(0x544c534b), le32(4), pattern(4))), // §4.7 Decryption Secrets Block
    ngBlock(0x00000bad, cat(le32(32473), pattern(6))), // §5.2 Custom Block
    ngBlock(0x0000_0099, pattern(20)), // unassigned type
    epb(0, usTicks(2), ETH_PACKET),
  );
  const result = await run(file);
  assert.equal(result.stats.pcapngOtherBlocks, 5);
  assert.equal(result.stats.packets, 2);
  assertFlow(onlyFlow(result), { 'cli2srv.packets': 2 });
  captureErrorsOnly(result.stats, {});
});

test('EPB naming an undefined interface: counted in packets, bytes and skipped.unknown_interface', async () => {
  const file = cat(shb(), idb(LINKTYPE.ETHERNET), epb(5, usTicks(1), ETH_PACKET, { origLen: 1500 }), epb(0, usTicks(2), ETH_PACKET));
  const result = await run(file);
  assert.equal(result.stats.packets, 2);
  assert.equal(result.stats.bytes, 1500 + ETH_PACKET.length);
  skippedOnly(result.stats, { unknown_interface: 1 });
  assertFlow(onlyFlow(result), { 'cli2srv.packets': 1 });
});

test('SPB takes interface 0 and the last timestamp; SPB before any IDB is an unknown interface', async () => {
  const file = cat(shb(), spb(RAW_PACKET), idb(LINKTYPE.RAW), epb(0, usTicks(77), RAW_PACKET), spb(RAW_PACKET));
  const result = await run(file);
  assert.equal(result.stats.packets, 3);
  skippedOnly(result.stats, { unknown_interface: 1 });
  assertFlow(onlyFlow(result), { 'cli2srv.packets': 2, 'seen.first_us': T0 * 1e6 + 77, 'seen.last_us': T0 * 1e6 + 77 });
});

// §4.4: an SPB's packet data is min(Original Packet Length, the IDB's SnapLen) bytes; the rest
// of the block body is padding to 32 bits and no part of the packet.
test('SPB cut by the interface snaplen: the captured length is min(origlen, snaplen), padding excluded', async () => {
  // IPv6 (whose payload length the core does not hold against the captured bytes) cut at 62 bytes.
  const whole = udp6('2001:db8::a', '2001:db8::b', 1003, 2003, 60);
  const file = cat(shb(), idb(LINKTYPE.RAW, { snaplen: 62 }), epb(0, usTicks(1), RAW_PACKET), spb(whole.subarray(0, 62), { origLen: whole.length }));
  const result = await run(file);
  assert.equal(result.stats.bytes, RAW_PACKET.length + whole.length);
  assertFlow(result.flows[1], { 'cli.ip': '2001:db8::a', 'cli2srv.bytes': 62, 'cli2srv.goodput_bytes': 62 - 48 });
});

test('more than 256 interfaces: too_many_interfaces, packets of the extra ones unknown_interface', async () => {
  const idbs = Array.from({ length: 257 }, () => idb(LINKTYPE.RAW));
  const result = await run(cat(shb(), ...idbs, epb(255, usTicks(1), RAW_PACKET), epb(256, usTicks(2), RAW_PACKET)));
  assert.equal(result.stats.packets, 2);
  skippedOnly(result.stats, { unknown_interface: 1 });
  captureErrorsOnly(result.stats, { too_many_interfaces: 1 });
  assertFlow(onlyFlow(result), { 'cli2srv.packets': 1 });
});

test('obsolete Packet Block and EPB options are read', async () => {
  const file = cat(shb(), idb(LINKTYPE.ETHERNET), idb(LINKTYPE.RAW),
    opb(1, usTicks(3), RAW_PACKET),
    epb(1, usTicks(4), RAW_PACKET, { options: [{ code: 1, value: ascii('a comment') }, { code: 2, value: le32(1) }] }));
  const result = await run(file);
  assertFlow(onlyFlow(result), { 'cli2srv.packets': 2, 'seen.first_us': T0 * 1e6 + 3, 'seen.last_us': T0 * 1e6 + 4 });
  captureErrorsOnly(result.stats, {});
});

test('a section header alone and an SHB+IDB alone: no packets, no errors', async () => {
  for (const file of [shb(), cat(shb(), idb(LINKTYPE.ETHERNET))]) {
    const result = await run(file);
    assert.equal(result.stats.format, 'pcapng');
    assert.equal(result.stats.packets, 0);
    captureErrorsOnly(result.stats, {});
  }
});

test('truncated tail in the last block', async () => {
  const last = epb(0, usTicks(2), ETH_PACKET);
  const file = cat(shb(), idb(LINKTYPE.ETHERNET), epb(0, usTicks(1), ETH_PACKET), last.subarray(0, 30));
  const result = await run(file);
  assert.equal(result.stats.packets, 1);
  captureErrorsOnly(result.stats, { truncated_tail: 1, truncated_tail_bytes: 30 });
});

test('corrupt block in the middle (total length 2 GB): resync on 32-bit steps, later blocks counted', async () => {
  const corrupt = cat(le32(6), le32(0x7ffffff0), new Uint8Array(32).fill(0xee));
  const file = cat(shb(), idb(LINKTYPE.ETHERNET), epb(0, usTicks(1), ETH_PACKET), corrupt,
    epb(0, usTicks(2), ETH_PACKET), epb(0, usTicks(3), ETH_PACKET));
  const result = await run(file);
  assert.equal(result.stats.packets, 3);
  assertFlow(onlyFlow(result), { 'cli2srv.packets': 3 });
  captureErrorsOnly(result.stats, { corrupt_records: 1, resync_bytes: corrupt.length });
});

// The damaged EPB's data starts with a MAC address 02:00:00:00:00:02, which read as a block
// header is type 2 (OPB) with a plausible total length of 0x00020200 bytes: the resync takes it
// for a block and waits for 128 KiB that never come, so the valid blocks after it are lost as a
// "truncated tail" (truncated_tail 1, truncated_tail_bytes 224 instead of 2 more packets).
test('block whose trailing length disagrees with its leading one: resync, later blocks counted', async () => {
  const bad = epb(0, usTicks(2), ETH_PACKET);
  bad.set(le32(bad.length + 4), bad.length - 4);
  const file = cat(shb(), idb(LINKTYPE.ETHERNET), epb(0, usTicks(1), ETH_PACKET), bad,
    epb(0, usTicks(3), ETH_PACKET), epb(0, usTicks(4), ETH_PACKET));
  const result = await run(file);
  assert.equal(result.stats.packets, 3);
  assertFlow(onlyFlow(result), { 'cli2srv.packets': 3 });
  captureErrorsOnly(result.stats, { corrupt_records: 1, resync_bytes: bad.length });
});
