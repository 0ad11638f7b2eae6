// core-as/classify/generated/protocols.ts: per protocol id its default category, breed and
// flags; named constants for protocol, category and breed ids; default ports for guessing.
import { DataBlocks, assertUnique, constSuffix, generatedHeader } from './as-data.ts';
import type { NdpiFacts, Protocol } from './load.ts';
import { readerPortRules } from './reader-ports.ts';

export const PROTO_FLAG_ENCRYPTED = 1;
export const PROTO_FLAG_APP = 2;

/**
 * Port -> protocol for one transport, sorted by port. When two protocols register the same
 * port, the later registration overwrites the earlier one (nDPI's default-port tree does that);
 * registrations are taken in protocol-id order, the order of protocols.json.
 */
export function defaultPortMap(protocols: Protocol[], transport: 'tcp' | 'udp'): Array<[number, number]> {
  const byPort = new Map<number, number>();
  for (const p of protocols) {
    for (const port of transport === 'tcp' ? p.tcp_default_ports : p.udp_default_ports) {
      if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`gen-ndpi-tables: ${p.symbol} port ${port}`);
      byPort.set(port, p.id);
    }
  }
  return [...byPort.entries()].sort((a, b) => a[0] - b[0]);
}

export function emitProtocols(facts: NdpiFacts): { source: string; dataBytes: number } {
  const data = new DataBlocks();
  const { protocols, categories, breeds } = facts;
  const out: string[] = [
    generatedHeader(facts, 'protocols.json, categories.json, reader-inputs/protos.txt (port rules)',
      'Protocol ids, categories and breeds (nDPI numbering), per-protocol defaults, default ports.'),
  ];

  const protoNames = protocols.map((p) => 'PROTO_' + constSuffix(p.symbol, ['NDPI_PROTOCOL_']));
  assertUnique('protocol', protoNames);
  out.push(`export const PROTO_COUNT: u32 = ${protocols.length};`);
  protocols.forEach((p, i) => out.push(`export const ${protoNames[i]}: u16 = ${p.id}; // ${p.name}`));
  out.push('');

  const catNames = categories.map((c) => 'CATEGORY_' + constSuffix(c.symbol, ['NDPI_PROTOCOL_CATEGORY_', 'CUSTOM_CATEGORY_']));
  assertUnique('category', catNames);
  categories.forEach((c, i) => out.push(`export const ${catNames[i]}: u8 = ${c.id}; // ${c.name}`));
  out.push('');
  const breedNames = breeds.map((b) => 'BREED_' + constSuffix(b.symbol, ['NDPI_PROTOCOL_']));
  assertUnique('breed', breedNames);
  breeds.forEach((b, i) => out.push(`export const ${breedNames[i]}: u8 = ${b.id}; // ${b.name}`));
  out.push('');

  const info = protocols.map((p) => {
    if (p.category_id > 255 || p.breed_id > 255) throw new Error(`gen-ndpi-tables: ${p.symbol} category/breed over 255`);
    const flags = (p.cleartext ? 0 : PROTO_FLAG_ENCRYPTED) | (p.app_protocol ? PROTO_FLAG_APP : 0);
    return p.category_id | (p.breed_id << 8) | (flags << 16);
  });
  out.push(
    `export const PROTO_FLAG_ENCRYPTED: u32 = ${PROTO_FLAG_ENCRYPTED}; // not cleartext`,
    `export const PROTO_FLAG_APP: u32 = ${PROTO_FLAG_APP}; // an application protocol (can be the app part of Master.App)`,
    '',
    '// One word per protocol id: category (bits 0-7) | breed (8-15) | PROTO_FLAG_* (16-23).',
    `const PROTO_INFO: usize = ${data.block('u32', info)};`,
    '',
    '/** The packed defaults of a protocol; ids past the table read as Unknown (id 0). */',
    '@inline export function protoInfo(id: u32): u32 {',
    '  const index: u32 = id < PROTO_COUNT ? id : 0;',
    '  return load<u32>(PROTO_INFO + (<usize>index << 2));',
    '}',
    '',
    '/** Default category id of a protocol (a host-list match can give a flow another one). */',
    '@inline export function protoCategory(id: u32): u32 {',
    '  return protoInfo(id) & 0xff;',
    '}',
    '',
    '/** Breed id of a protocol (Safe, Acceptable, Fun, Unsafe, ...). */',
    '@inline export function protoBreed(id: u32): u32 {',
    '  return (protoInfo(id) >>> 8) & 0xff;',
    '}',
    '',
    '/** True when nDPI marks the protocol as not cleartext (`[Encrypted]`). */',
    '@inline export function protoIsEncrypted(id: u32): bool {',
    '  return (protoInfo(id) & (PROTO_FLAG_ENCRYPTED << 16)) != 0;',
    '}',
    '',
    '/** True for application protocols (the app part of Master.App). */',
    '@inline export function protoIsApp(id: u32): bool {',
    '  return (protoInfo(id) & (PROTO_FLAG_APP << 16)) != 0;',
    '}',
    '',
  );

  const readerPorts = readerPortRules(facts.dir, protocols);
  for (const transport of ['tcp', 'udp'] as const) {
    const map = defaultPortMap(protocols, transport);
    const T = transport.toUpperCase();
    out.push(
      `// Default ${T} ports, sorted, and the protocol registered for each (core-as/classify/port_guess.ts).`,
      `export const ${T}_PORT_COUNT: u32 = ${map.length};`,
      `export const ${T}_PORTS: usize = ${data.block('u16', map.map((e) => e[0]))};`,
      `export const ${T}_PORT_PROTOS: usize = ${data.block('u16', map.map((e) => e[1]))};`,
      '',
    );
    // The reader's protos.txt port rules: more ports to guess from, not default ports of the
    // protocol (nDPI's non-standard-port risk reads only the built-in ones).
    const reader = new Map<number, number>();
    for (const rule of readerPorts) if (rule.transport === transport) reader.set(rule.port, rule.protocolId);
    const readerMap = [...reader.entries()].sort((a, b) => a[0] - b[0]);
    // No rule for the transport: a null table of count 0 (asc rejects an empty data block).
    const block = (values: number[]) => (values.length > 0 ? data.block('u16', values) : '0');
    out.push(
      `// ${T} ports given to known protocols by the reader's protos.txt, sorted (port_guess.ts).`,
      `export const READER_${T}_PORT_COUNT: u32 = ${readerMap.length};`,
      `export const READER_${T}_PORTS: usize = ${block(readerMap.map((e) => e[0]))};`,
      `export const READER_${T}_PORT_PROTOS: usize = ${block(readerMap.map((e) => e[1]))};`,
      '',
    );
  }
  return { source: out.join('\n'), dataBytes: data.bytes };
}
