// BSD loopback encapsulation: a 4-byte address family. LINKTYPE_NULL (0) writes it in the
// capturing host's byte order, LINKTYPE_LOOP (108) in network order. AF_INET is 2 everywhere;
// AF_INET6 differs by OS (24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS, 10 Linux).
export const LOOPBACK_HEADER_LEN: usize = 4;
export const AF_INET: u32 = 2;

@inline export function isAfInet6(family: u32): bool {
  return family == 24 || family == 28 || family == 30 || family == 10;
}
