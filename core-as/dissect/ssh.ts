// SSH (RFC 4253): recognised by the identification string that opens each direction (§4.2).
// Extracts both identification strings, the HASSH fingerprints of both SSH_MSG_KEXINIT
// messages (§7.1) and the obsolete-cipher risks.
//
// nDPI's conventions, as its results show them (ssh.pcap):
// - the first identification string seen is reported as the client's (Hostname/SNI and
//   protos.ssh.client_signature) and the other direction's as the server's, even when the
//   server spoke first;
// - HASSH (Salesforce's definition) is the MD5 of "kex;encryption;mac;compression", the
//   client's with the client-to-server lists of the client's KEXINIT, the server's with the
//   server-to-client lists of the server's KEXINIT; printed in upper-case hex;
// - an offered RC4 cipher ("arcfour*", deprecated by RFC 8758) raises "SSH Obsolete Cli/Ser
//   Vers/Cipher" for the side that offered it, with risk info "Found cipher <name>".
//
// A KEXINIT often spans TCP segments (one of ~1.5 KB does not fit a 1460-byte MSS). Each
// direction is followed in TCP sequence order: retransmitted bytes are skipped, a gap (a lost
// segment) ends that direction. A KEXINIT wholly inside one segment is parsed in place;
// otherwise its bytes are gathered in a buffer allocated once per flow (heap, MAX_KEXINIT
// bytes per direction), freed when dissection ends (releaseSsh, called by the registry).
//
// State (rec + FLOW_DISSECTOR_STATE, owned once the flow matched):
//    0  4 ctx        gathering buffers (direction 0, then 1), 0 until needed
//    4  1 flags      F_* below
//    8 12 direction 0 (client to server), DIR_* fields:
//         PHASE 1: PHASE_*; SEQ_KNOWN 1; HAVE 2: bytes gathered; NEED 4: length of the whole
//         KEXINIT packet (0 = not known yet); NEXT_SEQ 4: TCP sequence number expected next
//   20 12 direction 1 (server to client)
import * as info from "../decode/packet_info";
import { FLOW_DISSECTOR_STATE, FLOW_DISSECTOR_STATE_SIZE, FLOW_MASTER_PROTO } from "../flow/record";
import { setDetected, setRisk } from "../classify/classify";
import { PROTO_SSH } from "../classify/generated/protocols";
import { RISK_SSH_OBSOLETE_CLIENT_VERSION_OR_CIPHER, RISK_SSH_OBSOLETE_SERVER_VERSION_OR_CIPHER } from "../classify/generated/risks";
import { MD5_CONTEXT_SIZE, MD5_DIGEST_LEN, md5Final, md5Init, md5Update } from "../crypto/md5";
import { hexEncode } from "../crypto/hex";
import { be32 } from "../util/bytes";
import { isDigit, lineEnd, literalBytes, startsWith } from "../util/ascii";
import {
  KEXINIT_LIST_COUNT, KEXINIT_LISTS, LIST_COMP_C2S, LIST_COMP_S2C, LIST_ENC_C2S, LIST_ENC_S2C, LIST_KEX,
  LIST_MAC_C2S, LIST_MAC_S2C, NAME_LIST_LENGTH_LEN, SSH_IDENT_MAX, SSH_IDENT_PREFIX, SSH_MIN_PADDING,
  SSH_MSG_KEXINIT, sshMessageCode, sshPacketLength, sshPaddingLength,
} from "../wire/ssh";
import {
  META_STR_HASSH_C, META_STR_HASSH_S, META_STR_HOST, META_STR_RISK_INFO, META_STR_SSH_CLIENT, META_STR_SSH_SERVER,
  metaSetString, metaStringLen, metaStringPtr,
} from "./meta";
import { R_DONE, R_MATCH, R_NO } from "./result";

const ST_CTX: usize = 0;
const ST_FLAGS: usize = 4;
const ST_DIR0: usize = 8;
const ST_DIR_SIZE: usize = 12;
const DIR_PHASE: usize = 0;
const DIR_SEQ_KNOWN: usize = 1;
const DIR_HAVE: usize = 2;
const DIR_NEED: usize = 4;
const DIR_NEXT_SEQ: usize = 8;

/** An identification string has been reported (the next one is the server's). */
const F_FIRST_IDENT: u8 = 1;

/** Expecting the identification line (§4.2; a server may send other lines before it). */
const PHASE_IDENT: u8 = 0;
/** Inside an identification line that continues in the next segment. */
const PHASE_LINE_REST: u8 = 1;
/** Expecting or gathering the first binary packet, the KEXINIT. */
const PHASE_KEXINIT: u8 = 2;
/** Nothing more wanted from this direction. */
const PHASE_DONE: u8 = 3;

/** The largest KEXINIT packet gathered (uint32 length included); real ones are 0.7-2 KB. */
const MAX_KEXINIT: u32 = 8192;
/** Length, padding length, code, cookie, ten empty name-lists, boolean, reserved, 4 bytes of padding. */
const SMALLEST_KEXINIT: u32 = <u32>KEXINIT_LISTS + <u32>NAME_LIST_LENGTH_LEN * KEXINIT_LIST_COUNT + 1 + 4 + SSH_MIN_PADDING;

@inline function dirState(rec: usize, dir: u32): usize {
  return rec + FLOW_DISSECTOR_STATE + ST_DIR0 + <usize>dir * ST_DIR_SIZE;
}

/** The direction's gathering buffer; both are allocated on the first need. */
function gatherBuffer(rec: usize, dir: u32): usize {
  let ctx = <usize>load<u32>(rec + FLOW_DISSECTOR_STATE + ST_CTX);
  if (ctx == 0) {
    ctx = heap.alloc(<usize>MAX_KEXINIT * 2);
    store<u32>(rec + FLOW_DISSECTOR_STATE + ST_CTX, <u32>ctx);
  }
  return ctx + <usize>dir * <usize>MAX_KEXINIT;
}

/** Dissection of the flow is over: give the buffers back (called once or more, by the registry). */
export function releaseSsh(rec: usize): void {
  const ctx = <usize>load<u32>(rec + FLOW_DISSECTOR_STATE + ST_CTX);
  if (ctx != 0) {
    heap.free(ctx);
    store<u32>(rec + FLOW_DISSECTOR_STATE + ST_CTX, 0);
  }
}

// --- Dissection ------------------------------------------------------------------------------

export function dissectSsh(rec: usize, fromClient: bool): i32 {
  let p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (<u32>load<u16>(rec + FLOW_MASTER_PROTO) != PROTO_SSH) {
    // Not ours yet: the flow is SSH if its first payload opens with an identification string
    // ("SSH-" and a protocol version: 2.0, or 1.99 / 1.5 of old servers).
    if (!startsWith(p, end, SSH_IDENT_PREFIX) || end - p < 5 || !isDigit(<u32>load<u8>(p + 4))) return R_NO;
    setDetected(rec, PROTO_SSH, 0);
    memory.fill(rec + FLOW_DISSECTOR_STATE, 0, FLOW_DISSECTOR_STATE_SIZE);
  }
  const dir: u32 = fromClient ? 0 : 1;
  p = inSequence(rec, dir, p, end);
  if (p < end) readDirection(rec, dir, p, end);
  const bothDone = load<u8>(dirState(rec, 0) + DIR_PHASE) == PHASE_DONE &&
    load<u8>(dirState(rec, 1) + DIR_PHASE) == PHASE_DONE;
  return bothDone ? R_DONE : R_MATCH;
}

/**
 * Where the new bytes of this segment start (RFC 9293 §3.4 sequence numbers): past what a
 * retransmission repeats; `end` when nothing is new. A gap ends the direction.
 */
function inSequence(rec: usize, dir: u32, p: usize, end: usize): usize {
  const st = dirState(rec, dir);
  const seq = info.tcpSeq;
  const len = <u32>(end - p);
  if (load<u8>(st + DIR_SEQ_KNOWN) == 0) {
    store<u8>(st + DIR_SEQ_KNOWN, 1);
    store<u32>(st + DIR_NEXT_SEQ, seq + len);
    return p;
  }
  const expected = load<u32>(st + DIR_NEXT_SEQ);
  const ahead: u32 = seq - expected; // modulo 2^32
  if (ahead != 0 && ahead < 0x80000000) {
    // Bytes were lost before this segment: the rest of the direction cannot be followed.
    store<u8>(st + DIR_PHASE, PHASE_DONE);
    return end;
  }
  const repeated: u32 = expected - seq;
  if (repeated >= len) return end;
  store<u32>(st + DIR_NEXT_SEQ, seq + len);
  return p + <usize>repeated;
}

/** Consumes new bytes of direction `dir`: identification line, then the KEXINIT. */
function readDirection(rec: usize, dir: u32, p: usize, end: usize): void {
  const st = dirState(rec, dir);
  // Each pass consumes one line or ends the loop: bounded by the segment's length.
  while (p < end) {
    const phase = load<u8>(st + DIR_PHASE);
    if (phase == PHASE_DONE) return;
    if (phase == PHASE_KEXINIT) { gatherKexinit(rec, dir, p, end); return; }
    const eol = lineEnd(p, end);
    const isIdent = phase == PHASE_IDENT && startsWith(p, end, SSH_IDENT_PREFIX);
    if (isIdent) reportIdent(rec, p, eol);
    // The identification line (or its continuation) ends the text part of the direction;
    // other lines before it are skipped (§4.2).
    const identLine = isIdent || phase == PHASE_LINE_REST;
    if (eol == end) {
      store<u8>(st + DIR_PHASE, identLine ? PHASE_LINE_REST : PHASE_IDENT);
      return;
    }
    p = eol + 1 < end && load<u8>(eol) == 0x0d && load<u8>(eol + 1) == 0x0a ? eol + 2 : eol + 1;
    store<u8>(st + DIR_PHASE, identLine ? PHASE_KEXINIT : PHASE_IDENT);
  }
}

function reportIdent(rec: usize, p: usize, eol: usize): void {
  let len = eol - p;
  if (len > SSH_IDENT_MAX) len = SSH_IDENT_MAX;
  const flags = load<u8>(rec + FLOW_DISSECTOR_STATE + ST_FLAGS);
  if ((flags & F_FIRST_IDENT) == 0) {
    store<u8>(rec + FLOW_DISSECTOR_STATE + ST_FLAGS, flags | F_FIRST_IDENT);
    metaSetString(rec, META_STR_SSH_CLIENT, p, len);
    // nDPI's Hostname/SNI of an SSH flow is this string; it names no host, so no host-list lookup.
    metaSetString(rec, META_STR_HOST, p, len);
  } else {
    metaSetString(rec, META_STR_SSH_SERVER, p, len);
  }
}

/**
 * The KEXINIT starts at p or continues there. Parsed in place when the segment holds all of
 * it, else gathered until complete.
 */
function gatherKexinit(rec: usize, dir: u32, p: usize, end: usize): void {
  const st = dirState(rec, dir);
  let have = <u32>load<u16>(st + DIR_HAVE);
  let need = load<u32>(st + DIR_NEED);
  if (have == 0) {
    // The LF of an identification line whose CR ended the previous segment.
    if (load<u8>(p) == 0x0a) p++;
    if (p == end) return;
    if (end - p >= 4) {
      need = 4 + sshPacketLength(p);
      if (!plausibleLength(need)) { store<u8>(st + DIR_PHASE, PHASE_DONE); return; }
      if (<u32>(end - p) >= need) {
        parseKexinit(rec, dir, p, need);
        store<u8>(st + DIR_PHASE, PHASE_DONE);
        return;
      }
      store<u32>(st + DIR_NEED, need);
    }
  }
  const buf = gatherBuffer(rec, dir);
  // Without the length yet, take what fits: the packet's own bytes come first anyway.
  const room = (need != 0 ? need : MAX_KEXINIT) - have;
  const take = <u32>(end - p) < room ? <u32>(end - p) : room;
  memory.copy(buf + <usize>have, p, <usize>take);
  have += take;
  store<u16>(st + DIR_HAVE, <u16>have);
  if (need == 0 && have >= 4) {
    need = 4 + sshPacketLength(buf);
    if (!plausibleLength(need)) { store<u8>(st + DIR_PHASE, PHASE_DONE); return; }
    store<u32>(st + DIR_NEED, need);
  }
  if (need != 0 && have >= need) {
    parseKexinit(rec, dir, buf, need);
    store<u8>(st + DIR_PHASE, PHASE_DONE);
  }
}

@inline function plausibleLength(need: u32): bool {
  return need >= SMALLEST_KEXINIT && need <= MAX_KEXINIT;
}

// --- KEXINIT ---------------------------------------------------------------------------------

/** (pointer, length) of the ten name-lists of the last parsed KEXINIT. */
const listPtr: usize = memory.data(<i32>KEXINIT_LIST_COUNT * 4, 4);
const listLen: usize = memory.data(<i32>KEXINIT_LIST_COUNT * 4, 4);
const md5Ctx: usize = memory.data(<i32>MD5_CONTEXT_SIZE, 8);
const digest: usize = memory.data(<i32>MD5_DIGEST_LEN, 8);
const hexBuf: usize = memory.data(<i32>MD5_DIGEST_LEN * 2, 8);
const SEMICOLON: usize = memory.data<u8>([0x3b]);

/** Parses the binary packet [pkt, pkt + total) as a KEXINIT and reports what it offers. */
function parseKexinit(rec: usize, dir: u32, pkt: usize, total: u32): void {
  const padding = sshPaddingLength(pkt);
  const packetLength = total - 4;
  // §6: padding_length counts within packet_length, and the payload needs its message code.
  if (padding + 2 > packetLength || sshMessageCode(pkt) != SSH_MSG_KEXINIT) return;
  const payloadEnd = pkt + <usize>(total - padding);
  let p = pkt + KEXINIT_LISTS;
  for (let i: u32 = 0; i < KEXINIT_LIST_COUNT; i++) {
    if (p + NAME_LIST_LENGTH_LEN > payloadEnd) return;
    const len = <usize>be32(p);
    p += NAME_LIST_LENGTH_LEN;
    if (len > payloadEnd - p) return;
    store<u32>(listPtr + (<usize>i << 2), <u32>p);
    store<u32>(listLen + (<usize>i << 2), <u32>len);
    p += len;
  }
  const client = dir == 0;
  md5Init(md5Ctx);
  hashList(LIST_KEX, false);
  hashList(client ? LIST_ENC_C2S : LIST_ENC_S2C, true);
  hashList(client ? LIST_MAC_C2S : LIST_MAC_S2C, true);
  hashList(client ? LIST_COMP_C2S : LIST_COMP_S2C, true);
  md5Final(md5Ctx, digest);
  const n = hexEncode(digest, MD5_DIGEST_LEN, hexBuf);
  for (let i: usize = 0; i < n; i++) {
    const c = load<u8>(hexBuf + i);
    if (c >= 0x61) store<u8>(hexBuf + i, c - 0x20); // nDPI prints HASSH in upper case
  }
  metaSetString(rec, client ? META_STR_HASSH_C : META_STR_HASSH_S, hexBuf, n);
  checkCiphers(rec, client);
}

function hashList(index: u32, separated: bool): void {
  if (separated) md5Update(md5Ctx, SEMICOLON, 1);
  md5Update(md5Ctx, <usize>load<u32>(listPtr + (<usize>index << 2)), <usize>load<u32>(listLen + (<usize>index << 2)));
}

// RFC 8758 §3: the RC4 ciphers "arcfour", "arcfour128" and "arcfour256" MUST NOT be used.
// Checked in this order; the first one offered is named in the risk info.
const OBSOLETE_CIPHERS: StaticArray<string> = ["arcfour128", "arcfour256", "arcfour"];
const INFO_PREFIX = "Found cipher ";
const INFO_SEPARATOR = " / ";
const INFO_MAX: usize = 256;
const infoBuf: usize = memory.data(<i32>INFO_MAX);

function checkCiphers(rec: usize, client: bool): void {
  for (let i = 0; i < OBSOLETE_CIPHERS.length; i++) {
    const name = OBSOLETE_CIPHERS[i];
    if (listHas(LIST_ENC_C2S, name) || listHas(LIST_ENC_S2C, name)) {
      setRisk(rec, client ? RISK_SSH_OBSOLETE_CLIENT_VERSION_OR_CIPHER : RISK_SSH_OBSOLETE_SERVER_VERSION_OR_CIPHER);
      addRiskInfo(rec, name);
      return;
    }
  }
}

/** Is `name` one of the comma-separated names of list `index`? (Whole names, not substrings.) */
function listHas(index: u32, name: string): bool {
  const p = <usize>load<u32>(listPtr + (<usize>index << 2));
  const end = p + <usize>load<u32>(listLen + (<usize>index << 2));
  let at = p;
  while (at < end) {
    let stop = at;
    while (stop < end && load<u8>(stop) != 0x2c) stop++;
    if (stop - at == <usize>name.length && startsWith(at, stop, name)) return true;
    at = stop + 1;
  }
  return false;
}

/** Appends "Found cipher <name>" to the flow's risk info, " / " separated as nDPI joins them. */
function addRiskInfo(rec: usize, name: string): void {
  let n: usize = 0;
  const previous = <usize>metaStringLen(rec, META_STR_RISK_INFO);
  if (previous != 0 && previous + 64 < INFO_MAX) {
    memory.copy(infoBuf, metaStringPtr(rec, META_STR_RISK_INFO), previous);
    n = previous;
    n += appendLiteral(infoBuf + n, INFO_SEPARATOR);
  }
  n += appendLiteral(infoBuf + n, INFO_PREFIX);
  n += appendLiteral(infoBuf + n, name);
  metaSetString(rec, META_STR_RISK_INFO, infoBuf, n);
}

function appendLiteral(out: usize, text: string): usize {
  memory.copy(out, literalBytes(text), <usize>text.length);
  return <usize>text.length;
}
