// Munin, the monitoring node protocol (munin-node, TCP 4949). The node greets first with the
// line "# munin node at <host name>\n"; that greeting as the flow's first payload decides, and
// its host name is the flow's. A greeting without the line end or without a name is nDPI's
// malformed packet ("Missing Munin Hostname").
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { copyLower, startsWith } from "../util/ascii";
import { setDetected, setRisk } from "../classify/classify";
import { PROTO_MUNIN } from "../classify/generated/protocols";
import { RISK_MALFORMED_PACKET } from "../classify/generated/risks";
import { IPPROTO_TCP } from "../wire/transport";
import { META_STR_HOST, metaSetString } from "./meta";
import { R_DONE, R_NO } from "./result";

const GREETING = "# munin node at ";
const MAX_HOST_LEN: usize = 255;
const hostBuf: usize = memory.data(<i32>MAX_HOST_LEN);

export function dissectMunin(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (info.l4Proto != IPPROTO_TCP || !startsWith(p, p + len, GREETING)) return R_NO;
  setDetected(rec, PROTO_MUNIN, 0);
  const nameLen = len - <usize>GREETING.length;
  if (nameLen <= 1 || load<u8>(p + len - 1) != 0x0a) {
    setRisk(rec, RISK_MALFORMED_PACKET);
    return R_DONE;
  }
  const n = min(nameLen - 1, MAX_HOST_LEN);
  metaSetString(rec, META_STR_HOST, hostBuf, copyLower(hostBuf, p + <usize>GREETING.length, n));
  return R_DONE;
}
