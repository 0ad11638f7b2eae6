// TCP three-way handshake tracking (RFC 9293 §3.5). Connection state as ntopng reports it
// (established, connecting, reset, closed) follows from the per-direction flag unions and this
// progress byte, so the runtime derives it instead of the core storing it twice.
import { TCP_ACK, TCP_SYN } from "../wire/transport";
import { TWH_DONE, TWH_NONE, TWH_SYN, TWH_SYN_ACK } from "./record";

export function updateHandshake(progressAt: usize, fromClient: bool, flags: u32): void {
  const progress = load<u8>(progressAt);
  if (progress == TWH_DONE) return;
  const synAck = flags & (TCP_SYN | TCP_ACK);
  if (fromClient) {
    if (progress == TWH_NONE && synAck == TCP_SYN) store<u8>(progressAt, TWH_SYN);
    else if (progress == TWH_SYN_ACK && synAck == TCP_ACK) store<u8>(progressAt, TWH_DONE);
  } else if (progress == TWH_SYN && synAck == (TCP_SYN | TCP_ACK)) {
    store<u8>(progressAt, TWH_SYN_ACK);
  }
}
