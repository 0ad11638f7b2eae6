// DRDA, IBM's Distributed Relational Database Architecture (DB2; Open Group DRDA V5, vol. 3 DDM
// §"DSS"), over TCP (446, 50000). Every message is a Data Stream Structure: a 6-byte header,
// length (16 bits, the DSS), the magic 0xD0, format (low nibble: 1 request, 2 reply, 3 object,
// 4 communications, 5 request without reply), correlation id; then DDM objects, each a length
// (16 bits) and a code point. A first DSS whose DDM length is its own length minus the header
// decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_DRDA } from "../classify/generated/protocols";
import { be16 } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const DSS_LENGTH: usize = 0;
const DSS_MAGIC: usize = 2;
const DSS_FORMAT: usize = 3;
const DSS_HEADER_LEN: usize = 6;
const DDM_LENGTH: usize = 6;
const DDM_HEADER_LEN: usize = 4;
const MAGIC: u8 = 0xd0;

export function dissectDrda(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < DSS_HEADER_LEN + DDM_HEADER_LEN || load<u8>(p + DSS_MAGIC) != MAGIC) return R_NO;
  const type = <u32>load<u8>(p + DSS_FORMAT) & 0x0f;
  const dss = <usize>be16(p + DSS_LENGTH);
  if (type < 1 || type > 5 || dss < DSS_HEADER_LEN + DDM_HEADER_LEN || dss > len) return R_NO;
  if (<usize>be16(p + DDM_LENGTH) != dss - DSS_HEADER_LEN) return R_NO;
  setDetected(rec, PROTO_DRDA, 0);
  return R_DONE;
}
