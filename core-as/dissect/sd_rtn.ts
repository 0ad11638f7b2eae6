// Agora SD-RTN (Software Defined Real-Time Network), the UDP transport of Agora's real-time
// SDKs. Proprietary; the layout below is what the client's first datagram carries (agora
// SD-RTN capture, and nDPI's SD-RTN dissector checks the same bytes):
//    0  1  flags (0 during the handshake)
//    1  4  sender connection id
//    6  1  message type: 0x21 = handshake request carrying the edge server's name
//    8  4  peer connection id (zero in the request)
//   12  1  number of tags
//   13  ..  tags: 4-byte name, 2-byte little-endian length, value; the first is "SNI\0"
// The SNI value names the edge server (e.g. 23-248-186-179.edge.agora.io): nDPI reports it as
// the flow's host name. One datagram decides.
import * as info from "../decode/packet_info";
import { le16 } from "../util/bytes";
import { copyLower } from "../util/ascii";
import { setDetected } from "../classify/classify";
import { PROTO_SD_RTN } from "../classify/generated/protocols";
import { META_STR_HOST, metaSetString } from "./meta";

const SDRTN_TYPE: usize = 6;
const SDRTN_FIRST_TAG: usize = 13;
const SDRTN_SNI_LEN: usize = 17;
const SDRTN_SNI_VALUE: usize = 19;
const SDRTN_MIN_LEN: u32 = 20;
const SDRTN_HANDSHAKE_REQUEST: u8 = 0x21;
/** "SNI\0" read as a little-endian u32. */
const TAG_SNI: u32 = 0x00494e53;
const MAX_HOST_LEN: usize = 255;

const hostBuf: usize = memory.data(256);

/** The client's handshake request with its "SNI" tag: SD-RTN, and the edge server's name. */
export function detectSdRtn(rec: usize): bool {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < <usize>SDRTN_MIN_LEN || load<u8>(p + SDRTN_TYPE) != SDRTN_HANDSHAKE_REQUEST) return false;
  if (load<u32>(p + SDRTN_FIRST_TAG) != TAG_SNI) return false;
  const sniLen = <usize>le16(p + SDRTN_SNI_LEN);
  if (SDRTN_SNI_VALUE + sniLen > len) return false;
  setDetected(rec, PROTO_SD_RTN, 0);
  const n = min(sniLen, MAX_HOST_LEN);
  if (n > 0) metaSetString(rec, META_STR_HOST, hostBuf, copyLower(hostBuf, p + SDRTN_SNI_VALUE, n));
  return true;
}
