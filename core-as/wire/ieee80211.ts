// IEEE 802.11 MAC header (802.11-2020 §9.2), enough to reach the LLC/SNAP of a data frame.
import { le16 } from "../util/bytes";

export const WLAN_FRAME_CONTROL: usize = 0;
export const WLAN_BASE_HEADER_LEN: usize = 24;
export const WLAN_ADDR4_LEN: usize = 6;
export const WLAN_QOS_LEN: usize = 2;
export const WLAN_HT_CONTROL_LEN: usize = 4;
export const WLAN_TYPE_DATA: u32 = 2;

const FC_TO_DS: u32 = 0x0100;
const FC_FROM_DS: u32 = 0x0200;
const FC_PROTECTED: u32 = 0x4000;
const FC_ORDER: u32 = 0x8000;

@inline export function wlanFrameType(fc: u32): u32 { return (fc >> 2) & 3; }
@inline export function wlanSubtype(fc: u32): u32 { return (fc >> 4) & 0xf; }
@inline export function wlanFrameControl(ptr: usize): u32 { return le16(ptr + WLAN_FRAME_CONTROL); }
@inline export function wlanIsProtected(fc: u32): bool { return (fc & FC_PROTECTED) != 0; }

/** Header length of a data frame: addr4 when both DS bits are set, QoS control for QoS subtypes, HT control when Order is set on a QoS frame. */
export function wlanDataHeaderLen(fc: u32): usize {
  let len = WLAN_BASE_HEADER_LEN;
  if ((fc & FC_TO_DS) != 0 && (fc & FC_FROM_DS) != 0) len += WLAN_ADDR4_LEN;
  const qos = (wlanSubtype(fc) & 0x8) != 0;
  if (qos) {
    len += WLAN_QOS_LEN;
    if ((fc & FC_ORDER) != 0) len += WLAN_HT_CONTROL_LEN;
  }
  return len;
}
