// Zabbix agent/server protocol (TCP 10050 agent, 10051 server/proxy). Every message starts with
// the header "ZBXD", a flags byte (0x01 Zabbix protocol, 0x02 compressed, 0x04 large packet),
// then the data length and a reserved/uncompressed length, little-endian, 4 bytes each (8 each
// with the large flag). One packet decides: no state.
import * as info from "../decode/packet_info";
import { le32 } from "../util/bytes";
import { startsWith } from "../util/ascii";
import { setDetected } from "../classify/classify";
import { PROTO_ZABBIX } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

const ZBX_FLAGS: usize = 4;
const ZBX_DATA_LEN: usize = 5;
const ZBX_HEADER_LEN: usize = 13;
const ZBX_FLAG_PROTOCOL: u32 = 0x01;
const ZBX_FLAGS_KNOWN: u32 = 0x07;
const ZBX_FLAG_LARGE: u32 = 0x04;

export function dissectZabbix(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (end - p < ZBX_HEADER_LEN || !startsWith(p, end, "ZBXD")) return R_NO;
  const flags = <u32>load<u8>(p + ZBX_FLAGS);
  if ((flags & ZBX_FLAG_PROTOCOL) == 0 || (flags & ~ZBX_FLAGS_KNOWN) != 0) return R_NO;
  // The data may continue in later segments, but never ends before the header says.
  if ((flags & ZBX_FLAG_LARGE) == 0 && <usize>le32(p + ZBX_DATA_LEN) < end - p - ZBX_HEADER_LEN) return R_NO;
  setDetected(rec, PROTO_ZABBIX, 0);
  return R_DONE;
}
