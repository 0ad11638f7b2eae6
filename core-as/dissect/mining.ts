// Cryptocurrency mining pools' Stratum protocol: JSON-RPC messages, one per line, over TCP
// (3333, 4444, 9999, ... any port). Bitcoin/ZCash Stratum (slushpool's "Stratum mining
// protocol") calls "mining.subscribe", "mining.authorize", "mining.notify", ...; Ethereum's
// variants (EthereumStratum, eth-proxy) "eth_submitLogin", "eth_getWork", "eth_submitWork",
// "eth_submitHashrate"; Monero's (CryptoNote stratum) "login" with the miner's "agent". A JSON
// object whose "method" is one of those decides (nDPI's Mining).
//
// No per-flow state.
import * as info from "../decode/packet_info";
import { setDetected } from "../classify/classify";
import { PROTO_MINING } from "../classify/generated/protocols";
import { containsCi, inWordList, startsWith } from "../util/ascii";
import { IPPROTO_TCP } from "../wire/transport";
import { R_DONE, R_NO } from "./result";

const METHODS = "mining.subscribe mining.authorize mining.extranonce.subscribe mining.notify mining.set_difficulty mining.set_target mining.submit eth_submitLogin eth_login eth_getWork eth_submitWork eth_submitHashrate";
const METHOD_KEY = "\"method\"";
const MAX_METHOD: usize = 40;

export function dissectMining(rec: usize, fromClient: bool): i32 {
  if (info.l4Proto != IPPROTO_TCP) return R_NO;
  const p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (p >= end || load<u8>(p) != 0x7b) return R_NO; // '{'
  const method = methodValue(p, end);
  if (method == 0) return R_NO;
  const stop = quoteEnd(method, end);
  const n = stop - method;
  if (!inWordList(method, n, METHODS) && !(n == 5 && startsWith(method, stop, "login") && containsCi(p, end, "\"agent\""))) return R_NO;
  setDetected(rec, PROTO_MINING, 0);
  return R_DONE;
}

/** Start of the string value of the first "method" key, or 0. */
function methodValue(p: usize, end: usize): usize {
  const keyLen = <usize>METHOD_KEY.length;
  for (let at = p; at + keyLen < end; at++) {
    if (load<u8>(at) != 0x22 || !startsWith(at, end, METHOD_KEY)) continue;
    let v = at + keyLen;
    while (v < end && load<u8>(v) == 0x20) v++;
    if (v >= end || load<u8>(v) != 0x3a) return 0; // ':'
    v++;
    while (v < end && load<u8>(v) == 0x20) v++;
    return v < end && load<u8>(v) == 0x22 ? v + 1 : 0;
  }
  return 0;
}

/** The closing quote of a short string value, or the start when it is not one. */
function quoteEnd(v: usize, end: usize): usize {
  let at = v;
  while (at < end && at - v <= MAX_METHOD && load<u8>(at) != 0x22) at++;
  return at < end && load<u8>(at) == 0x22 ? at : v;
}
