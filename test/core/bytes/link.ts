// Link layers and L2 encapsulations.
import { MAC_CLIENT, MAC_SERVER, be16, be32, cat, le16, le32, u32, zeros, type Bytes } from './primitives.ts';

// --- Link layers -----------------------------------------------------------------------------

/** IEEE 802.3 §3.2.3 MAC frame (no preamble, no FCS): destination, source, type/length. */
export function ethernet(etherType: number, payload: Bytes | number[], dst = MAC_SERVER, src = MAC_CLIENT): Bytes {
  return cat(dst, src, be16(etherType), payload);
}

/** IEEE 802.3 §3.2.8 minimum frame: pad to 60 bytes (64 with the FCS the capture omits). */
export function padded(frame: Bytes, minLen = 60): Bytes {
  return frame.length >= minLen ? frame : cat(frame, zeros(minLen - frame.length));
}

/** IEEE 802.3 frame with a length field and an RFC 1042 LLC/SNAP header. */
export function ethernetLlcSnap(etherType: number, payload: Bytes): Bytes {
  const llc = llcSnap(etherType, payload);
  return cat(MAC_SERVER, MAC_CLIENT, be16(llc.length), llc);
}

/** RFC 1042 (802.2 LLC + SNAP): DSAP 0xAA, SSAP 0xAA, control 0x03 (UI), OUI 000000, EtherType. */
export function llcSnap(etherType: number, payload: Bytes): Bytes {
  return cat([0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00], be16(etherType), payload);
}

/** IEEE 802.1Q §9.6 tag after its TPID: TCI (PCP 3, DEI 1, VID 12 bits), then the inner EtherType. */
export function vlanTag(vid: number, innerType: number, payload: Bytes, pcp = 0): Bytes {
  return cat(be16(((pcp & 7) << 13) | (vid & 0xfff)), be16(innerType), payload);
}

/** RFC 3032 §2.1 label stack entries: label 20, TC 3, S 1, TTL 8 bits; S set on the last. */
export function mplsStack(labels: number[], payload: Bytes): Bytes {
  return cat(...labels.map((label, i) => be32(((label & 0xfffff) << 12) | (i === labels.length - 1 ? 0x100 : 0) | 64)), payload);
}

/** RFC 2516 §4 (session stage): VER 1, TYPE 1, CODE 0, SESSION_ID, LENGTH, then the PPP protocol (RFC 1661 §2). */
export function pppoeSession(sessionId: number, pppProtocol: number, payload: Bytes): Bytes {
  return cat([0x11, 0x00], be16(sessionId), be16(payload.length + 2), be16(pppProtocol), payload);
}

/** LINKTYPE_LINUX_SLL: packet type, ARPHRD type, address length, address (8), protocol. */
export function sll(protocol: number, payload: Bytes, packetType = 0): Bytes {
  return cat(be16(packetType), be16(1), be16(6), MAC_CLIENT, [0, 0], be16(protocol), payload);
}

/** LINKTYPE_LINUX_SLL2: protocol, reserved, interface index, ARPHRD type, packet type, address length, address (8). */
export function sll2(protocol: number, payload: Bytes, ifindex = 3): Bytes {
  return cat(be16(protocol), [0, 0], be32(ifindex), be16(1), [4], [6], MAC_CLIENT, [0, 0], payload);
}

/** LINKTYPE_NULL (host byte order) / LINKTYPE_LOOP (network order): a 4-byte address family. */
export function loopback(family: number, payload: Bytes, bigEndian: boolean): Bytes {
  return cat(u32(family, bigEndian), payload);
}

export const PPP = { IPV4: 0x0021, IPV6: 0x0057, LCP: 0xc021 } as const;

/** RFC 1662 §3.1 HDLC-like framing: address 0xFF, control 0x03, then the 2-byte protocol (RFC 1661 §2). */
export function pppHdlc(protocol: number, payload: Bytes): Bytes {
  return cat([0xff, 0x03], be16(protocol), payload);
}

/** RFC 1661 §6.5/§6.6: address/control compressed away, protocol field compressed to 1 byte. */
export function pppPfc(protocol: number, payload: Bytes): Bytes {
  if (protocol > 0xff || (protocol & 1) === 0) throw new Error('PFC needs an odd protocol below 0x100');
  return cat([protocol], payload);
}

/** Cisco HDLC (LINKTYPE_C_HDLC): address (0x0F unicast), control 0, EtherType. */
export function chdlc(etherType: number, payload: Bytes): Bytes {
  return cat([0x0f, 0x00], be16(etherType), payload);
}

/** PPI 1.0.10 §3.1 packet header: version 0, flags 0, pph_len (LE), pph_dlt (LE), no fields. */
export function ppi(dlt: number, payload: Bytes): Bytes {
  return cat([0, 0], le16(8), le32(dlt), payload);
}

export interface WlanOptions {
  toDs?: boolean; fromDs?: boolean; qos?: boolean; protected?: boolean;
  /** Order bit: on a QoS data frame, a 4-byte HT Control field follows QoS Control (§9.2.4.6). */
  order?: boolean;
  swapFrameControl?: boolean;
}

/**
 * IEEE 802.11-2020 §9.3.2.1 data frame: Frame Control (LE; type 2 = data, subtype 0 data or
 * 8 QoS data, To/From DS, Protected), Duration, Address 1-3, Sequence Control, Address 4 when
 * both DS bits are set, QoS Control for QoS subtypes; the body starts with LLC/SNAP.
 */
export function wlanData(body: Bytes, opts: WlanOptions = {}): Bytes {
  const fc = (2 << 2) | ((opts.qos ? 8 : 0) << 4) | (opts.toDs ? 0x0100 : 0) | (opts.fromDs ? 0x0200 : 0) | (opts.protected ? 0x4000 : 0) | (opts.order ? 0x8000 : 0);
  const bssid = [0x02, 0, 0, 0, 0, 0xaa];
  return cat(opts.swapFrameControl ? be16(fc) : le16(fc), le16(0), bssid, MAC_CLIENT, MAC_SERVER, le16(0x10),
    opts.toDs && opts.fromDs ? [0x02, 0, 0, 0, 0, 0xbb] : [], opts.qos ? le16(0) : [],
    opts.qos && opts.order ? [0, 0, 0, 0] : [], body);
}
