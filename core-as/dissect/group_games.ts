// Online games of the long tail, offered as one dissector (group.ts): Activision, Heroes of the
// Storm, Steam Datagram Relay, Epic Games, League of Legends: Wild Rift, The Elder Scrolls
// Online, i3D's game servers, Tencent's and NetEase's games, World of Warcraft, Call of Duty:
// Mobile and Half-Life 2. Their protocols are unpublished: each member matches what the game's own
// sessions open with, narrowed by the game's ports where it has fixed ones.
//
// State: members that need some keep it in the flow's group area (group.ts) at the offsets below.
import { R_MATCH } from "./result";
import { GROUP_DATA, GROUP_DATA_END, payloadPacketIndex } from "./group";
import { dissectActivision } from "./activision";
import { dissectHeroesOfTheStorm } from "./heroes_of_the_storm";
import { dissectSteamSdr } from "./steam_sdr";
import { EPIC_STATE_SIZE, dissectEpicGames } from "./epic_games";
import { LOL_STATE_SIZE, dissectLolWildRift } from "./lol_wild_rift";
import { dissectTeso } from "./teso";
import { dissectI3d } from "./i3d";
import { dissectTencentGames } from "./tencent_games";
import { dissectNeteaseGames } from "./netease_games";
import { dissectWorldOfWarcraft } from "./world_of_warcraft";
import { dissectCodMobile } from "./cod_mobile";
import { HALFLIFE2_STATE_SIZE, dissectHalflife2 } from "./halflife2";

const EPIC_SLOT: usize = GROUP_DATA;
const LOL_SLOT: usize = EPIC_SLOT + EPIC_STATE_SIZE;
const HALFLIFE2_SLOT: usize = LOL_SLOT + LOL_STATE_SIZE;
// @ts-ignore: compile-time check (AssemblyScript builtin)
if (HALFLIFE2_SLOT + HALFLIFE2_STATE_SIZE > GROUP_DATA_END) ERROR("group_games: members' state past the group area");

export function dissectGamesGroup(rec: usize, fromClient: bool, groupId: u32): i32 {
  if (payloadPacketIndex(rec) == 1) {
    let r = dissectActivision(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectHeroesOfTheStorm(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectSteamSdr(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectTeso(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectI3d(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectTencentGames(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectNeteaseGames(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectWorldOfWarcraft(rec, fromClient);
    if (r >= R_MATCH) return r;
  }
  let verdict: i32 = 0;
  let r = dissectEpicGames(rec, fromClient, groupId, EPIC_SLOT);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectLolWildRift(rec, fromClient, groupId, LOL_SLOT);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectCodMobile(rec, fromClient);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectHalflife2(rec, fromClient, groupId, HALFLIFE2_SLOT);
  if (r >= R_MATCH) return r;
  return verdict | r;
}
