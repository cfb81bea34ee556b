/**
 * At rest a key is only its hash: SHA-256 of the full key, or HMAC-SHA-256 keyed with the
 * server-side pepper (`API_KEY_PEPPER`) when one is configured, as lowercase hex.
 *
 * A fast hash is right here (unlike passwords): the input has ≥160 bits of entropy, so brute
 * force is hopeless and a slow KDF would only tax every request. The pepper adds that a stolen
 * database alone cannot even confirm a leaked key. Changing the pepper invalidates every key.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { getEnv } from "@twx/config";

/** The configured pepper, or undefined for plain SHA-256. */
export function pepperFromEnv(): string | undefined {
  return getEnv().API_KEY_PEPPER;
}

/**
 * Hex hash of a full key as stored in `api_keys.hash`. `pepper` defaults to the environment's;
 * `null` forces plain SHA-256.
 */
export function hashKey(key: string, pepper: string | null | undefined = pepperFromEnv()): string {
  return pepper
    ? createHmac("sha256", pepper).update(key, "utf8").digest("hex")
    : createHash("sha256").update(key, "utf8").digest("hex");
}

/** Constant-time equality of two hex hashes (false when lengths differ). */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
