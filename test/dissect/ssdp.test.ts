// SSDP (core-as/dissect/ssdp.ts): UPnP Device Architecture 2.0 §1 discovery messages over UDP,
// with the HOST and USER-AGENT headers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, pattern } from '../core/bytes.ts';
import { proto, tcpConversation, udpConversation } from './l7-flows.ts';

const SEARCH = ascii('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\n' +
  'ST: urn:dial-multiscreen-org:service:dial:1\r\nUSER-AGENT: Google Chrome/99.0.4844.74 Mac OS X\r\n\r\n');

test('M-SEARCH: SSDP by DPI, HOST as host name, USER-AGENT kept', async () => {
  const f = await udpConversation(50214, 1900, [SEARCH], { server: '239.255.255.250' });
  assert.equal(proto(f), 'SSDP [DPI]');
  assert.equal(f['proto.ndpi_cat'], 'System');
  assert.equal(f.host_server_name, '239.255.255.250:1900');
  assert.equal(f['protos.http.last_user_agent'], 'Google Chrome/99.0.4844.74 Mac OS X');
});

test('NOTIFY over IPv6: the HOST value in lower case and without surrounding blanks', async () => {
  const notify = ascii('NOTIFY * HTTP/1.1\r\nHost:   [FF02::C]:1900  \r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n\r\n');
  const f = await udpConversation(1900, 1900, [notify], { ipv6: true, server: 'ff02::c' });
  assert.equal(proto(f), 'SSDP [DPI]');
  assert.equal(f.host_server_name, '[ff02::c]:1900');
  assert.equal(f['protos.http.last_user_agent'], undefined);
});

test('a search response on any port is SSDP, without a host name', async () => {
  const ok = ascii('HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: upnp:rootdevice\r\nUSN: uuid:1::upnp:rootdevice\r\n\r\n');
  const f = await udpConversation(61328, 38616, [ok]);
  assert.equal(proto(f), 'SSDP [DPI]');
  assert.equal(f.host_server_name, undefined);
});

test('headers: after the empty line, without value, cut off, only a request line', async () => {
  const cases: Array<[string, string | undefined]> = [
    ['M-SEARCH * HTTP/1.1\r\n\r\nHOST: 1.2.3.4:1900\r\n', undefined],
    ['M-SEARCH * HTTP/1.1\r\nHOST:\r\n\r\n', undefined],
    ['M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:19', '239.255.255.250:19'],
    ['M-SEARCH * HTTP/1.1', undefined],
    ['NOTIFY * HTTP/1.1\nHOST: 239.255.255.250:1900\n\n', '239.255.255.250:1900'],
  ];
  for (const [text, host] of cases) {
    const f = await udpConversation(50000, 1900, [ascii(text)]);
    assert.equal(proto(f), 'SSDP [DPI]', text);
    assert.equal(f.host_server_name, host, text);
  }
});

test('a HOST value longer than 256 bytes is cut', async () => {
  const f = await udpConversation(50000, 1900, [ascii(`NOTIFY * HTTP/1.1\r\nHOST: ${'a'.repeat(300)}\r\n\r\n`)]);
  assert.equal(f.host_server_name, 'a'.repeat(256));
});

test('not SSDP: other methods, HTTP over TCP, binary datagrams', async () => {
  for (const first of [ascii('GET * HTTP/1.1\r\n\r\n'), ascii('M-SEARCH / HTTP/1.1\r\n\r\n'), pattern(40)]) {
    const f = await udpConversation(50000, 1900, [first]);
    assert.notEqual(f['proto.ndpi'], 'SSDP');
  }
  const t = await tcpConversation(50001, 1900, [SEARCH]);
  assert.notEqual(t['proto.ndpi'], 'SSDP');
});
