// SMB over TCP: on 139 inside a NetBIOS session message (RFC 1002 §4.3.1: type 0x00, flags,
// length), on 445 with the direct-TCP header of the same shape (MS-SMB2 §2.1: a zero byte and
// a 24-bit length). The message then starts with the protocol's magic: 0xFF 'SMB' for SMB1
// (MS-CIFS §2.2.3.1), 0xFE 'SMB' for SMB2/3 (MS-SMB2 §2.2.1), 0xFD 'SMB' for an SMB3
// transform (encrypted, §2.2.41) and 0xFC 'SMB' for a compression transform (§2.2.42).
// nDPI names these NetBIOS.SMBv1 / NetBIOS.SMBv23, and flags SMB1 as an insecure version.
// The first payload packet decides (a capture starting mid-message is left to the port
// guess, as nDPI does): no state.
import * as info from "../decode/packet_info";
import { be32 } from "../util/bytes";
import { setDetected, setRisk } from "../classify/classify";
import { PROTO_NETBIOS, PROTO_SMBV1, PROTO_SMBV23 } from "../classify/generated/protocols";
import { RISK_SMB_INSECURE_VERSION } from "../classify/generated/risks";
import { literalBytes } from "../util/ascii";
import { META_STR_RISK_INFO, metaHasString, metaSetString } from "./meta";
import { R_DONE, R_NO } from "./result";

const SESSION_HEADER_LEN: usize = 4;
const SESSION_MESSAGE: u32 = 0x00;
const SESSION_LENGTH_MASK: u32 = 0x00ffffff;
const SMB_MAGIC_LEN: usize = 4;
/** "SMB" after the version byte, little-endian in one load. */
const SMB_MAGIC_TAIL: u32 = 0x424d53;
const SMB1_VERSION: u32 = 0xff;
const SMB2_VERSION: u32 = 0xfe;
const SMB3_TRANSFORM: u32 = 0xfd;
const SMB3_COMPRESSION: u32 = 0xfc;
/** Fixed header sizes: SMB1 32 bytes (MS-CIFS §2.2.3.1), SMB2 64 bytes (MS-SMB2 §2.2.1). */
const SMB1_HEADER_LEN: usize = 32;
const SMB2_HEADER_LEN: usize = 64;
const SMB2_TRANSFORM_LEN: usize = 52;
const SMB2_COMPRESSION_LEN: usize = 16;

const FOUND_SMBV1 = "Found SMBv1";

export function dissectSmb(rec: usize, fromClient: bool): i32 {
  const p = info.payloadPtr;
  const len = <usize>info.payloadLen;
  if (len < SESSION_HEADER_LEN + SMB_MAGIC_LEN || <u32>load<u8>(p) != SESSION_MESSAGE) return R_NO;
  const declared = <usize>(be32(p) & SESSION_LENGTH_MASK);
  const smb = p + SESSION_HEADER_LEN;
  if ((load<u32>(smb) >> 8) != SMB_MAGIC_TAIL) return R_NO;
  const version = <u32>load<u8>(smb);
  let minimum: usize;
  switch (version) {
    case SMB1_VERSION: minimum = SMB1_HEADER_LEN; break;
    case SMB2_VERSION: minimum = SMB2_HEADER_LEN; break;
    case SMB3_TRANSFORM: minimum = SMB2_TRANSFORM_LEN; break;
    case SMB3_COMPRESSION: minimum = SMB2_COMPRESSION_LEN; break;
    default: return R_NO;
  }
  if (declared < minimum) return R_NO;
  if (version == SMB1_VERSION) {
    setDetected(rec, PROTO_NETBIOS, PROTO_SMBV1);
    setRisk(rec, RISK_SMB_INSECURE_VERSION);
    if (!metaHasString(rec, META_STR_RISK_INFO)) {
      metaSetString(rec, META_STR_RISK_INFO, literalBytes(FOUND_SMBV1), FOUND_SMBV1.length);
    }
  } else {
    setDetected(rec, PROTO_NETBIOS, PROTO_SMBV23);
  }
  return R_DONE;
}
