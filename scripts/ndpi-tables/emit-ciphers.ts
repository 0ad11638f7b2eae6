// core-as/classify/generated/tls_ciphers.ts: TLS cipher suite id -> nDPI's class
// (safe / weak / insecure). Only the non-safe ids are stored: every other id is safe.
import { DataBlocks, generatedHeader } from './as-data.ts';
import type { NdpiFacts } from './load.ts';

const CLASS_IDS = { safe: 0, weak: 1, insecure: 2 } as const;

export function cipherId(hex: string): number {
  const id = Number.parseInt(hex, 16);
  if (!/^0x[0-9a-fA-F]{4}$/.test(hex) || !(id >= 0 && id <= 0xffff)) throw new Error(`gen-ndpi-tables: cipher id ${hex}`);
  return id;
}

export function emitCiphers(facts: NdpiFacts): { source: string; dataBytes: number } {
  const data = new DataBlocks();
  const notSafe = facts.ciphers
    .filter((c) => c.class !== 'safe')
    .map((c) => {
      if (!(c.class in CLASS_IDS)) throw new Error(`gen-ndpi-tables: cipher ${c.id} class ${c.class}`);
      return [cipherId(c.id), CLASS_IDS[c.class]] as const;
    })
    .sort((a, b) => a[0] - b[0]);
  const weakRisk = facts.risks.find((r) => r.symbol === 'NDPI_TLS_WEAK_CIPHER');
  if (!weakRisk) throw new Error('gen-ndpi-tables: risks.json has no NDPI_TLS_WEAK_CIPHER');
  const out: string[] = [
    generatedHeader(facts, 'tls_ciphers.json',
      'TLS cipher suite classes. nDPI raises NDPI_TLS_WEAK_CIPHER only for CIPHER_WEAK (the insecure RC4 suites do not raise it).'),
    `export const CIPHER_SAFE: u32 = ${CLASS_IDS.safe};`,
    `export const CIPHER_WEAK: u32 = ${CLASS_IDS.weak};`,
    `export const CIPHER_INSECURE: u32 = ${CLASS_IDS.insecure};`,
    `/** The risk raised for CIPHER_WEAK (resolved by symbol from risks.json). */`,
    `export const CIPHER_WEAK_RISK: u8 = ${weakRisk.id};`,
    '',
    `const NOT_SAFE_COUNT: u32 = ${notSafe.length};`,
    `const NOT_SAFE_IDS: usize = ${data.block('u16', notSafe.map((e) => e[0]))};`,
    `const NOT_SAFE_CLASS: usize = ${data.block('u8', notSafe.map((e) => e[1]))};`,
    '',
    '/** Class of the cipher suite a ServerHello chose: CIPHER_SAFE, CIPHER_WEAK or CIPHER_INSECURE. */',
    'export function cipherClass(id: u32): u32 {',
    '  for (let i: u32 = 0; i < NOT_SAFE_COUNT; i++) {',
    '    const c = <u32>load<u16>(NOT_SAFE_IDS + (<usize>i << 1));',
    '    if (c == id) return <u32>load<u8>(NOT_SAFE_CLASS + <usize>i);',
    '    if (c > id) break;',
    '  }',
    '  return CIPHER_SAFE;',
    '}',
    '',
  ];
  return { source: out.join('\n'), dataBytes: data.bytes };
}
