// DNSCrypt (dnscrypt.info/protocol), encrypted DNS over UDP or TCP on any port (443 and 5353
// are common). The queries are opaque, but a resolver's encrypted answers start with its
// 8-byte magic "r6fnvWj8" (protocol versions 1 and 2), and a client fetching the resolver's
// certificate asks a plain DNS TXT question whose name starts with the label "2" then
// "dnscrypt-cert" (bytes 13.. of the message: "2", the label length 13, "dnscrypt"; any case).
// As nDPI, the flow is looked at until it has had a packet in each direction (the answer is
// what decides) or MAX_PACKETS payloads.
//
// No per-flow state (the record's per-direction packet counters).
import * as info from "../decode/packet_info";
import { startsWith, startsWithCi } from "../util/ascii";
import { FLOW_C2S_PACKETS, FLOW_S2C_PACKETS } from "../flow/record";
import { setDetected } from "../classify/classify";
import { PROTO_DNSCRYPT } from "../classify/generated/protocols";
import { payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const RESOLVER_MAGIC = "r6fnvWj8";
const ANSWER_MIN_LEN: usize = 64;
/** After the 12-byte DNS header, the first label's length byte: "2", 13, "dnscrypt" (of "dnscrypt-cert"). */
const CERT_QUESTION_AT: usize = 13;
const CERT_QUESTION = "2\rdnscrypt";
const MAX_PACKETS: u32 = 8;

export function dissectDnscrypt(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const end = p + len;
  const answer = len >= ANSWER_MIN_LEN && startsWith(p, end, RESOLVER_MAGIC);
  const certQuestion = len > CERT_QUESTION_AT + <usize>CERT_QUESTION.length && startsWithCi(p + CERT_QUESTION_AT, end, CERT_QUESTION);
  if (answer || certQuestion) {
    setDetected(rec, PROTO_DNSCRYPT, 0);
    return R_DONE;
  }
  const bothWays = load<u64>(rec + FLOW_C2S_PACKETS) != 0 && load<u64>(rec + FLOW_S2C_PACKETS) != 0;
  return bothWays || payloadPacketIndex(rec) >= MAX_PACKETS ? R_NO : R_MAYBE;
}
