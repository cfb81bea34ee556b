import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import { Redis } from "ioredis";
import type { RateLimitLogger } from "../src";

/** The tests need a real Redis; they use the one the platform runs on. */
export const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";

/** Key prefix unique to one test (files run in parallel against the same Redis). */
export function uniquePrefix(label: string): string {
  return `twx-test:rl:${label}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== "0");
  return deleted;
}

/** Every key under `prefix`: SCAN to the end, since one page may hold none of them on a busy Redis. */
export async function findKeys(redis: Redis, prefix: string): Promise<string[]> {
  let cursor = "0";
  const found: string[] = [];
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== "0");
  return found;
}

export async function countKeys(redis: Redis, prefix: string): Promise<number> {
  return (await findKeys(redis, prefix)).length;
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A throw-away redis-server of our own (no persistence), which tests may kill and restart. */
export function ownRedis(port: number): OwnRedis {
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  return {
    port,
    url,
    async start() {
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        { stdio: "ignore" },
      );
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on("error", () => {});
      // performance.now: tests may freeze Date.
      const deadline = performance.now() + 5_000;
      try {
        for (;;) {
          try {
            await probe.connect();
            if ((await probe.ping()) === "PONG") return;
          } catch {
            if (performance.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      } finally {
        probe.disconnect();
      }
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once("exit", () => resolve());
        running.kill("SIGKILL");
      });
    },
  };
}

export interface RecordedLog {
  level: "warn" | "info";
  message: string;
  context: Record<string, unknown>;
}

export function recordingLogger(): RateLimitLogger & { entries: RecordedLog[] } {
  const entries: RecordedLog[] = [];
  return {
    entries,
    warn: (context, message) => entries.push({ level: "warn", message, context }),
    info: (context, message) => entries.push({ level: "info", message, context }),
  };
}

/** Middle of the window of `windowMs` containing the real current time. */
export function midWindow(windowMs: number, at = Date.now()): number {
  return Math.floor(at / windowMs) * windowMs + Math.floor(windowMs / 2);
}
