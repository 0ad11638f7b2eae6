// Checks for the sample capture generator.
//   node --import tsx --test examples/sample/make-sample.test.ts
import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, X509Certificate } from "node:crypto";
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildSampleCapture, protectQuicPacket, quicInitialKeys, SeededRandom, selfSignedCertificate } from "./make-sample.ts";

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ""), "hex");

// RFC 9001 Appendix A.1: keys for the client's Destination Connection ID 0x8394c8f03e515708.
const RFC9001_DCID = hex("8394c8f03e515708");

test("client Initial keys match RFC 9001 A.1", () => {
  const keys = quicInitialKeys(RFC9001_DCID, "client");
  assert.equal(keys.secret.toString("hex"), "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea");
  assert.equal(keys.key.toString("hex"), "1f369613dd76d5467730efcbe3b1a22d");
  assert.equal(keys.iv.toString("hex"), "fa044b2f42a3fd3b46fb255c");
  assert.equal(keys.hp.toString("hex"), "9f50449e04a0e810283a1e9933adedd2");
});

test("server Initial keys match RFC 9001 A.1", () => {
  const keys = quicInitialKeys(RFC9001_DCID, "server");
  assert.equal(keys.secret.toString("hex"), "3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b");
  assert.equal(keys.key.toString("hex"), "cf3a5331653c364c88f0f379b6067e37");
  assert.equal(keys.iv.toString("hex"), "0ac1493ca1905853b0bba03e");
  assert.equal(keys.hp.toString("hex"), "c206b8d9b9f0f37644430b490eeaa314");
});

test("packet and header protection reproduce RFC 9001 A.2", () => {
  // The CRYPTO frame of A.2, padded to 1162 bytes, in packet number 2 (4 bytes long).
  const cryptoFrame = hex(`
    060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e86804fe3a47f06a2b69484c0000041301
    1302010000c000000010000e00000b6578616d706c652e636f6dff01000100000a00080006001d00170018001000070005
    04616c706e000500050100000000003300260024001d00209370b2c9caa47fbabaf4559fedba753de171fa71f50f1ce1
    5d43e994ec74d748002b0003020304000d0010000e0403050306030203080408050806002d00020101001c0002400100
    3900320408ffffffffffffffff05048000ffff07048000ffff0801100104800075300901100f088394c8f03e51570806
    048000ffff`);
  assert.equal(cryptoFrame.length, 245);
  const payload = Buffer.concat([cryptoFrame, Buffer.alloc(1162 - cryptoFrame.length)]);
  const header = hex("c300000001088394c8f03e5157080000449e00000002");
  const packet = protectQuicPacket(quicInitialKeys(RFC9001_DCID, "client"), header, 4, 2, payload);
  assert.equal(packet.length, 1200);
  assert.equal(packet.subarray(0, 22).toString("hex"), "c000000001088394c8f03e5157080000449e7b9aec34");
  assert.equal(packet.subarray(22, 38).toString("hex"), "d1b1c98dd7689fb8ec11d242b123dc9b"); // the sample
});

test("generating twice gives identical bytes", () => {
  const first = buildSampleCapture();
  const second = buildSampleCapture();
  assert.ok(first.bytes.equals(second.bytes));
  assert.equal(first.packetCount, second.packetCount);
});

// ---------------------------------------------------------------------------------------------
// A small reader, written apart from the generator so the checks below do not share its bugs.
// ---------------------------------------------------------------------------------------------

interface Packet {
  timestampMicros: number;
  frame: Buffer;
  ipVersion: 4 | 6;
  protocol: number;
  source: Buffer;
  destination: Buffer;
  /** The IP payload, cut at the length the IP header gives (Ethernet padding removed). */
  transport: Buffer;
}

function readCapture(file: Buffer): Packet[] {
  assert.equal(file.readUInt32LE(0), 0xa1b2c3d4, "little-endian, microsecond magic");
  assert.equal(file.readUInt16LE(4), 2);
  assert.equal(file.readUInt16LE(6), 4);
  assert.equal(file.readUInt32LE(20), 1, "LINKTYPE_ETHERNET");
  const packets: Packet[] = [];
  for (let offset = 24; offset < file.length;) {
    const capturedLength = file.readUInt32LE(offset + 8);
    assert.equal(capturedLength, file.readUInt32LE(offset + 12));
    const timestampMicros = file.readUInt32LE(offset) * 1_000_000 + file.readUInt32LE(offset + 4);
    const frame = file.subarray(offset + 16, offset + 16 + capturedLength);
    offset += 16 + capturedLength;
    const etherType = frame.readUInt16BE(12);
    const ip = frame.subarray(14);
    if (etherType === 0x0800) {
      const headerLength = (ip[0] & 0x0f) * 4;
      assert.equal(checksum(ip.subarray(0, headerLength)), 0, "IPv4 header checksum");
      const totalLength = ip.readUInt16BE(2);
      packets.push({ timestampMicros, frame, ipVersion: 4, protocol: ip[9], source: ip.subarray(12, 16), destination: ip.subarray(16, 20), transport: ip.subarray(headerLength, totalLength) });
    } else {
      assert.equal(etherType, 0x86dd);
      const payloadLength = ip.readUInt16BE(4);
      packets.push({ timestampMicros, frame, ipVersion: 6, protocol: ip[6], source: ip.subarray(8, 24), destination: ip.subarray(24, 40), transport: ip.subarray(40, 40 + payloadLength) });
    }
  }
  return packets;
}

/** RFC 1071 sum; 0 when a message that carries its checksum is intact. */
function checksum(data: Buffer): number {
  let sum = 0;
  for (let index = 0; index < data.length; index += 2) sum += (data[index] << 8) | (data[index + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function transportChecksum(packet: Packet): number {
  const length = packet.transport.length;
  const pseudo = packet.ipVersion === 4
    ? Buffer.concat([packet.source, packet.destination, Buffer.from([0, packet.protocol, length >> 8, length & 0xff])])
    : Buffer.concat([packet.source, packet.destination, Buffer.from([0, 0, length >> 8, length & 0xff, 0, 0, 0, packet.protocol])]);
  return checksum(Buffer.concat([pseudo, packet.transport]));
}

const sample = buildSampleCapture();
const packets = readCapture(sample.bytes);

test("the capture is small, starts at 2024-01-01T00:00:00Z and keeps time in order", () => {
  assert.equal(packets.length, sample.packetCount);
  assert.ok(packets.length > 50 && packets.length < 500, `${packets.length} packets`);
  assert.ok(sample.bytes.length < 200 * 1024, `${sample.bytes.length} bytes`);
  assert.equal(packets[0].timestampMicros, Date.UTC(2024, 0, 1) * 1000);
  for (let index = 1; index < packets.length; index++) assert.ok(packets[index].timestampMicros >= packets[index - 1].timestampMicros);
});

test("every TCP, UDP and ICMP checksum and length is right", () => {
  for (const packet of packets) {
    if (packet.protocol === 1) {
      assert.equal(checksum(packet.transport), 0, "ICMP checksum");
    } else {
      assert.ok(packet.protocol === 6 || packet.protocol === 17, `protocol ${packet.protocol}`);
      assert.equal(transportChecksum(packet), 0, "TCP/UDP checksum");
      if (packet.protocol === 17) assert.equal(packet.transport.readUInt16BE(4), packet.transport.length, "UDP length");
    }
    assert.ok(packet.frame.length >= 60, "Ethernet frames are at least 60 bytes");
  }
});

test("the client Initial decrypts and carries SNI www.example.com, ALPN h3 and transport parameters", () => {
  const initialDatagram = packets.find((packet) => packet.ipVersion === 6 && packet.protocol === 17 && packet.transport.readUInt16BE(2) === 443);
  assert.ok(initialDatagram);
  const datagram = initialDatagram.transport.subarray(8);
  assert.equal(datagram.length, 1200, "padded to 1200 bytes (RFC 9000 §14.1)");
  assert.equal(datagram[0] & 0xf0, 0xc0, "long header, Initial");
  assert.equal(datagram.readUInt32BE(1), 1, "QUIC v1");
  let offset = 5;
  const dcid = datagram.subarray(offset + 1, offset + 1 + datagram[offset]);
  offset += 1 + dcid.length;
  offset += 1 + datagram[offset]; // SCID
  assert.equal(datagram[offset], 0, "no token");
  offset += 1;
  assert.equal(datagram[offset] >> 6, 1, "two-byte Length");
  const length = datagram.readUInt16BE(offset) & 0x3fff;
  const packetNumberOffset = offset + 2;

  const keys = quicInitialKeys(dcid, "client");
  const maskCipher = createCipheriv("aes-128-ecb", keys.hp, null).setAutoPadding(false); // AES encryption, both ways (RFC 9001 §5.4.3)
  const mask = maskCipher.update(datagram.subarray(packetNumberOffset + 4, packetNumberOffset + 20));
  const header = Buffer.from(datagram.subarray(0, packetNumberOffset + 4));
  header[0] ^= mask[0] & 0x0f;
  const packetNumberLength = (header[0] & 0x03) + 1;
  let packetNumber = 0;
  for (let index = 0; index < packetNumberLength; index++) {
    header[packetNumberOffset + index] ^= mask[1 + index];
    packetNumber = packetNumber * 256 + header[packetNumberOffset + index];
  }
  const nonce = Buffer.from(keys.iv);
  nonce[11] ^= packetNumber;
  const packetEnd = packetNumberOffset + length;
  const decipher = createDecipheriv("aes-128-gcm", keys.key, nonce);
  decipher.setAAD(header.subarray(0, packetNumberOffset + packetNumberLength));
  decipher.setAuthTag(datagram.subarray(packetEnd - 16, packetEnd));
  const frames = Buffer.concat([decipher.update(datagram.subarray(packetNumberOffset + packetNumberLength, packetEnd - 16)), decipher.final()]);

  assert.equal(frames[0], 0x06, "CRYPTO frame first");
  assert.equal(frames[4], 0x01, "holding a ClientHello"); // frame type, offset 0, 2-byte length, then the message
  assert.ok(frames.includes(Buffer.from("\x00\x12\x00\x00\x0fwww.example.com", "latin1")), "SNI www.example.com");
  assert.ok(frames.includes(Buffer.from("\x00\x10\x00\x05\x00\x03\x02h3", "latin1")), "ALPN h3");
  assert.ok(frames.includes(Buffer.from([0x00, 0x39])), "quic_transport_parameters");
});

test("the hand-encoded certificate is well-formed X.509", () => {
  const certificate = new X509Certificate(selfSignedCertificate(new SeededRandom(1), "sample.flowscope.test"));
  assert.equal(certificate.subject, "CN=sample.flowscope.test");
  assert.equal(certificate.issuer, "CN=sample.flowscope.test");
  assert.equal(certificate.subjectAltName, "DNS:sample.flowscope.test");
  assert.equal(new Date(certificate.validFrom).toISOString(), "2024-01-01T00:00:00.000Z");
  assert.equal(new Date(certificate.validTo).toISOString(), "2025-01-01T00:00:00.000Z");
  assert.equal(certificate.publicKey.asymmetricKeyType, "rsa");
  assert.ok(certificate.checkHost("sample.flowscope.test"));
});

test("the sample's TLS 1.2 Certificate message carries that certificate in the clear", () => {
  const serverName = Buffer.from("sample.flowscope.test", "latin1");
  const certificateFrames = packets.filter((packet) => packet.protocol === 6 && packet.transport.includes(serverName) && packet.transport.readUInt16BE(0) === 443);
  assert.equal(certificateFrames.length, 1);
  const segment = certificateFrames[0].transport;
  const payload = segment.subarray((segment[12] >> 4) * 4);
  // ServerHello record, then the Certificate record (RFC 5246 §7.4.2).
  const certificateRecord = payload.subarray(5 + payload.readUInt16BE(3));
  assert.equal(certificateRecord[0], 22);
  assert.equal(certificateRecord[5], 11);
  const der = certificateRecord.subarray(5 + 4 + 3 + 3, 5 + 4 + 3 + 3 + certificateRecord.readUIntBE(5 + 4 + 3, 3));
  assert.equal(new X509Certificate(der).subjectAltName, "DNS:sample.flowscope.test");
});
