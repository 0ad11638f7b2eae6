// MPEG transport streams carried directly in UDP datagrams (ISO/IEC 13818-1 §2.4.3.2; SMPTE 2022
// without RTP; IPTV multicast usually puts 7 packets in a datagram): a datagram made of whole
// 188-byte transport packets, each starting with the sync byte 0x47, decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_MPEGTS } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const TS_PACKET_LEN: usize = 188;
const SYNC_BYTE: u8 = 0x47;

export function dissectMpegts(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len == 0 || len % TS_PACKET_LEN != 0) return R_NO;
  for (let at: usize = 0; at < len; at += TS_PACKET_LEN) {
    if (load<u8>(p + at) != SYNC_BYTE) return R_NO;
  }
  setDetected(rec, PROTO_MPEGTS, 0);
  return R_DONE;
}
