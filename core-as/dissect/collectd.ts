// collectd's network plugin, the binary protocol (collectd wiki "Binary protocol"), UDP 25826.
// A packet is a run of parts: a 2-byte type, a 2-byte length counting the 4-byte part header,
// then the value; the types are host (0x0000), time (1, 0x0008 high resolution), plugin (2),
// plugin instance (3), type (4), type instance (5), values (6), interval (7, 0x0009), message
// (0x0100), severity (0x0101), signature (0x0200) and encrypted data (0x0210). As nDPI, the
// first payload is collectd when its first parts (up to five) include three valid ones, or when
// it is one encrypted part (the whole payload: length, then a user name that leaves room for
// the 16-byte IV). The host part's value (a NUL-terminated string) is the flow's host name.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { copyLower } from "../util/ascii";
import { setDetected } from "../classify/classify";
import { PROTO_COLLECTD } from "../classify/generated/protocols";
import { IPPROTO_UDP } from "../wire/transport";
import { META_STR_HOST, metaSetString } from "./meta";

const PART_HEADER_LEN: usize = 4;
const PART_LENGTH: usize = 2;
const TYPE_HOST: u32 = 0x0000;
const TYPE_ENCRYPTED: u32 = 0x0210;
const MIN_PARTS: u32 = 3;
const MAX_PARTS: u32 = 5;
/** Encrypted part: header, user-name length (2) and at least the IV after the name. */
const ENCRYPTED_MIN_LEN: usize = 6;
const ENCRYPTED_USER_LEN: usize = 4;
const ENCRYPTED_IV_LEN: usize = 16;
const MAX_HOST_LEN: usize = 255;

const hostBuf: usize = memory.data(<i32>MAX_HOST_LEN);

export function detectCollectd(rec: usize): bool {
  if (info.l4Proto != IPPROTO_UDP) return false;
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  let at: usize = 0;
  let parts: u32 = 0;
  let host: usize = 0;
  let hostLen: usize = 0;
  for (; parts < MAX_PARTS; parts++) {
    if (at + PART_HEADER_LEN > len) break;
    const partLen = <usize>be16(p + at + PART_LENGTH);
    if (partLen == 0 || partLen > len - at) break;
    const type = be16(p + at);
    if (!isPartType(type)) break;
    if (type == TYPE_ENCRYPTED) return isEncryptedPacket(rec, p, at, partLen, len);
    if (type == TYPE_HOST && partLen > PART_HEADER_LEN) {
      host = p + at + PART_HEADER_LEN;
      hostLen = partLen - PART_HEADER_LEN;
    }
    at += partLen;
  }
  if (parts < MIN_PARTS) return false;
  setDetected(rec, PROTO_COLLECTD, 0);
  if (hostLen != 0) storeHost(rec, host, hostLen);
  return true;
}

function isPartType(type: u32): bool {
  return type <= 0x0009 || type == 0x0100 || type == 0x0101 || type == 0x0200 || type == TYPE_ENCRYPTED;
}

/** The encrypted part must be the whole payload, and its user name must fit before the IV. */
function isEncryptedPacket(rec: usize, p: usize, at: usize, partLen: usize, len: usize): bool {
  if (at != 0 || partLen != len || len < ENCRYPTED_MIN_LEN + ENCRYPTED_IV_LEN) return false;
  if (<usize>be16(p + ENCRYPTED_USER_LEN) > len - ENCRYPTED_MIN_LEN - ENCRYPTED_IV_LEN) return false;
  setDetected(rec, PROTO_COLLECTD, 0);
  return true;
}

/** The string up to its NUL, in lower case as nDPI keeps host names. */
function storeHost(rec: usize, value: usize, len: usize): void {
  let n: usize = 0;
  while (n < len && n < MAX_HOST_LEN && load<u8>(value + n) != 0) n++;
  if (n == 0) return;
  metaSetString(rec, META_STR_HOST, hostBuf, copyLower(hostBuf, value, n));
}
