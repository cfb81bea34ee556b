/**
 * The part of a redis client that `@upstash/ratelimit` 2.2 uses for single-region sliding
 * windows with analytics, deny lists and dynamic limits off: `safeEval` in its dist calls
 * `evalsha(hash, keys, args)` and, when the error text contains NOSCRIPT, `eval(script, keys,
 * args)`. Nothing else is called on that path (`multi`, `hset`, `get`, `set` serve the features
 * we keep off), so the TCP and in-process backends implement only these two.
 */
export interface ScriptRedis {
  evalsha(sha: string, keys: string[], args: unknown[]): Promise<unknown>;
  eval(script: string, keys: string[], args: unknown[]): Promise<unknown>;
}

export type BackendKind = "upstash-rest" | "redis-tcp" | "in-process";

export interface RateLimitBackend {
  readonly kind: BackendKind;
  /** For logs, free of secrets: "redis tcp 127.0.0.1:6379", "upstash rest https://eu1.upstash.io". */
  readonly name: string;
  /** Handed to `@upstash/ratelimit` as its `redis`. */
  readonly redis: ScriptRedis;
  /** Last connection-level error, when the backend keeps one (added to failure warnings). */
  lastError?(): string | undefined;
  close(): Promise<void>;
}

/** Pino-compatible: `logger.warn({ ...context }, "message")`. */
export interface RateLimitLogger {
  warn(context: Record<string, unknown>, message: string): void;
  info?(context: Record<string, unknown>, message: string): void;
}

export const consoleLogger: RateLimitLogger = {
  warn: (context, message) => console.warn(`[ratelimit] ${message}`, context),
  info: (context, message) => console.info(`[ratelimit] ${message}`, context),
};

/**
 * Logs a warning at most once per interval; the next one says how many were suppressed.
 * Rate limit failures come with every request, and an outage must not flood the logs.
 */
export class ThrottledWarning {
  #last = Number.NEGATIVE_INFINITY;
  #suppressed = 0;

  constructor(
    private readonly logger: RateLimitLogger,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  warn(context: Record<string, unknown>, message: string): boolean {
    const now = this.now();
    if (now - this.#last < this.intervalMs) {
      this.#suppressed += 1;
      return false;
    }
    const suppressed = this.#suppressed;
    this.#last = now;
    this.#suppressed = 0;
    this.logger.warn(suppressed > 0 ? { ...context, suppressed } : context, message);
    return true;
  }
}

/**
 * The message of an error without what could identify a caller or leak a secret:
 * `@upstash/redis` appends ", command was: [...]" (keys hold identifiers), and URLs may carry
 * credentials.
 */
export function describeError(error: unknown): string {
  const raw = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return raw
    .replace(/, command was: [\s\S]*$/, "")
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, "$1***@")
    .slice(0, 300);
}
