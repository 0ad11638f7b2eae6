// Test-only entry (test/classify/classify.test.ts compiles it into .tmp/): thin exported
// wrappers over the classification tables and a scratch buffer to pass names and addresses in.
// Not part of build/flowscope.wasm.
import { matchCertSubject, matchHost, matchHostCategory, matchRiskyDomain } from "./host_match";
import { matchIpv4, matchIpv4Risk, matchIpv6, matchIpv6Risk } from "./ip_match";
import { guessProtoByPorts, protoByTcpPort, protoByUdpPort } from "./port_guess";
import { PROTO_COUNT, protoBreed, protoCategory, protoIsApp, protoIsEncrypted } from "./generated/protocols";
import { RISK_COUNT, riskClientScore, riskMaskScore, riskScore, riskServerScore, riskSeverity } from "./generated/risks";
import { cipherClass } from "./generated/tls_ciphers";
import { isBlockedSha1 } from "./generated/sha1_fingerprints";

export const SCRATCH_SIZE: u32 = 4096;
const scratch: usize = memory.data(<i32>SCRATCH_SIZE, 16);

export function scratchPtr(): usize {
  return scratch;
}

export function hostMatch(len: u32): u32 {
  return matchHost(scratch, len);
}

export function hostCategory(len: u32): u32 {
  return matchHostCategory(scratch, len);
}

/** 1 when the name in the scratch buffer matches the reader's risky-domain list. */
export function riskyDomain(len: u32): u32 {
  return matchRiskyDomain(scratch, len) ? 1 : 0;
}

/** 1 when the 20-byte SHA-1 in the scratch buffer is in the reader's certificate list. */
export function sha1Blocked(): u32 {
  return isBlockedSha1(scratch) ? 1 : 0;
}

export function certSubjectMatch(len: u32): u32 {
  return matchCertSubject(scratch, len);
}

export function ipv4(addr: u32): u32 {
  return matchIpv4(addr);
}

export function ipv6(): u32 {
  return matchIpv6(scratch);
}

export function ipv4Risk(addr: u32): u32 {
  return matchIpv4Risk(addr);
}

export function ipv6Risk(): u32 {
  return matchIpv6Risk(scratch);
}

export function tcpPort(port: u32): u32 {
  return protoByTcpPort(port);
}

export function udpPort(port: u32): u32 {
  return protoByUdpPort(port);
}

export function guessPorts(l4: u32, srcPort: u32, dstPort: u32): u32 {
  return guessProtoByPorts(l4, srcPort, dstPort);
}

export function protoCount(): u32 {
  return PROTO_COUNT;
}

export function category(id: u32): u32 {
  return protoCategory(id);
}

export function breed(id: u32): u32 {
  return protoBreed(id);
}

export function encrypted(id: u32): u32 {
  return protoIsEncrypted(id) ? 1 : 0;
}

export function isApp(id: u32): u32 {
  return protoIsApp(id) ? 1 : 0;
}

export function riskCount(): u32 {
  return RISK_COUNT;
}

export function score(id: u32): u32 {
  return riskScore(id);
}

export function clientScore(id: u32): u32 {
  return riskClientScore(id);
}

export function serverScore(id: u32): u32 {
  return riskServerScore(id);
}

export function severity(id: u32): u32 {
  return riskSeverity(id);
}

export function maskScore(mask: u64): u32 {
  return riskMaskScore(mask);
}

export function cipher(id: u32): u32 {
  return cipherClass(id);
}
