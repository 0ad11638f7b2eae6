// SOAP (W3C SOAP 1.1/1.2) outside what the HTTP dissector reads: a flow whose first payloads
// carry a "SOAPAction" header line (SOAP 1.1 over HTTP, §6.1.1), or whose payload starts with
// an XML declaration '<?xml version="1.0"' and that is still unnamed at its fourth payload
// (soap.pcap: an HTTP request picked up mid-stream, and ZMessage XML on port 80). As nDPI, the
// header lines of each payload are read up to the first empty one.
//
// State (in the group area (group.ts) of `groupId`, SOAP_STATE_SIZE bytes at `slotOffset`): a
// flag set by the XML declaration.
import * as info from "../decode/packet_info";
import { startsWith } from "../util/ascii";
import { setDetected } from "../classify/classify";
import { PROTO_SOAP } from "../classify/generated/protocols";
import { IPPROTO_TCP } from "../wire/transport";
import { claimGroupState, heldGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const XML_DECLARATION = "<?xml version=\"1.0\"";
const SOAP_ACTION = "SOAPAction";
/** nDPI parses at most 64 lines of a payload. */
const MAX_LINES: u32 = 64;
const LAST_PAYLOAD: u32 = 4;

const SAW_XML: usize = 0;
export const SOAP_STATE_SIZE: usize = 1;

export function dissectSoap(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  const index = payloadPacketIndex(rec);
  if (index > LAST_PAYLOAD) return R_NO;
  if (hasSoapActionLine(p, end)) return detected(rec);
  if (index == LAST_PAYLOAD) return sawXml(rec, groupId, slotOffset) ? detected(rec) : R_NO;
  if (startsWith(p, end, XML_DECLARATION) && !sawXml(rec, groupId, slotOffset)) {
    // The area is taken only for such a flow, not for every flow still waiting for a header.
    const state = claimGroupState(rec, groupId);
    if (state == 0) return R_NO; // another undecided group holds the area
    store<u8>(state + slotOffset + SAW_XML, 1);
  }
  return R_MAYBE;
}

/** Did an earlier payload start with the XML declaration? (Only if this group holds the area.) */
function sawXml(rec: usize, groupId: u32, slotOffset: usize): bool {
  const area = heldGroupState(rec, groupId);
  return area != 0 && load<u8>(area + slotOffset + SAW_XML) != 0;
}

function detected(rec: usize): i32 {
  setDetected(rec, PROTO_SOAP, 0);
  return R_DONE;
}

/** A CRLF-terminated line starting "SOAPAction" before the first empty line. */
function hasSoapActionLine(p: usize, end: usize): bool {
  let line = p;
  for (let n: u32 = 0; n < MAX_LINES && line < end; n++) {
    let q = line;
    while (q + 1 < end && !(load<u8>(q) == 0x0d && load<u8>(q + 1) == 0x0a)) q++;
    if (q + 1 >= end) return false; // no CRLF: not a whole line
    if (q == line) return false; // the empty line ends the headers
    if (startsWith(line, q, SOAP_ACTION)) return true;
    line = q + 2;
  }
  return false;
}
