// Tabular Data Stream, Microsoft SQL Server's protocol (MS-TDS §2.2.3.1, TCP 1433): every
// packet starts with an 8-byte header: type, status, length (big-endian, header included),
// SPID, packet id, window (0). The first payload packet must be one whole TDS packet: a flow
// seen from the middle of a message is left to the port guess, as nDPI does. No state.
// Off the SQL Server ports only the messages that open a connection count: the header alone
// also fits other length-prefixed protocols (a TPKT header, RFC 1006, reads as an RPC packet).
import * as info from "../decode/packet_info";
import { be16 } from "../util/bytes";
import { setDetected } from "../classify/classify";
import { PROTO_MSSQL_TDS } from "../classify/generated/protocols";
import { R_DONE, R_NO } from "./result";

const TDS_TYPE: usize = 0;
const TDS_STATUS: usize = 1;
const TDS_LENGTH: usize = 2;
const TDS_WINDOW: usize = 7;
const TDS_HEADER_LEN: usize = 8;
/** MS-TDS §2.2.3.1.2: end of message, ignore, reset connection (skip tran); bits above 0x10 unused. */
const TDS_STATUS_KNOWN: u32 = 0x1f;
const PORT_SQL_SERVER: u32 = 1433;
const PORT_SQL_BROWSER: u32 = 1434;
const TDS_LOGIN7: u32 = 16;
const TDS_PRELOGIN: u32 = 18;

/** MS-TDS §2.2.3.1.1 packet types. */
function isTdsType(t: u32): bool {
  switch (t) {
    case 1: case 2: case 3: case 4: case 6: case 7: case 14: case 15: case 16: case 17: case 18:
      return true;
  }
  return false;
}

export function dissectTds(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < TDS_HEADER_LEN) return R_NO;
  const type = <u32>load<u8>(p + TDS_TYPE);
  if (!isTdsType(type)) return R_NO;
  const onSqlPort = info.srcPort == PORT_SQL_SERVER || info.dstPort == PORT_SQL_SERVER ||
    info.srcPort == PORT_SQL_BROWSER || info.dstPort == PORT_SQL_BROWSER;
  if (!onSqlPort && type != TDS_PRELOGIN && type != TDS_LOGIN7) return R_NO;
  if ((<u32>load<u8>(p + TDS_STATUS) & ~TDS_STATUS_KNOWN) != 0 || load<u8>(p + TDS_WINDOW) != 0) return R_NO;
  if (<usize>be16(p + TDS_LENGTH) != len) return R_NO;
  setDetected(rec, PROTO_MSSQL_TDS, 0);
  return R_DONE;
}
