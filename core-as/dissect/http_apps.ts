// Applications that an HTTP message names by itself, whatever its host: media types (OCSP
// RFC 6960 Appendix C, HLS RFC 8216 §4, MPEG-DASH's manifest type), request targets (DASH
// segments and manifests by extension, Gnutella's HTTP downloads, BitTorrent tracker announces
// per BEP 3), a server product (ntopng's own web server) and client agents (Windows Update). nDPI reports these as HTTP.<App>.
// MapleStory's launcher requests name the game itself (nDPI reports the flow as MapleStory alone).
import {
  PROTO_BITTORRENT, PROTO_GNUTELLA, PROTO_HLS, PROTO_MPEGDASH, PROTO_NTOP, PROTO_OCSP, PROTO_WINDOWS_UPDATE,
} from "../classify/generated/protocols";
import { equalsNoCase, startsWith } from "../wire/http";

/** Application of a media type (parameters already removed), 0 when none. */
export function appOfMediaType(type: usize, len: usize): u32 {
  const end = type + len;
  if (equalsNoCase(type, end, "application/ocsp-request") || equalsNoCase(type, end, "application/ocsp-response")) return PROTO_OCSP;
  if (equalsNoCase(type, end, "application/vnd.apple.mpegurl") || equalsNoCase(type, end, "application/x-mpegurl")) return PROTO_HLS;
  if (equalsNoCase(type, end, "application/dash+xml")) return PROTO_MPEGDASH;
  return 0;
}

/** Application of a request target (path and query as sent), 0 when none. */
export function appOfTarget(target: usize, len: usize): u32 {
  const end = target + len;
  if (len > 4) {
    // The whole target must end with the extension: "x.mp4?key=..." is not a DASH segment.
    const ext = end - 4;
    if (equalsNoCase(ext, end, ".mp4") || equalsNoCase(ext, end, ".m4s") || equalsNoCase(ext, end, ".mpd")) return PROTO_MPEGDASH;
  }
  if (startsWith(target, end, "/uri-res/") || startsWith(target, end, "/gnutella/")) return PROTO_GNUTELLA;
  if (startsWith(target, end, "/announce?info_hash=") || startsWith(target, end, "/scrape?info_hash=")) return PROTO_BITTORRENT;
  return 0;
}

/** Application of a Server header value, 0 when none. */
export function appOfServer(server: usize, len: usize): u32 {
  return startsWith(server, server + len, "ntopng ") ? PROTO_NTOP : 0;
}

/** Application of a User-Agent value, 0 when none: Windows' update clients name themselves. */
export function appOfAgent(agent: usize, len: usize): u32 {
  const end = agent + len;
  if (startsWith(agent, end, "Microsoft-Delivery-Optimization/") || startsWith(agent, end, "Windows-Update-Agent")) return PROTO_WINDOWS_UPDATE;
  return 0;
}

/**
 * Android's connectivity probe ("/generate_204", RFC 6585's 204 answer, also spelt
 * "/generate204"): nDPI gives such a request the ConnCheck category whatever the host
 * (conncheck.pcap: www.google.eu, play.googleapis.com, an OPPO server).
 */
export function isConnectivityCheckTarget(target: usize, len: usize): bool {
  const end = target + len;
  return isPathThenEnd(target, end, "/generate_204") || isPathThenEnd(target, end, "/generate204");
}

/** The target is `path`, alone or followed by a query. */
function isPathThenEnd(target: usize, end: usize, path: string): bool {
  const n = <usize>path.length;
  if (!startsWith(target, end, path)) return false;
  return end - target == n || load<u8>(target + n) == 0x3f; // '?'
}

/**
 * MapleStory's clients (nDPI's maplestory dissector): the game's page fetched by its "AspINet"
 * agent (GET /maplestory/...), or its patcher's updates (GET /maple/patch... by "Patcher" from
 * a "patch." host). The agent must be exactly that name.
 */
export function isMapleStoryRequest(target: usize, targetLen: usize, agent: usize, agentLen: usize, host: usize, hostLen: usize): bool {
  const end = target + targetLen;
  if (startsWith(target, end, "/maplestory/")) return agentLen == 7 && startsWith(agent, agent + agentLen, "AspINet");
  return startsWith(target, end, "/maple/patch") && agentLen == 7 && startsWith(agent, agent + agentLen, "Patcher") &&
    hostLen > 6 && startsWith(host, host + hostLen, "patch.");
}
