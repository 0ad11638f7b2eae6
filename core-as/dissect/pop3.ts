// POP3 (RFC 1939). Server responses start "+OK" or "-ERR" (§3; "+ " continues a SASL exchange,
// RFC 5034 §4); client lines are keywords of three or four letters (§3, with CAPA of RFC 2449,
// STLS of RFC 2595, AUTH of RFC 5034). The flow is POP3 once the server has answered and the
// client sent such a command; any other first line rules POP3 out. USER and PASS (§7) are
// nDPI's [User: ][Pwd: ] and the Clear-Text Credentials risk. STLS answered +OK (RFC 2595 §4)
// makes the rest TLS: nDPI names the flow POPS.
//
// State: one flags byte (F_* below) in the area the text protocols share (flow_state.ts
// GROUP_TEXT, TEXT_POP3_FLAGS).
import * as info from "../decode/packet_info";
import { startsWith, startsWithCi } from "../util/ascii";
import { argumentEnd, argumentStart, commandEnd, readCommand } from "./command";
import { FLOW_L7_FLAGS, L7_DETECTED } from "../flow/record";
import { setDetected, setRisk } from "../classify/classify";
import { RISK_UNSAFE_PROTOCOL } from "../classify/generated/risks";
import { PROTO_MAIL_POP, PROTO_MAIL_POPS } from "../classify/generated/protocols";
import { foundPassword, foundUser } from "./credentials";
import { GROUP_TEXT, TEXT_POP3_FLAGS, tryClaimState } from "./flow_state";
import { handOffToTls } from "./starttls";
import { R_DONE, R_MATCH, R_MAYBE, R_NO } from "./result";

const F_RESPONSE: u8 = 1;
const F_COMMAND: u8 = 2;
const F_STLS: u8 = 4;
const F_PASS: u8 = 8;

const COMMANDS = "USER PASS APOP STAT LIST RETR DELE NOOP RSET QUIT TOP UIDL CAPA STLS AUTH UTF8 LANG";

export function dissectPop3(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  const detected = (load<u8>(rec + FLOW_L7_FLAGS) & L7_DETECTED) != 0;
  const state = tryClaimState(rec, GROUP_TEXT);
  if (state == 0) return R_MAYBE; // another undecided dissector holds the state area for now
  let flags = load<u8>(state + TEXT_POP3_FLAGS);
  if (fromClient) {
    if (!readCommand(p, end, COMMANDS)) return detected ? R_MATCH : R_NO;
    flags |= F_COMMAND;
    const word = commandEnd, arg = argumentStart, argEnd = argumentEnd;
    if (startsWithCi(p, word, "USER")) {
      foundUser(rec, arg, argEnd - arg, "");
    } else if (startsWithCi(p, word, "PASS")) {
      foundPassword(rec, arg, argEnd - arg);
      flags |= F_PASS;
    } else if (startsWithCi(p, word, "STLS")) {
      flags |= F_STLS;
    }
  } else {
    const ok = startsWith(p, end, "+OK");
    if (!ok && !startsWith(p, end, "-ERR") && !startsWith(p, end, "+ ")) return detected ? R_MATCH : R_NO;
    flags |= F_RESPONSE;
    if (detected && ok && (flags & F_STLS) != 0) {
      setDetected(rec, PROTO_MAIL_POPS, 0);
      // POP3 was spoken in clear text first: the flow keeps its Unsafe Protocol risk.
      setRisk(rec, RISK_UNSAFE_PROTOCOL);
      handOffToTls(rec);
      return R_MATCH;
    }
    // The password answered: the credentials are known.
    if (detected && (flags & F_PASS) != 0) return R_DONE;
  }
  store<u8>(state + TEXT_POP3_FLAGS, flags);
  if (detected) return R_MATCH;
  if ((flags & (F_RESPONSE | F_COMMAND)) != (F_RESPONSE | F_COMMAND)) return R_MAYBE;
  setDetected(rec, PROTO_MAIL_POP, 0);
  return R_MATCH;
}
