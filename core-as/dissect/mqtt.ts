// MQTT (OASIS MQTT 3.1.1 §2-3, 5.0 §2-3; 3.1 names the protocol "MQIsdp"). A connection opens
// with CONNECT from the client: fixed header 0x10 (type 1, flags 0), the remaining length as a
// variable byte integer (§2.2.3: up to 4 bytes, 7 bits each), then the protocol name as a
// UTF-8 string ("MQTT", or "MQIsdp" for 3.1) and the protocol level (3, 4 or 5). The server
// answers CONNACK: 0x20, remaining length 2 (3.1.x) or more (5.0). One packet decides: no state.
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { startsWith } from "../util/ascii";
import { setDetected } from "../classify/classify";
import { PROTO_MQTT } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

const CONNECT: u32 = 0x10;
const CONNACK: u32 = 0x20;
const MAX_LENGTH_BYTES: usize = 4;
const LEVEL_3_1: u32 = 3;
const LEVEL_5: u32 = 5;
/** CONNACK variable header: acknowledge flags (only bit 0 defined) and the return/reason code. */
const CONNACK_MIN_REMAINING: usize = 2;

let remaining: usize = 0;

/** Reads the remaining length after the fixed header's first byte; returns where it ends, 0 if malformed. */
function remainingLength(p: usize, end: usize): usize {
  remaining = 0;
  let shift: usize = 0;
  for (let i: usize = 0; i < MAX_LENGTH_BYTES; i++) {
    if (p + i >= end) return 0;
    const b = <usize>load<u8>(p + i);
    remaining |= (b & 0x7f) << shift;
    if ((b & 0x80) == 0) return p + i + 1;
    shift += 7;
  }
  return 0;
}

export function dissectMqtt(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (end - p < 2) return R_NO;
  const type = <u32>load<u8>(p);
  const body = remainingLength(p + 1, end);
  // The packet is whole in the segment: a CONNECT or CONNACK is short.
  if (body == 0 || remaining != end - body) return R_NO;
  if (type == CONNACK) {
    if (remaining < CONNACK_MIN_REMAINING || (load<u8>(body) & 0xfe) != 0) return R_NO;
  } else if (type == CONNECT) {
    if (end - body < 2) return R_NO;
    const nameLen = <usize>be16(body);
    const name = body + 2;
    const isMqtt = nameLen == 4 && startsWith(name, end, "MQTT");
    const isMqisdp = nameLen == 6 && startsWith(name, end, "MQIsdp");
    if ((!isMqtt && !isMqisdp) || end - name <= nameLen) return R_NO;
    const level = <u32>load<u8>(name + nameLen);
    if (level < LEVEL_3_1 || level > LEVEL_5) return R_NO;
  } else {
    return R_NO;
  }
  setDetected(rec, PROTO_MQTT, 0);
  return R_DONE;
}
