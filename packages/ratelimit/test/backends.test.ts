/**
 * Backend selection and naming, the shebang-flag workaround on the TCP adapter, and the
 * in-process store's bookkeeping.
 */
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import {
  InMemoryScriptStore,
  TcpScriptRedis,
  backendFromEnv,
  createRateLimiterFromEnv,
  describeRedisUrl,
  describeRestUrl,
  inProcessBackend,
  stripUpstashOnlyFlags,
  type RateLimitBackend,
} from "../src";
import { REDIS_URL, deleteKeys, recordingLogger, uniquePrefix } from "./helpers";

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");

describe("backend selection from the environment", () => {
  const opened: RateLimitBackend[] = [];
  afterAll(async () => {
    for (const b of opened) await b.close();
  });
  const select = (env: Parameters<typeof backendFromEnv>[0]) => {
    const backend = backendFromEnv(env);
    opened.push(backend);
    return backend;
  };

  it("prefers Upstash REST, then REDIS_URL, then in-process", () => {
    expect(
      select({
        UPSTASH_REDIS_REST_URL: "https://eu1-happy-cat-12345.upstash.io",
        UPSTASH_REDIS_REST_TOKEN: "secret-token",
        REDIS_URL: REDIS_URL,
      }),
    ).toMatchObject({ kind: "upstash-rest", name: "upstash rest https://eu1-happy-cat-12345.upstash.io" });
    expect(select({ REDIS_URL: "redis://:pw@127.0.0.1:6379", UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined })).toMatchObject({
      kind: "redis-tcp",
      name: "redis tcp 127.0.0.1:6379",
    });
    expect(select({ REDIS_URL: undefined, UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined })).toMatchObject({
      kind: "in-process",
    });
  });

  it("names backends without secrets", () => {
    expect(describeRedisUrl("rediss://user:pw@cache.example.com:6380/2")).toBe("redis tls cache.example.com:6380/2");
    expect(describeRedisUrl("redis://localhost")).toBe("redis tcp localhost:6379");
    expect(describeRestUrl("https://x.upstash.io/?_token=abc")).toBe("upstash rest https://x.upstash.io");
  });

  it("takes the failure policy from RATE_LIMIT_ON_ERROR and warns about per-process counters in production", async () => {
    const logger = recordingLogger();
    const limiter = createRateLimiterFromEnv({
      env: {
        NODE_ENV: "production",
        RATE_LIMIT_ON_ERROR: "deny",
        RATE_LIMIT_TIMEOUT_MS: 200,
        REDIS_URL: undefined,
        UPSTASH_REDIS_REST_URL: undefined,
        UPSTASH_REDIS_REST_TOKEN: undefined,
      },
      logger,
      factories: {
        // An in-process backend that always fails, to observe the policy.
        inProcess: () => ({
          kind: "in-process",
          name: "failing",
          redis: {
            evalsha: () => Promise.reject(new Error("boom")),
            eval: () => Promise.reject(new Error("boom")),
          },
          store: new InMemoryScriptStore(),
          close: async () => {},
        }),
      },
    });
    expect(limiter.backend).toEqual({ kind: "in-process", name: "failing" });
    expect(logger.entries[0]!.message).toMatch(/counted per process/);
    expect(await limiter.limit("read_only", "k")).toMatchObject({ success: false, degraded: "error" });
    await limiter.close();
  });

  it("waits RATE_LIMIT_TIMEOUT_MS for the backend: a slow reply within it is counted, past it the policy decides", async () => {
    const store = new InMemoryScriptStore();
    // Every reply 400 ms late, as from a slow but healthy Redis.
    const late = <A extends unknown[]>(call: (...args: A) => Promise<unknown>) => async (...args: A) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return call(...args);
    };
    const limiterWaiting = (timeoutMs: number) =>
      createRateLimiterFromEnv({
        env: { NODE_ENV: "test", RATE_LIMIT_ON_ERROR: "deny", RATE_LIMIT_TIMEOUT_MS: timeoutMs, REDIS_URL: undefined, UPSTASH_REDIS_REST_URL: undefined, UPSTASH_REDIS_REST_TOKEN: undefined },
        logger: recordingLogger(),
        factories: {
          inProcess: () => ({
            kind: "in-process",
            name: "late",
            redis: { evalsha: late(store.evalsha.bind(store)), eval: late(store.eval.bind(store)) },
            store,
            close: async () => {},
          }),
        },
      });
    const patient = limiterWaiting(3_000);
    const counted = await patient.limit("read_only", "patient");
    expect(counted).toMatchObject({ success: true, limit: 200, remaining: 199 });
    expect(counted.degraded).toBeUndefined();
    const hasty = limiterWaiting(50);
    expect(await hasty.limit("read_only", "hasty")).toMatchObject({ success: false, degraded: "timeout" });
    await Promise.all([patient.close(), hasty.close()]);
  });
});

describe("Upstash shebang flag", () => {
  it("drops allow-key-locking only", () => {
    expect(stripUpstashOnlyFlags("#!lua flags=allow-key-locking\nreturn 1")).toBe("return 1");
    expect(stripUpstashOnlyFlags("#!lua flags=no-writes,allow-key-locking\nreturn 1")).toBe("#!lua flags=no-writes\nreturn 1");
    expect(stripUpstashOnlyFlags("#!lua flags=no-writes\nreturn 1")).toBe("#!lua flags=no-writes\nreturn 1");
    expect(stripUpstashOnlyFlags("return 1")).toBe("return 1");
  });

  it("TCP adapter: NOSCRIPT first, EVAL with the stripped script, then EVALSHA of the original hash works", async () => {
    const client = new Redis(REDIS_URL);
    const prefix = uniquePrefix("shebang");
    const script = `#!lua flags=allow-key-locking\nreturn {redis.call("INCRBY", KEYS[1], ARGV[1]), "${prefix}"}`;
    const adapter = new TcpScriptRedis(client);
    try {
      await expect(adapter.evalsha(sha1(script), [`${prefix}:k`], [2])).rejects.toThrow(/NOSCRIPT/);
      expect(await adapter.eval(script, [`${prefix}:k`], [2])).toEqual([2, prefix]);
      expect(await adapter.evalsha(sha1(script), [`${prefix}:k`], [3])).toEqual([5, prefix]);
      // Replies deserialised as @upstash/redis does: JSON text becomes values.
      expect(await adapter.eval('return {"{\\"a\\":1}", "12", "007"}', [], [])).toEqual([{ a: 1 }, 12, "007"]);
    } finally {
      await deleteKeys(client, prefix);
      client.disconnect();
    }
  });
});

describe("in-process store", () => {
  it("expires keys two windows and a second after their first increment, and sweeps them", async () => {
    let now = 1_000_000;
    const backend = inProcessBackend({ now: () => now });
    const store = backend.store;
    // Sliding-window script arguments: tokens, now, window, incrementBy.
    const sha = "74740bb3d7792848093cdef586b6b6037c455fd6";
    expect(await store.evalsha(sha, ["p:id:100", "p:id:99"], [5, now, 10_000, 1])).toEqual([4, 5]);
    expect(store.size()).toBe(1);
    now += 20_999;
    expect(store.size()).toBe(1);
    now += 1;
    expect(store.size()).toBe(0);
    await backend.close();
  });

  it("answers NOSCRIPT for unknown hashes and refuses scripts it does not implement", async () => {
    const store = new InMemoryScriptStore();
    await expect(store.evalsha("0".repeat(40), [], [])).rejects.toThrow(/^NOSCRIPT/);
    await expect(store.eval("return 1", [], [])).rejects.toThrow(/unsupported script/);
  });
});
