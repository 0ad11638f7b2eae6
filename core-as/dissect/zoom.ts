// Zoom's media traffic over UDP (no public specification; the layouts follow the Princeton
// "zoom-analysis" study and nDPI). Two shapes decide on the flow's first payload:
// - through Zoom's servers (the SFU, UDP 8801-8810): an 8-byte "SFU encapsulation" header
//   whose type is 1 (usually the client's first packet) or 2 (the server's), then 0x00 and
//   0x02 or 0x03;
// - peer to peer: a "media encapsulation" of type 0x1F 0x02 0x01 carrying, after a 24-byte
//   header, two length-value attributes (4-byte big-endian lengths: the peer's address as text,
//   then a UUID) and 4 zero bytes, which is the whole datagram (zoom_p2p.pcapng).
// Flows to Zoom's servers are also known by address (nDPI's IP list).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_ZOOM } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const SFU_FIRST_PORT: u32 = 8801;
const SFU_LAST_PORT: u32 = 8810;
const SFU_HEADER_LEN: usize = 8;
const SFU_CLIENT: u32 = 0x01;
const SFU_SERVER: u32 = 0x02;

const P2P_MIN_LEN: usize = 37;
const P2P_TYPE: u32 = 0x1f0201;
const P2P_HEADER_LEN: usize = 24;
const P2P_LENGTH_SIZE: usize = 4;
const P2P_TRAILER_LEN: usize = 4;

export function dissectZoom(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const sfuPort = isSfuPort(info.srcPort) || isSfuPort(info.dstPort);
  if (sfuPort && len > SFU_HEADER_LEN ? !isSfuOpening(p) : !isP2pOpening(p, len)) return R_NO;
  setDetected(rec, PROTO_ZOOM, 0);
  return R_DONE;
}

@inline function isSfuPort(port: u32): bool {
  return port >= SFU_FIRST_PORT && port <= SFU_LAST_PORT;
}

/** SFU types 1 and 2: type, 0x00, then 0x02 or 0x03. */
function isSfuOpening(p: usize): bool {
  const type = <u32>load<u8>(p);
  const third = <u32>load<u8>(p + 2);
  return (type == SFU_CLIENT || type == SFU_SERVER) && load<u8>(p + 1) == 0 && (third == 0x02 || third == 0x03);
}

/** Header, address and UUID attributes and the zero trailer filling the datagram exactly. */
function isP2pOpening(p: usize, len: usize): bool {
  if (len < P2P_MIN_LEN || (be32(p) >> 8) != P2P_TYPE || load<u32>(p + len - P2P_TRAILER_LEN) != 0) return false;
  const addressLen = <usize>be32(p + P2P_HEADER_LEN);
  // Each step is checked against the datagram before it is added, so nothing overflows.
  const rest = len - P2P_HEADER_LEN - P2P_LENGTH_SIZE;
  if (addressLen > rest || rest - addressLen < P2P_LENGTH_SIZE + P2P_TRAILER_LEN) return false;
  const uuidLen = <usize>be32(p + P2P_HEADER_LEN + P2P_LENGTH_SIZE + addressLen);
  return uuidLen == rest - addressLen - P2P_LENGTH_SIZE - P2P_TRAILER_LEN;
}
