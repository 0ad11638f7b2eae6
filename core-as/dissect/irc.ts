// IRC, Internet Relay Chat (RFC 2812 §3.1 connection registration; IRCv3 capability negotiation),
// over TCP (6667, 6697 with TLS, and many others). A client registers with "NICK <nickname>",
// "USER <user> <mode> <unused> :<realname>" (four parameters, the last after a colon: unlike the
// one-argument USER of FTP and POP3), optionally "PASS" first or "CAP LS" / "CAP REQ". A client's
// first line of that shape decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_IRC } from "../classify/generated/protocols";
import { isPrintable, lineEnd, startsWith, tokenEnd } from "../util/ascii";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const MAX_NICK: usize = 64;

export function dissectIrc(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP || !fromClient) return R_NO;
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  const eol = lineEnd(p, end);
  if (eol == end) return R_NO; // a registration line ends with CR LF
  if (!isNick(p, eol) && !isUser(p, eol) && !startsWith(p, eol, "CAP LS") && !startsWith(p, eol, "CAP REQ ")) return R_NO;
  setDetected(rec, PROTO_IRC, 0);
  return R_DONE;
}

/** "NICK <nickname>": one printable word of reasonable length. */
function isNick(p: usize, eol: usize): bool {
  if (!startsWith(p, eol, "NICK ")) return false;
  const nick = p + 5;
  const stop = tokenEnd(nick, eol);
  return stop == eol && stop > nick && stop - nick <= MAX_NICK && allPrintable(nick, stop);
}

/** "USER <user> <mode> <unused> :<realname>". */
function isUser(p: usize, eol: usize): bool {
  if (!startsWith(p, eol, "USER ")) return false;
  let at = p + 5;
  for (let i = 0; i < 3; i++) {
    const stop = tokenEnd(at, eol);
    if (stop == at || stop >= eol || load<u8>(stop) != 0x20) return false;
    at = stop + 1;
  }
  return at < eol && load<u8>(at) == 0x3a && allPrintable(p, eol); // ':'
}

function allPrintable(p: usize, end: usize): bool {
  for (let at = p; at < end; at++) if (!isPrintable(<u32>load<u8>(at))) return false;
  return true;
}
