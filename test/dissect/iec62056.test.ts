// IEC 62056 (core-as/dissect/iec62056.ts): an HDLC frame (0x7E, format type 3 with the frame
// length, ..., 0x7E; IEC 62056-46) or the IEC 62056-47 wrapper (version 1, wPorts, APDU length).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { be16, cat } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const snrm = [0x7e, 0xa0, 0x07, 0x03, 0x21, 0x93, 0x0f, 0x01, 0x7e];
const getRequest = [0xc0, 0x01, 0xc1, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xff, 0x02, 0x00];
const wrapped = (apdu: number[], version = 1, declared = apdu.length) => cat(be16(version), be16(0x10), be16(1), be16(declared), apdu);

test('HDLC SNRM frame over TCP and UDP: IEC62056', async () => {
  assert.equal(proto(await tcpConversation(60797, 4060, [Uint8Array.from(snrm)])), 'IEC62056 [DPI]');
  assert.equal(proto(await udpConversation(40000, 4059, [Uint8Array.from(snrm)])), 'IEC62056 [DPI]');
});

test('wrapper with a get-request: IEC62056', async () => {
  assert.equal(proto(await tcpConversation(40000, 4059, [wrapped(getRequest)])), 'IEC62056 [DPI]');
});

test('HDLC length or flags wrong, other frame format, wrapper version, length or APDU tag wrong: not IEC62056', async () => {
  for (const bad of [
    Uint8Array.from([0x7e, 0xa0, 0x08, 0x03, 0x21, 0x93, 0x0f, 0x01, 0x7e]),
    Uint8Array.from([0x7e, 0xa0, 0x07, 0x03, 0x21, 0x93, 0x0f, 0x01, 0x7f]),
    Uint8Array.from([0x7e, 0xb0, 0x07, 0x03, 0x21, 0x93, 0x0f, 0x01, 0x7e]),
    wrapped(getRequest, 2),
    wrapped(getRequest, 1, 12),
    wrapped([0x42, ...getRequest.slice(1)]),
  ]) {
    const f = await udpConversation(40000, 4059, [bad]);
    assert.notEqual(proto(f), 'IEC62056 [DPI]', Buffer.from(bad).toString('hex'));
  }
});
