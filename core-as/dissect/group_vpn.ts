// VPN, remote-access and privacy protocols of the long tail, offered as one dissector
// (group.ts): PPTP, tinc, SoftEther's NAT traversal, TeamViewer, DNSCrypt and UltraSurf.
//
// State: members that need some keep it in the flow's group area (group.ts) at the offsets below.
import { R_MATCH } from "./result";
import { GROUP_DATA, GROUP_DATA_END, payloadPacketIndex } from "./group";
import { dissectPptp } from "./pptp";
import { TINC_STATE_SIZE, dissectTinc } from "./tinc";
import { dissectSoftether } from "./softether";
import { TEAMVIEWER_STATE_SIZE, dissectTeamviewer } from "./teamviewer";
import { dissectDnscrypt } from "./dnscrypt";
import { dissectUltrasurf } from "./ultrasurf";

const TINC_SLOT: usize = GROUP_DATA;
const TEAMVIEWER_SLOT: usize = TINC_SLOT + TINC_STATE_SIZE;
// @ts-ignore: compile-time check (AssemblyScript builtin)
if (TEAMVIEWER_SLOT + TEAMVIEWER_STATE_SIZE > GROUP_DATA_END) ERROR("group_vpn: members' state past the group area");

export function dissectVpnGroup(rec: usize, fromClient: bool, groupId: u32): i32 {
  let verdict: i32 = 0;
  if (payloadPacketIndex(rec) == 1) {
    let r = dissectPptp(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectUltrasurf(rec, fromClient);
    if (r >= R_MATCH) return r;
  }
  let r = dissectTinc(rec, fromClient, groupId, TINC_SLOT);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectSoftether(rec, fromClient);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectTeamviewer(rec, fromClient, groupId, TEAMVIEWER_SLOT);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectDnscrypt(rec, fromClient);
  if (r >= R_MATCH) return r;
  return verdict | r;
}
