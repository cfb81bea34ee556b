/**
 * Environment of every TwinExpert process, validated with zod once at start-up.
 *
 * A missing or malformed variable stops the process with a message that names it
 * (see {@link EnvError}); nothing downstream reads `process.env` directly.
 */
import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const optionalUrl = (protocols: readonly string[]) =>
  optionalString.pipe(
    z
      .url({ protocol: new RegExp(`^(${protocols.join("|")})$`) })
      .optional(),
  );

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),

    /** Postgres connection string. Unset: the embedded PGlite database is started. */
    DATABASE_URL: optionalUrl(["postgres", "postgresql"]),
    /** Folder of the embedded database's data (git-ignored). */
    EMBEDDED_DB_DIR: z.string().trim().min(1).default(".data/pglite"),
    /** Local port the embedded database listens on. */
    EMBEDDED_DB_PORT: z.coerce.number().int().min(1).max(65535).default(5488),

    /** Redis over TCP for rate limits and key revocation notices. */
    REDIS_URL: optionalUrl(["redis", "rediss"]),
    /** Upstash REST endpoint and token (production rate limiting). */
    UPSTASH_REDIS_REST_URL: optionalUrl(["http", "https"]),
    UPSTASH_REDIS_REST_TOKEN: optionalString,
    /** What the API does when the rate limiter cannot be reached. */
    RATE_LIMIT_ON_ERROR: z.enum(["allow", "deny"]).default("allow"),
    /**
     * How long a request waits for the limiter's backend before RATE_LIMIT_ON_ERROR decides
     * (milliseconds). Bounded so an outage costs each request at most this much.
     */
    RATE_LIMIT_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(200),
    /**
     * Sign-in attempts allowed per account and per client address in 15 minutes (default 20).
     * Raised only where many sign-ins share one address on purpose: the end-to-end test server.
     */
    SIGN_IN_RATE_LIMIT: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(100_000).optional()),
    /** Trust the first X-Forwarded-For hop as the client address. */
    TRUST_PROXY: booleanFlag,

    /** Auth.js secret (session cookies). Required in production. */
    AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    AUTH_URL: optionalUrl(["http", "https"]),
    AUTH_GITHUB_ID: optionalString,
    AUTH_GITHUB_SECRET: optionalString,
    /** HS256 secret of user access tokens (JWT). Defaults to one derived from AUTH_SECRET. */
    JWT_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    /** Server-side pepper: API key hashes become HMAC-SHA-256 with this key. */
    API_KEY_PEPPER: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),

    /** OpenAI-compatible provider for twin replies; unset: the offline responder. */
    TWIN_LLM_BASE_URL: optionalUrl(["http", "https"]),
    TWIN_LLM_API_KEY: optionalString,
    TWIN_LLM_MODEL: optionalString,
  })
  .superRefine((env, ctx) => {
    const pairs: Array<[keyof typeof env, keyof typeof env]> = [
      ["UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN"],
      ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"],
    ];
    for (const [a, b] of pairs) {
      if (Boolean(env[a]) !== Boolean(env[b])) {
        const missing = env[a] ? b : a;
        ctx.addIssue({
          code: "custom",
          path: [missing],
          message: `is required when ${missing === a ? b : a} is set`,
        });
      }
    }
    if (env.NODE_ENV === "production" && !env.AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required in production" });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Thrown by {@link parseEnv}; its message names every offending variable. */
export class EnvError extends Error {
  constructor(readonly issues: ReadonlyArray<{ variable: string; message: string }>) {
    super(
      `Invalid environment:\n${issues.map((i) => `  - ${i.variable}: ${i.message}`).join("\n")}`,
    );
    this.name = "EnvError";
  }
}

/** Validates an environment record. Pure: used by tests and by {@link getEnv}. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "(environment)"),
      // Never echo the value: it may be a secret.
      message: issue.message,
    })),
  );
}

let cached: Env | undefined;

/**
 * The validated environment of this process, parsed on first use.
 * A CLI entry point calls {@link loadEnvOrExit} instead, to stop with a readable message.
 */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For entry points: validate now, or print which variables are wrong and exit(1). */
export function loadEnvOrExit(): Env {
  try {
    return getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Forget the cached environment (tests that change process.env). */
export function resetEnvCache(): void {
  cached = undefined;
}
