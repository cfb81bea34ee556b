/**
 * Every rate limit of the platform, in one table.
 *
 * Each kind gets its own `Ratelimit` instance and key prefix: `@upstash/ratelimit`'s dynamic
 * limits are global per instance, and separate prefixes keep one kind's counters from ever
 * sharing a key with another's, whatever the identifier.
 */
import type { Duration } from "@upstash/ratelimit";

export interface LimitDefinition {
  /** Requests allowed per sliding window. */
  readonly tokens: number;
  /** Window length, in `@upstash/ratelimit`'s notation ("1 h", "15 m"...). */
  readonly window: Duration;
  /** What the identifier is, for readers of logs and docs. */
  readonly per: string;
}

export const LIMIT_DEFINITIONS = {
  /** API keys with the `read_only` scope (API.md, "Scopes and limits"). */
  read_only: { tokens: 200, window: "1 h", per: "API key id" },
  /** API keys with the `full_access` scope. */
  full_access: { tokens: 500, window: "1 h", per: "API key id" },
  /** Key-management calls made with a user JWT. */
  "user-management": { tokens: 60, window: "1 m", per: "user id" },
  /** Requests presenting an unknown, revoked or expired key, counted per client address. */
  "ip-failures": { tokens: 30, window: "1 m", per: "client IP" },
  /**
   * Sign-in attempts, one budget per account and one per client address: the caller counts an
   * attempt under both identifiers ("sign-in:account:<email>", "sign-in:ip:<addr>").
   */
  "sign-in": { tokens: 20, window: "15 m", per: "account (normalised e-mail) and client IP, separately" },
} as const satisfies Record<string, LimitDefinition>;

export type LimitKind = keyof typeof LIMIT_DEFINITIONS;

export const LIMIT_KINDS = Object.keys(LIMIT_DEFINITIONS) as LimitKind[];

export function isLimitKind(value: string): value is LimitKind {
  return Object.prototype.hasOwnProperty.call(LIMIT_DEFINITIONS, value);
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Window length in milliseconds, parsed exactly as `@upstash/ratelimit` parses it (same regular
 * expression, same rounding), so the in-process backend and the failure policy agree with the
 * library on window boundaries.
 */
export function durationMs(window: Duration): number {
  const match = /^(\d+(?:\.\d+)?)\s?(ms|s|m|h|d|w)$/.exec(window);
  if (!match) throw new Error(`Unable to parse window size: ${window}`);
  const result = Math.round(Number.parseFloat(match[1]!) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
  if (result < 1) throw new Error(`Window size must be at least 1 ms, got: ${window}`);
  return result;
}
