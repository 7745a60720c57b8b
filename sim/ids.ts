import type { Rng } from './kernel/rng.js';

/** Deterministic identifiers: random-looking UUIDs from the seed, or stable ones from a name. */
export class Ids {
  constructor(private readonly rng: Rng) {}

  /** A version-4-shaped UUID drawn from the seeded PRNG (formatted by table: this runs once per instance). */
  uuid(): string {
    return this.draw(this.rng.uint32());
  }

  /**
   * A random-looking UUID whose last 8 hex digits are `index`: instances can be found by UUID in O(1) without a
   * map over every instance (built lazily, that map cost O(instances) at the first lookup of a run).
   */
  indexedUuid(index: number): string {
    return this.draw(index >>> 0);
  }

  /** 96 random bits (with the version and variant nibbles set) and `last` as the final 8 hex digits. */
  private draw(last: number): string {
    const r = this.rng;
    const a = r.uint32();
    const b = r.uint32();
    const c = r.uint32();
    return (
      hex8(a) + '-' + HEX2[b >>> 24]! + HEX2[(b >>> 16) & 255]! + '-4' + HEX2[(b >>> 8) & 15]!.slice(1) + HEX2[b & 255]! +
      '-' + HEX2[((c >>> 24) & 0x3f) | 0x80]! + HEX2[(c >>> 16) & 255]! + '-' + HEX2[(c >>> 8) & 255]! + HEX2[c & 255]! + hex8(last)
    );
  }

  /** A UUID that depends on `name` only (the same in every run), for catalog objects. */
  stable(name: string): string {
    let hex = '';
    for (let round = 0; round < 4; round++) {
      let h = 0x811c9dc5 ^ round;
      for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
      hex += (h >>> 0).toString(16).padStart(8, '0');
    }
    return formatUuid(hex);
  }
}

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** 8 hex digits of a 32-bit value, by table (toString(16) + padStart costs ~10× more on the hot path). */
const hex8 = (n: number): string => HEX2[n >>> 24]! + HEX2[(n >>> 16) & 255]! + HEX2[(n >>> 8) & 255]! + HEX2[n & 255]!;

function formatUuid(hex: string): string {
  const v = `4${hex.slice(13, 16)}`;
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${v}-${variant}-${hex.slice(20, 32)}`;
}

/** The index an `indexedUuid` carries, or -1 if the text cannot be one. */
export function uuidIndex(uuid: string): number {
  if (uuid.length !== 36) return -1;
  const n = Number.parseInt(uuid.slice(28), 16);
  return Number.isNaN(n) ? -1 : n;
}
