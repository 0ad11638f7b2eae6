// CAN (Controller Area Network, ISO 11898) frames carried over TCP or UDP. The encapsulation
// nDPI recognises starts with the 8 ASCII bytes "ISO11898", then a version byte (1) and a frame
// count. Another version is still CAN, with the malformed-packet risk. One payload decides.
import * as info from "../decode/packet_info";
import { startsWith } from "../util/ascii";
import { setDetected, setRisk } from "../classify/classify";
import { PROTO_CAN } from "../classify/generated/protocols";
import { RISK_MALFORMED_PACKET } from "../classify/generated/risks";

const CAN_SIGNATURE = "ISO11898";
const CAN_VERSION: usize = 8;
const CAN_HEADER_LEN: u32 = 10;
const CAN_KNOWN_VERSION: u8 = 1;

export function detectCan(rec: usize): bool {
  const p = info.payloadPtr;
  if (info.payloadLen < CAN_HEADER_LEN || !startsWith(p, p + <usize>info.payloadLen, CAN_SIGNATURE)) return false;
  setDetected(rec, PROTO_CAN, 0);
  if (load<u8>(p + CAN_VERSION) != CAN_KNOWN_VERSION) setRisk(rec, RISK_MALFORMED_PACKET);
  return true;
}
