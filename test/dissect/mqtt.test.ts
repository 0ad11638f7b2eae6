// MQTT (core-as/dissect/mqtt.ts): CONNECT (MQTT 3.1 "MQIsdp", 3.1.1 and 5.0 "MQTT") and CONNACK,
// with the variable-byte remaining length.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, cat, pattern } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

/** Variable byte integer (MQTT 3.1.1 §2.2.3). */
function varint(n: number): number[] {
  const out: number[] = [];
  do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 0x80; out.push(b); } while (n > 0);
  return out;
}
const packet = (first: number, body: Uint8Array) => cat([first], varint(body.length), body);
const connect = (name = 'MQTT', level = 4, payload = pattern(20)) => packet(0x10, cat(be16(name.length), ascii(name), [level, 0xc2], be16(60), payload));

test('CONNECT 3.1.1 and its CONNACK: MQTT', async () => {
  const f = await tcpConversation(41892, 1883, [connect(), { reply: Uint8Array.from([0x20, 0x02, 0x00, 0x00]) }]);
  assert.equal(proto(f), 'MQTT [DPI]');
});

test('CONNECT 3.1 ("MQIsdp") and 5.0 with a two-byte remaining length', async () => {
  let f = await tcpConversation(41892, 1883, [connect('MQIsdp', 3)]);
  assert.equal(proto(f), 'MQTT [DPI]');
  f = await tcpConversation(35035, 1883, [connect('MQTT', 5, pattern(270))]);
  assert.equal(proto(f), 'MQTT [DPI]');
});

test('a CONNACK seen first is enough', async () => {
  const f = await tcpConversation(41892, 18830, [Uint8Array.from([0x20, 0x02, 0x01, 0x00])]);
  assert.equal(proto(f), 'MQTT [DPI]');
});

test('other names or levels, flags on CONNECT, lengths not the packet\'s, a 5-byte length: not MQTT', async () => {
  const flagged = connect(); flagged[0] = 0x12;
  const longer = connect(); longer[1] += 3;
  const cases = [connect('MQTX'), connect('MQTT', 6), connect('MQTT', 2), flagged, longer, Uint8Array.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01]),
    Uint8Array.from([0x10]), Uint8Array.from([0x20, 0x02, 0x02, 0x00]), Uint8Array.from([0x30, 0x02, 0, 0])];
  for (const bad of cases) {
    const f = await tcpConversation(41892, 18830, [bad]);
    assert.notEqual(f['proto.ndpi_confidence'], 'DPI', Buffer.from(bad).toString('hex'));
  }
});
