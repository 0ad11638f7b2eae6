// Ethereum's peer-to-peer network (devp2p): nDPI's ETHEREUM.
// TCP: an RLPx connection opens with the EIP-8 auth message (the answer, ack, has the same
// form): a 2-byte size equal to the rest of the segment, then an ECIES message starting with
// an uncompressed public key (0x04). UDP: a Node Discovery v4 packet: a known packet type
// after hash and signature, and packet data that is exactly one RLP list.
//
// The first payload packet decides. No per-flow state.
import * as info from "../decode/packet_info";
import { IPPROTO_TCP } from "../wire/transport";
import { be16 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_ETHEREUM } from "../classify/generated/protocols";
import {
  DISCV4_DATA, DISCV4_FIRST_TYPE, DISCV4_LAST_TYPE, DISCV4_MAX_PACKET, DISCV4_TYPE, ECIES_OVERHEAD,
  ECIES_POINT_TAG, RLP_LIST_LONG, RLP_LIST_SHORT, RLPX_SIZE_LEN,
} from "../wire/ethereum";
import { R_DONE, R_NO } from "./result";

export function dissectEthereum(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  const found = info.l4Proto == IPPROTO_TCP ? isRlpxHandshake(p, len) : isDiscv4(p, len);
  if (!found) return R_NO;
  setDetected(rec, PROTO_ETHEREUM, 0);
  return R_DONE;
}

/** EIP-8 auth/ack: size prefix matching the segment, room for ECIES, an uncompressed point. */
function isRlpxHandshake(p: usize, len: usize): bool {
  if (len < RLPX_SIZE_LEN + ECIES_OVERHEAD + 1) return false;
  return <usize>be16(p) == len - RLPX_SIZE_LEN && <u32>load<u8>(p + RLPX_SIZE_LEN) == ECIES_POINT_TAG;
}

/** discv4: type 1-6, then one RLP list that ends where the datagram ends. */
function isDiscv4(p: usize, len: usize): bool {
  if (len <= DISCV4_DATA || len > DISCV4_MAX_PACKET) return false;
  const type = <u32>load<u8>(p + DISCV4_TYPE);
  if (type < DISCV4_FIRST_TYPE || type > DISCV4_LAST_TYPE) return false;
  const prefix = <u32>load<u8>(p + DISCV4_DATA);
  if (prefix < RLP_LIST_SHORT) return false;
  const rest = len - DISCV4_DATA - 1;
  if (prefix <= RLP_LIST_LONG) return <usize>(prefix - RLP_LIST_SHORT) == rest;
  // Long form: 1-8 length bytes; a packet of at most 1280 bytes needs no more than 2.
  const lengthBytes = <usize>(prefix - RLP_LIST_LONG);
  if (lengthBytes > 2 || lengthBytes > rest) return false;
  let payload: usize = 0;
  for (let i: usize = 0; i < lengthBytes; i++) payload = (payload << 8) | <usize>load<u8>(p + DISCV4_DATA + 1 + i);
  // Canonical RLP: the long form is used for payloads over 55 bytes only, without leading zeros.
  if (payload <= 55 || load<u8>(p + DISCV4_DATA + 1) == 0) return false;
  return payload == rest - lengthBytes;
}
