/**
 * In-process backend: the embedded default when neither Upstash nor Redis is configured.
 *
 * It stands in for Redis underneath `@upstash/ratelimit` rather than replacing the library, so
 * key names, window arithmetic, `reset` and `remaining` come from the very same library code as
 * in production. Only the Lua script is replaced, by a line-for-line port of the library's
 * single-region sliding-window script; JavaScript is single-threaded and the port never awaits,
 * which gives it the atomicity of a Lua script in Redis.
 *
 * Scripts are recognised by their SHA-1. If an upgrade of `@upstash/ratelimit` changes a script,
 * its hash changes and this backend refuses it instead of silently applying old semantics (the
 * differential test against real Redis fails too).
 *
 * Counters live in this process only: with several instances each one counts on its own.
 */
import { sha1Hex, serializeArg } from "../scripts";
import type { RateLimitBackend, ScriptRedis } from "./types";

/** SHA-1 of `slidingWindowLimitScript` of @upstash/ratelimit 2.2.0 (SCRIPTS.singleRegion.slidingWindow.limit.hash). */
export const SLIDING_WINDOW_LIMIT_SHA = "74740bb3d7792848093cdef586b6b6037c455fd6";
/** SHA-1 of `slidingWindowRemainingTokensScript` (used by `getRemaining`). */
export const SLIDING_WINDOW_REMAINING_SHA = "7ca36169e0fc9caedd81b4eef8e99854c157f9b5";

interface Entry {
  value: string;
  /** Unix ms; undefined = no expiry. */
  expiresAt: number | undefined;
}

/** Lua 5.1's `%` (luai_nummod): a - floor(a/b)*b, which differs from JS `%` for negatives. */
function luaMod(a: number, b: number): number {
  return a - Math.floor(a / b) * b;
}

/** Lua `tonumber` on a Redis string, enough for the integers these scripts store. */
function toNumber(value: string | null): number | null {
  if (value === null) return null;
  const n = Number(value);
  return Number.isFinite(n) && value.trim() !== "" ? n : null;
}

/** Lua numbers returned to Redis become integers by truncation. */
function toRedisInteger(n: number): number {
  return Math.trunc(n);
}

export class InMemoryScriptStore implements ScriptRedis {
  readonly #entries = new Map<string, Entry>();
  #lastSweep: number;
  readonly #sweepEveryMs = 60_000;

  /** `now` drives key expiry only; the scripts get their "now" from the caller, as in Redis. */
  constructor(private readonly now: () => number = Date.now) {
    this.#lastSweep = now();
  }

  async evalsha(sha: string, keys: string[], args: unknown[]): Promise<unknown> {
    return this.#run(sha.toLowerCase(), keys, args);
  }

  async eval(script: string, keys: string[], args: unknown[]): Promise<unknown> {
    const sha = sha1Hex(script);
    if (sha !== SLIDING_WINDOW_LIMIT_SHA && sha !== SLIDING_WINDOW_REMAINING_SHA) {
      throw new Error(
        "in-process rate limit backend: unsupported script (only @upstash/ratelimit 2.2 sliding windows are implemented)",
      );
    }
    return this.#run(sha, keys, args);
  }

  /** Number of live keys (tests, diagnostics). */
  size(): number {
    this.#sweep(true);
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }

  #run(sha: string, keys: string[], rawArgs: unknown[]): unknown {
    this.#sweep(false);
    const args = rawArgs.map(serializeArg);
    if (sha === SLIDING_WINDOW_LIMIT_SHA) return this.#slidingWindowLimit(keys, args);
    if (sha === SLIDING_WINDOW_REMAINING_SHA) return this.#slidingWindowRemaining(keys, args);
    // Same text as Redis, which is what the library tests for before falling back to EVAL.
    throw new Error("NOSCRIPT No matching script. Please use EVAL.");
  }

  /** Port of `slidingWindowLimitScript` (src/lua-scripts/single.ts of @upstash/ratelimit). */
  #slidingWindowLimit(keys: string[], args: string[]): [number, number] {
    const [currentKey, previousKey, dynamicLimitKey] = keys as [string, string, string?];
    const tokens = Number(args[0]);
    const now = Number(args[1]);
    const window = Number(args[2]);
    const incrementBy = Number(args[3]);

    const effectiveLimit = this.#effectiveLimit(tokens, dynamicLimitKey);
    const requestsInCurrentWindow = toNumber(this.#get(currentKey)) ?? 0;
    let requestsInPreviousWindow = toNumber(this.#get(previousKey)) ?? 0;
    const percentageInCurrent = luaMod(now, window) / window;
    requestsInPreviousWindow = Math.floor((1 - percentageInCurrent) * requestsInPreviousWindow);

    if (incrementBy > 0 && requestsInPreviousWindow + requestsInCurrentWindow >= effectiveLimit) {
      return [-1, toRedisInteger(effectiveLimit)];
    }

    const newValue = this.#incrBy(currentKey, incrementBy);
    if (newValue === incrementBy) {
      this.#pexpire(currentKey, window * 2 + 1000);
    }
    return [
      toRedisInteger(effectiveLimit - (newValue + requestsInPreviousWindow)),
      toRedisInteger(effectiveLimit),
    ];
  }

  /** Port of `slidingWindowRemainingTokensScript`. */
  #slidingWindowRemaining(keys: string[], args: string[]): [number, number] {
    const [currentKey, previousKey, dynamicLimitKey] = keys as [string, string, string?];
    const tokens = Number(args[0]);
    const now = Number(args[1]);
    const window = Number(args[2]);
    const effectiveLimit = this.#effectiveLimit(tokens, dynamicLimitKey);
    const requestsInCurrentWindow = toNumber(this.#get(currentKey)) ?? 0;
    let requestsInPreviousWindow = toNumber(this.#get(previousKey)) ?? 0;
    const percentageInCurrent = luaMod(now, window) / window;
    requestsInPreviousWindow = Math.floor((1 - percentageInCurrent) * requestsInPreviousWindow);
    const usedTokens = requestsInPreviousWindow + requestsInCurrentWindow;
    return [toRedisInteger(effectiveLimit - usedTokens), toRedisInteger(effectiveLimit)];
  }

  #effectiveLimit(tokens: number, dynamicLimitKey: string | undefined): number {
    if (dynamicLimitKey) {
      const dynamic = this.#get(dynamicLimitKey);
      if (dynamic !== null) return Number(dynamic);
    }
    return tokens;
  }

  #get(key: string): string | null {
    const entry = this.#entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return null;
    }
    return entry.value;
  }

  #incrBy(key: string, by: number): number {
    const current = this.#get(key);
    const base = current === null ? 0 : Number(current);
    if (!Number.isInteger(base)) throw new Error("ERR value is not an integer or out of range");
    const next = base + by;
    const existing = this.#entries.get(key);
    // INCRBY keeps the key's expiry, like Redis.
    this.#entries.set(key, { value: String(next), expiresAt: existing?.expiresAt });
    return next;
  }

  #pexpire(key: string, ms: number): void {
    const entry = this.#entries.get(key);
    if (entry) entry.expiresAt = this.now() + ms;
  }

  /** Drops expired keys about once a minute, so idle identifiers do not accumulate. */
  #sweep(force: boolean): void {
    const now = this.now();
    if (!force && now - this.#lastSweep < this.#sweepEveryMs) return;
    this.#lastSweep = now;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}

export interface InProcessBackendOptions {
  /** Clock for key expiry; defaults to Date.now (the clock `@upstash/ratelimit` reads). */
  now?: () => number;
}

export function inProcessBackend(options: InProcessBackendOptions = {}): RateLimitBackend & {
  readonly store: InMemoryScriptStore;
} {
  const store = new InMemoryScriptStore(options.now);
  return {
    kind: "in-process",
    name: "in-process (counters local to this process)",
    redis: store,
    store,
    async close() {
      store.clear();
    },
  };
}
