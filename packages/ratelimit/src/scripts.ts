/**
 * Running `@upstash/ratelimit`'s Lua scripts on a self-hosted Redis.
 *
 * Every script of the library starts with `#!lua flags=allow-key-locking`. That flag exists on
 * Upstash only: Redis 7.0 refuses the script ("Unexpected flag in script shebang") and Redis 6
 * refuses any shebang. The flag is dropped before the script reaches Redis; when it was the only
 * flag the whole shebang line goes, which gives the classic EVAL semantics the scripts were
 * written for (no declared-keys restriction, writes allowed).
 *
 * The library calls EVALSHA with the SHA-1 of the ORIGINAL script text (hard-coded in its
 * dist), which Redis will never know. {@link ScriptShaMap} remembers, for every script that went
 * through EVAL (or SCRIPT LOAD), original SHA-1 → SHA-1 of the text Redis actually cached, so
 * later EVALSHA calls hit the cached script. Until the first EVAL, EVALSHA of the original hash
 * gets NOSCRIPT and the library falls back to EVAL by itself; after a Redis restart (script
 * cache gone) the mapped EVALSHA gets NOSCRIPT and the same fallback applies.
 */
import { createHash } from "node:crypto";

/** Flags of Upstash's shebang that self-hosted Redis does not accept. */
const UPSTASH_ONLY_FLAGS = new Set(["allow-key-locking"]);

export function sha1Hex(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

/** The script as a self-hosted Redis accepts it; returns the input unchanged when nothing to drop. */
export function stripUpstashOnlyFlags(script: string): string {
  const match = /^#!lua([^\n]*)(\n|$)/.exec(script);
  if (!match) return script;
  const options = match[1]!.trim();
  const flagsMatch = /^flags=(\S*)$/.exec(options);
  if (!flagsMatch) return script;
  const flags = flagsMatch[1]!.split(",").filter((f) => f !== "");
  const kept = flags.filter((f) => !UPSTASH_ONLY_FLAGS.has(f));
  if (kept.length === flags.length) return script;
  const rest = script.slice(match[0].length);
  return kept.length === 0 ? rest : `#!lua flags=${kept.join(",")}\n${rest}`;
}

export class ScriptShaMap {
  readonly #served = new Map<string, string>();

  /** Text to send to Redis for `script`; records the SHA-1 mapping when the text changed. */
  prepare(script: string): { runnable: string; originalSha: string; runnableSha: string } {
    const runnable = stripUpstashOnlyFlags(script);
    const originalSha = sha1Hex(script);
    const runnableSha = runnable === script ? originalSha : sha1Hex(runnable);
    if (runnableSha !== originalSha) this.#served.set(originalSha, runnableSha);
    return { runnable, originalSha, runnableSha };
  }

  /** The SHA-1 Redis knows for a script the caller knows by `sha`. */
  resolve(sha: string): string {
    return this.#served.get(sha.toLowerCase()) ?? sha;
  }

  /** The caller's SHA-1 for a SHA-1 Redis reports (SCRIPT LOAD replies). */
  original(runnableSha: string): string {
    for (const [original, served] of this.#served) if (served === runnableSha) return original;
    return runnableSha;
  }
}

/**
 * Arguments as `@upstash/redis` serialises them (strings, numbers and booleans as they are,
 * anything else, null included, as JSON), so every backend receives the same text.
 */
export function serializeArg(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "boolean":
      return String(value);
    default:
      return JSON.stringify(value) ?? "undefined";
  }
}

function parseRecursive(value: unknown): unknown {
  const parsed: unknown = Array.isArray(value)
    ? value.map((item) => {
        try {
          return parseRecursive(item);
        } catch {
          return item;
        }
      })
    : JSON.parse(value as string);
  if (typeof parsed === "number" && parsed.toString() !== value) return value;
  return parsed;
}

/**
 * Reply deserialisation of `@upstash/redis` (`parseResponse` in its dist): strings that are JSON
 * become values, numbers whose text would not round-trip stay strings. Applied by the TCP and
 * in-process backends so scripts return the same shapes as through `@upstash/redis`.
 */
export function deserializeLikeUpstash(value: unknown): unknown {
  try {
    return parseRecursive(value);
  } catch {
    return value;
  }
}
