// The protocols nDPI recognises from one payload alone, by fixed bytes (magic numbers, lengths
// that must add up): each is offered the flow's first payload and, like nDPI's dissectors for
// them, gives up on the flow when that payload does not match. They share one registry id
// (ids are bits of a 64-bit mask); each protocol keeps its own file.
import * as info from "../decode/packet_info";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";
import { detectCan } from "./can";
import { detectCollectd } from "./collectd";
import { detectNetflow } from "./netflow";
import { detectCryNetwork } from "./crynet";
import { detectElasticsearch } from "./elasticsearch";
import { detectFix } from "./fix";
import { detectGenshinImpact } from "./genshin_impact";
import { detectHpVirtGrp } from "./hpvirtgrp";
import { detectKcp } from "./kcp";
import { detectNintendo } from "./nintendo";
import { detectRipeAtlas } from "./ripe_atlas";
import { detectSdRtn } from "./sd_rtn";
import { detectSpotifyTcp, detectSpotifyUdp } from "./spotify";
import { detectXiaomi } from "./xiaomi";
import { detectZug } from "./zug";

export function dissectOnePayload(rec: usize, fromClient: bool): i32 {
  return (info.l4Proto == IPPROTO_TCP ? onTcp(rec) : onUdp(rec)) ? R_DONE : R_NO;
}

function onTcp(rec: usize): bool {
  return detectFix(rec) || detectElasticsearch(rec) || detectHpVirtGrp(rec) || detectXiaomi(rec) ||
    detectSpotifyTcp(rec) || detectCan(rec) || detectKcp(rec);
}

function onUdp(rec: usize): bool {
  return detectSdRtn(rec) || detectNintendo(rec) || detectGenshinImpact(rec) || detectCryNetwork(rec) ||
    detectRipeAtlas(rec) || detectZug(rec) || detectSpotifyUdp(rec) || detectCan(rec) || detectKcp(rec) ||
    detectNetflow(rec) || detectCollectd(rec);
}
