// The flow record: one fixed-size block of linear memory per flow. This is the one place its
// layout is defined; the runtime reads it through the FLOW_* offsets exported by index.ts.
//
//  off size field
//    0   16 cliAddr        client address (IPv4 in the first 4 bytes, rest zero)
//   16   16 srvAddr        server address
//   32    2 cliPort        host order
//   34    2 srvPort
//   36    2 vlan           innermost 802.1Q VID, 0 when untagged
//   38    1 l4Proto        IP protocol number
//   39    1 ipVersion      4 or 6
//   40    4 keyHash        hash of the direction-free key (flow/key.ts)
//   44    4 serial         creation serial (ntopng's hash_entry_id is its low 24 bits)
//   48    8 firstSeenUs    packet time of the first frame, µs since the epoch
//   56    8 lastSeenUs
//   64    8 c2sPackets     frames client -> server
//   72    8 c2sBytes       on-wire frame bytes client -> server
//   80    8 c2sGoodput     transport payload bytes client -> server
//   88    8 s2cPackets
//   96    8 s2cBytes
//  104    8 s2cGoodput
//  112    1 c2sTcpFlags    OR of the TCP flags sent by the client
//  113    1 s2cTcpFlags
//  114    1 tcpHandshake   TWH_* progress of the three-way handshake
//  115    1 tunnel         TUNNEL_* the flow was found in (decode/packet_info.ts)
//  116    1 state          STATE_* lifecycle
//  117    1 payloadChecks  how far the payload-statistics risks got (classify/payload_risks.ts)
//  118    1 tcpOddities    TCP_ODD_* segments worth a risk (classify/tcp_risks.ts)
//  119    1 (reserved)
//  120    4 nextLink       active: next flow in creation order; free: next free record
//  124    4 prevActive     active: previous flow in creation order
//  --- application layer (core-as/dissect, core-as/classify) ---
//  128    2 masterProto    nDPI id of the protocol found by dissection (DNS, TLS, HTTP...)
//  130    2 appProto       nDPI id of the application on top (Google, YouTube...), 0 if none
//  132    2 category       nDPI category id of the flow
//  134    1 confidence     CONF_* how the classification was obtained
//  135    1 dpiPackets     packets handed to the dissectors
//  136    1 l7Flags        L7_* progress of dissection
//  137    1 dissector      DISSECTOR_* id that owns the flow once it matched (0 none)
//  138    2 ipProto        protocol of the server address in nDPI's IP lists, 0 if none
//  140    4 metaBlock      pointer to the flow's metadata block (dissect/meta.ts), 0 if none
//  144    8 excluded       bit per dissector id: this flow is known not to be that protocol
//  152    8 risks          bit per nDPI risk id
//  160   32 dissectorState private to the owning dissector (sequence numbers, counters...)
//  --- per-direction IP and ICMP facts of the last packet (ntopng's Flow::setTOS / setICMP) ---
//  192    1 c2sTos         IPv4 TOS / IPv6 traffic class of the client's last packet (DSCP << 2 | ECN)
//  193    1 s2cTos         the same for the server's last packet
//  194    1 c2sIcmpType    ICMP/ICMPv6 flows: type of the client's last message (3+ bytes of ICMP)
//  195    1 c2sIcmpCode
//  196    1 s2cIcmpType    the same for the server's last message
//  197    1 s2cIcmpCode
//  198   34 (reserved)
//  232   24 groupState     state of the long-tail dissector groups (dissect/group.ts), tag byte first
//  256      FLOW_RECORD_SIZE

export const FLOW_CLI_ADDR: usize = 0;
export const FLOW_SRV_ADDR: usize = 16;
export const FLOW_CLI_PORT: usize = 32;
export const FLOW_SRV_PORT: usize = 34;
export const FLOW_VLAN: usize = 36;
export const FLOW_L4_PROTO: usize = 38;
export const FLOW_IP_VERSION: usize = 39;
export const FLOW_KEY_HASH: usize = 40;
export const FLOW_SERIAL: usize = 44;
export const FLOW_FIRST_SEEN: usize = 48;
export const FLOW_LAST_SEEN: usize = 56;
export const FLOW_C2S_PACKETS: usize = 64;
export const FLOW_C2S_BYTES: usize = 72;
export const FLOW_C2S_GOODPUT: usize = 80;
export const FLOW_S2C_PACKETS: usize = 88;
export const FLOW_S2C_BYTES: usize = 96;
export const FLOW_S2C_GOODPUT: usize = 104;
export const FLOW_C2S_TCP_FLAGS: usize = 112;
export const FLOW_S2C_TCP_FLAGS: usize = 113;
export const FLOW_TCP_HANDSHAKE: usize = 114;
export const FLOW_TUNNEL: usize = 115;
export const FLOW_STATE: usize = 116;
export const FLOW_PAYLOAD_CHECKS: usize = 117;
export const FLOW_TCP_ODDITIES: usize = 118;
export const FLOW_NEXT_LINK: usize = 120;
export const FLOW_PREV_ACTIVE: usize = 124;
export const FLOW_MASTER_PROTO: usize = 128;
export const FLOW_APP_PROTO: usize = 130;
export const FLOW_CATEGORY: usize = 132;
export const FLOW_CONFIDENCE: usize = 134;
export const FLOW_DPI_PACKETS: usize = 135;
export const FLOW_L7_FLAGS: usize = 136;
export const FLOW_DISSECTOR: usize = 137;
export const FLOW_IP_PROTO: usize = 138;
export const FLOW_META_BLOCK: usize = 140;
export const FLOW_EXCLUDED: usize = 144;
export const FLOW_RISKS: usize = 152;
export const FLOW_DISSECTOR_STATE: usize = 160;
export const FLOW_DISSECTOR_STATE_SIZE: usize = 32;
export const FLOW_C2S_TOS: usize = 192;
export const FLOW_S2C_TOS: usize = 193;
export const FLOW_C2S_ICMP_TYPE: usize = 194;
export const FLOW_C2S_ICMP_CODE: usize = 195;
export const FLOW_S2C_ICMP_TYPE: usize = 196;
export const FLOW_S2C_ICMP_CODE: usize = 197;
export const FLOW_GROUP_STATE: usize = 232;
export const FLOW_GROUP_STATE_SIZE: usize = 24;
export const FLOW_RECORD_SIZE: usize = 256;

/** Offset between the client-to-server counters and the server-to-client ones. */
export const FLOW_DIRECTION_STRIDE: usize = FLOW_S2C_PACKETS - FLOW_C2S_PACKETS;

/** tcpOddities: the client sent a segment with no flag at all (a NULL scan). */
export const TCP_ODD_NULL_SEGMENT: u8 = 1;

// Three-way handshake progress (RFC 9293 §3.5): client SYN, then server SYN+ACK, then client ACK.
export const TWH_NONE: u8 = 0;
export const TWH_SYN: u8 = 1;
export const TWH_SYN_ACK: u8 = 2;
export const TWH_DONE: u8 = 3;

// Lifecycle of a record.
export const STATE_FREE: u8 = 0;
export const STATE_ACTIVE: u8 = 1;
/** Ended at end of input: no longer in the index, still readable. */
export const STATE_ENDED: u8 = 2;

// How a flow's protocol was decided (printed with nDPI's names by the runtime).
export const CONF_UNKNOWN: u8 = 0;
export const CONF_MATCH_BY_PORT: u8 = 1;
export const CONF_MATCH_BY_IP: u8 = 2;
export const CONF_DPI: u8 = 3;

// l7Flags.
/** The protocol is known (by dissection or, at the end, by a guess). */
export const L7_DETECTED: u8 = 1;
/** No more packets need dissecting: later packets only update counters. */
export const L7_DONE: u8 = 2;
