// SMPP, the Short Message Peer-to-Peer protocol (SMPP v3.4 §3.2; v5.0 §3.2), over TCP. Every
// PDU starts with a 16-byte header, big-endian: command_length (the whole PDU, header
// included), command_id, command_status and sequence_number. A segment that starts with a whole PDU
// of a known command, a request whose status is 0 (only
// responses carry an error, §5.1.3) and a sequence number in 1..0x7FFFFFFF (§5.1.4) decides.
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_SMPP } from "../classify/generated/protocols";
import { be32 } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const COMMAND_LENGTH: usize = 0;
const COMMAND_ID: usize = 4;
const COMMAND_STATUS: usize = 8;
const SEQUENCE_NUMBER: usize = 12;
const HEADER_LEN: usize = 16;
/** Responses set the top bit of the request's command_id (§5.1.2.1). */
const RESPONSE_BIT: u32 = 0x80000000;
/** generic_nack is a response with no request. */
const GENERIC_NACK: u32 = 0x80000000;
const MAX_SEQUENCE: u32 = 0x7fffffff;

export function dissectSmpp(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  if (<usize>info.payloadLen < HEADER_LEN) return R_NO;
  const length = be32(p + COMMAND_LENGTH);
  // SMPP PDUs are small: the first one lies whole in the segment.
  if (length < <u32>HEADER_LEN || length > <u32>info.payloadLen) return R_NO;
  const id = be32(p + COMMAND_ID);
  const sequence = be32(p + SEQUENCE_NUMBER);
  if (sequence == 0 || sequence > MAX_SEQUENCE) return R_NO;
  if (id == GENERIC_NACK) {
    // its sequence number may be that of an unreadable PDU, its status says why
  } else if ((id & RESPONSE_BIT) != 0) {
    if (!isRequestId(id & ~RESPONSE_BIT) || id == (RESPONSE_BIT | OUTBIND) || id == (RESPONSE_BIT | ALERT_NOTIFICATION)) return R_NO;
  } else if (!isRequestId(id) || be32(p + COMMAND_STATUS) != 0) {
    return R_NO;
  }
  setDetected(rec, PROTO_SMPP, 0);
  return R_DONE;
}

const OUTBIND: u32 = 0x0b;
const ALERT_NOTIFICATION: u32 = 0x102;

/** The request command_ids of §5.1.2.1 (v3.4) and v5.0's broadcast operations. */
function isRequestId(id: u32): bool {
  if (id >= 0x01 && id <= 0x09) return true; // bind_receiver .. bind_transceiver
  return id == OUTBIND || id == 0x15 /* enquire_link */ || id == 0x21 /* submit_multi */ ||
    id == ALERT_NOTIFICATION || id == 0x103 /* data_sm */ || (id >= 0x111 && id <= 0x113) /* broadcast_sm .. cancel_broadcast_sm */;
}
