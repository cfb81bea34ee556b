/**
 * API key format: `twx_` + 32 base62 characters from the CSPRNG + 6 base62 characters of CRC32.
 *
 *   twx_ 8fK2aQ0...(32)... 1bZ9xQ
 *   ^^^^ ^^^^^^^^^^^^^^^^^ ^^^^^^
 *   prefix   random part    checksum (CRC32 of the random part, base62, 6 chars, zero-padded)
 *
 * - Base62 and `_` are all "word" characters, so a double-click selects the whole key.
 * - 32 base62 characters carry 190.5 bits; the first 5 are shown as the non-secret `start`,
 *   which leaves 27 unseen characters = 160.8 bits, so even someone who can read `start`
 *   (UI, logs) faces at least 160 bits.
 * - The checksum lets `parseKey` (and secret scanners) reject typos and truncations without a
 *   database read. It is not a secret and not a MAC: anyone can compute it. A fixed length plus
 *   CRC32 (which detects every burst error of up to 32 bits) makes every single-character change,
 *   insertion or deletion fail to parse.
 */
import { randomBytes } from "node:crypto";

export const KEY_PREFIX = "twx_";
export const KEY_RANDOM_LENGTH = 32;
export const KEY_CHECKSUM_LENGTH = 6;
export const KEY_LENGTH = KEY_PREFIX.length + KEY_RANDOM_LENGTH + KEY_CHECKSUM_LENGTH;
/** Characters of the random part shown in `start`. */
export const KEY_START_RANDOM_CHARS = 5;

export const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const BASE62_INDEX: Int8Array = (() => {
  const index = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE62_ALPHABET.length; i++) index[BASE62_ALPHABET.charCodeAt(i)] = i;
  return index;
})();

const CRC32_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as zlib) of an ASCII string. Own implementation: `zlib.crc32` needs Node ≥ 20.15. */
export function crc32(ascii: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < ascii.length; i++) {
    crc = CRC32_TABLE[(crc ^ ascii.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Fixed-width base62 of a non-negative integer below 62^width (zero-padded, most significant first). */
export function encodeBase62(value: number, width: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62_ALPHABET[rest % 62]! + out;
    rest = Math.floor(rest / 62);
  }
  if (rest !== 0) throw new RangeError(`${value} does not fit in ${width} base62 characters`);
  return out;
}

/** The checksum characters of a random part. */
export function checksumOf(random: string): string {
  // 62^6 ≈ 5.7e10 > 2^32, so every CRC32 value has exactly one 6-character encoding.
  return encodeBase62(crc32(random), KEY_CHECKSUM_LENGTH);
}

/** `length` uniformly distributed base62 characters from the CSPRNG (rejection sampling, no modulo bias). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const bytes = randomBytes(length * 2);
    for (const byte of bytes) {
      // 248 = 4 * 62: bytes at or above it would make the first 8 symbols more likely.
      if (byte < 248) {
        out += BASE62_ALPHABET[byte % 62];
        if (out.length === length) break;
      }
    }
  }
  return out;
}

/** Build a key from a given random part (tests and fixtures; production uses {@link generateKey}). */
export function formatKey(random: string): string {
  return KEY_PREFIX + random + checksumOf(random);
}

/** A fresh API key. The only place a secret is born. */
export function generateKey(): string {
  return formatKey(randomBase62(KEY_RANDOM_LENGTH));
}

/** The non-secret display prefix of a key, e.g. `twx_8fK2a`. */
export function keyStart(key: string): string {
  return key.slice(0, KEY_PREFIX.length + KEY_START_RANDOM_CHARS);
}

export interface ParsedKey {
  /** The key exactly as given (it parsed, so it is canonical). */
  key: string;
  random: string;
  checksum: string;
  start: string;
}

export type ParseFailure = "type" | "length" | "prefix" | "alphabet" | "checksum";

export type ParseResult = { ok: true; value: ParsedKey } | { ok: false; reason: ParseFailure };

/**
 * Checks a candidate key's shape and checksum. Pure and O(length): run it before any hashing,
 * cache or database work, so garbage costs nothing. The failure reason is for logs and metrics;
 * clients should only ever be told "invalid".
 */
export function parseKey(input: unknown): ParseResult {
  if (typeof input !== "string") return { ok: false, reason: "type" };
  // Length first: bounds all further work, whatever the input size.
  if (input.length !== KEY_LENGTH) return { ok: false, reason: "length" };
  if (!input.startsWith(KEY_PREFIX)) return { ok: false, reason: "prefix" };
  for (let i = KEY_PREFIX.length; i < KEY_LENGTH; i++) {
    const code = input.charCodeAt(i);
    if (code >= 128 || BASE62_INDEX[code] === -1) return { ok: false, reason: "alphabet" };
  }
  const random = input.slice(KEY_PREFIX.length, KEY_PREFIX.length + KEY_RANDOM_LENGTH);
  const checksum = input.slice(KEY_PREFIX.length + KEY_RANDOM_LENGTH);
  if (checksum !== checksumOf(random)) return { ok: false, reason: "checksum" };
  return { ok: true, value: { key: input, random, checksum, start: keyStart(input) } };
}

/** Convenience predicate over {@link parseKey}. */
export function isWellFormedKey(input: unknown): input is string {
  return parseKey(input).ok;
}
