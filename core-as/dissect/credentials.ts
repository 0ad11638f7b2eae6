// Clear-text credentials seen by the text protocols (FTP, IMAP, POP3): stored as nDPI prints them
// ([User: ][Pwd: ]) and flagged with the Clear-Text Credentials risk, whose info text says what
// was found ("Found FTP username (anonymous)", "Found password").
import { setRisk } from "../classify/classify";
import { RISK_CLEAR_TEXT_CREDENTIALS } from "../classify/generated/risks";
import { literalBytes } from "../util/ascii";
import { META_STR_PASSWORD, META_STR_RISK_INFO, META_STR_USER, metaHasString, metaSetString } from "./meta";

const MAX_CREDENTIAL: usize = 64;
const infoBuf: usize = memory.data(<i32>MAX_CREDENTIAL + 32);

/** A user name: `what` is the protocol's word in the risk info ("FTP ", "IMAP " or ""). */
export function foundUser(rec: usize, p: usize, len: usize, what: string): void {
  if (len == 0 || metaHasString(rec, META_STR_USER)) return;
  const n = len < MAX_CREDENTIAL ? len : MAX_CREDENTIAL;
  metaSetString(rec, META_STR_USER, p, n);
  setRisk(rec, RISK_CLEAR_TEXT_CREDENTIALS);
  if (metaHasString(rec, META_STR_RISK_INFO)) return;
  // "Found " + what + "username (" + user + ")"
  let at: usize = 0;
  at += copyLiteral(infoBuf + at, "Found ");
  at += copyLiteral(infoBuf + at, what);
  at += copyLiteral(infoBuf + at, "username (");
  memory.copy(infoBuf + at, p, n);
  at += n;
  store<u8>(infoBuf + at++, 0x29); // ')'
  metaSetString(rec, META_STR_RISK_INFO, infoBuf, at);
}

/** A password (possibly empty: the risk is the clear-text exchange itself). */
export function foundPassword(rec: usize, p: usize, len: usize): void {
  if (metaHasString(rec, META_STR_PASSWORD)) return;
  metaSetString(rec, META_STR_PASSWORD, p, len < MAX_CREDENTIAL ? len : MAX_CREDENTIAL);
  setRisk(rec, RISK_CLEAR_TEXT_CREDENTIALS);
  if (!metaHasString(rec, META_STR_RISK_INFO)) {
    metaSetString(rec, META_STR_RISK_INFO, literalBytes("Found password"), 14);
  }
}

function copyLiteral(out: usize, lit: string): usize {
  const n = <usize>lit.length;
  memory.copy(out, literalBytes(lit), n);
  return n;
}
