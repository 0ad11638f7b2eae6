// Industrial, automotive and IoT protocols of the long tail, offered as one dissector
// (group.ts): SOME/IP, HART-IP, Ethernet Global Data, CNP/IP, RTPS, IEC 62056 (DLMS/COSEM),
// S7comm, S7comm-plus and MMS (ISO transport on port 102), ATG, HL7 and PROFINET IO (over
// connectionless DCE/RPC).
//
// No per-flow state: each member decides from one packet.
import { R_MATCH } from "./result";
import { dissectSomeip } from "./someip";
import { dissectHartIp } from "./hart_ip";
import { dissectEgd } from "./egd";
import { dissectCnpIp } from "./cnp_ip";
import { dissectRtps } from "./rtps";
import { dissectIec62056 } from "./iec62056";
import { dissectS7comm } from "./s7comm";
import { dissectS7commPlus } from "./s7comm_plus";
import { dissectMms } from "./mms";
import { dissectAtg } from "./atg";
import { dissectHl7 } from "./hl7";
import { dissectProfinetIo } from "./profinet_io";
import { payloadPacketIndex } from "./group";

/** The one-packet members look at the flow's first payload only, as nDPI's do. */
export function dissectIotGroup(rec: usize, fromClient: bool, groupId: u32): i32 {
  let verdict: i32 = 0;
  if (payloadPacketIndex(rec) == 1) {
    let r = dissectSomeip(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectHartIp(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectEgd(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectCnpIp(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectRtps(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectIec62056(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectAtg(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectHl7(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectProfinetIo(rec, fromClient);
    if (r >= R_MATCH) return r;
  }
  // Port 102: the connection setup comes first, the protocol shows in the data after it.
  let r = dissectS7comm(rec, fromClient);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectS7commPlus(rec, fromClient);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectMms(rec, fromClient);
  if (r >= R_MATCH) return r;
  return verdict | r;
}
