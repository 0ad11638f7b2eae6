// IMAP (RFC 9051, RFC 3501). Server lines are untagged ("* OK", "* PREAUTH", "* BYE",
// "* CAPABILITY"...), continuations ("+ ") or tagged completions ("<tag> OK|NO|BAD"), §7;
// client lines are "<tag> <command>" (§6). The flow is IMAP once the server has sent such a
// line and the client a tagged command of the protocol; any other first line rules IMAP out.
// LOGIN's user name and password (§6.2.3, atoms or quoted strings) are nDPI's [User: ][Pwd: ]
// and the Clear-Text Credentials risk. A STARTTLS (§6.2.1) answered OK makes the rest TLS:
// nDPI names the flow IMAPS.
//
// State: one flags byte (F_* below) in the area the text protocols share (flow_state.ts
// GROUP_TEXT, TEXT_IMAP_FLAGS).
import * as info from "../decode/packet_info";
import { inWordList, lineEnd, skipBlanks, startsWith, startsWithCi, tokenEnd } from "../util/ascii";
import { FLOW_L7_FLAGS, L7_DETECTED } from "../flow/record";
import { setDetected } from "../classify/classify";
import { PROTO_MAIL_IMAP, PROTO_MAIL_IMAPS } from "../classify/generated/protocols";
import { foundPassword, foundUser } from "./credentials";
import { GROUP_TEXT, TEXT_IMAP_FLAGS, tryClaimState } from "./flow_state";
import { handOffToTls } from "./starttls";
import { R_DONE, R_MATCH, R_MAYBE, R_NO } from "./result";

const F_SERVER: u8 = 1;
const F_COMMAND: u8 = 2;
const F_STARTTLS: u8 = 4;
const F_LOGIN: u8 = 8;

/** RFC 9051 §6 commands, with RFC 3501's LSUB/CHECK and the common extensions (IDLE, ID, MOVE...). */
const COMMANDS = "CAPABILITY NOOP LOGOUT STARTTLS AUTHENTICATE LOGIN ENABLE SELECT EXAMINE CREATE " +
  "DELETE RENAME SUBSCRIBE UNSUBSCRIBE LIST LSUB NAMESPACE STATUS APPEND IDLE CHECK CLOSE UNSELECT " +
  "EXPUNGE SEARCH FETCH STORE COPY MOVE UID ID GETQUOTA GETQUOTAROOT SETQUOTA GETACL SETACL " +
  "COMPRESS NOTIFY XLIST";
const STATUS_WORDS = "OK NO BAD PREAUTH BYE CAPABILITY";
const MAX_TAG: usize = 32;

export function dissectImap(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  const detected = (load<u8>(rec + FLOW_L7_FLAGS) & L7_DETECTED) != 0;
  const state = tryClaimState(rec, GROUP_TEXT);
  if (state == 0) return R_MAYBE; // another undecided dissector holds the state area for now
  let flags = load<u8>(state + TEXT_IMAP_FLAGS);
  if (fromClient) {
    // "<tag> SP <command>": a tag is a run of non-space characters (§9 "tag").
    const tagEnd = tokenEnd(p, end);
    if (tagEnd == p || tagEnd - p > MAX_TAG || tagEnd >= end || load<u8>(tagEnd) != 0x20) return detected ? R_MATCH : R_NO;
    const command = tagEnd + 1;
    const commandEnd = tokenEnd(command, end);
    if (!inWordList(command, commandEnd - command, COMMANDS)) return detected ? R_MATCH : R_NO;
    flags |= F_COMMAND;
    if (startsWithCi(command, commandEnd, "STARTTLS") && commandEnd - command == 8) flags |= F_STARTTLS;
    if (startsWithCi(command, commandEnd, "LOGIN") && commandEnd - command == 5) {
      readLogin(rec, skipBlanks(commandEnd, end), lineEnd(command, end));
      flags |= F_LOGIN;
    }
  } else {
    if (!isServerLine(p, end)) return detected ? R_MATCH : R_NO;
    flags |= F_SERVER;
    if ((flags & F_STARTTLS) != 0 && detected && isTaggedOk(p, end)) {
      setDetected(rec, PROTO_MAIL_IMAPS, 0);
      handOffToTls(rec);
      return R_MATCH;
    }
    // The login answered: the credentials are known.
    if ((flags & F_LOGIN) != 0 && detected) return R_DONE;
  }
  store<u8>(state + TEXT_IMAP_FLAGS, flags);
  if (detected) return R_MATCH;
  if ((flags & (F_SERVER | F_COMMAND)) != (F_SERVER | F_COMMAND)) return R_MAYBE;
  setDetected(rec, PROTO_MAIL_IMAP, 0);
  return R_MATCH;
}

/** "* <status or data>", "+ ..." or "<tag> OK|NO|BAD ...". */
function isServerLine(p: usize, end: usize): bool {
  if (startsWith(p, end, "+ ") || startsWith(p, end, "+\r")) return true;
  const first = tokenEnd(p, end);
  if (first == p || first - p > MAX_TAG || first >= end || load<u8>(first) != 0x20) return false;
  const word = first + 1;
  const wordEnd = tokenEnd(word, end);
  if (first - p == 1 && load<u8>(p) == 0x2a) {
    // Untagged: a status word, or a number then data ("* 1 EXISTS").
    return inWordList(word, wordEnd - word, STATUS_WORDS) || (wordEnd > word && load<u8>(word) - 0x30 < 10);
  }
  return inWordList(word, wordEnd - word, "OK NO BAD");
}

function isTaggedOk(p: usize, end: usize): bool {
  if (load<u8>(p) == 0x2a) return false;
  const first = tokenEnd(p, end);
  return first < end && startsWithCi(first + 1, end, "OK");
}

/** LOGIN's arguments: two atoms or quoted strings (§6.2.3, §4.3). */
function readLogin(rec: usize, p: usize, end: usize): void {
  const userEnd = argumentEnd(p, end);
  const quoted = userEnd > p && load<u8>(p) == 0x22;
  const user = quoted ? p + 1 : p;
  const userLen = quoted ? userEnd - p - 2 : userEnd - p;
  if (userEnd <= p) return;
  foundUser(rec, user, userLen, "IMAP ");
  const pass = skipBlanks(userEnd, end);
  const passEnd = argumentEnd(pass, end);
  if (passEnd <= pass) return;
  const passQuoted = load<u8>(pass) == 0x22;
  foundPassword(rec, passQuoted ? pass + 1 : pass, passQuoted ? passEnd - pass - 2 : passEnd - pass);
}

/** End of the atom or quoted string at p (a quoted string includes both quotes). */
function argumentEnd(p: usize, end: usize): usize {
  if (p >= end) return p;
  if (load<u8>(p) != 0x22) return tokenEnd(p, end);
  let at = p + 1;
  while (at < end) {
    const c = load<u8>(at);
    if (c == 0x5c && at + 1 < end) { at += 2; continue; } // quoted-specials are escaped
    if (c == 0x22) return at + 1;
    at++;
  }
  return p; // unterminated
}
