// Text output into caller buffers (no allocation): numbers and addresses as nDPI prints them.

const HEX: usize = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);

/** Decimal digits of `value` at out; returns the number of bytes written. */
export function writeDecimal(out: usize, value: u32): usize {
  let digits: usize = 1;
  for (let v = value; v >= 10; v /= 10) digits++;
  let v = value;
  for (let i = digits; i > 0; i--) {
    store<u8>(out + i - 1, <u8>(0x30 + v % 10));
    v /= 10;
  }
  return digits;
}

/** Dotted quad of the 4 bytes at addr; returns the length (at most 15). */
export function writeIpv4(out: usize, addr: usize): usize {
  let n: usize = 0;
  for (let i: usize = 0; i < 4; i++) {
    if (i > 0) store<u8>(out + n++, 0x2e);
    n += writeDecimal(out + n, <u32>load<u8>(addr + i));
  }
  return n;
}

function writeHexGroup(out: usize, group: u32): usize {
  let n: usize = 0;
  let started = false;
  for (let shift: i32 = 12; shift >= 0; shift -= 4) {
    const nibble = (group >> shift) & 0xf;
    if (nibble == 0 && !started && shift != 0) continue;
    started = true;
    store<u8>(out + n++, load<u8>(HEX + nibble));
  }
  return n;
}

/** RFC 5952 text of the 16 bytes at addr (longest run of >= 2 zero groups as "::"); returns the length (at most 39). */
export function writeIpv6(out: usize, addr: usize): usize {
  let bestStart: i32 = -1;
  let bestLen: i32 = 0;
  for (let i: i32 = 0; i < 8;) {
    if (load<u16>(addr + (<usize>i << 1)) != 0) { i++; continue; }
    let j = i;
    while (j < 8 && load<u16>(addr + (<usize>j << 1)) == 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  let n: usize = 0;
  let i: i32 = 0;
  while (i < 8) {
    if (i == bestStart) {
      store<u8>(out + n++, 0x3a);
      store<u8>(out + n++, 0x3a);
      i += bestLen;
      continue;
    }
    if (i > 0 && i != bestStart + bestLen) store<u8>(out + n++, 0x3a);
    n += writeHexGroup(out + n, <u32>bswap<u16>(load<u16>(addr + (<usize>i << 1))));
    i++;
  }
  return n;
}
