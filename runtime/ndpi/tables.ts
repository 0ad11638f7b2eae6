// nDPI's names and numbers for the runtime side, read from ./generated.ts (written by
// scripts/gen-ndpi-tables.ts from ../shared/ndpi/*.json at build time; never edited by hand).
// Web standards only.
import {
  BREED_NAMES, CATEGORY_NAMES, CIPHERS, NDPI_COMMIT, PROTOCOL_BREEDS, PROTOCOL_CATEGORIES, PROTOCOL_ENCRYPTED,
  PROTOCOL_NAMES, RISKS,
} from './generated.ts';

export { NDPI_COMMIT };

export type CipherClass = 'safe' | 'weak' | 'insecure';

export interface RiskInfo {
  id: number;
  /** nDPI's enum name, e.g. NDPI_TLS_WEAK_CIPHER. */
  symbol: string;
  /** Display string as ndpiReader prints it in `[Risk: ** ... **]`. */
  name: string;
  score: number;
  clientScore: number;
  serverScore: number;
  severity: string;
}

const categoryById = new Map<number, string>(CATEGORY_NAMES);
const protocolByName = new Map<string, number>(PROTOCOL_NAMES.map((name, id) => [name, id]));
const riskById = new Map<number, RiskInfo>();
const riskByName = new Map<string, RiskInfo>();
for (const [id, symbol, name, score, clientScore, serverScore, severity] of RISKS) {
  if (name === null) continue; // table sentinels, never reported
  const info: RiskInfo = { id, symbol, name, score, clientScore, serverScore, severity };
  riskById.set(id, info);
  riskByName.set(name, info);
}
const cipherById = new Map<number, { name: string; cls: CipherClass }>(CIPHERS.map(([id, name, cls]) => [id, { name, cls }]));

/** Number of protocol ids (0 .. count-1). */
export const PROTOCOL_COUNT = PROTOCOL_NAMES.length;

/** nDPI's protocol name ("TLS", "Google"); "Unknown" for ids it does not define. */
export function protocolName(id: number): string {
  return PROTOCOL_NAMES[id] ?? 'Unknown';
}

/** Protocol id for a name as nDPI prints it, undefined when unknown. */
export function protocolId(name: string): number | undefined {
  return protocolByName.get(name);
}

/** "Master.App" or "App" as nDPI prints a flow's protocol pair (master 0 or equal to app: just the app). */
export function protocolPairName(masterId: number, appId: number): string {
  if (masterId === 0 || masterId === appId) return protocolName(appId);
  if (appId === 0) return protocolName(masterId);
  // One string per pair, shared by every flow of it (a map key and a Lua string downstream).
  const key = masterId * 65536 + appId;
  let name = PAIR_NAMES.get(key);
  if (name === undefined) {
    name = `${protocolName(masterId)}.${protocolName(appId)}`;
    PAIR_NAMES.set(key, name);
  }
  return name;
}
const PAIR_NAMES = new Map<number, string>();

/** Default category id of a protocol. */
export function protocolCategory(id: number): number {
  return PROTOCOL_CATEGORIES[id] ?? 0;
}

/** Breed id of a protocol (7 = Unrated for unknown ids). */
export function protocolBreed(id: number): number {
  return PROTOCOL_BREEDS[id] ?? 7;
}

/** True when nDPI marks the protocol as encrypted (not cleartext). */
export function protocolIsEncrypted(id: number): boolean {
  return PROTOCOL_ENCRYPTED[id] === 1;
}

/** Category name ("Web", "Media"); "" for ids nDPI leaves unnamed. */
export function categoryName(id: number): string {
  return categoryById.get(id) ?? '';
}

/** Breed name ("Safe", "Acceptable", ...); "" for unknown ids. */
export function breedName(id: number): string {
  return BREED_NAMES[id] ?? '';
}

/** Everything known about a risk id, undefined for ids that are never reported. */
export function riskInfo(id: number): RiskInfo | undefined {
  return riskById.get(id);
}

/** Display name of a risk ("Weak TLS Cipher"), "" for unknown ids. */
export function riskName(id: number): string {
  return riskById.get(id)?.name ?? '';
}

/** Score of a risk (its severity score), 0 for unknown ids. */
export function riskScore(id: number): number {
  return riskById.get(id)?.score ?? 0;
}

/** Risk id for a display name as ndpiReader prints it, undefined when unknown. */
export function riskIdByName(name: string): number | undefined {
  return riskByName.get(name)?.id;
}

/** Every reportable risk, by id. */
export function allRisks(): RiskInfo[] {
  return [...riskById.values()];
}

/** A flow's risk score as nDPI sums it over its risk ids. */
export function riskScoreOf(ids: Iterable<number>): number {
  let sum = 0;
  for (const id of new Set(ids)) sum += riskScore(id);
  return sum;
}

/** Cipher suite name as nDPI prints it; ids it has no name for print as 0X followed by 4 hex digits. */
export function cipherName(id: number): string {
  return cipherById.get(id)?.name ?? '0X' + id.toString(16).toUpperCase().padStart(4, '0');
}

/** nDPI's class of a cipher suite; ids not listed are safe. */
export function cipherClass(id: number): CipherClass {
  return cipherById.get(id)?.cls ?? 'safe';
}
