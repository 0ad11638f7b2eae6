// Nintendo Switch online play (Pia, UDP peer-to-peer and relay): datagrams start with the Pia
// signature 32 AB 98 64 followed by version 0x02; nDPI decides on a datagram longer than 48
// bytes that starts so.
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_NINTENDO } from "../classify/generated/protocols";

const PIA_SIGNATURE: u32 = 0x32ab9864;
const PIA_VERSION: usize = 4;
const PIA_VERSION_VALUE: u8 = 0x02;
const PIA_MIN_LEN: u32 = 49;

export function detectNintendo(rec: usize): bool {
  const p = info.payloadPtr;
  if (info.payloadLen < PIA_MIN_LEN || be32(p) != PIA_SIGNATURE || load<u8>(p + PIA_VERSION) != PIA_VERSION_VALUE) return false;
  setDetected(rec, PROTO_NINTENDO, 0);
  return true;
}
