// The reply format FTP (RFC 959 §4.2) and SMTP (RFC 5321 §4.2) share: a three-digit code whose
// first digit is 1-5, then a space (last line) or a hyphen (more lines follow), then text. The
// greeting (code 220) names the server first on both (RFC 5321 §4.3.1 "220 <domain>"), and
// nDPI takes that first word, in lower case, as the flow's host name.
import { applyHostName } from "../classify/classify";
import { isDigit, isHostChar, lineEnd } from "../util/ascii";
import { META_STR_HOST, metaHasString, metaSetString } from "./meta";

export const REPLY_GREETING: i32 = 220;
const MAX_HOST: usize = 128;
const hostBuf: usize = memory.data(<i32>MAX_HOST);

/** The reply code at p, or -1 when [p, end) does not start with a reply line. */
export function replyCode(p: usize, end: usize): i32 {
  if (p > end || end - p < 3) return -1;
  const a = <u32>load<u8>(p);
  const b = <u32>load<u8>(p + 1);
  const c = <u32>load<u8>(p + 2);
  if (a < 0x31 || a > 0x35 || !isDigit(b) || !isDigit(c)) return -1;
  if (end - p > 3) {
    const sep = <u32>load<u8>(p + 3);
    if (sep != 0x20 && sep != 0x2d && sep != 0x0d && sep != 0x0a) return -1;
  }
  return <i32>((a - 0x30) * 100 + (b - 0x30) * 10 + (c - 0x30));
}

/** From a greeting line at p: its first word, if it is a host name, becomes the flow's host. */
export function greetingHost(rec: usize, p: usize, end: usize): void {
  if (metaHasString(rec, META_STR_HOST) || end - p < 5) return;
  const stop = lineEnd(p, end);
  let at = p + 4;
  let n: usize = 0;
  while (at < stop && n < MAX_HOST) {
    const c = <u32>load<u8>(at);
    if (c == 0x20) break;
    if (!isHostChar(c)) return; // "220 (vsFTPd 3.0.3)": no name here
    store<u8>(hostBuf + n++, <u8>(c - 0x41 < 26 ? c + 0x20 : c));
    at++;
  }
  if (n == 0) return;
  metaSetString(rec, META_STR_HOST, hostBuf, n);
  applyHostName(rec);
}
