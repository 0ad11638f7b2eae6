// LINKTYPE_ values from tcpdump.org/linktypes.html (the numbers in pcap and pcapng headers).
export const LINKTYPE_NULL: u32 = 0;
export const LINKTYPE_ETHERNET: u32 = 1;
export const LINKTYPE_PPP: u32 = 9;
export const LINKTYPE_RAW_BSD_12: u32 = 12;
export const LINKTYPE_RAW_BSD_14: u32 = 14;
export const LINKTYPE_PPP_HDLC: u32 = 50;
export const LINKTYPE_RAW: u32 = 101;
export const LINKTYPE_C_HDLC: u32 = 104;
export const LINKTYPE_IEEE802_11: u32 = 105;
export const LINKTYPE_LOOP: u32 = 108;
export const LINKTYPE_LINUX_SLL: u32 = 113;
export const LINKTYPE_PPI: u32 = 192;
export const LINKTYPE_IPV4: u32 = 228;
export const LINKTYPE_IPV6: u32 = 229;
export const LINKTYPE_LINUX_SLL2: u32 = 276;
