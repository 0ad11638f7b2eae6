// RPC, messaging, storage and file-transfer protocols of the long tail, offered as one
// dissector (group.ts): AMQP, CORBA (GIOP/MIOP), Thrift, AFS Rx, FastCGI, DRDA, Lustre, bare
// Protocol Buffers, TFTP and Raft.
//
// State: members that need some keep it in the flow's group area (group.ts) at the offsets below.
import { R_MATCH } from "./result";
import { GROUP_DATA, GROUP_DATA_END, payloadPacketIndex } from "./group";
import { dissectAmqp } from "./amqp";
import { dissectCorba } from "./corba";
import { dissectThrift } from "./thrift";
import { RX_STATE_SIZE, dissectRx } from "./rx";
import { dissectFastcgi } from "./fastcgi";
import { dissectDrda } from "./drda";
import { dissectLustre } from "./lustre";
import { dissectProtobuf } from "./protobuf";
import { TFTP_STATE_SIZE, dissectTftp } from "./tftp";
import { RAFT_STATE_SIZE, dissectRaft } from "./raft";

const RX_SLOT: usize = GROUP_DATA;
const TFTP_SLOT: usize = RX_SLOT + RX_STATE_SIZE;
const RAFT_SLOT: usize = TFTP_SLOT + TFTP_STATE_SIZE;
// @ts-ignore: compile-time check (AssemblyScript builtin)
if (RAFT_SLOT + RAFT_STATE_SIZE > GROUP_DATA_END) ERROR("group_rpc: members' state past the group area");

/** The one-packet members look at the flow's first payload only, as nDPI's do. */
export function dissectRpcGroup(rec: usize, fromClient: bool, groupId: u32): i32 {
  if (payloadPacketIndex(rec) == 1) {
    let r = dissectAmqp(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectCorba(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectThrift(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectFastcgi(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectDrda(rec, fromClient);
    if (r >= R_MATCH) return r;
    r = dissectLustre(rec, fromClient);
    if (r >= R_MATCH) return r;
  }
  let verdict: i32 = 0;
  let r = dissectRx(rec, fromClient, groupId, RX_SLOT);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectTftp(rec, fromClient, groupId, TFTP_SLOT);
  if (r >= R_MATCH) return r;
  verdict |= r;
  r = dissectRaft(rec, fromClient, groupId, RAFT_SLOT);
  if (r >= R_MATCH) return r;
  verdict |= r;
  // Protobuf waits for the flow's later payloads; where it gives up, the group is excluded
  // unless another member still hopes.
  r = dissectProtobuf(rec, fromClient);
  if (r >= R_MATCH) return r;
  return verdict | r;
}
