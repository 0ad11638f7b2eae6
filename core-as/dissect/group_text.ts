// Text and stream-level protocols of the long tail, offered as one dissector (group.ts):
// NNTP (nDPI's Usenet), IRC, rsh, Kismet, WebSocket frames, HAProxy's PROXY header, Ookla's
// Speedtest, SOAP and Munin.
//
// State: members that need some keep it in the flow's group area (group.ts) at the offsets below.
import { R_MATCH } from "./result";
import { GROUP_DATA, GROUP_DATA_END, payloadPacketIndex } from "./group";
import { NNTP_STATE_SIZE, dissectNntp } from "./nntp";
import { dissectIrc } from "./irc";
import { RSH_STATE_SIZE, dissectRsh } from "./rsh";
import { dissectKismet } from "./kismet";
import { dissectWebsocket } from "./websocket";
import { dissectHaproxy } from "./haproxy";
import { OOKLA_STATE_SIZE, dissectOokla } from "./ookla";
import { SOAP_STATE_SIZE, dissectSoap } from "./soap";
import { dissectMunin } from "./munin";

const NNTP_SLOT: usize = GROUP_DATA;
const RSH_SLOT: usize = NNTP_SLOT + NNTP_STATE_SIZE;
const OOKLA_SLOT: usize = RSH_SLOT + RSH_STATE_SIZE;
const SOAP_SLOT: usize = OOKLA_SLOT + OOKLA_STATE_SIZE;
// @ts-ignore: compile-time check (AssemblyScript builtin)
if (SOAP_SLOT + SOAP_STATE_SIZE > GROUP_DATA_END) ERROR("group_text: members' state past the group area");

/** The one-packet members look at the flow's first payload only, as nDPI's do. */
export function dissectTextGroup(rec: usize, fromClient: bool, groupId: u32): i32 {
  if (payloadPacketIndex(rec) == 1) {
    let r = dissectHaproxy(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectIrc(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectKismet(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectWebsocket(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectMunin(rec, fromClient);
    if (r >= R_MATCH) return r;
  }
  let verdict: i32 = 0;
  let r = dissectNntp(rec, fromClient, groupId, NNTP_SLOT);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectRsh(rec, fromClient, groupId, RSH_SLOT);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectOokla(rec, fromClient, groupId, OOKLA_SLOT);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectSoap(rec, fromClient, groupId, SOAP_SLOT);
  if (r >= R_MATCH) return r;
  return verdict | r;
}
