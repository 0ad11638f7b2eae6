// Lowercase hex of a byte string, the form JA3/JA3S/HASSH (MD5) and JA4 (truncated SHA-256) print
// their digests in. Writes into the caller's buffer; JA4's 12 hex digits are hexEncode(digest, 6, out).

const HEX_DIGITS: usize = memory.data<u8>([
  0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, // '0'..'9'
  0x61, 0x62, 0x63, 0x64, 0x65, 0x66,                         // 'a'..'f'
]);

@inline function hexDigit(nibble: u32): u8 { return load<u8>(HEX_DIGITS + <usize>nibble); }

/** Writes the 2 * len hex digits of in[0, len) to out (high nibble first). Returns 2 * len. */
export function hexEncode(inPtr: usize, len: usize, outPtr: usize): usize {
  for (let i: usize = 0; i < len; i++) {
    const byte = <u32>load<u8>(inPtr + i);
    store<u16>(outPtr + (i << 1), <u16>hexDigit(byte >> 4) | (<u16>hexDigit(byte & 0xf) << 8));
  }
  return len << 1;
}
