/**
 * One suite, three backends: Redis over TCP, @upstash/redis → bridge → Redis (the production
 * code path, with a local endpoint), and the in-process counters.
 *
 * Date is frozen in the middle of the current window so that no run straddles a window
 * boundary (the library reads Date.now); network timers stay real.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createRateLimiter,
  inProcessBackend,
  redisTcpBackend,
  startUpstashBridge,
  upstashRestBackend,
  type RateLimitBackend,
  type RateLimitDecision,
  type RateLimiter,
} from "../src";
import { REDIS_URL, countKeys, deleteKeys, findKeys, midWindow, recordingLogger, uniquePrefix } from "./helpers";

const HOUR = 3_600_000;
const MINUTE = 60_000;

interface Setup {
  backend: RateLimitBackend;
  /** Whether counters land in the shared Redis (and must be cleaned). */
  inRedis: boolean;
  teardown(): Promise<void>;
}

const backends: Array<{ label: string; make(): Promise<Setup> }> = [
  {
    label: "redis tcp (ioredis adapter)",
    async make() {
      const backend = redisTcpBackend({ url: REDIS_URL });
      return { backend, inRedis: true, teardown: () => backend.close() };
    },
  },
  {
    label: "@upstash/redis -> bridge -> redis",
    async make() {
      const token = randomBytes(16).toString("hex");
      const bridge = await startUpstashBridge({ redisUrl: REDIS_URL, token });
      const backend = upstashRestBackend({ url: bridge.url, token });
      return {
        backend,
        inRedis: true,
        async teardown() {
          await backend.close();
          await bridge.close();
        },
      };
    },
  },
  {
    label: "in-process",
    async make() {
      const backend = inProcessBackend();
      return { backend, inRedis: false, teardown: () => backend.close() };
    },
  },
];

async function sequence(limiter: RateLimiter, kind: "read_only" | "full_access" | "user-management", id: string, n: number) {
  const out: RateLimitDecision[] = [];
  for (let i = 0; i < n; i++) out.push(await limiter.limit(kind, id));
  return out;
}

describe.each(backends)("$label", ({ make }) => {
  let setup: Setup;
  let limiter: RateLimiter;
  let prefix: string;
  let redis: Redis;
  const logger = recordingLogger();

  beforeAll(async () => {
    setup = await make();
    prefix = uniquePrefix("suite");
    redis = new Redis(REDIS_URL);
    // Generous timeout: this suite checks counting, not the failure policy; a slow CI box
    // must not turn a count into a policy decision.
    limiter = createRateLimiter(setup.backend, { keyPrefix: prefix, logger, timeoutMs: 5_000 });
  });

  afterAll(async () => {
    await limiter.close();
    await setup.teardown();
    await deleteKeys(redis, prefix);
    expect(await countKeys(redis, prefix)).toBe(0);
    redis.disconnect();
  });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(midWindow(HOUR));
  });

  afterEach(() => {
    vi.useRealTimers();
    // No policy decision anywhere in this suite.
    expect(logger.entries).toEqual([]);
  });

  it("read_only: exactly 200 of 205 requests pass, remaining counts down by one", async () => {
    const now = Date.now();
    const decisions = await sequence(limiter, "read_only", "key-a", 205);
    expect(decisions.filter((d) => d.success)).toHaveLength(200);
    decisions.slice(0, 200).forEach((d, i) => {
      expect(d).toEqual({ success: true, limit: 200, remaining: 199 - i, reset: now + HOUR / 2, retryAfterSeconds: 0 });
    });
    for (const d of decisions.slice(200)) {
      expect(d).toEqual({ success: false, limit: 200, remaining: 0, reset: now + HOUR / 2, retryAfterSeconds: 1800 });
    }
    expect(decisions.some((d) => d.degraded)).toBe(false);
  });

  it("read_only: a concurrent burst of 205 lets exactly 200 through", async () => {
    const decisions = await Promise.all(
      Array.from({ length: 205 }, () => limiter.limit("read_only", "key-burst")),
    );
    expect(decisions.filter((d) => d.success)).toHaveLength(200);
    // Each allowed request saw a distinct count.
    const remaining = decisions.filter((d) => d.success).map((d) => d.remaining).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it("full_access: exactly 500 of 505 requests pass", async () => {
    const decisions = await sequence(limiter, "full_access", "key-b", 505);
    expect(decisions.filter((d) => d.success)).toHaveLength(500);
    expect(decisions[0]).toMatchObject({ limit: 500, remaining: 499 });
    expect(decisions[499]).toMatchObject({ success: true, remaining: 0 });
    expect(decisions[500]).toMatchObject({ success: false, remaining: 0, retryAfterSeconds: 1800 });
  });

  it("peek reads the remaining requests without counting one", async () => {
    const now = Date.now();
    expect(await limiter.peek("read_only", "key-peek")).toEqual({ limit: 200, remaining: 200, reset: now + HOUR / 2 });
    await sequence(limiter, "read_only", "key-peek", 3);
    expect(await limiter.peek("read_only", "key-peek")).toEqual({ limit: 200, remaining: 197, reset: now + HOUR / 2 });
    expect(await limiter.peek("read_only", "key-peek")).toMatchObject({ remaining: 197 });
    expect(await limiter.limit("read_only", "key-peek")).toMatchObject({ success: true, remaining: 196 });
    await sequence(limiter, "read_only", "key-peek", 200);
    expect(await limiter.peek("read_only", "key-peek")).toMatchObject({ remaining: 0 });
  });

  it("identifiers and kinds are independent", async () => {
    await sequence(limiter, "read_only", "key-c", 200);
    expect((await limiter.limit("read_only", "key-c")).success).toBe(false);
    expect(await limiter.limit("read_only", "key-d")).toMatchObject({ success: true, remaining: 199 });
    // Same identifier, other kind: its own counter.
    expect(await limiter.limit("full_access", "key-c")).toMatchObject({ success: true, remaining: 499 });
    // forKind is the same limiter.
    expect(await limiter.forKind("read_only").limit("key-d")).toMatchObject({ success: true, remaining: 198 });
  });

  it("user-management: 60 per minute, then the previous minute counts by its remaining share", async () => {
    vi.setSystemTime(midWindow(MINUTE));
    const start = Date.now();
    const decisions = await sequence(limiter, "user-management", "user-1", 65);
    expect(decisions.filter((d) => d.success)).toHaveLength(60);
    expect(decisions[59]).toMatchObject({ success: true, limit: 60, remaining: 0, reset: start + 30_000 });
    expect(decisions[60]).toMatchObject({ success: false, retryAfterSeconds: 30 });

    // Half-way through the next minute, half of the previous minute's 60 still count.
    vi.setSystemTime(start + MINUTE);
    const next = await sequence(limiter, "user-management", "user-1", 31);
    expect(next.filter((d) => d.success)).toHaveLength(30);
    expect(next[0]).toMatchObject({ success: true, remaining: 29, reset: start + MINUTE + 30_000 });
    expect(next[30]).toMatchObject({ success: false, retryAfterSeconds: 30 });

    // Two minutes on, nothing is left of the old windows.
    vi.setSystemTime(start + 3 * MINUTE);
    expect(await limiter.limit("user-management", "user-1")).toMatchObject({ success: true, remaining: 59 });
  });

  it("ip-failures and sign-in come from the same table", async () => {
    expect(limiter.definitions["ip-failures"]).toMatchObject({ tokens: 30, window: "1 m" });
    expect(await limiter.limit("ip-failures", "203.0.113.7")).toMatchObject({ success: true, limit: 30, remaining: 29 });
    expect(await limiter.limit("sign-in", "sign-in:ip:203.0.113.7")).toMatchObject({ success: true, limit: 20, remaining: 19 });
  });

  it("keys live under the configured prefix, one prefix per kind", async () => {
    await limiter.limit("read_only", "key-prefix-check");
    if (!setup.inRedis) return;
    const keys = await findKeys(redis, `${prefix}:read_only:key-prefix-check:`);
    expect(keys).toHaveLength(1);
    const ttl = await redis.pttl(keys[0]!);
    // window * 2 + 1 s, set by the script on the first increment
    expect(ttl).toBeGreaterThan(2 * HOUR);
    expect(ttl).toBeLessThanOrEqual(2 * HOUR + 1000);
  });

  it("rejects unknown kinds and empty identifiers as programming errors", async () => {
    await expect(limiter.limit("nope" as never, "x")).rejects.toThrow(TypeError);
    await expect(limiter.limit("read_only", "")).rejects.toThrow(TypeError);
  });
});
