// SSDP, UPnP's discovery (UPnP Device Architecture 2.0 §1): HTTP-formatted datagrams over UDP,
// multicast to 239.255.255.250:1900 / [ff02::c]:1900 or unicast back. A flow is SSDP when its
// first datagram is a search ("M-SEARCH * HTTP/1.1", §1.3.2), an advertisement
// ("NOTIFY * HTTP/1.1", §1.2.2) or a search response ("HTTP/1.1 200 OK", §1.3.3); nDPI
// matches these on any port. Its HOST header, in lower case, is nDPI's Hostname/SNI of the flow
// ("[ff02::c]:1900") and its USER-AGENT header (searches, §1.3.2) the flow's user agent.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { applyHostName, setDetected } from "../classify/classify";
import { PROTO_SSDP } from "../classify/generated/protocols";
import { copyLower, lineEnd, nextLine, skipBlanks, startsWith, startsWithCi } from "../util/ascii";
import { META_STR_HOST, META_STR_USER_AGENT, metaSetString } from "./meta";
import { R_DONE, R_NO } from "./result";

const SEARCH = "M-SEARCH * HTTP/1.1";
const NOTIFY = "NOTIFY * HTTP/1.1";
const SEARCH_RESPONSE = "HTTP/1.1 200 OK";
const HOST = "HOST:";
const USER_AGENT = "USER-AGENT:";
const MAX_HEADER_LINES: u32 = 64;
const MAX_VALUE: usize = 256;
const hostBuf: usize = memory.data(<i32>MAX_VALUE);

export function dissectSsdp(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (!startsWith(p, end, SEARCH) && !startsWith(p, end, NOTIFY) && !startsWith(p, end, SEARCH_RESPONSE)) return R_NO;
  setDetected(rec, PROTO_SSDP, 0);
  // Header lines (HTTP/1.1 syntax, RFC 9112 §5): "name: value", names in any case.
  let line = nextLine(p, end);
  for (let i: u32 = 0; i < MAX_HEADER_LINES && line < end; i++) {
    const eol = lineEnd(line, end);
    if (eol == line) break; // the empty line ends the headers
    if (startsWithCi(line, eol, HOST)) {
      keepValue(rec, META_STR_HOST, line + <usize>HOST.length, eol, true);
      applyHostName(rec);
    } else if (startsWithCi(line, eol, USER_AGENT)) {
      keepValue(rec, META_STR_USER_AGENT, line + <usize>USER_AGENT.length, eol, false);
    }
    line = nextLine(line, end);
  }
  return R_DONE;
}

/** Stores the header value [p, eol) without its surrounding blanks. */
function keepValue(rec: usize, field: u32, p: usize, eol: usize, lower: bool): void {
  const start = skipBlanks(p, eol);
  let stop = eol;
  while (stop > start && (load<u8>(stop - 1) == 0x20 || load<u8>(stop - 1) == 0x09)) stop--;
  const len = stop - start < MAX_VALUE ? stop - start : MAX_VALUE;
  if (lower) metaSetString(rec, field, hostBuf, copyLower(hostBuf, start, len));
  else metaSetString(rec, field, start, len);
}
