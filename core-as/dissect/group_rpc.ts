// RPC, messaging and storage protocols of the long tail, offered as one dissector (group.ts):
// AMQP, CORBA (GIOP/MIOP), Thrift, AFS Rx, FastCGI, DRDA, Lustre and bare Protocol Buffers.
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

const RX_SLOT: usize = GROUP_DATA;
// @ts-ignore: compile-time check (AssemblyScript builtin)
if (RX_SLOT + RX_STATE_SIZE > GROUP_DATA_END) ERROR("group_rpc: members' state past the group area");

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
  const rx = dissectRx(rec, fromClient, groupId, RX_SLOT);
  if (rx >= R_MATCH) return rx;
  // Protobuf waits for the flow's later payloads; where it gives up, the group is excluded
  // unless Rx still hopes (only on the AFS ports).
  const protobuf = dissectProtobuf(rec, fromClient);
  if (protobuf >= R_MATCH) return protobuf;
  return rx | protobuf;
}
