// KakaoTalk's voice calls (UDP). No public specification: nDPI names a flow KakaoTalk_Voice when
// its first datagram goes to or comes from Kakao's call servers, KINX's 1.201.0.0/16 (RIPE/APNIC
// netname KINXINC-KR), and looks like the RTCP report that opens a call: 0x81 first (version 2,
// one report block), or packet type 0xC8 (SR), or a zero third byte, or 0x0C fourth (any one
// of them, as nDPI tests them). The call's RTP flows to the same servers start otherwise
// (0x80) and stay RTP (KakaoTalk_talk.pcap).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { FLOW_CLI_ADDR, FLOW_SRV_ADDR } from "../flow/record";
import { setDetected } from "../classify/classify";
import { PROTO_KAKAOTALK_VOICE } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const MIN_LEN: usize = 4;
/** 1.201.0.0/16: the first two address bytes. */
const KINX_FIRST: u32 = 1;
const KINX_SECOND: u32 = 201;

export function dissectKakaotalkVoice(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP || info.ipVersion != 4 || <usize>info.payloadLen < MIN_LEN) return R_NO;
  const p = info.payloadPtr;
  const opensLikeReport = load<u8>(p) == 0x81 || load<u8>(p + 1) == 0xc8 || load<u8>(p + 2) == 0x00 || load<u8>(p + 3) == 0x0c;
  if (!opensLikeReport || (!isKinx(rec + FLOW_CLI_ADDR) && !isKinx(rec + FLOW_SRV_ADDR))) return R_NO;
  setDetected(rec, PROTO_KAKAOTALK_VOICE, 0);
  return R_DONE;
}

@inline function isKinx(addr: usize): bool {
  return <u32>load<u8>(addr) == KINX_FIRST && <u32>load<u8>(addr + 1) == KINX_SECOND;
}
