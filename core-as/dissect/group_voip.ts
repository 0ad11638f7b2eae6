// Voice, conferencing and telecom signalling protocols of the long tail, offered as one
// dissector (group.ts): MGCP, GTP-C / GTP', SMPP, BFCP, Mumble, TeamSpeak, LINE calls, Zoom's
// media, KakaoTalk's voice calls, Discord's voice connections and imo's calls.
//
// State: members that need some keep it in the flow's group area (group.ts) at the offsets below.
import { R_MATCH } from "./result";
import { GROUP_DATA, GROUP_DATA_END, payloadPacketIndex } from "./group";
import { dissectMgcp } from "./mgcp";
import { dissectGtp } from "./gtp";
import { dissectSmpp } from "./smpp";
import { BFCP_STATE_SIZE, dissectBfcp } from "./bfcp";
import { MUMBLE_STATE_SIZE, dissectMumble } from "./mumble";
import { dissectTeamspeak } from "./teamspeak";
import { dissectLineCall } from "./line_call";
import { dissectZoom } from "./zoom";
import { dissectKakaotalkVoice } from "./kakaotalk_voice";
import { dissectDiscord } from "./discord";
import { IMO_STATE_SIZE, dissectImo } from "./imo";

const BFCP_SLOT: usize = GROUP_DATA;
const MUMBLE_SLOT: usize = BFCP_SLOT + BFCP_STATE_SIZE;
const IMO_SLOT: usize = MUMBLE_SLOT + MUMBLE_STATE_SIZE;
// @ts-ignore: compile-time check (AssemblyScript builtin)
if (IMO_SLOT + IMO_STATE_SIZE > GROUP_DATA_END) ERROR("group_voip: members' state past the group area");

export function dissectVoipGroup(rec: usize, fromClient: bool, groupId: u32): i32 {
  let verdict: i32 = 0;
  let r = dissectMgcp(rec, fromClient);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectGtp(rec, fromClient);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectSmpp(rec, fromClient);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectTeamspeak(rec, fromClient);
  if (r >= R_MATCH) return r;
  verdict |= r;
  if (payloadPacketIndex(rec) == 1) {
    r = dissectLineCall(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectZoom(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectKakaotalkVoice(rec, fromClient);
    if (r >= R_MATCH) return r;
  }
  r = dissectBfcp(rec, fromClient, groupId, BFCP_SLOT);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectMumble(rec, fromClient, groupId, MUMBLE_SLOT);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectDiscord(rec, fromClient);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectImo(rec, fromClient, groupId, IMO_SLOT);
  if (r >= R_MATCH) return r;
  return verdict | r;
}
