// FTP (RFC 959). The control connection (nDPI's FTP_CONTROL) is recognised when the server
// has sent a reply line (§4.2: three digits, space or hyphen) and the client a command of the
// protocol (§4.1, and the extensions of RFC 2228, 2389, 2428, 3659, 7151); any other first line
// from either side rules FTP out, and so does a first reply that is no greeting (§5.4: 220, or
// 120 or 421): NNTP and SMTP share the reply format. Then the dissector reads the login: USER and PASS (§4.1.1)
// give nDPI's [User: ][Pwd: ] and the Clear-Text Credentials risk, and a PASS seen on its own
// is risky too even where the flow is never recognised. The greeting names the server
// (reply_code.ts). "AUTH TLS" accepted with 234 (RFC 4217 §4) turns the rest into TLS: nDPI
// names that flow FTPS.
//
// A data connection (nDPI's FTP_DATA) is only recognised by its content: a first payload that
// is a directory listing in the "ls -l" format most servers send for LIST (a type letter,
// nine permission letters).
//
// State: one flags byte (F_* below) in the area the text protocols share (flow_state.ts
// GROUP_TEXT, TEXT_FTP_FLAGS).
import * as info from "../decode/packet_info";
import { startsWithCi } from "../util/ascii";
import { argumentEnd, argumentStart, commandEnd, readCommand } from "./command";
import { FLOW_DPI_PACKETS, FLOW_L7_FLAGS, L7_DETECTED } from "../flow/record";
import { setDetected, setRisk } from "../classify/classify";
import { RISK_UNSAFE_PROTOCOL } from "../classify/generated/risks";
import { PROTO_FTP_CONTROL, PROTO_FTP_DATA, PROTO_FTPS } from "../classify/generated/protocols";
import { foundPassword, foundUser } from "./credentials";
import { REPLY_GREETING, greetingHost, replyCode } from "./reply_code";
import { GROUP_TEXT, TEXT_FTP_FLAGS, tryClaimState } from "./flow_state";
import { handOffToTls } from "./starttls";
import { R_DONE, R_MATCH, R_MAYBE, R_NO } from "./result";

const F_REPLY: u8 = 1;
const F_COMMAND: u8 = 2;
const F_USER: u8 = 4;
const F_PASS: u8 = 8;
const F_AUTH_TLS: u8 = 16;
const F_LOGIN_ANSWERED: u8 = 32;

/** RFC 959 §4.1, RFC 2228 §3, RFC 2389, RFC 2428, RFC 3659, RFC 7151, RFC 775 X-commands, CLNT. */
const COMMANDS = "USER PASS ACCT CWD CDUP SMNT QUIT REIN PORT PASV TYPE STRU MODE RETR STOR STOU APPE " +
  "ALLO REST RNFR RNTO ABOR DELE RMD MKD PWD LIST NLST SITE SYST STAT HELP NOOP AUTH ADAT PROT PBSZ " +
  "CCC MIC CONF ENC FEAT OPTS EPRT EPSV LANG MDTM SIZE MLST MLSD HOST XCUP XCWD XMKD XPWD XRMD CLNT";

const CODE_LOGGED_IN: i32 = 230;
const CODE_NEED_PASSWORD: i32 = 331;
const CODE_NOT_LOGGED_IN: i32 = 530;
const CODE_AUTH_OK: i32 = 234;
const CODE_READY_SOON: i32 = 120;
const CODE_UNAVAILABLE: i32 = 421;

export function dissectFtp(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  const detected = (load<u8>(rec + FLOW_L7_FLAGS) & L7_DETECTED) != 0;
  if (!detected && load<u8>(rec + FLOW_DPI_PACKETS) == 1 && isListing(p, end)) {
    setDetected(rec, PROTO_FTP_DATA, 0);
    return R_DONE;
  }
  const state = tryClaimState(rec, GROUP_TEXT);
  if (state == 0) return R_MAYBE; // another undecided dissector holds the state area for now
  let flags = load<u8>(state + TEXT_FTP_FLAGS);
  if (fromClient) {
    if (!readCommand(p, end, COMMANDS)) return detected ? R_MATCH : R_NO;
    flags |= F_COMMAND;
    const word = commandEnd, arg = argumentStart, argEnd = argumentEnd;
    if (startsWithCi(p, word, "USER")) {
      foundUser(rec, arg, argEnd - arg, "FTP ");
      flags |= F_USER;
    } else if (startsWithCi(p, word, "PASS")) {
      foundPassword(rec, arg, argEnd - arg);
      flags |= F_PASS;
    } else if (startsWithCi(p, word, "AUTH") && (startsWithCi(arg, argEnd, "TLS") || startsWithCi(arg, argEnd, "SSL"))) {
      flags |= F_AUTH_TLS;
    }
  } else {
    const code = replyCode(p, end);
    if (code < 0) return detected ? R_MATCH : R_NO;
    // The server speaks first (§5.4): 220, or 120 then 220, or 421. Another first reply is
    // another protocol of the same reply format (NNTP greets with 200).
    if ((flags & (F_REPLY | F_COMMAND)) == 0 && code != REPLY_GREETING && code != CODE_READY_SOON &&
        code != CODE_UNAVAILABLE) return detected ? R_MATCH : R_NO;
    flags |= F_REPLY;
    if (code == REPLY_GREETING) greetingHost(rec, p, end);
    if ((flags & F_USER) != 0 && code != CODE_NEED_PASSWORD &&
        (code == CODE_LOGGED_IN || code == CODE_NOT_LOGGED_IN || (flags & F_PASS) != 0)) {
      // The login is answered; a user refused before any password still showed its password: none.
      if ((flags & F_PASS) == 0) foundPassword(rec, p, 0);
      flags |= F_LOGIN_ANSWERED;
    }
    if (code == CODE_AUTH_OK && (flags & F_AUTH_TLS) != 0) {
      setDetected(rec, PROTO_FTPS, 0);
      // The login ran in clear text first: the flow keeps FTP_CONTROL's Unsafe Protocol risk.
      setRisk(rec, RISK_UNSAFE_PROTOCOL);
      handOffToTls(rec);
      return R_MATCH;
    }
  }
  store<u8>(state + TEXT_FTP_FLAGS, flags);
  if (!detected) {
    if ((flags & (F_REPLY | F_COMMAND)) != (F_REPLY | F_COMMAND)) return R_MAYBE;
    setDetected(rec, PROTO_FTP_CONTROL, 0);
  }
  return (flags & F_LOGIN_ANSWERED) != 0 ? R_DONE : R_MATCH;
}

/**
 * The first line of an "ls -l" listing: a file type letter, then owner/group/other permissions
 * (r, w, x or -, with s/S/t/T in the execute places), then a space.
 */
function isListing(p: usize, end: usize): bool {
  if (end - p < 11) return false;
  if (!isFileType(<u32>load<u8>(p)) || load<u8>(p + 10) != 0x20) return false;
  for (let i: usize = 1; i <= 9; i++) {
    const c = <u32>load<u8>(p + i);
    const slot = (i - 1) % 3;
    const ok = c == 0x2d || (slot == 0 && c == 0x72) || (slot == 1 && c == 0x77) ||
      (slot == 2 && (c == 0x78 || c == 0x73 || c == 0x53 || c == 0x74 || c == 0x54));
    if (!ok) return false;
  }
  return true;
}

/** '-' file, 'd' directory, 'l' link, 'b'/'c' devices, 'p' pipe, 's' socket. */
function isFileType(c: u32): bool {
  return c == 0x2d || c == 0x64 || c == 0x6c || c == 0x62 || c == 0x63 || c == 0x70 || c == 0x73;
}
