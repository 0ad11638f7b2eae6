// Ethereum's devp2p framing: the RLPx handshake over TCP (devp2p rlpx.md, EIP-8) and the
// Node Discovery Protocol v4 over UDP (devp2p discv4.md); RLP as in the Yellow Paper, App. B.

// EIP-8 auth and ack messages: size (2, big-endian, the length of what follows), then the
// ECIES message: the ephemeral public key as an uncompressed secp256k1 point (0x04, X, Y),
// a 16-byte IV, the ciphertext and a 32-byte MAC.
export const RLPX_SIZE_LEN: usize = 2;
export const ECIES_POINT_TAG: u32 = 0x04;
export const ECIES_POINT_LEN: usize = 65;
export const ECIES_IV_LEN: usize = 16;
export const ECIES_MAC_LEN: usize = 32;
export const ECIES_OVERHEAD: usize = ECIES_POINT_LEN + ECIES_IV_LEN + ECIES_MAC_LEN;

// discv4 packet: hash (32) = keccak256(signature || type || data), signature (65),
// packet-type (1), packet-data (an RLP list). "The maximum size of any packet is 1280 bytes."
export const DISCV4_HASH_LEN: usize = 32;
export const DISCV4_SIGNATURE_LEN: usize = 65;
export const DISCV4_TYPE: usize = DISCV4_HASH_LEN + DISCV4_SIGNATURE_LEN;
export const DISCV4_DATA: usize = DISCV4_TYPE + 1;
export const DISCV4_MAX_PACKET: usize = 1280;
/** Ping 1, Pong 2, FindNode 3, Neighbors 4, ENRRequest 5, ENRResponse 6. */
export const DISCV4_FIRST_TYPE: u32 = 1;
export const DISCV4_LAST_TYPE: u32 = 6;

// RLP list prefixes: 0xc0 + length for a payload of 0-55 bytes, else 0xf7 + the length of the
// big-endian length that follows.
export const RLP_LIST_SHORT: u32 = 0xc0;
export const RLP_LIST_LONG: u32 = 0xf7;
