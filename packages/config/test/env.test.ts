import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../src/index";

function errorOf(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("expected parseEnv to throw");
}

describe("parseEnv", () => {
  it("accepts an empty environment with defaults", () => {
    const env = parseEnv({});
    expect(env.NODE_ENV).toBe("development");
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.EMBEDDED_DB_PORT).toBe(5488);
    expect(env.RATE_LIMIT_ON_ERROR).toBe("allow");
    expect(env.RATE_LIMIT_TIMEOUT_MS).toBe(200);
    expect(env.TRUST_PROXY).toBe(false);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", REDIS_URL: "  " }).DATABASE_URL).toBeUndefined();
  });

  it("parses valid values", () => {
    const env = parseEnv({
      DATABASE_URL: "postgresql://u@127.0.0.1:5432/test",
      REDIS_URL: "redis://127.0.0.1:6379",
      EMBEDDED_DB_PORT: "6000",
      TRUST_PROXY: "true",
    });
    expect(env.DATABASE_URL).toBe("postgresql://u@127.0.0.1:5432/test");
    expect(env.EMBEDDED_DB_PORT).toBe(6000);
    expect(env.TRUST_PROXY).toBe(true);
  });

  const invalid: Array<[string, Record<string, string>]> = [
    ["DATABASE_URL", { DATABASE_URL: "mysql://localhost/db" }],
    ["DATABASE_URL", { DATABASE_URL: "not a url" }],
    ["REDIS_URL", { REDIS_URL: "http://localhost:6379" }],
    ["UPSTASH_REDIS_REST_URL", { UPSTASH_REDIS_REST_URL: "ftp://x", UPSTASH_REDIS_REST_TOKEN: "t" }],
    ["UPSTASH_REDIS_REST_TOKEN", { UPSTASH_REDIS_REST_URL: "https://example.upstash.io" }],
    ["UPSTASH_REDIS_REST_URL", { UPSTASH_REDIS_REST_TOKEN: "token" }],
    ["AUTH_GITHUB_SECRET", { AUTH_GITHUB_ID: "id" }],
    ["AUTH_SECRET", { AUTH_SECRET: "short" }],
    ["AUTH_SECRET", { NODE_ENV: "production" }],
    ["JWT_SECRET", { JWT_SECRET: "short" }],
    ["API_KEY_PEPPER", { API_KEY_PEPPER: "short" }],
    ["NODE_ENV", { NODE_ENV: "staging" }],
    ["LOG_LEVEL", { LOG_LEVEL: "loud" }],
    ["EMBEDDED_DB_PORT", { EMBEDDED_DB_PORT: "70000" }],
    ["EMBEDDED_DB_PORT", { EMBEDDED_DB_PORT: "abc" }],
    ["RATE_LIMIT_ON_ERROR", { RATE_LIMIT_ON_ERROR: "maybe" }],
    ["RATE_LIMIT_TIMEOUT_MS", { RATE_LIMIT_TIMEOUT_MS: "0" }],
    ["RATE_LIMIT_TIMEOUT_MS", { RATE_LIMIT_TIMEOUT_MS: "fast" }],
    ["TRUST_PROXY", { TRUST_PROXY: "yes" }],
    ["TWIN_LLM_BASE_URL", { TWIN_LLM_BASE_URL: "localhost:1234" }],
  ];

  it.each(invalid)("names %s when it is invalid or missing", (variable, source) => {
    const error = errorOf(source);
    expect(error.issues.map((i) => i.variable)).toContain(variable);
    expect(error.message).toContain(variable);
  });

  it("never echoes a rejected value, which may be a secret", () => {
    const error = errorOf({ API_KEY_PEPPER: "s3cr3t-pepper" });
    expect(error.message).not.toContain("s3cr3t-pepper");
  });

  it("names every offending variable at once", () => {
    const error = errorOf({ REDIS_URL: "nope", LOG_LEVEL: "loud" });
    expect(error.issues.map((i) => i.variable).sort()).toEqual(["LOG_LEVEL", "REDIS_URL"]);
  });
});
