// NFS and the ONC RPC services around it (RFC 5531 §9). nDPI names NFS every flow whose first
// payload is an RPC call to the NFS program or to the services an NFS client talks to first:
// the portmapper (RFC 1833), mountd (RFC 1813 §5), the lock manager and status monitor (NLM,
// NSM) and NFS_ACL. Over TCP each message is preceded by a record mark (RFC 5531 §11: last-
// fragment bit, 31-bit length). One packet decides: no state.
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { IPPROTO_TCP } from "../wire/transport";
import { setDetected } from "../classify/classify";
import { PROTO_NFS } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

const RECORD_MARK_LEN: usize = 4;
const RECORD_LENGTH_MASK: u32 = 0x7fffffff;

// rpc_msg (RFC 5531 §9): xid, msg_type, then for a CALL: rpcvers, prog, vers, proc, cred, verf.
const RPC_MSG_TYPE: usize = 4;
const RPC_VERSION: usize = 8;
const RPC_PROGRAM: usize = 12;
const RPC_PROGRAM_VERSION: usize = 16;
/** xid .. proc, plus the two opaque_auth headers (flavor, length) at their smallest. */
const RPC_CALL_MIN_LEN: usize = 24 + 16;
const RPC_CALL: u32 = 0;
const RPC_VERSION_2: u32 = 2;
const MAX_PROGRAM_VERSION: u32 = 16;

// Program numbers (RFC 5531 Appendix B registry).
const PROG_PORTMAP: u32 = 100000;
const PROG_NFS: u32 = 100003;
const PROG_MOUNT: u32 = 100005;
const PROG_NLM: u32 = 100021;
const PROG_NSM: u32 = 100024;
const PROG_NFS_ACL: u32 = 100227;

function isNfsProgram(prog: u32): bool {
  return prog == PROG_NFS || prog == PROG_MOUNT || prog == PROG_PORTMAP || prog == PROG_NLM ||
    prog == PROG_NSM || prog == PROG_NFS_ACL;
}

export function dissectNfs(rec: usize, fromClient: bool): i32 {
  let p = info.payloadPtr;
  const end = p + <usize>info.payloadLen;
  if (info.l4Proto == IPPROTO_TCP) {
    if (end - p < RECORD_MARK_LEN) return R_NO;
    const fragment = <usize>(be32(p) & RECORD_LENGTH_MASK);
    p += RECORD_MARK_LEN;
    if (fragment < RPC_CALL_MIN_LEN) return R_NO;
  }
  if (end - p < RPC_CALL_MIN_LEN) return R_NO;
  if (be32(p + RPC_MSG_TYPE) != RPC_CALL || be32(p + RPC_VERSION) != RPC_VERSION_2) return R_NO;
  const version = be32(p + RPC_PROGRAM_VERSION);
  if (!isNfsProgram(be32(p + RPC_PROGRAM)) || version == 0 || version > MAX_PROGRAM_VERSION) return R_NO;
  setDetected(rec, PROTO_NFS, 0);
  return R_DONE;
}
