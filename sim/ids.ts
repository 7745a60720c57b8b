import type { Rng } from './kernel/rng.js';

/** Deterministic identifiers: random-looking UUIDs from the seed, or stable ones from a name. */
export class Ids {
  constructor(private readonly rng: Rng) {}

  /** A version-4-shaped UUID drawn from the seeded PRNG. */
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
    return format(r.uint32(), r.uint32(), r.uint32(), last);
  }

  /** A UUID that depends on `name` only (the same in every run), for catalog objects. */
  stable(name: string): string {
    const words: number[] = [];
    for (let round = 0; round < 4; round++) {
      let h = 0x811c9dc5 ^ round;
      for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
      words.push(h >>> 0);
    }
    return format(words[0]!, words[1]!, words[2]!, words[3]!);
  }
}

/**
 * The index an `indexedUuid` carries (its last 8 hex digits), or -1 if the text cannot be one. Read digit by digit:
 * Nova's API looks instances up by UUID at every call, and a slice and `parseInt` allocated for each lookup.
 */
export function uuidIndex(uuid: string): number {
  if (uuid.length !== 36) return -1;
  let n = 0;
  for (let i = 28; i < 36; i++) {
    const digit = hexValue(uuid.charCodeAt(i));
    if (digit < 0) return -1;
    n = n * 16 + digit;
  }
  return n;
}

/** 0..15 for a hex digit's character code (either case), else -1. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

const DIGITS = Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0));
/** A byte's two hex digits as character codes: a UUID is written a byte (two digits) per step. */
const HIGH_DIGIT = Uint8Array.from({ length: 256 }, (_, byte) => DIGITS[byte >> 4]!);
const LOW_DIGIT = Uint8Array.from({ length: 256 }, (_, byte) => DIGITS[byte & 15]!);
/**
 * One reusable array of character codes: a UUID is written into it and read out as one flat string, not a chain
 * of concatenations. `String.fromCharCode` builds it without leaving JavaScript, where a Buffer's `toString`
 * crossed into C++ for each of the ~500 UUIDs of a seed (about 13 % of building a 320-instance world).
 */
const scratch = Array.from('00000000-0000-4000-8000-000000000000', (ch) => ch.charCodeAt(0));

/** Writes the low `digits` (an even number) hex digits of `n` from position `at`. */
function putHex(n: number, at: number, digits: number): void {
  for (let i = at + digits - 2; i >= at; i -= 2) {
    const byte = n & 255;
    scratch[i] = HIGH_DIGIT[byte]!;
    scratch[i + 1] = LOW_DIGIT[byte]!;
    n >>>= 8;
  }
}

/** 96 bits (version 4 and variant bits set) and `last` as the final 8 hex digits. */
function format(a: number, b: number, c: number, last: number): string {
  putHex(a, 0, 8);
  putHex(b >>> 16, 9, 4);
  putHex(0x4000 | (b & 0xfff), 14, 4); // version 4
  putHex(((8 | ((c >>> 28) & 3)) << 12) | ((c >>> 16) & 0xfff), 19, 4); // variant 10xx
  putHex(c, 24, 4);
  putHex(last, 28, 8);
  return String.fromCharCode.apply(null, scratch);
}
