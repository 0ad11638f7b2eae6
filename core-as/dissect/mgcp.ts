// MGCP, the Media Gateway Control Protocol (RFC 3435; UDP 2427 gateway, 2727 call agent). A
// command is a text line (§3.2.1): verb, transaction id, endpoint name, "MGCP" and the
// protocol version, separated by spaces:
//   RQNT 1201 aaln/1@rgw-2567.whatever.net MGCP 1.0
// The verbs are the nine of §2.3 (EPCF, CRCX, MDCX, DLCX, RQNT, NTFY, AUEP, AUCX, RSIP) and
// MESG (RFC 3991). An endpoint name is local-name@domain (§3.2.1.3): the domain is nDPI's
// Hostname/SNI of the flow. One command line decides; responses (a numeric code) alone do not.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { applyHostName, setDetected } from "../classify/classify";
import { PROTO_MGCP } from "../classify/generated/protocols";
import { copyLower, inWordList, isDigit, lineEnd, startsWith } from "../util/ascii";
import { IPPROTO_UDP } from "../wire/transport";
import { META_STR_HOST, metaSetString } from "./meta";
import { R_DONE, R_NO } from "./result";

const VERB_LEN: usize = 4;
const VERBS = "EPCF CRCX MDCX DLCX RQNT NTFY AUEP AUCX RSIP MESG";
/** Transaction ids are 1 to 9 digits (§3.2.1.2). */
const MAX_TRANSACTION_DIGITS: usize = 9;
const MAX_HOST: usize = 255;
const hostBuf: usize = memory.data(<i32>MAX_HOST);

export function dissectMgcp(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  const eol = lineEnd(p, p + <usize>info.payloadLen);
  if (eol - p < VERB_LEN + 1 || !inWordList(p, VERB_LEN, VERBS) || load<u8>(p + VERB_LEN) != 0x20) return R_NO;
  // transaction id
  const id = p + VERB_LEN + 1;
  let at = id;
  while (at < eol && isDigit(<u32>load<u8>(at))) at++;
  if (at == id || at - id > MAX_TRANSACTION_DIGITS || at >= eol || load<u8>(at) != 0x20) return R_NO;
  // endpoint name
  const endpoint = at + 1;
  at = endpoint;
  let domain: usize = 0;
  while (at < eol && load<u8>(at) != 0x20) {
    if (load<u8>(at) == 0x40) domain = at + 1; // '@': the last one starts the domain
    at++;
  }
  if (at == endpoint || !startsWith(at, eol, " MGCP ")) return R_NO;
  const version = at + 6;
  if (version >= eol || !isDigit(<u32>load<u8>(version))) return R_NO;
  setDetected(rec, PROTO_MGCP, 0);
  if (domain != 0 && at > domain) {
    const len = min(at - domain, MAX_HOST);
    metaSetString(rec, META_STR_HOST, hostBuf, copyLower(hostBuf, domain, len));
    applyHostName(rec);
  }
  return R_DONE;
}
