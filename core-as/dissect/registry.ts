// The dissectors, by id. A flow is offered to each in id order until one recognises it; that
// one then owns the flow. Ids are bits of the record's `excluded` mask, so at most 63.
// To add one: a DISSECTOR_ id, a line in runDissector, and its transports in dissectorTransports.
import { R_NO } from "./result";
import { dissectDns } from "./dns";
import { dissectHttp } from "./http";
import { dissectQuic } from "./quic";
import { dissectTls, releaseTls } from "./tls";
import { dissectSlp } from "./slp";
import { dissectStun, releaseStun } from "./stun";
import { dissectRtp } from "./rtp";
import { dissectDtls, releaseDtls } from "./dtls";
import { dissectSip } from "./sip";
import { dissectNetbios } from "./netbios";
import { dissectDhcp } from "./dhcp";
import { dissectDhcpv6 } from "./dhcpv6";
import { dissectNtp } from "./ntp";
import { dissectSnmp } from "./snmp";
import { dissectSyslog } from "./syslog";
import { dissectKerberos } from "./kerberos";
import { dissectIpsec } from "./ipsec";
import { dissectSmb } from "./smb";
import { dissectRdp } from "./rdp";
import { dissectFtp } from "./ftp";
import { dissectSmtp } from "./smtp";
import { dissectImap } from "./imap";
import { dissectPop3 } from "./pop3";
import { dissectMqtt } from "./mqtt";
import { dissectModbus } from "./modbus";
import { dissectIec104 } from "./iec104";
import { dissectWireguard } from "./wireguard";
import { dissectOpenvpn } from "./openvpn";
import { dissectOicq } from "./oicq";
import { dissectZabbix } from "./zabbix";
import { dissectTds } from "./tds";
import { dissectNfs } from "./nfs";
import { dissectPostgres } from "./postgres";
import { dissectLdap } from "./ldap";
import { dissectSsh, releaseSsh } from "./ssh";
import { dissectGnutella } from "./gnutella";
import { dissectBittorrent } from "./bittorrent";
import { dissectSsdp } from "./ssdp";
import { dissectEthereum } from "./ethereum";
import { dissectRaknet } from "./raknet";
import { dissectAvast } from "./avast";
import { dissectWhatsapp } from "./whatsapp";
import { dissectAlicloud } from "./alicloud";
import { dissectJabber } from "./jabber";
import { dissectOnePayload } from "./one_payload";
import { dissectVoipGroup } from "./group_voip";
import { dissectIotGroup } from "./group_iot";
import { dissectRpcGroup } from "./group_rpc";
import { dissectTextGroup } from "./group_text";
import { dissectVpnGroup } from "./group_vpn";
import { dissectP2pGroup } from "./group_p2p";
import { dissectGamesGroup } from "./group_games";

export const DISSECTOR_NONE: u32 = 0;
export const DISSECTOR_DNS: u32 = 1;
export const DISSECTOR_TLS: u32 = 2;
export const DISSECTOR_HTTP: u32 = 4;
export const DISSECTOR_QUIC: u32 = 3;
export const DISSECTOR_SSH: u32 = 5;
export const DISSECTOR_GNUTELLA: u32 = 6;
export const DISSECTOR_BITTORRENT: u32 = 7;
export const DISSECTOR_SSDP: u32 = 8;
export const DISSECTOR_ETHEREUM: u32 = 9;
export const DISSECTOR_SLP: u32 = 10;
export const DISSECTOR_STUN: u32 = 11;
export const DISSECTOR_RTP: u32 = 12;
export const DISSECTOR_SIP: u32 = 13;
export const DISSECTOR_NETBIOS: u32 = 14;
export const DISSECTOR_DHCP: u32 = 15;
export const DISSECTOR_DHCPV6: u32 = 16;
export const DISSECTOR_NTP: u32 = 17;
export const DISSECTOR_SNMP: u32 = 18;
export const DISSECTOR_SYSLOG: u32 = 19;
export const DISSECTOR_DTLS: u32 = 20;
export const DISSECTOR_AVAST: u32 = 21;
export const DISSECTOR_KERBEROS: u32 = 22;
export const DISSECTOR_IPSEC: u32 = 23;
export const DISSECTOR_SMB: u32 = 24;
export const DISSECTOR_RDP: u32 = 25;
export const DISSECTOR_FTP: u32 = 26;
export const DISSECTOR_SMTP: u32 = 27;
export const DISSECTOR_IMAP: u32 = 28;
export const DISSECTOR_POP3: u32 = 29;
export const DISSECTOR_MQTT: u32 = 30;
export const DISSECTOR_MODBUS: u32 = 31;
export const DISSECTOR_IEC104: u32 = 32;
export const DISSECTOR_WIREGUARD: u32 = 33;
export const DISSECTOR_OPENVPN: u32 = 34;
export const DISSECTOR_OICQ: u32 = 35;
export const DISSECTOR_ZABBIX: u32 = 36;
export const DISSECTOR_TDS: u32 = 37;
export const DISSECTOR_NFS: u32 = 38;
export const DISSECTOR_POSTGRES: u32 = 39;
export const DISSECTOR_LDAP: u32 = 40;
/** Protocols decided by one payload, several per id (one_payload.ts). */
export const DISSECTOR_ONE_PAYLOAD: u32 = 41;
export const DISSECTOR_JABBER: u32 = 42;
export const DISSECTOR_RAKNET: u32 = 43;
export const DISSECTOR_WHATSAPP: u32 = 44;
export const DISSECTOR_ALICLOUD: u32 = 45;
// 52..62: groups of long-tail protocols (group.ts), one registry id per theme.
export const DISSECTOR_GROUP_VOIP: u32 = 52;
export const DISSECTOR_GROUP_IOT: u32 = 53;
export const DISSECTOR_GROUP_RPC: u32 = 54;
export const DISSECTOR_GROUP_TEXT: u32 = 55;
export const DISSECTOR_GROUP_VPN: u32 = 56;
export const DISSECTOR_GROUP_P2P: u32 = 57;
export const DISSECTOR_GROUP_GAMES: u32 = 58;
/** One past the highest id. */
export const DISSECTOR_COUNT: u32 = 63;

export const ON_TCP: u32 = 1;
export const ON_UDP: u32 = 2;

export function runDissector(id: u32, rec: usize, fromClient: bool): i32 {
  switch (id) {
    case DISSECTOR_DNS: return dissectDns(rec, fromClient);
    case DISSECTOR_QUIC: return dissectQuic(rec, fromClient);
    case DISSECTOR_SSH: return dissectSsh(rec, fromClient);
    case DISSECTOR_GNUTELLA: return dissectGnutella(rec, fromClient);
    case DISSECTOR_BITTORRENT: return dissectBittorrent(rec, fromClient);
    case DISSECTOR_SSDP: return dissectSsdp(rec, fromClient);
    case DISSECTOR_ETHEREUM: return dissectEthereum(rec, fromClient);
    case DISSECTOR_TLS: return dissectTls(rec, fromClient);
    case DISSECTOR_HTTP: return dissectHttp(rec, fromClient);
    case DISSECTOR_SLP: return dissectSlp(rec, fromClient);
    case DISSECTOR_STUN: return dissectStun(rec, fromClient);
    case DISSECTOR_RTP: return dissectRtp(rec, fromClient);
    case DISSECTOR_DTLS: return dissectDtls(rec, fromClient);
    case DISSECTOR_AVAST: return dissectAvast(rec, fromClient);
    case DISSECTOR_WHATSAPP: return dissectWhatsapp(rec, fromClient);
    case DISSECTOR_ALICLOUD: return dissectAlicloud(rec, fromClient);
    case DISSECTOR_SIP: return dissectSip(rec, fromClient);
    case DISSECTOR_NETBIOS: return dissectNetbios(rec, fromClient);
    case DISSECTOR_DHCP: return dissectDhcp(rec, fromClient);
    case DISSECTOR_DHCPV6: return dissectDhcpv6(rec, fromClient);
    case DISSECTOR_NTP: return dissectNtp(rec, fromClient);
    case DISSECTOR_SNMP: return dissectSnmp(rec, fromClient);
    case DISSECTOR_SYSLOG: return dissectSyslog(rec, fromClient);
    case DISSECTOR_KERBEROS: return dissectKerberos(rec, fromClient);
    case DISSECTOR_IPSEC: return dissectIpsec(rec, fromClient);
    case DISSECTOR_SMB: return dissectSmb(rec, fromClient);
    case DISSECTOR_RDP: return dissectRdp(rec, fromClient);
    case DISSECTOR_FTP: return dissectFtp(rec, fromClient);
    case DISSECTOR_SMTP: return dissectSmtp(rec, fromClient);
    case DISSECTOR_IMAP: return dissectImap(rec, fromClient);
    case DISSECTOR_POP3: return dissectPop3(rec, fromClient);
    case DISSECTOR_MQTT: return dissectMqtt(rec, fromClient);
    case DISSECTOR_MODBUS: return dissectModbus(rec, fromClient);
    case DISSECTOR_IEC104: return dissectIec104(rec, fromClient);
    case DISSECTOR_WIREGUARD: return dissectWireguard(rec, fromClient);
    case DISSECTOR_OPENVPN: return dissectOpenvpn(rec, fromClient);
    case DISSECTOR_OICQ: return dissectOicq(rec, fromClient);
    case DISSECTOR_ZABBIX: return dissectZabbix(rec, fromClient);
    case DISSECTOR_TDS: return dissectTds(rec, fromClient);
    case DISSECTOR_NFS: return dissectNfs(rec, fromClient);
    case DISSECTOR_POSTGRES: return dissectPostgres(rec, fromClient);
    case DISSECTOR_LDAP: return dissectLdap(rec, fromClient);
    case DISSECTOR_ONE_PAYLOAD: return dissectOnePayload(rec, fromClient);
    case DISSECTOR_JABBER: return dissectJabber(rec, fromClient, id);
    case DISSECTOR_RAKNET: return dissectRaknet(rec, fromClient, id);
    case DISSECTOR_GROUP_VOIP: return dissectVoipGroup(rec, fromClient, id);
    case DISSECTOR_GROUP_IOT: return dissectIotGroup(rec, fromClient, id);
    case DISSECTOR_GROUP_RPC: return dissectRpcGroup(rec, fromClient, id);
    case DISSECTOR_GROUP_TEXT: return dissectTextGroup(rec, fromClient, id);
    case DISSECTOR_GROUP_VPN: return dissectVpnGroup(rec, fromClient, id);
    case DISSECTOR_GROUP_P2P: return dissectP2pGroup(rec, fromClient, id);
    case DISSECTOR_GROUP_GAMES: return dissectGamesGroup(rec, fromClient, id);
  }
  return R_NO;
}

export function dissectorTransports(id: u32): u32 {
  switch (id) {
    case DISSECTOR_DNS: return ON_TCP | ON_UDP;
    case DISSECTOR_QUIC: return ON_UDP;
    case DISSECTOR_SSH: return ON_TCP;
    case DISSECTOR_GNUTELLA: return ON_TCP | ON_UDP;
    case DISSECTOR_BITTORRENT: return ON_TCP | ON_UDP;
    case DISSECTOR_SSDP: return ON_UDP;
    case DISSECTOR_ETHEREUM: return ON_TCP | ON_UDP;
    case DISSECTOR_TLS: return ON_TCP;
    case DISSECTOR_HTTP: return ON_TCP;
    case DISSECTOR_SLP: return ON_TCP | ON_UDP;
    case DISSECTOR_STUN: return ON_TCP | ON_UDP;
    case DISSECTOR_RTP: return ON_TCP | ON_UDP;
    case DISSECTOR_DTLS: return ON_UDP;
    case DISSECTOR_SIP: return ON_TCP | ON_UDP;
    case DISSECTOR_NETBIOS: return ON_TCP | ON_UDP;
    case DISSECTOR_DHCP: return ON_UDP;
    case DISSECTOR_DHCPV6: return ON_UDP;
    case DISSECTOR_NTP: return ON_UDP;
    case DISSECTOR_SNMP: return ON_UDP;
    case DISSECTOR_SYSLOG: return ON_TCP | ON_UDP;
    case DISSECTOR_KERBEROS: return ON_TCP | ON_UDP;
    case DISSECTOR_IPSEC: return ON_UDP;
    case DISSECTOR_SMB: return ON_TCP;
    case DISSECTOR_RDP: return ON_TCP | ON_UDP;
    case DISSECTOR_FTP: return ON_TCP;
    case DISSECTOR_SMTP: return ON_TCP;
    case DISSECTOR_IMAP: return ON_TCP;
    case DISSECTOR_POP3: return ON_TCP;
    case DISSECTOR_MQTT: return ON_TCP;
    case DISSECTOR_MODBUS: return ON_TCP;
    case DISSECTOR_IEC104: return ON_TCP;
    case DISSECTOR_WIREGUARD: return ON_UDP;
    case DISSECTOR_OPENVPN: return ON_TCP | ON_UDP;
    case DISSECTOR_OICQ: return ON_UDP;
    case DISSECTOR_ZABBIX: return ON_TCP;
    case DISSECTOR_TDS: return ON_TCP;
    case DISSECTOR_NFS: return ON_TCP | ON_UDP;
    case DISSECTOR_POSTGRES: return ON_TCP;
    case DISSECTOR_LDAP: return ON_TCP | ON_UDP;
    case DISSECTOR_ONE_PAYLOAD: return ON_TCP | ON_UDP;
    case DISSECTOR_JABBER: return ON_TCP;
    case DISSECTOR_RAKNET: return ON_UDP;
    case DISSECTOR_AVAST: return ON_TCP | ON_UDP;
    case DISSECTOR_WHATSAPP: return ON_TCP;
    case DISSECTOR_ALICLOUD: return ON_TCP;
    case DISSECTOR_GROUP_VOIP: return ON_TCP | ON_UDP;
    case DISSECTOR_GROUP_IOT: return ON_TCP | ON_UDP;
    case DISSECTOR_GROUP_RPC: return ON_TCP | ON_UDP;
    case DISSECTOR_GROUP_TEXT: return ON_TCP;
    case DISSECTOR_GROUP_VPN: return ON_TCP | ON_UDP;
    case DISSECTOR_GROUP_P2P: return ON_TCP | ON_UDP;
    case DISSECTOR_GROUP_GAMES: return ON_TCP | ON_UDP;
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
    case DISSECTOR_SSH: releaseSsh(rec); break;
    case DISSECTOR_STUN: releaseStun(rec); break;
    case DISSECTOR_DTLS: releaseDtls(rec); break;
  }
}
