// Hand-made capture bytes for the core's unit tests: every header is written field by field in
// the layout its RFC (or, where there is none, its de-facto specification) gives, cited above
// each builder. Builders take the payload and return the header + payload, so a frame reads
// inside out: ethernet(ETH.IPV4, ipv4({ ..., payload: udp({ ... }) })).
//
// Checksums: the IPv4 header, ICMP and GRE checksums are computed (RFC 1071); TCP, UDP, ICMPv6
// and SCTP ones are left 0 (legal for UDP over IPv4, and the core verifies none of them).

export * from './bytes/primitives.ts';
export * from './bytes/capture.ts';
export * from './bytes/link.ts';
export * from './bytes/ip.ts';
export * from './bytes/tunnels.ts';
