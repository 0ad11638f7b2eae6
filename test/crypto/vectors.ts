// Published test vectors for core-as/crypto, as hex, each with the document it comes from.

export const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
export const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const repeated = (len: number, value: number): Uint8Array => new Uint8Array(len).fill(value);
const counting = (from: number, to: number): Uint8Array => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** RFC 1321 Appendix A.5, the MD5 test suite. */
export const MD5_SUITE: Array<[string, string]> = [
  ['', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['a', '0cc175b9c0f1b6a831c399e269772661'],
  ['abc', '900150983cd24fb0d6963f7d28e17f72'],
  ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
  ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
  ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
];

/**
 * SHA-1: FIPS 180-4 examples (NIST CSRC "Example Algorithms": SHA1.pdf) and RFC 3174 §7.3's
 * TEST1, TEST2 and TEST4 (TEST4 is "01234567" x 80: "0123456701234567" x 40 below).
 */
export const SHA1_VECTORS: Array<[string, string]> = [
  ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
  ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
  ['abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
    'a49b2446a02c645bf419f995b67091253a04a259'],
  ['0123456701234567'.repeat(40), 'dea356a2cddd90c7a7ecedc5ebb563934f460452'],
];
/** RFC 3174 §7.3 TEST3 (one million "a"). */
export const SHA1_MILLION_A = '34aa973cd4c4daa4f61eeb2bdbad27316534016f';

/** FIPS 180-4 examples (NIST CSRC "Example Algorithms": SHA256.pdf) and the NIST long-message vector. */
export const SHA256_VECTORS: Array<[string, string]> = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ['abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
    'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1'],
];
export const SHA256_MILLION_A = 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0';

/** RFC 4231 §4.2-4.8, HMAC-SHA-256 (case 5 is checked on its first 128 bits, as the RFC gives it). */
export const HMAC_SHA256_CASES: Array<{ name: string; key: Uint8Array; data: Uint8Array; mac: string }> = [
  { name: '4.2 (case 1)', key: repeated(20, 0x0b), data: ascii('Hi There'),
    mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
  { name: '4.3 (case 2: key shorter than the output)', key: ascii('Jefe'), data: ascii('what do ya want for nothing?'),
    mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
  { name: '4.4 (case 3)', key: repeated(20, 0xaa), data: repeated(50, 0xdd),
    mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' },
  { name: '4.5 (case 4)', key: counting(0x01, 0x19), data: repeated(50, 0xcd),
    mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b' },
  { name: '4.6 (case 5: truncation to 128 bits)', key: repeated(20, 0x0c), data: ascii('Test With Truncation'),
    mac: 'a3b6167473100ee06e0c796c2955552b' },
  { name: '4.7 (case 6: key larger than a block)', key: repeated(131, 0xaa),
    data: ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
    mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54' },
  { name: '4.8 (case 7: key and data larger than a block)', key: repeated(131, 0xaa),
    data: ascii('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2' },
];

/** RFC 5869 Appendix A.1-A.3, HKDF with SHA-256. */
export const HKDF_CASES: Array<{ name: string; ikm: Uint8Array; salt: Uint8Array; info: Uint8Array; length: number; prk: string; okm: string }> = [
  { name: 'A.1 (basic)', ikm: repeated(22, 0x0b), salt: counting(0x00, 0x0c), info: counting(0xf0, 0xf9), length: 42,
    prk: '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5',
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865' },
  { name: 'A.2 (longer inputs and outputs)', ikm: counting(0x00, 0x4f), salt: counting(0x60, 0xaf), info: counting(0xb0, 0xff), length: 82,
    prk: '06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244',
    okm: 'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87' },
  { name: 'A.3 (zero-length salt and info)', ikm: repeated(22, 0x0b), salt: new Uint8Array(0), info: new Uint8Array(0), length: 42,
    prk: '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04',
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8' },
];

/** FIPS 197 Appendix C.1 (AES-128 example vector) and Appendix B (cipher example), A.1 (key expansion). */
export const AES128_C1 = { key: '000102030405060708090a0b0c0d0e0f', plaintext: '00112233445566778899aabbccddeeff', ciphertext: '69c4e0d86a7b0430d8cdb78070b4c55a' };
export const AES128_B = { key: '2b7e151628aed2a6abf7158809cf4f3c', plaintext: '3243f6a8885a308d313198a2e0370734', ciphertext: '3925841d02dc09fbdc118597196a0b32' };
/** FIPS 197 A.1: w[4..7] and w[40..43] of the expansion of AES128_B.key. */
export const AES128_A1_FIRST_ROUND_KEY = 'a0fafe1788542cb123a339392a6c7605';
export const AES128_A1_LAST_ROUND_KEY = 'd014f9a8c9ee2589e13f0cc8b6630ca6';
/** FIPS 197 Figure 7, a few S-box entries. */
export const SBOX_SAMPLES: Array<[number, number]> = [[0x00, 0x63], [0x01, 0x7c], [0x10, 0xca], [0x53, 0xed], [0x80, 0xcd], [0xff, 0x16]];

/**
 * The GCM specification's AES-128 test cases (McGrew and Viega, "The Galois/Counter Mode of
 * Operation", Appendix B; used by NIST's GCM validation), cases 1-6.
 */
const GCM_K = 'feffe9928665731c6d6a8f9467308308';
const GCM_P = 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const GCM_P60 = GCM_P.slice(0, 120);
const GCM_A = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
export const GCM_CASES: Array<{ name: string; key: string; iv: string; aad: string; plaintext: string; ciphertext: string; tag: string }> = [
  { name: 'case 1 (empty)', key: '00000000000000000000000000000000', iv: '000000000000000000000000', aad: '', plaintext: '', ciphertext: '',
    tag: '58e2fccefa7e3061367f1d57a4e7455a' },
  { name: 'case 2 (one zero block)', key: '00000000000000000000000000000000', iv: '000000000000000000000000', aad: '',
    plaintext: '00000000000000000000000000000000', ciphertext: '0388dace60b6a392f328c2b971b2fe78', tag: 'ab6e47d42cec13bdf53a67b21257bddf' },
  { name: 'case 3 (four blocks)', key: GCM_K, iv: 'cafebabefacedbaddecaf888', aad: '', plaintext: GCM_P,
    ciphertext: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985',
    tag: '4d5c2af327cd64a62cf35abd2ba6fab4' },
  { name: 'case 4 (AAD, partial last block)', key: GCM_K, iv: 'cafebabefacedbaddecaf888', aad: GCM_A, plaintext: GCM_P60,
    ciphertext: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091',
    tag: '5bc94fbc3221a5db94fae95ae7121a47' },
  { name: 'case 5 (64-bit IV)', key: GCM_K, iv: 'cafebabefacedbad', aad: GCM_A, plaintext: GCM_P60,
    ciphertext: '61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c742373806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598',
    tag: '3612d2e79e3b0785561be14aaca2fccb' },
  { name: 'case 6 (480-bit IV)', key: GCM_K,
    iv: '9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b',
    aad: GCM_A, plaintext: GCM_P60,
    ciphertext: '8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5',
    tag: '619cc5aefffe0bfa462af43c1699d050' },
];

// RFC 9001 (QUIC-TLS) §5.2 and Appendix A: Initial packet protection for DCID 0x8394c8f03e515708.
export const QUIC_V1_INITIAL_SALT = '38762cf7f55934b34d179ae6a4c80cadccbb7f0a';
export const QUIC_A_DCID = '8394c8f03e515708';
export const QUIC_A1 = {
  hkdfLabels: {
    'client in': '00200f746c73313320636c69656e7420696e00',
    'server in': '00200f746c7331332073657276657220696e00',
    'quic key': '00100e746c7331332071756963206b657900',
    'quic iv': '000c0d746c733133207175696320697600',
    'quic hp': '00100d746c733133207175696320687000',
  } as Record<string, string>,
  initialSecret: '7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44',
  client: {
    secret: 'c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea',
    key: '1f369613dd76d5467730efcbe3b1a22d', iv: 'fa044b2f42a3fd3b46fb255c', hp: '9f50449e04a0e810283a1e9933adedd2',
  },
  server: {
    secret: '3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b',
    key: 'cf3a5331653c364c88f0f379b6067e37', iv: '0ac1493ca1905853b0bba03e', hp: 'c206b8d9b9f0f37644430b490eeaa314',
  },
};

/** A.2: the CRYPTO frame of the client Initial (padded with PADDING frames, zeros, to 1162 bytes). */
export const QUIC_A2_CRYPTO_FRAME = `
  060040f1010000ed0303ebf8fa56f129 39b9584a3896472ec40bb863cfd3e868
  04fe3a47f06a2b69484c000004130113 02010000c000000010000e00000b6578
  616d706c652e636f6dff01000100000a 00080006001d00170018001000070005
  04616c706e0005000501000000000033 00260024001d00209370b2c9caa47fba
  baf4559fedba753de171fa71f50f1ce1 5d43e994ec74d748002b000302030400
  0d0010000e0403050306030203080408 050806002d00020101001c0002400100
  3900320408ffffffffffffffff050480 00ffff07048000ffff08011001048000
  75300901100f088394c8f03e51570806 048000ffff`;
export const QUIC_A2_PAYLOAD_LEN = 1162;
export const QUIC_A2_HEADER = 'c300000001088394c8f03e5157080000449e00000002';
export const QUIC_A2_SAMPLE = 'd1b1c98dd7689fb8ec11d242b123dc9b';
export const QUIC_A2_MASK = '437b9aec36';
export const QUIC_A2_PROTECTED = `
  c000000001088394c8f03e5157080000 449e7b9aec34d1b1c98dd7689fb8ec11
  d242b123dc9bd8bab936b47d92ec356c 0bab7df5976d27cd449f63300099f399
  1c260ec4c60d17b31f8429157bb35a12 82a643a8d2262cad67500cadb8e7378c
  8eb7539ec4d4905fed1bee1fc8aafba1 7c750e2c7ace01e6005f80fcb7df6212
  30c83711b39343fa028cea7f7fb5ff89 eac2308249a02252155e2347b63d58c5
  457afd84d05dfffdb20392844ae81215 4682e9cf012f9021a6f0be17ddd0c208
  4dce25ff9b06cde535d0f920a2db1bf3 62c23e596d11a4f5a6cf3948838a3aec
  4e15daf8500a6ef69ec4e3feb6b1d98e 610ac8b7ec3faf6ad760b7bad1db4ba3
  485e8a94dc250ae3fdb41ed15fb6a8e5 eba0fc3dd60bc8e30c5c4287e53805db
  059ae0648db2f64264ed5e39be2e20d8 2df566da8dd5998ccabdae053060ae6c
  7b4378e846d29f37ed7b4ea9ec5d82e7 961b7f25a9323851f681d582363aa5f8
  9937f5a67258bf63ad6f1a0b1d96dbd4 faddfcefc5266ba6611722395c906556
  be52afe3f565636ad1b17d508b73d874 3eeb524be22b3dcbc2c7468d54119c74
  68449a13d8e3b95811a198f3491de3e7 fe942b330407abf82a4ed7c1b311663a
  c69890f4157015853d91e923037c227a 33cdd5ec281ca3f79c44546b9d90ca00
  f064c99e3dd97911d39fe9c5d0b23a22 9a234cb36186c4819e8b9c5927726632
  291d6a418211cc2962e20fe47feb3edf 330f2c603a9d48c0fcb5699dbfe58964
  25c5bac4aee82e57a85aaf4e2513e4f0 5796b07ba2ee47d80506f8d2c25e50fd
  14de71e6c418559302f939b0e1abd576 f279c4b2e0feb85c1f28ff18f58891ff
  ef132eef2fa09346aee33c28eb130ff2 8f5b766953334113211996d20011a198
  e3fc433f9f2541010ae17c1bf202580f 6047472fb36857fe843b19f5984009dd
  c324044e847a4f4a0ab34f719595de37 252d6235365e9b84392b061085349d73
  203a4a13e96f5432ec0fd4a1ee65accd d5e3904df54c1da510b0ff20dcc0c77f
  cb2c0e0eb605cb0504db87632cf3d8b4 dae6e705769d1de354270123cb11450e
  fc60ac47683d7b8d0f811365565fd98c 4c8eb936bcab8d069fc33bd801b03ade
  a2e1fbc5aa463d08ca19896d2bf59a07 1b851e6c239052172f296bfb5e724047
  90a2181014f3b94a4e97d117b4381303 68cc39dbb2d198065ae3986547926cd2
  162f40a29f0c3c8745c0f50fba3852e5 66d44575c29d39a03f0cda721984b6f4
  40591f355e12d439ff150aab7613499d bd49adabc8676eef023b15b65bfc5ca0
  6948109f23f350db82123535eb8a7433 bdabcb909271a6ecbcb58b936a88cd4e
  8f2e6ff5800175f113253d8fa9ca8885 c2f552e657dc603f252e1a8e308f76f0
  be79e2fb8f5d5fbbe2e30ecadd220723 c8c0aea8078cdfcb3868263ff8f09400
  54da48781893a7e49ad5aff4af300cd8 04a6b6279ab3ff3afb64491c85194aab
  760d58a606654f9f4400e8b38591356f bf6425aca26dc85244259ff2b19c41b9
  f96f3ca9ec1dde434da7d2d392b905dd f3d1f9af93d1af5950bd493f5aa731b4
  056df31bd267b6b90a079831aaf579be 0a39013137aac6d404f518cfd4684064
  7e78bfe706ca4cf5e9c5453e9f7cfd2b 8b4c8d169a44e55c88d4a9a7f9474241
  e221af44860018ab0856972e194cd934`;

/** A.3: the server Initial (ACK and CRYPTO frames, no padding; 2-byte packet number). */
export const QUIC_A3_PAYLOAD = `
  02000000000600405a020000560303ee fce7f7b37ba1d1632e96677825ddf739
  88cfc79825df566dc5430b9a045a1200 130100002e00330024001d00209d3c94
  0d89690b84d08a60993c144eca684d10 81287c834d5311bcf32bb9da1a002b00
  020304`;
export const QUIC_A3_HEADER = 'c1000000010008f067a5502a4262b50040750001';
export const QUIC_A3_PROTECTED = `
  cf000000010008f067a5502a4262b500 4075c0d95a482cd0991cd25b0aac406a
  5816b6394100f37a1c69797554780bb3 8cc5a99f5ede4cf73c3ec2493a1839b3
  dbcba3f6ea46c5b7684df3548e7ddeb9 c3bf9c73cc3f3bded74b562bfb19fb84
  022f8ef4cdd93795d77d06edbb7aaf2f 58891850abbdca3d20398c276456cbc4
  2158407dd074ee`;
