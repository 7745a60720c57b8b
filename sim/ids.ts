import type { Rng } from './kernel/rng.js';

/** Deterministic identifiers: random-looking UUIDs from the seed, or stable ones from a name. */
export class Ids {
  constructor(private readonly rng: Rng) {}

  /** A version-4-shaped UUID drawn from the seeded PRNG. */
  uuid(): string {
    let hex = '';
    for (let i = 0; i < 4; i++) hex += (this.rng.int(0, 0xffff) * 0x10000 + this.rng.int(0, 0xffff)).toString(16).padStart(8, '0');
    return formatUuid(hex);
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

function formatUuid(hex: string): string {
  const v = `4${hex.slice(13, 16)}`;
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${v}-${variant}-${hex.slice(20, 32)}`;
}
