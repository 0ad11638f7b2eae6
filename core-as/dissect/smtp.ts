// SMTP (RFC 5321). Recognised when the server has sent a reply line (§4.2, the format FTP
// shares: reply_code.ts) and the client one of the protocol's commands (§4.1.1, with AUTH of
// RFC 4954, STARTTLS of RFC 3207, BDAT/ETRN of RFC 3030/1985); any other first line rules SMTP
// out. The greeting's first word (§4.3.1 "220 <domain>") is nDPI's host name. A STARTTLS the
// server accepts with 220 (RFC 3207 §4) makes the rest TLS: the flow becomes SMTPS. nDPI
// reports no credentials for SMTP (its AUTH exchanges are base64 SASL), so neither does this.
//
// State: one flags byte (F_* below) in the area the text protocols share (flow_state.ts
// GROUP_TEXT, TEXT_SMTP_FLAGS).
import * as info from "../decode/packet_info";
import { inWordList, startsWithCi, tokenEnd } from "../util/ascii";
import { FLOW_L7_FLAGS, L7_DETECTED } from "../flow/record";
import { setDetected } from "../classify/classify";
import { PROTO_MAIL_SMTP, PROTO_MAIL_SMTPS } from "../classify/generated/protocols";
import { REPLY_GREETING, greetingHost, replyCode } from "./reply_code";
import { GROUP_TEXT, TEXT_SMTP_FLAGS, tryClaimState } from "./flow_state";
import { handOffToTls } from "./starttls";
import { R_DONE, R_MATCH, R_MAYBE, R_NO } from "./result";

const F_REPLY: u8 = 1;
const F_COMMAND: u8 = 2;
const F_STARTTLS: u8 = 4;

const CODE_REFUSED: i32 = 554;

const COMMANDS = "HELO EHLO MAIL RCPT DATA RSET VRFY EXPN HELP NOOP QUIT AUTH STARTTLS BDAT ETRN TURN ATRN";

export function dissectSmtp(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  const detected = (load<u8>(rec + FLOW_L7_FLAGS) & L7_DETECTED) != 0;
  const state = tryClaimState(rec, GROUP_TEXT);
  if (state == 0) return R_MAYBE; // another undecided dissector holds the state area for now
  let flags = load<u8>(state + TEXT_SMTP_FLAGS);
  if (fromClient) {
    const word = tokenEnd(p, end);
    const n = word - p;
    if (n < 4 || n > 8 || !inWordList(p, n, COMMANDS)) return detected ? R_MATCH : R_NO;
    flags |= F_COMMAND;
    if (startsWithCi(p, word, "STARTTLS")) flags |= F_STARTTLS;
    // The message body follows DATA/BDAT: nothing more to learn from this connection.
    if (detected && (startsWithCi(p, word, "DATA") || startsWithCi(p, word, "BDAT") || startsWithCi(p, word, "QUIT"))) return R_DONE;
  } else {
    const code = replyCode(p, end);
    if (code < 0) return detected ? R_MATCH : R_NO;
    // The server speaks first with 220, or 554 when it refuses (§4.3.2): another first reply
    // is another protocol of the same reply format.
    if ((flags & (F_REPLY | F_COMMAND)) == 0 && code != REPLY_GREETING && code != CODE_REFUSED) {
      return detected ? R_MATCH : R_NO;
    }
    flags |= F_REPLY;
    if (code == REPLY_GREETING) {
      if ((flags & F_STARTTLS) != 0 && detected) {
        setDetected(rec, PROTO_MAIL_SMTPS, 0);
        handOffToTls(rec);
        return R_MATCH;
      }
      greetingHost(rec, p, end);
    }
  }
  store<u8>(state + TEXT_SMTP_FLAGS, flags);
  if (detected) return R_MATCH;
  if ((flags & (F_REPLY | F_COMMAND)) != (F_REPLY | F_COMMAND)) return R_MAYBE;
  setDetected(rec, PROTO_MAIL_SMTP, 0);
  return R_MATCH;
}
