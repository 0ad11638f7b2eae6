// AliCloud's device/server protocol as nDPI names it from the first payload (alicloud.pcap,
// TCP 8999 towards Alibaba's addresses): every message starts with an 8-byte header, the magic
// 0xBABEFACE then the length of the body that follows, both 32-bit little-endian (the client's
// 8-byte header announces 0x80 and the next segment carries those 128 bytes; the server's
// 56-byte segment is a header for 0x30 bytes and its body). The body may continue in later
// segments but never ends before the header says.
import * as info from "../decode/packet_info";
import { le32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_ALICLOUD } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

const ALICLOUD_MAGIC: u32 = 0xbabeface;
const BODY_LEN: usize = 4;
const HEADER_LEN: u32 = 8;

export function dissectAlicloud(rec: usize, fromClient: bool): i32 {
  const len = info.payloadLen;
  const p = info.payloadPtr;
  if (len < HEADER_LEN || load<u32>(p) != ALICLOUD_MAGIC) return R_NO;
  if (le32(p + BODY_LEN) < len - HEADER_LEN) return R_NO;
  setDetected(rec, PROTO_ALICLOUD, 0);
  return R_DONE;
}
