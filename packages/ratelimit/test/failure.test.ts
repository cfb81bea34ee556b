/**
 * Backend trouble: decisions follow RATE_LIMIT_ON_ERROR within the timeout, the warning is
 * rate-limited, and limiting resumes by itself when the backend comes back.
 */
import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRateLimiter,
  redisTcpBackend,
  startUpstashBridge,
  upstashRestBackend,
  type FailurePolicy,
  type RateLimitBackend,
  type RateLimiter,
  type UpstashBridge,
} from "../src";
import { REDIS_URL, deleteKeys, freePort, ownRedis, recordingLogger, uniquePrefix } from "./helpers";

const TIMEOUT = 200;
/** Scheduling slack on a busy machine. */
const SLACK = 150;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/** Accepts TCP connections and never answers: a hung Redis or proxy. */
async function blackHoleTcp(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Accepts HTTP requests and never answers. */
async function blackHoleHttp(): Promise<{ url: string; close(): Promise<void> }> {
  const server: HttpServer = createHttpServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

type DeadBackend = { label: string; make(): Promise<RateLimitBackend>; reasons: Array<"error" | "timeout"> };

const deadBackends: DeadBackend[] = [
  {
    label: "redis tcp, closed port",
    reasons: ["error"],
    make: async () => redisTcpBackend({ url: `redis://127.0.0.1:${await freePort()}` }),
  },
  {
    label: "@upstash/redis, nothing listening",
    reasons: ["error"],
    make: async () => upstashRestBackend({ url: `http://127.0.0.1:${await freePort()}`, token: "t" }),
  },
  {
    label: "@upstash/redis -> bridge, redis down",
    reasons: ["error"],
    async make() {
      const token = randomBytes(8).toString("hex");
      const bridge = await startUpstashBridge({
        redisUrl: `redis://127.0.0.1:${await freePort()}`,
        token,
        logger: recordingLogger(),
      });
      cleanups.push(() => bridge.close());
      return upstashRestBackend({ url: bridge.url, token });
    },
  },
  {
    label: "redis tcp, server never answers",
    reasons: ["timeout"],
    async make() {
      const hole = await blackHoleTcp();
      cleanups.push(() => hole.close());
      return redisTcpBackend({ url: `redis://127.0.0.1:${hole.port}` });
    },
  },
  {
    label: "@upstash/redis, server never answers",
    reasons: ["timeout"],
    async make() {
      const hole = await blackHoleHttp();
      cleanups.push(() => hole.close());
      return upstashRestBackend({ url: hole.url, token: "t" });
    },
  },
];

describe.each(deadBackends)("dead backend: $label", ({ make, reasons }) => {
  const limiters: RateLimiter[] = [];
  afterAll(async () => {
    for (const l of limiters) await l.close();
  });

  it.each<FailurePolicy>(["allow", "deny"])("decides by RATE_LIMIT_ON_ERROR=%s within the timeout", async (policy) => {
    const logger = recordingLogger();
    const limiter = createRateLimiter(await make(), { onError: policy, timeoutMs: TIMEOUT, logger });
    limiters.push(limiter);
    for (let i = 0; i < 5; i++) {
      const { value: decision, ms } = await timed(() => limiter.limit("read_only", `key-${i}`));
      expect(ms).toBeLessThan(TIMEOUT + SLACK);
      expect(reasons).toContain(decision.degraded);
      if (policy === "allow") {
        expect(decision).toMatchObject({ success: true, limit: 200, remaining: 200, retryAfterSeconds: 0 });
      } else {
        expect(decision).toMatchObject({ success: false, limit: 200, remaining: 0, retryAfterSeconds: 60 });
        expect(decision.reset).toBeGreaterThan(Date.now() + 55_000);
      }
    }
    // Five failures, one warning.
    const warnings = logger.entries.filter((e) => e.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(`RATE_LIMIT_ON_ERROR=${policy}`);
  });
});

describe("failure warning", () => {
  it("is logged at most once a minute, counts what it suppressed, and names no identifier or secret", async () => {
    let now = 1_800_000_000_000;
    const logger = recordingLogger();
    const secretToken = "tok-" + randomBytes(12).toString("hex");
    const port = await freePort();
    const limiter = createRateLimiter(
      upstashRestBackend({ url: `http://127.0.0.1:${port}`, token: secretToken }),
      { logger, timeoutMs: TIMEOUT, now: () => now },
    );
    try {
      for (let i = 0; i < 30; i++) await limiter.limit("full_access", "key-id-that-must-not-be-logged");
      expect(logger.entries).toHaveLength(1);
      now += 59_999;
      await limiter.limit("full_access", "key-id-that-must-not-be-logged");
      expect(logger.entries).toHaveLength(1);
      now += 1;
      await limiter.limit("user-management", "user-that-must-not-be-logged");
      expect(logger.entries).toHaveLength(2);
      expect(logger.entries[1]!.context).toMatchObject({
        backend: `upstash rest http://127.0.0.1:${port}`,
        kind: "user-management",
        reason: "error",
        policy: "allow",
        suppressed: 30,
      });
      const logged = JSON.stringify(logger.entries);
      expect(logged).not.toContain("must-not-be-logged");
      expect(logged).not.toContain(secretToken);
    } finally {
      await limiter.close();
    }
  });

  it("carries the TCP backend's connection error, without the password", async () => {
    let now = 1_800_000_000_000;
    const logger = recordingLogger();
    const port = await freePort();
    const limiter = createRateLimiter(redisTcpBackend({ url: `redis://:hunter2@127.0.0.1:${port}` }), {
      logger,
      timeoutMs: TIMEOUT,
      now: () => now,
    });
    try {
      expect(limiter.backend.name).toBe(`redis tcp 127.0.0.1:${port}`);
      await limiter.limit("read_only", "k");
      now += 60_000;
      await limiter.limit("read_only", "k");
      expect(logger.entries).toHaveLength(2);
      expect(logger.entries[1]!.context).toMatchObject({
        reason: "error",
        connection: expect.stringContaining(`ECONNREFUSED 127.0.0.1:${port}`),
      });
      expect(JSON.stringify(logger.entries)).not.toContain("hunter2");
    } finally {
      await limiter.close();
    }
  });
});

describe("recovery without restart", () => {
  let server: ReturnType<typeof ownRedis>;
  let bridge: UpstashBridge;
  const token = randomBytes(16).toString("hex");
  const prefix = uniquePrefix("recovery");

  beforeAll(async () => {
    server = ownRedis(await freePort());
    await server.start();
    bridge = await startUpstashBridge({ redisUrl: server.url, token, logger: recordingLogger() });
  });

  afterAll(async () => {
    await bridge.close();
    await server.stop();
    // The throw-away server is gone with its keys; the shared Redis was never written to.
    const shared = new Redis(REDIS_URL);
    expect(await deleteKeys(shared, prefix)).toBe(0);
    shared.disconnect();
  });

  const paths: Array<{ label: string; make(): RateLimitBackend }> = [
    { label: "redis tcp", make: () => redisTcpBackend({ url: server.url, maxReconnectDelayMs: 500 }) },
    { label: "@upstash/redis -> bridge", make: () => upstashRestBackend({ url: bridge.url, token }) },
  ];

  it.each(paths)("$label: counts, follows the policy while Redis is down, counts again once it is back", async ({ label, make }) => {
    const logger = recordingLogger();
    const limiter = createRateLimiter(make(), {
      onError: "deny",
      timeoutMs: TIMEOUT,
      logger,
      keyPrefix: `${prefix}:${label.replace(/\W+/g, "-")}`,
    });
    try {
      const first = await limiter.limit("user-management", "u1");
      const second = await limiter.limit("user-management", "u1");
      // The window may turn between the two (real clock): then the first minute's count is
      // weighted, so only the order is certain.
      expect(first).toMatchObject({ success: true, limit: 60 });
      expect(second.remaining).toBeLessThanOrEqual(first.remaining);
      expect(first.degraded ?? second.degraded).toBeUndefined();

      await server.stop();
      const down = await limiter.limit("user-management", "u1");
      expect(down).toMatchObject({ success: false, retryAfterSeconds: 60 });
      expect(down.degraded).toBeDefined();

      await server.start();
      // No restart of anything of ours: poll until decisions come from Redis again.
      const deadline = performance.now() + 10_000;
      let back = await limiter.limit("user-management", "u1");
      while (back.degraded && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        back = await limiter.limit("user-management", "u1");
      }
      // The new server started empty (no persistence): counting starts over.
      expect(back).toMatchObject({ success: true, limit: 60, remaining: 59 });
      expect(back.degraded).toBeUndefined();
      expect(logger.entries.some((e) => e.level === "info" && e.message.includes("answering again"))).toBe(true);
    } finally {
      await limiter.close();
    }
  });
});

describe("a busy process is not a slow backend", () => {
  it("a reply that arrived while the event loop was blocked past the timeout still decides", async () => {
    const prefix = uniquePrefix("busy");
    const backend = redisTcpBackend({ url: REDIS_URL });
    const limiter = createRateLimiter(backend, { timeoutMs: TIMEOUT, logger: recordingLogger(), keyPrefix: prefix });
    const redis = new Redis(REDIS_URL);
    try {
      // Script loaded, connection up: the next decision is a single round trip. (Retried: on a
      // loaded machine the first one, two round trips, may itself take longer than the timeout.)
      let warm = await limiter.limit("read_only", "k");
      for (let i = 0; i < 10 && warm.degraded; i++) warm = await limiter.limit("read_only", "k");
      expect(warm.degraded).toBeUndefined();
      const pending = limiter.limit("read_only", "k");
      // Block past the timeout, as a burst of requests does; Redis answers meanwhile.
      const until = performance.now() + TIMEOUT + 100;
      while (performance.now() < until) {
        // busy
      }
      const decision = await pending;
      expect(decision.degraded).toBeUndefined();
      expect(decision).toMatchObject({ success: true, limit: 200 });
      expect(decision.remaining).toBeLessThan(warm.remaining);
    } finally {
      await limiter.close();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });
});
