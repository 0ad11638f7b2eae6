// i3D.net's game-server hosting (dedicated servers of many games, UDP). No public
// specification: nDPI recognises two openings by fixed words, big-endian. A 74-byte or longer
// datagram that starts 0x0001 0x0046 or 0x0002 0x0046 with 0x0003CFA8 at offset 4 (the shape of
// an RTP/Discord IP-discovery request or answer, type and length 70, but from i3D's SSRC), or one
// that starts 0x9078 / 0x9067 with 0x0003CFA9 at offset 8 and the RTP header extension 0xBEDE0003
// at offset 12. The flow's first payload decides (i3d.pcap).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be16, be32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_I3D } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const MIN_LEN: usize = 74;
const DISCOVERY_REQUEST: u32 = 0x00010046;
const DISCOVERY_ANSWER: u32 = 0x00020046;
const DISCOVERY_SSRC: usize = 4;
const DISCOVERY_SSRC_VALUE: u32 = 0x0003cfa8;
const MEDIA_SSRC: usize = 8;
const MEDIA_SSRC_VALUE: u32 = 0x0003cfa9;
const MEDIA_EXTENSION: usize = 12;
const MEDIA_EXTENSION_VALUE: u32 = 0xbede0003;

export function dissectI3d(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP || <usize>info.payloadLen < MIN_LEN) return R_NO;
  const p = info.payloadPtr;
  const first = be32(p);
  const discovery = (first == DISCOVERY_REQUEST || first == DISCOVERY_ANSWER) && be32(p + DISCOVERY_SSRC) == DISCOVERY_SSRC_VALUE;
  const head = be16(p);
  const media = (head == 0x9078 || head == 0x9067) && be32(p + MEDIA_SSRC) == MEDIA_SSRC_VALUE &&
    be32(p + MEDIA_EXTENSION) == MEDIA_EXTENSION_VALUE;
  if (!discovery && !media) return R_NO;
  setDetected(rec, PROTO_I3D, 0);
  return R_DONE;
}
