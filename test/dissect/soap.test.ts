// SOAP outside HTTP's own reading (core-as/dissect/soap.ts): a SOAPAction header line among a
// payload's header lines, or an XML declaration in a flow still unnamed at its fourth payload.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, pattern } from '../core/bytes.ts';
import { proto, tcpConversation } from './l7-flows.ts';

const post = (header: string) => ascii(`POST /fwlink/?LinkID=252669 HTTP/1.1\r\nContent-Type: text/xml\r\n${header}\r\nHost: go.microsoft.com\r\n\r\n<?xml`);
const xml = ascii('<?xml version="1.0" encoding="UTF-8"?>\r\n<ZMessage target="ZBBP.1.ResolveKID" minor="35"/>');

test('a SOAPAction header in a request picked up mid-stream (after a payload HTTP cannot read)', async () => {
  const f = await tcpConversation(50100, 80, [pattern(200), post('SOAPAction: "http://schemas.microsoft.com/windows/2008/04/metadata/DeviceMetadataService/GetDeviceMetadata"')]);
  assert.equal(proto(f), 'SOAP [DPI]');
});

test('an XML declaration, then the fourth payload decides', async () => {
  assert.equal(proto(await tcpConversation(56028, 81, [xml, pattern(114), { reply: xml }, { reply: pattern(100) }])), 'SOAP [DPI]');
  assert.notEqual(proto(await tcpConversation(56028, 81, [xml, pattern(114), { reply: xml }])), 'SOAP [DPI]', 'three payloads only');
});

test('no declaration, another one, a header after the empty line or lower-case, too late: not SOAP', async () => {
  for (const [what, turns] of [
    ['binary', [pattern(40), pattern(40), pattern(40), pattern(40)]],
    ['single quotes', [ascii("<?xml version='1.0'?><a/>"), pattern(40), pattern(40), pattern(40)]],
    ['declaration in the fourth payload', [pattern(40), pattern(40), pattern(40), xml]],
    ['SOAPAction in the body', [pattern(200), ascii('POST / HTTP/1.1\r\nHost: a\r\n\r\nSOAPAction: x\r\n')]],
    ['soapaction', [pattern(200), post('soapaction: "x"')]],
    ['not a whole line', [pattern(200), ascii('SOAPAction: "x"')]],
    ['fifth payload', [pattern(40), pattern(40), pattern(40), pattern(40), post('SOAPAction: "x"')]],
  ] as const) {
    assert.notEqual(proto(await tcpConversation(40000, 81, turns as never)), 'SOAP [DPI]', what);
  }
});
