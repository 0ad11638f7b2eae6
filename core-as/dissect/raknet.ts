// RakNet (UDP), the game networking library (Minecraft Bedrock, Roblox...). Layouts from the
// protocol description at wiki.vg/Raknet_Protocol; the acceptance rules (lengths, limits, how
// many packets before deciding) are nDPI's, so that the same flows are classified:
// - offline messages carry the 16-byte "offline message" magic 00FFFF00 FEFEFEFE FDFDFDFD
//   12345678 after the id; their length is fixed by the id, and a flow whose payloads all look
//   like RakNet is classified after 3 payloads (6 or 4 or 8 for the ids that prove less);
// - a frame set (0x80-0x8D) or an ACK/NACK (0xC0/0xA0) whose inner lengths add up exactly to
//   the datagram decides at once (frame sets: see payloadsNeeded for the RTP look-alikes);
// - a variant seen with Roblox sends a first datagram of a full MTU (1200 bytes or more) with
//   the magic at offset 1, 9, 17 or 32: such a flow is RakNet when the standard rules give up.
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { FLOW_DPI_PACKETS } from "../flow/record";
import { setDetected } from "../classify/classify";
import { PROTO_RAKNET } from "../classify/generated/protocols";
import { STATE_DATA, tryClaimState } from "./flow_state";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const MAGIC_LEN: usize = 16;
const MAGIC_HI: u64 = 0xfefefefe00ffff00; // bytes 0..7 read little-endian
const MAGIC_LO: u64 = 0x78563412fdfdfdfd; // bytes 8..15
const MAX_PROTOCOL_VERSION: u32 = 10;
const MAX_MTU: u32 = 1500;
const FULL_MTU_LEN: u32 = 1200;
const MIN_LEN: u32 = 7;

// Offline message ids.
const ID_CONNECTED_PING: u32 = 0x00;
const ID_UNCONNECTED_PING: u32 = 0x01;
const ID_UNCONNECTED_PING_OPEN: u32 = 0x02;
const ID_CONNECTED_PONG: u32 = 0x03;
const ID_OPEN_REQUEST_1: u32 = 0x05;
const ID_OPEN_REPLY_1: u32 = 0x06;
const ID_OPEN_REQUEST_2: u32 = 0x07;
const ID_OPEN_REPLY_2: u32 = 0x08;
const ID_CONNECTION_REQUEST: u32 = 0x09;
const ID_REQUEST_ACCEPTED: u32 = 0x10;
const ID_NEW_INCOMING: u32 = 0x13;
const ID_DISCONNECT: u32 = 0x15;
const ID_INCOMPATIBLE: u32 = 0x19;
const ID_UNCONNECTED_PONG: u32 = 0x1c;
const ID_FRAME_SET_FIRST: u32 = 0x80;
const ID_FRAME_SET_LAST: u32 = 0x8d;
const FRAME_SET_NEEDS_B_AND_AS: u32 = 0x04;
const ID_NACK: u32 = 0xa0;
const ID_ACK: u32 = 0xc0;
const ID_GAME_PACKET: u32 = 0xfe;

/** What one payload says: not RakNet, RakNet now, or RakNet once the flow has N payloads. */
const NOT_RAKNET: i32 = -1;
const RAKNET_NOW: i32 = 0;

/** State byte: the first payload had the full-MTU variant's shape. */
const STATE_CUSTOM: usize = STATE_DATA;

export function dissectRaknet(rec: usize, fromClient: bool, id: u32): i32 {
  const p = info.payloadPtr;
  const len = info.payloadLen;
  const payloads = <i32>load<u8>(rec + FLOW_DPI_PACKETS);
  const state = tryClaimState(rec, id);
  if (payloads == 1 && state != 0) store<u8>(state + STATE_CUSTOM, isFullMtuVariant(p, len) ? 1 : 0);
  const needed = len < MIN_LEN ? NOT_RAKNET : payloadsNeeded(p, <usize>len);
  if (needed == NOT_RAKNET) {
    if (state == 0 || load<u8>(state + STATE_CUSTOM) == 0) return R_NO;
  } else if (payloads < needed) {
    return R_MAYBE;
  }
  setDetected(rec, PROTO_RAKNET, 0);
  return R_DONE;
}

function hasMagic(p: usize, len: usize, at: usize): bool {
  return at + MAGIC_LEN <= len && load<u64>(p + at) == MAGIC_HI && load<u64>(p + at + 8) == MAGIC_LO;
}

function isFullMtuVariant(p: usize, len: u32): bool {
  if (len < FULL_MTU_LEN) return false;
  const n = <usize>len;
  return hasMagic(p, n, 1) || hasMagic(p, n, 9) || hasMagic(p, n, 17) || hasMagic(p, n, 32);
}

/** Address field: version byte 4 or 6, then 4 or 16 address bytes (0 = no address here). */
function addressLen(p: usize, len: usize, at: usize): usize {
  if (at + 1 >= len) return 0;
  const version = load<u8>(p + at);
  return version == 4 ? 4 : version == 6 ? 16 : 0;
}

function payloadsNeeded(p: usize, len: usize): i32 {
  const msg = <u32>load<u8>(p);
  if (msg >= ID_FRAME_SET_FIRST && msg <= ID_FRAME_SET_LAST) {
    if (!frameSetFits(p, len)) return NOT_RAKNET;
    // 0x80-0x8D is also the first byte of an RTP packet (version 2, 0-13 CSRCs), and a 44-byte
    // RTP packet can pass the frame walk (false_positives capture, where nDPI says RTP): only
    // frame sets with the "needs B and AS" bit (0x04), RakNet's usual 0x84 and 0x8C, decide at
    // once; the others wait like the offline messages, which lets the RTP dissector decide first.
    // A single datagram whose first frame is reliable (e.g. 0x60, reliable ordered) stays
    // Unknown for nDPI (raknet capture): those wait too.
    return (msg & FRAME_SET_NEEDS_B_AND_AS) != 0 && (load<u8>(p + 4) >> 5) == 0 ? RAKNET_NOW : 3;
  }
  switch (msg) {
    case ID_CONNECTED_PING: return len == 8 ? 6 : NOT_RAKNET;
    case ID_UNCONNECTED_PING:
    case ID_UNCONNECTED_PING_OPEN: return len == 32 ? 6 : NOT_RAKNET;
    case ID_CONNECTED_PONG: return len == 16 ? 6 : NOT_RAKNET;
    case ID_CONNECTION_REQUEST: return len == 16 ? 6 : NOT_RAKNET;
    case ID_OPEN_REQUEST_1:
      // id, magic, protocol version at 17, then padding up to the MTU being probed.
      return len >= 18 && <u32>load<u8>(p + 17) <= MAX_PROTOCOL_VERSION ? 6 : NOT_RAKNET;
    case ID_OPEN_REPLY_1:
      // id, magic, server GUID (8) at 17, use-security flag at 25, MTU at 26.
      return len == 28 && load<u8>(p + 25) <= 1 && be16(p + 26) <= MAX_MTU ? 4 : NOT_RAKNET;
    case ID_OPEN_REQUEST_2: {
      // id, magic, server address at 17 (version, address, port), MTU, client GUID.
      const addr = addressLen(p, len, 17);
      if (!((addr == 4 && len == 34) || (addr == 16 && len == 46))) return NOT_RAKNET;
      return be16(p + 20 + addr) <= MAX_MTU ? 3 : NOT_RAKNET;
    }
    case ID_OPEN_REPLY_2: {
      // id, magic, server GUID, client address at 25, MTU, encryption flag.
      const addr = addressLen(p, len, 25);
      if (!((addr == 4 && len == 35) || (addr == 16 && len == 47))) return NOT_RAKNET;
      return be16(p + 28 + addr) <= MAX_MTU ? 3 : NOT_RAKNET;
    }
    case ID_REQUEST_ACCEPTED:
    case ID_NEW_INCOMING: return systemAddressesFit(p, len, msg == ID_REQUEST_ACCEPTED) ? 3 : NOT_RAKNET;
    case ID_DISCONNECT: return 8;
    case ID_INCOMPATIBLE: return len == 25 && <u32>load<u8>(p + 17) <= MAX_PROTOCOL_VERSION ? 3 : NOT_RAKNET;
    case ID_UNCONNECTED_PONG: {
      // id, time (8), server GUID (8), magic, then the server's MOTD as a 16-bit length + text.
      if (len < 35) return NOT_RAKNET;
      const motd = <usize>be16(p + 33);
      return motd != 0 && motd + 35 == len ? 3 : NOT_RAKNET;
    }
    case ID_NACK:
    case ID_ACK: return ackRecordsFit(p, len) ? RAKNET_NOW : NOT_RAKNET;
    case ID_GAME_PACKET: return 8;
  }
  return NOT_RAKNET;
}

/**
 * Connection Request Accepted / New Incoming Connection: the id, 3 bytes, an address-shaped
 * prefix (and a 2-byte system index for the former), ten system addresses of 3 bytes plus an
 * address each, and two 8-byte times: nDPI accepts the message when that adds up to its length.
 */
function systemAddressesFit(p: usize, len: usize, withIndex: bool): bool {
  let at: usize = 4 + addressLen(p, len, 0);
  if (withIndex) at += 2;
  for (let i = 0; i < 10; i++) at += 3 + addressLen(p, len, at);
  return at + 16 == len;
}

/**
 * A frame set: the id, a 3-byte sequence number, then frames: flags (reliability in the top 3
 * bits, 0x10 = fragmented, low nibble zero), a 16-bit length in bits, the reliable / sequenced
 * / ordered indexes the reliability calls for, fragment fields, and the body. The frames must
 * end exactly at the end of the datagram.
 */
function frameSetFits(p: usize, len: usize): bool {
  let at: usize = 4;
  do {
    const flags = <u32>load<u8>(p + at);
    if ((flags & 0x0f) != 0) return false;
    const bodyLen = <usize>(be16(p + at + 1) >> 3);
    if (bodyLen == 0) return false;
    const reliability = flags >> 5;
    if (reliability >= 2 && reliability <= 4) at += 3; // reliable: message index
    if (reliability == 1 || reliability == 4) at += 3; // sequenced: sequence index
    if (reliability == 3 || reliability == 7) at += 4; // ordered: order index and channel
    if ((flags & 0x10) != 0) at += 10; // fragment count, id and index
    at += bodyLen + 3;
  } while (at + 3 <= len);
  return at == len;
}

/** ACK / NACK: a 16-bit record count, then per record a range (0, two 3-byte numbers) or one number (1). */
function ackRecordsFit(p: usize, len: usize): bool {
  const count = be16(p + 1);
  let at: usize = 3;
  let seen: u32 = 0;
  do {
    const kind = load<u8>(p + at);
    if (kind == 0) at += 7;
    else if (kind == 1) at += 4;
    else return false;
    seen++;
  } while (seen < count && at + 4 <= len);
  return seen == count && at == len;
}
