import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BASE62_ALPHABET,
  KEY_CHECKSUM_LENGTH,
  KEY_LENGTH,
  KEY_PREFIX,
  KEY_RANDOM_LENGTH,
  checksumOf,
  crc32,
  formatKey,
  generateKey,
  hashKey,
  hashesEqual,
  keyStart,
  parseKey,
} from "../src/index";
import { Lru } from "../src/lru";

const base62Char = fc.constantFrom(...BASE62_ALPHABET.split(""));
const randomPart = fc.string({ unit: base62Char, minLength: KEY_RANDOM_LENGTH, maxLength: KEY_RANDOM_LENGTH });
/** Keys built from arbitrary random parts, plus real generated ones. */
const anyKey = fc.oneof(randomPart.map(formatKey), fc.constant(null).map(() => generateKey()));
/** Replacement characters: the alphabet, look-alikes, separators, non-ASCII. */
const anyChar = fc.oneof(
  base62Char,
  fc.constantFrom("_", "-", " ", ".", "=", "+", "/", "\n", "\u0000", "é", "０", "𝟘"),
  fc.string({ minLength: 1, maxLength: 1 }),
);

describe("key format", () => {
  it("has the documented shape", () => {
    const key = generateKey();
    expect(key).toHaveLength(KEY_LENGTH);
    expect(KEY_LENGTH).toBe(4 + 32 + 6);
    expect(key.startsWith(KEY_PREFIX)).toBe(true);
    expect(key).toMatch(/^twx_[0-9A-Za-z]{38}$/);
    // \w+ is what a double-click selects in browsers and terminals.
    expect(key).toMatch(/^\w+$/);
    expect(keyStart(key)).toBe(key.slice(0, 9));
  });

  it("carries ≥160 bits that `start` does not reveal", () => {
    const hiddenChars = KEY_RANDOM_LENGTH - (keyStart(generateKey()).length - KEY_PREFIX.length);
    expect(hiddenChars * Math.log2(62)).toBeGreaterThanOrEqual(160);
  });

  it("draws characters uniformly", () => {
    const counts = new Map<string, number>();
    const n = 3_000;
    for (let i = 0; i < n; i++) {
      const random = generateKey().slice(KEY_PREFIX.length, KEY_PREFIX.length + KEY_RANDOM_LENGTH);
      for (const c of random) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const expected = (n * KEY_RANDOM_LENGTH) / 62;
    expect(counts.size).toBe(62);
    for (const count of counts.values()) {
      expect(Math.abs(count - expected) / expected).toBeLessThan(0.15);
    }
  });

  it("never repeats", () => {
    const keys = new Set(Array.from({ length: 10_000 }, generateKey));
    expect(keys.size).toBe(10_000);
  });

  it("checksum is CRC-32 (zlib's) in 6 base62 characters", () => {
    // The CRC-32 check value.
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(checksumOf("0".repeat(KEY_RANDOM_LENGTH))).toHaveLength(KEY_CHECKSUM_LENGTH);
  });

  it("property: every generated key parses", () => {
    fc.assert(
      fc.property(anyKey, (key) => {
        const parsed = parseKey(key);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.value.start).toBe(key.slice(0, 9));
      }),
      { numRuns: 2_000 },
    );
  });

  it("property: every single-character substitution is rejected", () => {
    fc.assert(
      fc.property(anyKey, fc.nat(KEY_LENGTH - 1), anyChar, (key, index, c) => {
        fc.pre(key[index] !== c);
        const changed = key.slice(0, index) + c + key.slice(index + 1);
        expect(parseKey(changed).ok).toBe(false);
      }),
      { numRuns: 5_000 },
    );
  });

  it("exhaustively: every base62 substitution at every position of one key is rejected", () => {
    const key = generateKey();
    for (let i = 0; i < KEY_LENGTH; i++) {
      for (const c of BASE62_ALPHABET) {
        if (c === key[i]) continue;
        expect(parseKey(key.slice(0, i) + c + key.slice(i + 1)).ok).toBe(false);
      }
    }
  });

  it("property: every single-character insertion is rejected", () => {
    fc.assert(
      fc.property(anyKey, fc.nat(KEY_LENGTH), anyChar, (key, index, c) => {
        expect(parseKey(key.slice(0, index) + c + key.slice(index)).ok).toBe(false);
      }),
      { numRuns: 3_000 },
    );
  });

  it("property: every single-character deletion is rejected", () => {
    fc.assert(
      fc.property(anyKey, fc.nat(KEY_LENGTH - 1), (key, index) => {
        expect(parseKey(key.slice(0, index) + key.slice(index + 1)).ok).toBe(false);
      }),
      { numRuns: 3_000 },
    );
  });

  it("property: adjacent transpositions inside the random part or the checksum are rejected", () => {
    const randomStart = KEY_PREFIX.length;
    const checksumStart = KEY_PREFIX.length + KEY_RANDOM_LENGTH;
    fc.assert(
      fc.property(anyKey, fc.nat(KEY_LENGTH - 2), (key, index) => {
        // The pair straddling the random/checksum boundary changes both sides: not guaranteed.
        fc.pre(index >= randomStart && index + 1 !== checksumStart && key[index] !== key[index + 1]);
        const swapped = key.slice(0, index) + key[index + 1] + key[index] + key.slice(index + 2);
        expect(parseKey(swapped).ok).toBe(false);
      }),
      { numRuns: 3_000 },
    );
  });

  it("names the reason for a rejection, without I/O", () => {
    const key = generateKey();
    expect(parseKey(undefined)).toEqual({ ok: false, reason: "type" });
    expect(parseKey(key + "A")).toEqual({ ok: false, reason: "length" });
    expect(parseKey("x".repeat(1_000_000))).toEqual({ ok: false, reason: "length" });
    expect(parseKey("sk_" + key.slice(3))).toEqual({ ok: false, reason: "prefix" });
    expect(parseKey("TWX_" + key.slice(4))).toEqual({ ok: false, reason: "prefix" });
    expect(parseKey(key.slice(0, 10) + "-" + key.slice(11))).toEqual({ ok: false, reason: "alphabet" });
    const flipped = key.slice(0, 10) + (key[10] === "a" ? "b" : "a") + key.slice(11);
    expect(parseKey(flipped)).toEqual({ ok: false, reason: "checksum" });
    expect(parseKey(` ${key}`.slice(0, KEY_LENGTH)).ok).toBe(false);
  });
});

describe("hashing", () => {
  it("is SHA-256 hex without a pepper and HMAC-SHA-256 with one", () => {
    const key = generateKey();
    expect(hashKey(key, null)).toBe(createHash("sha256").update(key).digest("hex"));
    const pepper = "p".repeat(32);
    expect(hashKey(key, pepper)).toBe(createHmac("sha256", pepper).update(key).digest("hex"));
    expect(hashKey(key, pepper)).not.toBe(hashKey(key, null));
    expect(hashKey(key, null)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("compares hashes in constant time and only equal lengths", () => {
    const a = hashKey(generateKey(), null);
    expect(hashesEqual(a, a)).toBe(true);
    expect(hashesEqual(a, hashKey(generateKey(), null))).toBe(false);
    expect(hashesEqual(a, a.slice(0, 62))).toBe(false);
    expect(hashesEqual("", "")).toBe(false);
  });
});

describe("Lru", () => {
  it("drops the least recently used entry past its bound", () => {
    const lru = new Lru<string, number>(3);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.set("c", 3);
    expect(lru.get("a")).toBe(1); // a is now the most recent
    lru.set("d", 4);
    expect(lru.peek("b")).toBeUndefined();
    expect([...lru.keys()]).toEqual(["c", "a", "d"]);
    expect(lru.size).toBe(3);
  });

  it("stays bounded under a flood", () => {
    const lru = new Lru<number, number>(100);
    for (let i = 0; i < 100_000; i++) lru.set(i, i);
    expect(lru.size).toBe(100);
    expect(lru.peek(99_999)).toBe(99_999);
  });
});
