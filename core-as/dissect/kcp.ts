// KCP, the "fast and reliable ARQ protocol" (github.com/skywind3000/kcp, ikcp.c), over UDP or
// TCP. A segment is a 24-byte little-endian header then the data:
//    0  4 conv   4  1 cmd   5  1 frg   6  2 wnd   8  4 ts   12  4 sn   16  4 una   20  4 len
// cmd is IKCP_CMD_PUSH (81), ACK (82), WASK (83) or WINS (84). nDPI decides on one payload that
// is exactly one segment (header + len bytes).
import * as info from "../decode/packet_info";
import { le32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_KCP } from "../classify/generated/protocols";

const KCP_CMD: usize = 4;
const KCP_LEN: usize = 20;
const KCP_HEADER_LEN: u32 = 24;
const KCP_CMD_PUSH: u32 = 81;
const KCP_CMD_WINS: u32 = 84;

export function detectKcp(rec: usize): bool {
  const p = info.payloadPtr;
  const len = info.payloadLen;
  if (len < KCP_HEADER_LEN) return false;
  const cmd = <u32>load<u8>(p + KCP_CMD);
  if (cmd < KCP_CMD_PUSH || cmd > KCP_CMD_WINS) return false;
  if (<u64>le32(p + KCP_LEN) + <u64>KCP_HEADER_LEN != <u64>len) return false;
  setDetected(rec, PROTO_KCP, 0);
  return true;
}
