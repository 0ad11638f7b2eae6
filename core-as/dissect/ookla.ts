// Ookla's Speedtest. A test talks to a server's TCP port 8080 in a line protocol: the client's
// first line is "HI" (optionally followed by an id), the server answers "HELLO <version>"; the
// test proper (download/upload of random bytes, or TLS on the same port) says nothing more.
// As nDPI (with the reader's "ookla dpi.aggressiveness 0x1", pcaps README), the machines found
// running a test are remembered, by client address, so that their other connections to port
// 8080 are recognised too:
// - dissection: "HI" as the flow's first payload and "HELLO" as its second, on port 8080
//   (ookla.pcap);
// - the client of any flow named Ookla, by this or by its host name (HTTP Host, TLS SNI: the
//   speedtest.net site), is remembered (classify.ts applyHostNameOf calls ooklaNoteClient);
// - a TLS session to port 8080 without an application, whose handshake was read (hellos,
//   and the certificate unless TLS 1.3 hides it), is TLS.Ookla when its client is remembered
//   (nDPI's "DPI (aggressive)": tls.ts calls ooklaOverTls);
// - a flow dissection could not name, with port 8080 on either side, is Ookla when its client
//   is remembered (nDPI's "DPI (partial cache)": classify.ts guessUndetected calls
//   ooklaByCache, before the port and address guesses).
//
// State (in the group area (group.ts) of `groupId`, OOKLA_STATE_SIZE bytes at `slotOffset`): a
// flag set by "HI". The clients: an endpoint_cache table (port 0).
import * as info from "../decode/packet_info";
import { startsWith } from "../util/ascii";
import { FLOW_APP_PROTO, FLOW_CLI_ADDR, FLOW_CLI_PORT, FLOW_MASTER_PROTO, FLOW_SRV_PORT } from "../flow/record";
import { setApplication, setDetected } from "../classify/classify";
import { PROTO_OOKLA, PROTO_TLS } from "../classify/generated/protocols";
import { IPPROTO_TCP } from "../wire/transport";
import { ENDPOINT_ENTRY, endpointClear, endpointFind, endpointStore } from "./endpoint_cache";
import { claimGroupState, payloadPacketIndex } from "./group";
import { R_DONE, R_MAYBE, R_NO } from "./result";

const OOKLA_PORT: u32 = 8080;

const SAID_HI: usize = 0;
export const OOKLA_STATE_SIZE: usize = 1;

const SLOTS: u32 = 256;
const CLIENT_PORT: u32 = 0;
const SEEN: u32 = 1;
const clients: usize = memory.data(<i32>(<usize>SLOTS * ENDPOINT_ENTRY));

export function dissectOokla(rec: usize, fromClient: bool, groupId: u32, slotOffset: usize): i32 {
  if (info.l4Proto != IPPROTO_TCP || !onOoklaPort(rec)) return R_NO;
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  const index = payloadPacketIndex(rec);
  if (index == 1) {
    if (!startsWith(p, end, "HI")) return R_NO;
    const state = claimGroupState(rec, groupId);
    if (state == 0) return R_NO; // another undecided group holds the area
    store<u8>(state + slotOffset + SAID_HI, 1);
    return R_MAYBE;
  }
  if (index > 2) return R_NO;
  const state = claimGroupState(rec, groupId);
  if (state == 0 || load<u8>(state + slotOffset + SAID_HI) == 0 || !startsWith(p, end, "HELLO")) return R_NO;
  setDetected(rec, PROTO_OOKLA, 0);
  ooklaNoteClient(rec);
  return R_DONE;
}

/** The flow is Ookla (by dissection or host name): its client runs tests. */
export function ooklaNoteClient(rec: usize): void {
  endpointStore(clients, SLOTS, rec + FLOW_CLI_ADDR, CLIENT_PORT, SEEN);
}

/** A TLS session's handshake was read: TLS.Ookla if it went to port 8080 from a known client. */
export function ooklaOverTls(rec: usize): void {
  if (<u32>load<u16>(rec + FLOW_MASTER_PROTO) != PROTO_TLS || load<u16>(rec + FLOW_APP_PROTO) != 0) return;
  if (<u32>load<u16>(rec + FLOW_SRV_PORT) != OOKLA_PORT || !knownClient(rec)) return;
  setApplication(rec, PROTO_OOKLA);
}

/** End of dissection without a protocol: Ookla for a known client's flow on port 8080. */
export function ooklaByCache(rec: usize): bool {
  if (!onOoklaPort(rec) || !knownClient(rec)) return false;
  setDetected(rec, PROTO_OOKLA, 0);
  return true;
}

/** A new analysis: no client of the previous one is remembered. */
export function ooklaCacheReset(): void {
  endpointClear(clients, SLOTS);
}

@inline function onOoklaPort(rec: usize): bool {
  return <u32>load<u16>(rec + FLOW_SRV_PORT) == OOKLA_PORT || <u32>load<u16>(rec + FLOW_CLI_PORT) == OOKLA_PORT;
}

@inline function knownClient(rec: usize): bool {
  return endpointFind(clients, SLOTS, rec + FLOW_CLI_ADDR, CLIENT_PORT) == SEEN;
}
