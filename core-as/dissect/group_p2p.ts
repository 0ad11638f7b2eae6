// Peer-to-peer, cryptocurrency, streaming and device-cloud protocols of the long tail, offered
// as one dissector (group.ts): Monero, mining pools (Stratum), Syncthing, eDonkey, MPEG-TS over
// UDP, FLUTE, Yojimbo (netcode.io) and Meraki's cloud tunnel.
//
// No per-flow state: each member decides from the flow's first payload, as nDPI's do.
import { R_MATCH, R_NO } from "./result";
import { payloadPacketIndex } from "./group";
import { dissectMonero } from "./monero";
import { dissectMining } from "./mining";
import { dissectSyncthing } from "./syncthing";
import { dissectEdonkey } from "./edonkey";
import { dissectMpegts } from "./mpegts";
import { dissectFlute } from "./flute";
import { dissectYojimbo } from "./yojimbo";
import { dissectMerakiCloud } from "./meraki_cloud";

export function dissectP2pGroup(rec: usize, fromClient: bool, groupId: u32): i32 {
  if (payloadPacketIndex(rec) != 1) return R_NO;
  let r = dissectMonero(rec, fromClient);
  if (r >= R_MATCH) return r;
  r = dissectMining(rec, fromClient);
  if (r >= R_MATCH) return r;
  r = dissectSyncthing(rec, fromClient);
  if (r >= R_MATCH) return r;
  r = dissectEdonkey(rec, fromClient);
  if (r >= R_MATCH) return r;
  r = dissectMpegts(rec, fromClient);
  if (r >= R_MATCH) return r;
  r = dissectFlute(rec, fromClient);
  if (r >= R_MATCH) return r;
  r = dissectYojimbo(rec, fromClient);
  if (r >= R_MATCH) return r;
  return dissectMerakiCloud(rec, fromClient);
}
