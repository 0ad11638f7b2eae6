// FLUTE, file delivery over unidirectional transport (RFC 6726), on ALC / LCT (RFC 5775, RFC
// 5651) over UDP multicast. The LCT header (RFC 5651 §5.1) starts with V (4 bits, 1), C, PSI,
// S, O, H, A, B flags, HDR_LEN (32-bit words, the whole LCT header) and the codepoint; then the
// congestion control information, TSI and TOI (sizes from C, S, O, H) and header extensions
// (HET, then HEL words for HET < 128, or 3 bytes of content for HET >= 128). FLUTE announces its
// files in the FDT, whose packets carry the EXT_FDT extension (HET 192, RFC 6726 §3.4.1). An LCT
// v1 header that fits the datagram and holds an EXT_FDT decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_FLUTE } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const LCT_VERSION: u32 = 1;
const HDR_LEN: usize = 2;
const FIXED_LEN: usize = 4;
const EXT_FDT: u32 = 192;
const MAX_EXTENSIONS: u32 = 16;

export function dissectFlute(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_UDP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < FIXED_LEN) return R_NO;
  const first = <u32>load<u8>(p);
  const second = <u32>load<u8>(p + 1);
  if ((first >> 4) != LCT_VERSION) return R_NO;
  const header = <usize>load<u8>(p + HDR_LEN) << 2;
  if (header < FIXED_LEN || header > len) return R_NO;
  // C (2 bits): CCI of 32 * (C + 1) bits; S (1), O (2), H (1): TSI of 32*S + 16*H bits, TOI of 32*O + 16*H bits.
  const c = <usize>((first >> 2) & 0x03);
  const s = <usize>((second >> 7) & 0x01);
  const o = <usize>((second >> 5) & 0x03);
  const h = <usize>((second >> 4) & 0x01);
  let at = FIXED_LEN + 4 * (c + 1) + 4 * s + 2 * h + 4 * o + 2 * h;
  for (let n: u32 = 0; n < MAX_EXTENSIONS && at + 4 <= header; n++) {
    const het = <u32>load<u8>(p + at);
    if (het == EXT_FDT) {
      setDetected(rec, PROTO_FLUTE, 0);
      return R_DONE;
    }
    const words: usize = het >= 128 ? <usize>1 : <usize>load<u8>(p + at + 1);
    if (words == 0) return R_NO;
    at += words << 2;
  }
  return R_NO;
}
