// STUN/TURN (core-as/dissect/stun.ts): RFC 8489 §5 messages with the magic cookie, RFC 3489
// classic ones, RFC 4571 framing over TCP, the attributes that name the application, the
// endpoint cache, and the switch to DTLS or RTP on the same 5-tuple.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, be16, be32, cat, filled, pattern, zeros } from '../core/bytes.ts';
import { flowOf, proto, tcpConversation, udpConversation, udpDatagrams } from './l7-flows.ts';

/** §14: type, length, value padded to 4 bytes (`pad: false` leaves it as WhatsApp sends it). */
function attr(type: number, value: Uint8Array | number[], pad = true): Uint8Array {
  const v = Uint8Array.from(value);
  const padding = pad ? (4 - (v.length % 4)) % 4 : 0;
  return cat(be16(type), be16(v.length), v, zeros(padding));
}

/** §5: type, length, magic cookie 0x2112A442 (or 4 more transaction-id bytes, RFC 3489), transaction id. */
function stun(type: number, attrs: Uint8Array = zeros(0), o: { cookie?: boolean; length?: number } = {}): Uint8Array {
  const cookie = o.cookie === false ? [0x11, 0x22, 0x33, 0x44] : be32(0x2112a442);
  return cat(be16(type), be16(o.length ?? attrs.length), cookie, pattern(12), attrs);
}

const BINDING_REQUEST = 0x0001;
const BINDING_RESPONSE = 0x0101;
const ALLOCATE_REQUEST = 0x0003;
/** XOR-MAPPED-ADDRESS (§14.2): reserved, family IPv4, X-Port, X-Address. */
const XOR_MAPPED = attr(0x0020, [0, 1, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);

test('Binding request and response on 3478: STUN', async () => {
  const f = await udpConversation(40000, 3478, [stun(BINDING_REQUEST), { reply: stun(BINDING_RESPONSE, XOR_MAPPED) }]);
  assert.equal(proto(f), 'STUN [DPI]');
});

test('classic RFC 3489 binding on any port: attributes must tile the body', async () => {
  const mapped = attr(0x0001, [0, 1, 0x12, 0x34, 10, 0, 0, 1]);
  let f = await udpConversation(55050, 13958, [stun(BINDING_REQUEST, attr(0x0003, [0, 0, 0, 0]), { cookie: false }), { reply: stun(BINDING_RESPONSE, mapped, { cookie: false }) }]);
  assert.equal(proto(f), 'STUN [DPI]');
  // A body whose attribute runs past it, or a type RFC 3489 does not have: not STUN.
  f = await udpConversation(40000, 40001, [stun(BINDING_REQUEST, cat(be16(1), be16(12), zeros(4)), { cookie: false })]);
  assert.equal(f['proto.ndpi'], 'Unknown');
  f = await udpConversation(40000, 40001, [stun(0x0003, mapped, { cookie: false })]);
  assert.equal(f['proto.ndpi'], 'Unknown');
});

test('a length field that disagrees with the datagram, a short header, reserved type bits: not STUN', async () => {
  for (const bad of [stun(BINDING_REQUEST, XOR_MAPPED, { length: 40 }), stun(BINDING_REQUEST, XOR_MAPPED, { length: 4 }), stun(BINDING_REQUEST).subarray(0, 19),
    cat([0x40], stun(BINDING_REQUEST).subarray(1))]) {
    const f = await udpConversation(40000, 40001, [bad]);
    assert.equal(f['proto.ndpi'], 'Unknown');
  }
});

test('with the cookie, an attribute running past the message is dropped but the message is STUN', async () => {
  const f = await udpConversation(40000, 40001, [stun(ALLOCATE_REQUEST, cat(be16(0x0014), be16(200), ascii('realm')))]);
  assert.equal(proto(f), 'STUN [DPI]');
  assert.equal(f.host_server_name, undefined);
});

test('REALM is the host name; a Google realm names GoogleCall, Telegram\'s TelegramVoip', async () => {
  let f = await udpConversation(43016, 3478, [stun(ALLOCATE_REQUEST, attr(0x0019, [17, 0, 0, 0])),
    { reply: stun(0x0113, cat(attr(0x0009, [0, 0, 4, 1]), attr(0x0014, ascii('Turn.L.Google.com')))) }]);
  assert.equal(proto(f), 'STUN.GoogleCall [DPI]');
  assert.equal(f.host_server_name, 'turn.l.google.com');
  assert.equal(f['proto.ndpi_cat'], 'VoIP');
  f = await udpConversation(40643, 1400, [stun(ALLOCATE_REQUEST, attr(0x0014, ascii('telegram.org')))]);
  assert.equal(proto(f), 'STUN.TelegramVoip [DPI]');
  f = await udpConversation(40000, 3478, [stun(ALLOCATE_REQUEST, attr(0x0014, ascii('apps-host.com')))]);
  assert.equal(proto(f), 'STUN [DPI]');
  assert.equal(f.host_server_name, 'apps-host.com');
});

test('WhatsApp\'s 0x4000 attribute (unpadded, odd body length) and Microsoft\'s 0x8070 name the application', async () => {
  let f = await udpConversation(53688, 3478, [stun(ALLOCATE_REQUEST, attr(0x4000, pattern(102), false))]);
  assert.equal(proto(f), 'STUN.WhatsAppCall [DPI]');
  f = await udpConversation(49282, 60642, [stun(BINDING_REQUEST, cat(attr(0x0006, ascii('gppe:zWyk')), attr(0x8070, [0, 0, 0, 2])))]);
  assert.equal(proto(f), 'STUN.Skype_TeamsCall [DPI]');
  // The first application found stays.
  f = await udpConversation(56131, 3478, [stun(ALLOCATE_REQUEST, attr(0x4000, pattern(8))), stun(BINDING_REQUEST, attr(0x8070, [0, 0, 0, 2]))]);
  assert.equal(proto(f), 'STUN.WhatsAppCall [DPI]');
});

test('Zoom\'s classic binding request (attribute 0x0101) is STUN.Zoom', async () => {
  const f = await udpConversation(38453, 3478, [stun(BINDING_REQUEST, attr(0x0101, pattern(20)), { cookie: false })]);
  assert.equal(proto(f), 'STUN.Zoom [DPI]');
});

test('the endpoint cache: a peer flow of an endpoint that talked WhatsApp is WhatsAppCall', async () => {
  const local = { src: '192.168.2.12', sport: 53688 };
  const flows = await udpDatagrams([
    { ...local, dst: '31.13.86.48', dport: 3478, payload: stun(ALLOCATE_REQUEST, attr(0x4000, pattern(8))) },
    { ...local, dst: '91.252.56.51', dport: 32641, payload: stun(BINDING_REQUEST, attr(0x0008, pattern(20))) },
    { src: '192.168.2.13', sport: 40000, dst: '91.252.56.52', dport: 32641, payload: stun(BINDING_REQUEST, attr(0x0008, pattern(20))) },
  ]);
  assert.equal(proto(flowOf(flows, 53688, 3478)), 'STUN.WhatsAppCall [DPI]');
  assert.equal(proto(flowOf(flows, 53688, 32641)), 'STUN.WhatsAppCall [DPI]');
  assert.equal(proto(flowOf(flows, 40000, 32641)), 'STUN [DPI]');
});

test('after STUN, RTP makes the flow STUN.RTP, or SRTP of a known application; RTCP changes nothing', async () => {
  const rtp = cat([0x80, 0x00], be16(1), be32(160), be32(0x12345678), filled(160, 0xd5));
  const rtcp = cat([0x80, 0xc9], be16(1), be32(0x12345678));
  let f = await udpConversation(55050, 13958, [stun(BINDING_REQUEST), { reply: stun(BINDING_RESPONSE, XOR_MAPPED) }, rtcp, rtp]);
  assert.equal(proto(f), 'STUN.RTP [DPI]');
  assert.equal(f['proto.ndpi_cat'], 'Media');
  f = await udpConversation(49526, 41107, [stun(BINDING_REQUEST, attr(0x4000, pattern(4))), rtp]);
  assert.equal(proto(f), 'SRTP.WhatsAppCall [DPI]');
  f = await udpConversation(49526, 41107, [stun(BINDING_REQUEST), rtcp, rtcp]);
  assert.equal(proto(f), 'STUN [DPI]');
});

test('after STUN, a DTLS record makes the flow DTLS of the same application (TURN ChannelData unwrapped)', async () => {
  // DTLS 1.2 handshake record (RFC 6347 §4.1) with a HelloVerifyRequest: enough to switch.
  const hvr = cat([3], [0, 0, 3], be16(0), [0, 0, 0], [0, 0, 3], be16(0xfeff), [0]);
  const record = cat([22], be16(0xfefd), be16(0), zeros(6), be16(hvr.length), hvr);
  let f = await udpConversation(40000, 3478, [stun(ALLOCATE_REQUEST, attr(0x0014, ascii('turner.facebook'))), { reply: record }]);
  assert.equal(proto(f), 'DTLS.FacebookVoip [DPI]');
  const channelData = cat(be16(0x4001), be16(record.length), record);
  f = await udpConversation(40000, 3478, [stun(BINDING_REQUEST), channelData]);
  assert.equal(proto(f), 'DTLS [DPI]');
});

test('TCP: RFC 4571 framing, several messages in a segment, a message cut by the segment end', async () => {
  const request = stun(BINDING_REQUEST, cat(attr(0x0006, ascii('gppe:zWyk')), attr(0x8070, [0, 0, 0, 2])));
  let f = await tcpConversation(41588, 42000, [cat(be16(request.length), request)]);
  assert.equal(proto(f), 'STUN.Skype_TeamsCall [DPI]');
  const realm = stun(ALLOCATE_REQUEST, attr(0x0014, ascii('apps-host.com')));
  f = await tcpConversation(37257, 3478, [cat(stun(ALLOCATE_REQUEST, attr(0x0019, [6, 0, 0, 0])), realm)]);
  assert.equal(f.host_server_name, 'apps-host.com');
  f = await tcpConversation(37257, 3478, [realm.subarray(0, 30)]);
  assert.equal(proto(f), 'STUN [DPI]');
  // Classic messages are not accepted over TCP.
  f = await tcpConversation(51021, 8081, [stun(BINDING_REQUEST, zeros(0), { cookie: false })]);
  assert.notEqual(f['proto.ndpi'], 'STUN');
});

test('the first mapped address is ntopng\'s protos.stun.mapped_ip_address: XOR (IPv4, IPv6) and classic', async () => {
  // RFC 8489 §14.2: X-Port = port ^ 0x2112, X-Address = address ^ cookie (^ transaction id for IPv6).
  const xorV4 = attr(0x0020, [0, 1, ...be16(32848 ^ 0x2112), ...[191, 162, 107, 92].map((b, i) => b ^ [0x21, 0x12, 0xa4, 0x42][i])]);
  let f = await udpConversation(53620, 3478, [stun(BINDING_REQUEST), { reply: stun(BINDING_RESPONSE, cat(xorV4, attr(0x0020, [0, 1, 0, 0, 1, 2, 3, 4]))) }]);
  assert.equal(f['protos.stun.mapped_ip_address'], '191.162.107.92:32848');
  const mask = [0x21, 0x12, 0xa4, 0x42, ...pattern(12)];
  const v6 = [0x20, 0x01, 0x16, 0x70, 0, 0x0c, 0xeb, 0x04, 0x70, 0xaf, 0xf6, 0x7f, 0x8e, 0x49, 0xf6, 0x03];
  const xorV6 = attr(0x0020, [0, 2, ...be16(56880 ^ 0x2112), ...v6.map((b, i) => b ^ mask[i])]);
  f = await udpConversation(56880, 3478, [stun(BINDING_REQUEST), { reply: stun(BINDING_RESPONSE, xorV6) }], { ipv6: true });
  assert.equal(f['protos.stun.mapped_ip_address'], '[2001:1670:c:eb04:70af:f67f:8e49:f603]:56880');
  f = await udpConversation(55050, 13958, [stun(BINDING_REQUEST, zeros(0), { cookie: false }),
    { reply: stun(BINDING_RESPONSE, attr(0x0001, [0, 1, ...be16(55050), 172, 16, 63, 224]), { cookie: false }) }]);
  assert.equal(f['protos.stun.mapped_ip_address'], '172.16.63.224:55050');
  // Unknown family or a value too short for its family: none.
  f = await udpConversation(40000, 3478, [stun(BINDING_RESPONSE, cat(attr(0x0020, [0, 3, 0, 0, 1, 2, 3, 4]), attr(0x0020, [0, 2, 0, 0, 1, 2, 3, 4])))]);
  assert.equal(proto(f), 'STUN [DPI]');
  assert.equal(f['protos.stun.mapped_ip_address'], undefined);
});

test('IPv6 and a message with 100 attributes (the walk is bounded)', async () => {
  let f = await udpConversation(56880, 3478, [stun(BINDING_REQUEST), { reply: stun(BINDING_RESPONSE, attr(0x0001, [0, 2, 0xde, 0x30, ...pattern(16)])) }], { ipv6: true });
  assert.equal(proto(f), 'STUN [DPI]');
  const many = cat(...Array.from({ length: 100 }, () => attr(0x8022, ascii('abcd'))), attr(0x0014, ascii('late.example')));
  f = await udpConversation(40000, 3478, [stun(ALLOCATE_REQUEST, many)]);
  assert.equal(proto(f), 'STUN [DPI]');
  assert.equal(f.host_server_name, undefined);
});
