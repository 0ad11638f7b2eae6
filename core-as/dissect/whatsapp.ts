// WhatsApp's chat connections over TCP (5222, 443) as nDPI names them from the first payload
// (whatsapp.pcap, whatsapp_voice_and_message.pcap, wa_voice.pcap): the client opens with a
// 4-byte prologue before its Noise handshake, either
//  - "ED" 0x00 0x01: the edge-routing prologue (whatsapp.pcap sends it alone, wa_voice.pcap
//    with the routing data behind it), or
//  - "WA" and two version bytes, major then minor (0x01 0x05 in the captures).
// Both go unnoticed by the other dissectors and by the server address (Facebook's list).
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_WHATSAPP } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

const PROLOGUE_LEN: u32 = 4;
const EDGE_PROLOGUE: u32 = 0x45440001; // "ED" 0x00 0x01
const NOISE_MAGIC: u32 = 0x5741; // "WA"
const WA_MAJOR_MAX: u32 = 9;

export function dissectWhatsapp(rec: usize, fromClient: bool): i32 {
  if (!fromClient || info.payloadLen < PROLOGUE_LEN) return R_NO;
  const p = info.payloadPtr;
  const word = bswap<u32>(load<u32>(p));
  const isEdge = word == EDGE_PROLOGUE;
  const major = (word >> 8) & 0xff;
  const isNoise = (word >>> 16) == NOISE_MAGIC && major >= 1 && major <= WA_MAJOR_MAX;
  if (!isEdge && !isNoise) return R_NO;
  setDetected(rec, PROTO_WHATSAPP, 0);
  return R_DONE;
}
