/**
 * The seam where sign-in attempts are rate-limited, per account and per client address.
 *
 * The limiter itself comes from `@twx/ratelimit` (sliding windows in Redis); this package only
 * says what is limited and how a refusal reads, so it takes the limiter as an argument and
 * stays free of Redis. The portal passes `createRateLimiterFromEnv().forKind("sign-in")`
 * (apps/web/auth.ts); {@link allowAllSignInLimiter} never refuses and is meant for tests and
 * tools that sign in without limits.
 */

export interface SignInLimitResult {
  success: boolean;
  /** Unix time in milliseconds when another attempt will be allowed. */
  reset?: number;
}

/** The part of a rate limiter this check needs: one attempt against one identifier. */
export interface SignInLimiter {
  limit(identifier: string): Promise<SignInLimitResult>;
}

export interface SignInAttempt {
  /** The email as typed; normalised here so `A@x.com` and `a@x.com` share one budget. */
  email: string;
  /** Client address, when it is known (see the portal's trusted-proxy setting). */
  ip?: string | null;
}

export type SignInDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one sign-in attempt against both the account's and the address's budget.
 * Both are counted even when the first refuses, so an attacker spraying many accounts from one
 * address still spends that address's budget.
 *
 * The account key is the normalised email whether or not such an account exists, so a refusal
 * says nothing about which emails are registered.
 */
export async function checkSignInAllowed(
  limiter: SignInLimiter,
  attempt: SignInAttempt,
  now: () => number = Date.now,
): Promise<SignInDecision> {
  const keys = [`sign-in:account:${attempt.email.trim().toLowerCase()}`];
  if (attempt.ip) keys.push(`sign-in:ip:${attempt.ip}`);
  const results = await Promise.all(keys.map((key) => limiter.limit(key)));
  const refused = results.filter((r) => !r.success);
  if (refused.length === 0) return { allowed: true };
  const reset = Math.max(...refused.map((r) => r.reset ?? now() + 60_000));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((reset - now()) / 1000)) };
}

/** Allows every attempt: for tests and tools, never for the portal (see the module comment). */
export const allowAllSignInLimiter: SignInLimiter = {
  async limit() {
    return { success: true };
  },
};
