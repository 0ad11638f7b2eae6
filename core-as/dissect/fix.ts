// FIX, the Financial Information eXchange protocol (FIX Trading Community, FIX 4.x and FIXT 1.1
// session layer) over TCP. Every message is a list of tag=value fields separated by SOH (0x01)
// and starts with BeginString (tag 8): "8=FIX.4.4", "8=FIXT.1.1"... The abbreviated form
// "8=O" SOH "9=" (BeginString then BodyLength, tag 9) is seen on some venues and nDPI knows it
// too. One segment decides.
import * as info from "../decode/packet_info";
import { startsWith } from "../util/ascii";
import { setDetected } from "../classify/classify";
import { PROTO_FIX } from "../classify/generated/protocols";

/** "8=" + "FIX" + version separator: '.' (FIX.4.x) or 'T' (FIXT.1.1). */
const FIX_BEGIN = "8=FIX";
const FIX_SEPARATOR_AT: usize = 5;
const FIX_SHORT_BEGIN = "8=O\u00019=";

export function detectFix(rec: usize): bool {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (end - p < 6) return false;
  let ok = startsWith(p, end, FIX_SHORT_BEGIN);
  if (!ok && startsWith(p, end, FIX_BEGIN)) {
    const sep = load<u8>(p + FIX_SEPARATOR_AT);
    ok = sep == 0x2e /* . */ || sep == 0x54 /* T */;
  }
  if (!ok) return false;
  setDetected(rec, PROTO_FIX, 0);
  return true;
}
