/**
 * Rate limit decisions: one `@upstash/ratelimit` sliding window per limit kind, a bounded wait,
 * and a failure policy for when the backend cannot answer.
 */
import { getEnv, type Env } from "@twx/config";
import { Ratelimit } from "@upstash/ratelimit";
import { backendFromEnv, type BackendFactories } from "./backends/env";
import {
  ThrottledWarning,
  consoleLogger,
  describeError,
  type BackendKind,
  type RateLimitBackend,
  type RateLimitLogger,
} from "./backends/types";
import {
  LIMIT_DEFINITIONS,
  durationMs,
  isLimitKind,
  type LimitDefinition,
  type LimitKind,
} from "./definitions";

export interface RateLimitDecision {
  success: boolean;
  /** Requests allowed per window (X-RateLimit-Limit). */
  limit: number;
  /** Requests left (X-RateLimit-Remaining). */
  remaining: number;
  /** Unix time in ms at which the current window ends (X-RateLimit-Reset is this / 1000, rounded up). */
  reset: number;
  /** Whole seconds until `reset` when refused (at least 1); 0 when allowed. */
  retryAfterSeconds: number;
  /**
   * Set when the backend did not answer (error, or no reply within the timeout) and the
   * decision comes from the failure policy rather than from the counters.
   */
  degraded?: "error" | "timeout";
}

/** What `peek` reports: the window as it stands, without counting a request. */
export interface RateLimitPeek {
  /** Requests allowed per window. */
  limit: number;
  /** Requests that would still be allowed now. */
  remaining: number;
  /** Unix ms at which the current window ends. */
  reset: number;
}

export type FailurePolicy = "allow" | "deny";

export interface RateLimiterOptions {
  /** Decision when the backend fails or times out (RATE_LIMIT_ON_ERROR). Default "allow". */
  onError?: FailurePolicy;
  /** Longest wait for the backend, ms, before the failure policy decides. Default 200. */
  timeoutMs?: number;
  logger?: RateLimitLogger;
  /** At most one backend warning per this many ms. Default 60 000. */
  warnIntervalMs?: number;
  /** Key prefix; each kind adds ":<kind>". Default "twx:rl". */
  keyPrefix?: string;
  /** Overrides of the limit table (tuning, tests). */
  limits?: Partial<Record<LimitKind, LimitDefinition>>;
  /**
   * Keep `@upstash/ratelimit`'s in-process cache of refused identifiers (refuses locally until
   * the end of the fixed window without asking Redis). Off by default: it turns the sliding
   * window into "blocked until the window ends" on the instance that saw the refusal only, so
   * instances would disagree. Turn on to save backend calls under abuse.
   */
  ephemeralCache?: boolean;
  /** Clock for the failure policy and warning throttle. `@upstash/ratelimit` itself reads Date.now. */
  now?: () => number;
}

export interface RateLimiter {
  readonly backend: { readonly kind: BackendKind; readonly name: string };
  readonly definitions: Readonly<Record<LimitKind, LimitDefinition>>;
  /** Counts one request of `identifier` against `kind` and decides. Never rejects for backend trouble. */
  limit(kind: LimitKind, identifier: string): Promise<RateLimitDecision>;
  /**
   * Reads how many requests `identifier` has left in `kind`'s current window without counting
   * one (`@upstash/ratelimit`'s `getRemaining`). Resolves null when the backend does not answer
   * within the timeout or fails: a read for display, never a decision.
   */
  peek(kind: LimitKind, identifier: string): Promise<RateLimitPeek | null>;
  /** One kind as a `{ limit(identifier) }` object, for code that takes a single limiter. */
  forKind(kind: LimitKind): { limit(identifier: string): Promise<RateLimitDecision> };
  /** Closes the backend. */
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 200;
export const DEFAULT_KEY_PREFIX = "twx:rl";
/** Retry-After when the policy refuses: a minute, or the window if shorter. */
const DENY_RETRY_AFTER_MS = 60_000;

export function createRateLimiter(
  backend: RateLimitBackend,
  options: RateLimiterOptions = {},
): RateLimiter {
  const policy = options.onError ?? "allow";
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? consoleLogger;
  const warning = new ThrottledWarning(logger, options.warnIntervalMs ?? 60_000, now);
  const definitions = { ...LIMIT_DEFINITIONS, ...options.limits } as Record<LimitKind, LimitDefinition>;

  const instances = new Map<LimitKind, Ratelimit>();
  for (const kind of Object.keys(definitions) as LimitKind[]) {
    const def = definitions[kind];
    instances.set(
      kind,
      new Ratelimit({
        // Upstash's type asks for its full client; the library only calls evalsha/eval (see ScriptRedis).
        redis: backend.redis as unknown as ConstructorParameters<typeof Ratelimit>[0]["redis"],
        limiter: Ratelimit.slidingWindow(def.tokens, def.window),
        prefix: `${keyPrefix}:${kind}`,
        // Our own timeout below: the library's resolves "success" whatever RATE_LIMIT_ON_ERROR says.
        timeout: 0,
        analytics: false,
        // Off: it downloads IP deny lists at run time.
        enableProtection: false,
        dynamicLimits: false,
        enableTelemetry: false,
        ephemeralCache: options.ephemeralCache ? new Map() : false,
      }),
    );
  }

  let outage: { since: number; failures: number } | undefined;

  function degraded(
    kind: LimitKind,
    reason: "error" | "timeout",
    error: unknown,
  ): RateLimitDecision {
    const def = definitions[kind];
    const at = now();
    outage ??= { since: at, failures: 0 };
    outage.failures += 1;
    warning.warn(
      {
        backend: backend.name,
        kind,
        reason,
        ...(reason === "timeout" ? { timeoutMs } : { error: describeError(error) }),
        ...(backend.lastError?.() ? { connection: backend.lastError() } : {}),
        policy,
      },
      `rate limit backend unavailable; requests are ${policy === "allow" ? "allowed" : "refused"} (RATE_LIMIT_ON_ERROR=${policy})`,
    );
    if (policy === "allow") {
      return { success: true, limit: def.tokens, remaining: def.tokens, reset: at, retryAfterSeconds: 0, degraded: reason };
    }
    const retryMs = Math.min(DENY_RETRY_AFTER_MS, durationMs(def.window));
    return {
      success: false,
      limit: def.tokens,
      remaining: 0,
      reset: at + retryMs,
      retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)),
      degraded: reason,
    };
  }

  async function limit(kind: LimitKind, identifier: string): Promise<RateLimitDecision> {
    const instance = isLimitKind(kind) ? instances.get(kind) : undefined;
    if (!instance) throw new TypeError(`unknown rate limit kind: ${String(kind)}`);
    if (typeof identifier !== "string" || identifier === "") {
      throw new TypeError("rate limit identifier must be a non-empty string");
    }

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<{ timeout: true }>((resolve) => {
      // Timers run before the event loop reads sockets, so on a busy process a reply that came
      // back in time may still be unread when the timer fires. Deciding only after one more
      // pass over I/O (setImmediate) keeps the process's own lag from passing for a slow backend,
      // which under a burst let requests through by the failure policy past the limit.
      timer = setTimeout(() => setImmediate(() => resolve({ timeout: true })), timeoutMs);
    });
    // Both handlers attached here, so a late rejection after a timeout is never unhandled.
    const attempt = instance.limit(identifier).then(
      (response) => ({ response }),
      (error: unknown) => ({ error }),
    );
    try {
      const outcome = await Promise.race([attempt, timedOut]);
      if ("timeout" in outcome) return degraded(kind, "timeout", undefined);
      if ("error" in outcome) return degraded(kind, "error", outcome.error);
      const { response } = outcome;
      // The library's own timeout is off, so a reply is always a real count ("cacheBlock" included).
      if (outage) {
        logger.info?.(
          { backend: backend.name, failures: outage.failures, downForMs: now() - outage.since },
          "rate limit backend answering again",
        );
        outage = undefined;
      }
      return {
        success: response.success,
        limit: response.limit,
        remaining: response.remaining,
        reset: response.reset,
        retryAfterSeconds: response.success
          ? 0
          : Math.max(1, Math.ceil((response.reset - Date.now()) / 1000)),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async function peek(kind: LimitKind, identifier: string): Promise<RateLimitPeek | null> {
    const instance = isLimitKind(kind) ? instances.get(kind) : undefined;
    if (!instance) throw new TypeError(`unknown rate limit kind: ${String(kind)}`);
    if (typeof identifier !== "string" || identifier === "") {
      throw new TypeError("rate limit identifier must be a non-empty string");
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const attempt = instance.getRemaining(identifier).then(
      (r): RateLimitPeek => ({ limit: r.limit, remaining: Math.max(0, r.remaining), reset: r.reset }),
      () => null,
    );
    try {
      return await Promise.race([attempt, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    backend: { kind: backend.kind, name: backend.name },
    definitions,
    limit,
    peek,
    forKind(kind) {
      if (!isLimitKind(kind)) throw new TypeError(`unknown rate limit kind: ${String(kind)}`);
      return { limit: (identifier) => limit(kind, identifier) };
    },
    close: () => backend.close(),
  };
}

export interface RateLimiterFromEnvOptions extends Omit<RateLimiterOptions, "onError"> {
  /** Defaults to getEnv() of @twx/config. */
  env?: Pick<
    Env,
    "NODE_ENV" | "REDIS_URL" | "UPSTASH_REDIS_REST_URL" | "UPSTASH_REDIS_REST_TOKEN" | "RATE_LIMIT_ON_ERROR" | "RATE_LIMIT_TIMEOUT_MS"
  >;
  factories?: Partial<BackendFactories>;
}

/** The limiter of the running process: backend, failure policy and timeout from the environment. */
export function createRateLimiterFromEnv(options: RateLimiterFromEnvOptions = {}): RateLimiter {
  const { env = getEnv(), factories, ...rest } = options;
  const logger = rest.logger ?? consoleLogger;
  const backend = backendFromEnv(env, factories ? { factories } : {});
  if (backend.kind === "in-process" && env.NODE_ENV === "production") {
    logger.warn(
      { backend: backend.name },
      "rate limits are counted per process: set UPSTASH_REDIS_REST_URL/TOKEN or REDIS_URL to share them",
    );
  }
  return createRateLimiter(backend, { timeoutMs: env.RATE_LIMIT_TIMEOUT_MS, ...rest, logger, onError: env.RATE_LIMIT_ON_ERROR });
}
