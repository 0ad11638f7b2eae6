// Ookla's Speedtest (core-as/dissect/ookla.ts): "HI" / "HELLO" on port 8080, and the clients of
// a test remembered for their other connections to 8080 (TLS with a handshake, or flows
// nothing else named), as nDPI with the reader's ookla aggressiveness (ookla.pcap).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, cat, LINKTYPE, pattern, type Bytes } from '../core/bytes.ts';
import { runFrames } from '../core/run.ts';
import { flowOf, proto, tcpConversation, tcpFrames, type Turn } from './l7-flows.ts';

const hi = ascii('HI 8e17cb65-c6b5-4b39-adcc-97006a1e4537\n');
const hello = ascii('HELLO 2.9 (2.9.2) 2021-11-30.2159.ffae0e0\n');

test('HI then HELLO on port 8080: Ookla', async () => {
  assert.equal(proto(await tcpConversation(37790, 8080, [hi, { reply: hello }, ascii('INITPLOSS\n'), { reply: ascii('OK\n') }])), 'Ookla [DPI]');
  assert.equal(proto(await tcpConversation(51215, 8080, [ascii('HI\n'), { reply: ascii('HELLO 2.4 2016-10-06.1324.996ab91\n') }])), 'Ookla [DPI]');
});

test('HI / HELLO on another port, HELLO first, HI alone, HELLO third: not Ookla', async () => {
  for (const [port, turns] of [
    [8081, [hi, { reply: hello }]],
    [8080, [{ reply: hello }, hi]],
    [8080, [hi, ascii('PING 1\n')]],
    [8080, [hi, ascii('PING 1\n'), { reply: hello }]],
  ] as Array<[number, Turn[]]>) {
    assert.notEqual(proto(await tcpConversation(37790, port, turns)), 'Ookla [DPI]', `${port} ${JSON.stringify(turns)}`);
  }
});

// A TLS 1.3 handshake (RFC 8446 §4.1.2-4.1.3): the certificate is encrypted after the ServerHello.
const be24 = (v: number): number[] => [(v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const record = (type: number, body: Bytes) => cat([type], be16(0x0303), be16(body.length), body);
const handshake = (type: number, body: Bytes) => cat([type], be24(body.length), body);
const versionsExt = (serverSide: boolean) => (serverSide ? cat(be16(43), be16(2), be16(0x0304)) : cat(be16(43), be16(3), [2], be16(0x0304)));
const sniExt = (name: string) => cat(be16(0), be16(name.length + 5), be16(name.length + 3), [0], be16(name.length), ascii(name));
function clientHello(sni: string): Bytes {
  const exts = cat(sniExt(sni), versionsExt(false));
  return record(22, handshake(1, cat(be16(0x0303), pattern(32), [0], be16(2), be16(0x1301), [1, 0], be16(exts.length), exts)));
}
const serverHello = record(22, handshake(2, cat(be16(0x0303), pattern(32), [0], be16(0x1301), [0], be16(6), versionsExt(true))));
const tls = (sni: string): Turn[] => [clientHello(sni), { reply: serverHello }];

const CLIENT = '192.168.1.128';
async function run(...conversations: Array<[string, number, number, Turn[]]>) {
  const frames = conversations.flatMap(([client, cport, sport, turns]) => tcpFrames(cport, sport, turns, { client, server: '89.96.108.170' }));
  return (await runFrames(LINKTYPE.ETHERNET, frames)).flows;
}

test('a client seen testing: its TLS session to 8080 is TLS.Ookla, its undecided 8080 flow Ookla', async () => {
  const flows = await run(
    [CLIENT, 37790, 8080, [hi, { reply: hello }]],
    [CLIENT, 35830, 8080, tls('spd-pub-mi-01-01.fastwebnet.it')],
    [CLIENT, 51156, 8080, [pattern(77), { reply: pattern(64) }, pattern(52)]],
  );
  assert.equal(proto(flowOf(flows, 35830, 8080)), 'TLS.Ookla [DPI]');
  assert.equal(proto(flowOf(flows, 51156, 8080)), 'Ookla [DPI]');
});

test('a client that only visited the speedtest site by name is remembered too', async () => {
  const flows = await run(
    [CLIENT, 48854, 443, tls('www.speedtest.net')],
    [CLIENT, 35830, 8080, tls('spd-pub-mi-01-01.fastwebnet.it')],
  );
  assert.equal(proto(flowOf(flows, 48854, 443)), 'TLS.Ookla [DPI]');
  assert.equal(proto(flowOf(flows, 35830, 8080)), 'TLS.Ookla [DPI]');
});

test('another client, another port, a TLS session whose name gives an application: not Ookla', async () => {
  const flows = await run(
    [CLIENT, 37790, 8080, [hi, { reply: hello }]],
    ['192.168.1.129', 35830, 8080, tls('spd-pub-mi-01-01.fastwebnet.it')],
    [CLIENT, 35831, 8443, tls('spd-pub-mi-01-01.fastwebnet.it')],
    [CLIENT, 35832, 8080, tls('www.google.com')],
    ['192.168.1.129', 51156, 8080, [pattern(77), { reply: pattern(64) }]],
    [CLIENT, 51157, 9090, [pattern(77), { reply: pattern(64) }]],
  );
  assert.equal(proto(flowOf(flows, 35830, 8080)), 'TLS [DPI]');
  assert.equal(proto(flowOf(flows, 35831, 8443)), 'TLS [DPI]');
  assert.equal(proto(flowOf(flows, 35832, 8080)), 'TLS.Google [DPI]');
  assert.notEqual(proto(flowOf(flows, 51156, 8080)), 'Ookla [DPI]');
  assert.notEqual(proto(flowOf(flows, 51157, 9090)), 'Ookla [DPI]');
});

test('the TLS session before any test of its client: plain TLS (the cache is filled by earlier flows only)', async () => {
  const flows = await run(
    [CLIENT, 35830, 8080, tls('spd-pub-mi-01-01.fastwebnet.it')],
    [CLIENT, 37790, 8080, [hi, { reply: hello }]],
  );
  assert.equal(proto(flowOf(flows, 35830, 8080)), 'TLS [DPI]');
});
