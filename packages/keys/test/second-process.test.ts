/**
 * Revocation seen by another process: a real child process (tsx) with its own pool, Redis
 * connections and verifier; this test process changes keys through the lifecycle functions.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createKey,
  createRedisKeyChangePublisher,
  onLocalKeyChange,
  revokeKey,
  rollKey,
  type KeyChangePublisher,
  type KeyVerifierStats,
  type LifecycleOptions,
  type VerifyResult,
} from "../src/index";
import { createUser, REDIS_URL, uniqueNamespace } from "./helpers";

interface Answer {
  id: number;
  result?: VerifyResult;
  stats?: KeyVerifierStats;
  queries?: number;
}

class VerifierProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiting = new Map<number, (answer: Answer) => void>();
  #nextId = 1;
  readonly ready: Promise<void>;

  constructor(env: Record<string, string>) {
    const packageDir = path.resolve(import.meta.dirname, "..");
    this.#child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/verifier-process.ts"], {
      cwd: packageDir,
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    this.#child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child not ready in 20 s:\n${stderr}`)), 20_000);
      this.#child.once("exit", (code) => reject(new Error(`child exited (${code}):\n${stderr}`)));
      createInterface({ input: this.#child.stdout }).on("line", (line) => {
        const message = JSON.parse(line) as Answer & { ready?: boolean };
        if (message.ready) {
          clearTimeout(timer);
          resolve();
          return;
        }
        this.#waiting.get(message.id)?.(message);
        this.#waiting.delete(message.id);
      });
    });
  }

  request(op: string, extra: Record<string, unknown> = {}): Promise<Answer> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.#child.stdin.write(`${JSON.stringify({ id, op, ...extra })}\n`);
    });
  }

  verify(key: string): Promise<Answer> {
    return this.request("verify", { key });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.#child.once("exit", resolve));
    await this.request("close");
    await exited;
  }

  kill(): void {
    this.#child.kill("SIGKILL");
  }
}

let t: TestDatabase;
let redis: Redis;
let child: VerifierProcess;
/** A second child that effectively never polls: only a pub/sub notice can reach it in time. */
let noticeOnly: VerifierProcess;
let publisher: KeyChangePublisher;
let opts: LifecycleOptions;
const namespace = uniqueNamespace("second-process");

beforeAll(async () => {
  t = await createTestDatabase();
  redis = new Redis(REDIS_URL);
  publisher = createRedisKeyChangePublisher(redis, { namespace });
  opts = { publisher, pepper: null };
  child = new VerifierProcess({
    DATABASE_URL: t.url,
    TEST_SCHEMA: t.schema,
    REDIS_URL,
    KEYS_NAMESPACE: namespace,
  });
  noticeOnly = new VerifierProcess({
    DATABASE_URL: t.url,
    TEST_SCHEMA: t.schema,
    REDIS_URL,
    KEYS_NAMESPACE: namespace,
    KEYS_POLL_MS: "60000",
    KEYS_MAX_STALENESS_MS: "600000",
  });
  await Promise.all([child.ready, noticeOnly.ready]);
});

afterAll(async () => {
  await child?.close().catch(() => child.kill());
  await noticeOnly?.close().catch(() => noticeOnly.kill());
  await redis?.del(`${namespace}:version`);
  await redis?.quit();
  await t?.drop();
});

/**
 * Ask the child until it stops accepting the key. Returns the time from `since` (a promise of the
 * commit time, or a time) to the answer's arrival here, which includes the round trip to the child.
 */
async function timeUntilRefused(
  key: string,
  since: Promise<number> | number,
  process: VerifierProcess = child,
): Promise<{ ms: number; answer: Answer }> {
  const deadline = performance.now() + 5_000;
  for (;;) {
    const answer = await process.verify(key);
    if (!answer.result?.ok) return { ms: performance.now() - (await since), answer };
    if (performance.now() > deadline) throw new Error("the other process still accepts the key after 5 s");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Verify until the process answers from its memory, so the revocation that follows has to evict
 * a cached entry (not merely be read from the database). Under heavy machine load a process can
 * briefly fall out of sync with Redis and read the database instead: it then retries.
 */
async function warm(key: string, process: VerifierProcess = child): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await process.verify(key);
    expect(first.result?.ok).toBe(true);
    const second = await process.verify(key);
    expect(second.result?.ok).toBe(true);
    if (second.stats!.cacheHits > first.stats!.cacheHits && second.queries === first.queries) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the other process never served the key from memory");
}

/** performance.now() when this process announces a change of `keyId`: right after the commit. */
function commitTimeOf(keyId: string): Promise<number> {
  return new Promise((resolve) => {
    const stop = onLocalKeyChange((change) => {
      if (change.keyId !== keyId) return;
      stop();
      resolve(performance.now());
    });
  });
}

describe("a second process", () => {
  it("sees a revocation within 1 s through the Redis notice alone", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "shared", scope: "full_access" }, opts);
    await warm(key.key, noticeOnly);
    const before = (await noticeOnly.request("stats")).stats!;

    const committed = commitTimeOf(key.id);
    await revokeKey(t.db, owner, { id: key.id }, opts);
    const { ms, answer } = await timeUntilRefused(key.key, committed, noticeOnly);
    expect(answer.result).toEqual({ ok: false, reason: "revoked" });
    expect(ms).toBeLessThan(1_000);
    // Evicted by the message (one hash), not by a whole-cache drop.
    expect(answer.stats!.clears).toBe(before.clears);
    expect(answer.stats!.version).toBe(before.version + 1);
    console.info(`revocation seen through the notice ${ms.toFixed(1)} ms after the commit`);
  });

  it("sees a revocation within 1 s (both mechanisms on, default settings)", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "shared", scope: "full_access" }, opts);
    await warm(key.key);
    const committed = commitTimeOf(key.id);
    await revokeKey(t.db, owner, { id: key.id }, opts);
    const { ms, answer } = await timeUntilRefused(key.key, committed);
    expect(answer.result).toEqual({ ok: false, reason: "revoked" });
    expect(ms).toBeLessThan(1_000);
  });

  it("sees a roll (grace 0) within 1 s and accepts the new key", async () => {
    const owner = await createUser(t.db);
    const old = await createKey(t.db, owner, { name: "rolled", scope: "read_only" }, opts);
    await warm(old.key);
    const committed = commitTimeOf(old.id);
    const { key: next } = await rollKey(t.db, owner, { id: old.id, gracePeriodSeconds: 0 }, opts);
    const { ms, answer } = await timeUntilRefused(old.key, committed);
    expect(answer.result).toEqual({ ok: false, reason: "revoked" });
    expect(ms).toBeLessThan(1_000);
    expect((await child.verify(next.key)).result).toMatchObject({ ok: true, key: { id: next.id, scope: "read_only" } });
  });

  it("still sees a revocation within 1 s when the notice message is lost (version poll)", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "lost notice", scope: "read_only" }, opts);
    await warm(key.key);
    const before = (await child.request("stats")).stats!;

    // The change is committed and the version bumped, but no message reaches the subscriber:
    // exactly what a dropped pub/sub message (or a subscriber reconnect) looks like.
    await t.query(`UPDATE api_keys SET "revokedAt" = now() WHERE id = $1`, [key.id]);
    const bumped = performance.now();
    await redis.incr(`${namespace}:version`);
    const { ms, answer } = await timeUntilRefused(key.key, bumped);
    expect(answer.result).toEqual({ ok: false, reason: "revoked" });
    expect(ms).toBeLessThan(1_000);
    // The whole cache was dropped (no message named this key).
    expect(answer.stats!.clears).toBeGreaterThan(before.clears);
    console.info(`lost notice recovered by the version poll after ${ms.toFixed(1)} ms`);
  });

  it("accepts a key created in another process on its first use", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "fresh", scope: "read_only" }, opts);
    const answer = await child.verify(key.key);
    expect(answer.result).toMatchObject({ ok: true, key: { id: key.id, userId: owner } });
  });
});
