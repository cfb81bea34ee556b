/**
 * Remaining requests in each key's current rate-limit window, for display. With a shared
 * backend (Redis, Upstash) the limiter's own counters are read without counting a request
 * (`peek`). The in-process backend's counters live in the process that served the REST request,
 * so then (and when the backend does not answer) the remaining count is estimated from the hourly
 * usage rows with the same sliding-window arithmetic.
 */
import { estimateRemainingInHour, type KeyUsageReport } from "@twx/keys/usage-report";
import { createRateLimiterFromEnv, LIMIT_DEFINITIONS, type RateLimiter } from "@twx/ratelimit";

export interface RemainingInWindow {
  keyId: string;
  limit: number;
  remaining: number;
  /** When the current window ends. */
  reset: Date;
  /** `limiter`: read from the rate limiter's counters; `estimate`: from the usage rows. */
  source: "limiter" | "estimate";
}

export type PeekFunction = (scope: "read_only" | "full_access", keyId: string) => Promise<{ limit: number; remaining: number; reset: number } | null>;

const globalForPortal = globalThis as unknown as { twxPortalLimiter?: RateLimiter | null };

/** The process's limiter for reads, or null when its counters would not be the REST API's. */
function sharedLimiter(): RateLimiter | null {
  if (globalForPortal.twxPortalLimiter === undefined) {
    const limiter = createRateLimiterFromEnv();
    if (limiter.backend.kind === "in-process") {
      void limiter.close();
      globalForPortal.twxPortalLimiter = null;
    } else {
      globalForPortal.twxPortalLimiter = limiter;
    }
  }
  return globalForPortal.twxPortalLimiter;
}

export function defaultPeek(): PeekFunction | null {
  const limiter = sharedLimiter();
  return limiter ? (scope, keyId) => limiter.peek(scope, keyId) : null;
}

/** Keys that can still be used (not revoked, not expired) get a remaining count. */
export async function remainingFor(
  keys: KeyUsageReport[],
  now: Date,
  peek: PeekFunction | null,
): Promise<RemainingInWindow[]> {
  const usable = keys.filter((k) => !k.revokedAt && !(k.expiresAt && k.expiresAt.getTime() <= now.getTime()));
  return Promise.all(
    usable.map(async (key): Promise<RemainingInWindow> => {
      const read = peek ? await peek(key.scope, key.keyId).catch(() => null) : null;
      if (read) return { keyId: key.keyId, limit: read.limit, remaining: read.remaining, reset: new Date(read.reset), source: "limiter" };
      const estimate = estimateRemainingInHour({
        limit: LIMIT_DEFINITIONS[key.scope].tokens,
        currentHourRequests: key.hourly.at(-1)?.requests ?? 0,
        previousHourRequests: key.hourly.at(-2)?.requests ?? 0,
        now,
      });
      return { keyId: key.keyId, ...estimate, source: "estimate" };
    }),
  );
}
