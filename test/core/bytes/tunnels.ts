// Tunnel encapsulations whose inner packet the core takes as the flow.
import { be16, be32, cat, internetChecksum, zeros, type Bytes } from './primitives.ts';

// --- Tunnels ---------------------------------------------------------------------------------

/**
 * RFC 2784 §2.1 (C bit, Reserved0, Ver, Protocol Type, optional Checksum + Reserved1) with
 * RFC 2890 §2 Key (K) and Sequence Number (S) fields, in that order.
 */
export function gre(o: { protocol: number; payload: Bytes; checksum?: boolean; key?: number; seq?: number }): Bytes {
  const flags = (o.checksum ? 0x8000 : 0) | (o.key !== undefined ? 0x2000 : 0) | (o.seq !== undefined ? 0x1000 : 0);
  const packet = cat(be16(flags), be16(o.protocol), o.checksum ? [0, 0, 0, 0] : [],
    o.key !== undefined ? be32(o.key) : [], o.seq !== undefined ? be32(o.seq) : [], o.payload);
  if (o.checksum) packet.set(be16(internetChecksum(packet)), 4);
  return packet;
}

/** RFC 7348 §5: flags (I = 0x08), 24 reserved bits, 24-bit VNI, 8 reserved bits; an Ethernet frame follows. */
export function vxlan(vni: number, innerFrame: Bytes): Bytes {
  return cat([0x08, 0, 0, 0], be32((vni & 0xffffff) << 8), innerFrame);
}

export interface GtpExtension { type: number; content: Bytes | number[] }

/**
 * 3GPP TS 29.281 §5.1: flags (version 1, PT 1, E, S, PN), Message Type 0xFF (G-PDU), Length
 * (bytes after the first 8), TEID; then Sequence Number, N-PDU Number and Next Extension Header
 * Type when E, S or PN is set; §5.2 extension headers: length in 4-octet units, content, next type.
 */
export function gtpu(o: { teid: number; payload: Bytes; seq?: number; extensions?: GtpExtension[] }): Bytes {
  const ext = o.extensions ?? [];
  const optional = o.seq !== undefined || ext.length > 0;
  const flags = 0x30 | (ext.length > 0 ? 0x04 : 0) | (o.seq !== undefined ? 0x02 : 0);
  const headers = ext.map((e, i) => {
    const unpadded = 1 + e.content.length + 1;
    const len = Math.ceil(unpadded / 4) * 4;
    return cat([len / 4], e.content, zeros(len - unpadded), [i + 1 < ext.length ? ext[i + 1].type : 0]);
  });
  const rest = cat(optional ? cat(be16(o.seq ?? 0), [0], [ext.length > 0 ? ext[0].type : 0]) : [], ...headers, o.payload);
  return cat([flags, 0xff], be16(rest.length), be32(o.teid), rest);
}

/**
 * RFC 5415 §4.3 CAPWAP header (data channel): Preamble (version 0, type 0), HLEN (4-byte
 * words), RID, WBID (1 = IEEE 802.11, RFC 5416), T (payload is the native frame of the binding,
 * else 802.3), F, L, W, M, K, Flags; Fragment ID, Fragment Offset.
 */
export function capwap(o: { payload: Bytes; native80211?: boolean; wbid?: number; fragment?: boolean }): Bytes {
  const hlen = 2;
  const word = (hlen << 19) | (1 << 14) | ((o.wbid ?? 1) << 9) | (o.native80211 ? 0x100 : 0) | (o.fragment ? 0x80 : 0);
  return cat(be32(word), be32(0), o.payload);
}

/** TZSP (TaZmen Sniffer Protocol, as Wireshark's packet-tzsp.c reads it): version 1, type 0 (received), encapsulation, tags, END (1). */
export function tzsp(o: { encapsulation: number; payload: Bytes; tags?: number[] }): Bytes {
  return cat([1, 0], be16(o.encapsulation), o.tags ?? [], [1], o.payload);
}

export const PORT = { VXLAN: 4789, GTPU: 2152, CAPWAP_DATA: 5247, TZSP: 37008 } as const;
