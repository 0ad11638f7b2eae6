// The dissectors, by id. A flow is offered to each in id order until one recognises it; that
// one then owns the flow. Ids are bits of the record's `excluded` mask, so at most 63.
// To add one: a DISSECTOR_ id, a line in runDissector, and its transports in dissectorTransports.
import { R_NO } from "./result";
import { dissectDns } from "./dns";
import { dissectQuic } from "./quic";
import { dissectTls, releaseTls } from "./tls";
import { dissectSlp } from "./slp";
import { dissectSip } from "./sip";
import { dissectNetbios } from "./netbios";
import { dissectDhcp } from "./dhcp";
import { dissectDhcpv6 } from "./dhcpv6";
import { dissectNtp } from "./ntp";
import { dissectSnmp } from "./snmp";
import { dissectSyslog } from "./syslog";

export const DISSECTOR_NONE: u32 = 0;
export const DISSECTOR_DNS: u32 = 1;
export const DISSECTOR_TLS: u32 = 2;
export const DISSECTOR_QUIC: u32 = 3;
export const DISSECTOR_SLP: u32 = 10;
export const DISSECTOR_SIP: u32 = 13;
export const DISSECTOR_NETBIOS: u32 = 14;
export const DISSECTOR_DHCP: u32 = 15;
export const DISSECTOR_DHCPV6: u32 = 16;
export const DISSECTOR_NTP: u32 = 17;
export const DISSECTOR_SNMP: u32 = 18;
export const DISSECTOR_SYSLOG: u32 = 19;
/** One past the highest id. */
export const DISSECTOR_COUNT: u32 = 21;

export const ON_TCP: u32 = 1;
export const ON_UDP: u32 = 2;

export function runDissector(id: u32, rec: usize, fromClient: bool): i32 {
  switch (id) {
    case DISSECTOR_DNS: return dissectDns(rec, fromClient);
    case DISSECTOR_QUIC: return dissectQuic(rec, fromClient);
    case DISSECTOR_TLS: return dissectTls(rec, fromClient);
    case DISSECTOR_SLP: return dissectSlp(rec, fromClient);
    case DISSECTOR_SIP: return dissectSip(rec, fromClient);
    case DISSECTOR_NETBIOS: return dissectNetbios(rec, fromClient);
    case DISSECTOR_DHCP: return dissectDhcp(rec, fromClient);
    case DISSECTOR_DHCPV6: return dissectDhcpv6(rec, fromClient);
    case DISSECTOR_NTP: return dissectNtp(rec, fromClient);
    case DISSECTOR_SNMP: return dissectSnmp(rec, fromClient);
    case DISSECTOR_SYSLOG: return dissectSyslog(rec, fromClient);
  }
  return R_NO;
}

export function dissectorTransports(id: u32): u32 {
  switch (id) {
    case DISSECTOR_DNS: return ON_TCP | ON_UDP;
    case DISSECTOR_QUIC: return ON_UDP;
    case DISSECTOR_TLS: return ON_TCP;
    case DISSECTOR_SLP: return ON_TCP | ON_UDP;
    case DISSECTOR_SIP: return ON_TCP | ON_UDP;
    case DISSECTOR_NETBIOS: return ON_TCP | ON_UDP;
    case DISSECTOR_DHCP: return ON_UDP;
    case DISSECTOR_DHCPV6: return ON_UDP;
    case DISSECTOR_NTP: return ON_UDP;
    case DISSECTOR_SNMP: return ON_UDP;
    case DISSECTOR_SYSLOG: return ON_TCP | ON_UDP;
  }
  return 0;
}

/**
 * Dissection of the flow is over (done, 32 packets, or the flow ended; may be called more than
 * once): the owner gives back what it allocated for the flow.
 */
export function releaseDissector(id: u32, rec: usize): void {
  switch (id) {
    case DISSECTOR_TLS: releaseTls(rec); break;
  }
}
