// Byte access helpers over raw linear-memory pointers. Network protocols are big-endian
// (RFC 1700 "network byte order"); wasm loads are little-endian, hence the swaps.

@inline export function be16(ptr: usize): u32 {
  return <u32>bswap<u16>(load<u16>(ptr));
}

@inline export function be32(ptr: usize): u32 {
  return bswap<u32>(load<u32>(ptr));
}

@inline export function le16(ptr: usize): u32 {
  return <u32>load<u16>(ptr);
}

@inline export function le32(ptr: usize): u32 {
  return load<u32>(ptr);
}

@inline export function u8at(ptr: usize): u32 {
  return <u32>load<u8>(ptr);
}

/** Reads a u16 in the given byte order (true = big-endian). */
@inline export function rd16(ptr: usize, bigEndian: bool): u32 {
  return bigEndian ? be16(ptr) : le16(ptr);
}

/** Reads a u32 in the given byte order (true = big-endian). */
@inline export function rd32(ptr: usize, bigEndian: bool): u32 {
  return bigEndian ? be32(ptr) : le32(ptr);
}
