// RTPS, the Real-Time Publish-Subscribe wire protocol of DDS (OMG DDSI-RTPS 2.5 §9.4.4). Every
// message starts with the header: the four letters "RTPS", the protocol version (major 2;
// major 1 for pre-standard implementations), the vendor id and a 12-byte GUID prefix. RTI's
// ping datagrams carry the first 8 bytes then "NDDSPING", so 16 bytes are enough.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_RTPS } from "../classify/generated/protocols";
import { startsWith } from "../util/ascii";
import { R_DONE, R_NO } from "./result";

const MAGIC = "RTPS";
const VERSION_MAJOR: usize = 4;
const MIN_LEN: usize = 16;

export function dissectRtps(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < MIN_LEN || !startsWith(p, p + len, MAGIC)) return R_NO;
  const major = load<u8>(p + VERSION_MAJOR);
  if (major != 1 && major != 2) return R_NO;
  setDetected(rec, PROTO_RTPS, 0);
  return R_DONE;
}
