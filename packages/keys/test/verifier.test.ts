import { performance } from "node:perf_hooks";
import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  announceKeyChange,
  createKey,
  createKeyVerifier,
  createKeyVerifierFromEnv,
  createRedisKeyChangePublisher,
  formatKey,
  getKeyChangePublisher,
  generateKey,
  hashKey,
  revokeKey,
  rollKey,
  setKeyChangePublisher,
  type KeyVerifier,
  type KeyVerifierOptions,
  type LifecycleOptions,
} from "../src/index";
import { countedDatabase, createUser, REDIS_URL, uniqueNamespace, waitFor, type CountedDatabase } from "./helpers";

let t: TestDatabase;
let counted: CountedDatabase;
let redis: Redis;
const opts: LifecycleOptions = { publisher: null, pepper: null };
const open: KeyVerifier[] = [];

function verifier(options: Partial<KeyVerifierOptions> = {}): KeyVerifier {
  const v = createKeyVerifier({ db: counted.db, pepper: null, usageFlushIntervalMs: 0, ...options });
  open.push(v);
  return v;
}

beforeAll(async () => {
  t = await createTestDatabase();
  counted = countedDatabase(t);
  redis = new Redis(REDIS_URL);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
  setKeyChangePublisher(undefined);
});
afterAll(async () => {
  await counted?.close();
  await redis?.quit();
  await t?.drop();
});

/** A well-formed key that no one created. */
const strangerKey = () => generateKey();

describe("verifyKey", () => {
  it("answers in Unkey's order: exists → not revoked → not expired", async () => {
    const owner = await createUser(t.db);
    const v = verifier();
    const good = await createKey(t.db, owner, { name: "good", scope: "read_only" }, opts);
    const result = await v.verifyKey(good.key);
    expect(result).toEqual({
      ok: true,
      key: { id: good.id, userId: owner, scope: "read_only", expiresAt: null, start: good.start },
    });

    expect(await v.verifyKey(strangerKey())).toEqual({ ok: false, reason: "invalid" });

    const revoked = await createKey(t.db, owner, { name: "revoked", scope: "read_only" }, opts);
    await revokeKey(t.db, owner, { id: revoked.id }, opts);
    expect(await v.verifyKey(revoked.key)).toEqual({ ok: false, reason: "revoked" });

    const expiring = await createKey(t.db, owner, { name: "exp", scope: "full_access", expiresAt: new Date(Date.now() + 60_000) }, opts);
    expect((await v.verifyKey(expiring.key)).ok).toBe(true);
    const later = verifier({ clock: () => Date.now() + 61_000 });
    expect(await later.verifyKey(expiring.key)).toEqual({ ok: false, reason: "expired" });

    // Revoked and expired: revoked wins (the order is part of the contract).
    const both = await createKey(t.db, owner, { name: "both", scope: "read_only", expiresAt: new Date(Date.now() + 1_000) }, opts);
    await revokeKey(t.db, owner, { id: both.id }, opts);
    expect(await later.verifyKey(both.key)).toEqual({ ok: false, reason: "revoked" });
  });

  it("rejects malformed input before any I/O", async () => {
    const v = verifier();
    counted.reset();
    const key = generateKey();
    const bad: unknown[] = [undefined, null, 42, "", "Bearer " + key, key + " ", key.slice(0, -1), key.replace("twx_", "twy_"), `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`, "x".repeat(100_000)];
    for (const input of bad) expect(await v.verifyKey(input)).toEqual({ ok: false, reason: "invalid" });
    expect(counted.queries()).toBe(0);
    expect(v.stats().malformed).toBe(bad.length);
  });

  it("needs the same pepper as the lifecycle functions", async () => {
    const owner = await createUser(t.db);
    const pepper = "q".repeat(40);
    const key = await createKey(t.db, owner, { name: "peppered", scope: "read_only" }, { ...opts, pepper });
    expect((await verifier({ pepper }).verifyKey(key.key)).ok).toBe(true);
    expect(await verifier({ pepper: null }).verifyKey(key.key)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("the hot path", () => {
  for (const mode of ["in-process only", "with Redis"] as const) {
    it(`serves a known key with zero database queries per request (${mode})`, async () => {
      const owner = await createUser(t.db);
      const key = await createKey(t.db, owner, { name: "hot", scope: "full_access" }, opts);
      const v = verifier(mode === "with Redis" ? { redis, namespace: uniqueNamespace("hot") } : {});
      await v.ready();
      expect(v.stats().inSync).toBe(true);

      counted.reset();
      expect((await v.verifyKey(key.key)).ok).toBe(true);
      expect(counted.queries()).toBe(1); // the first lookup

      counted.reset();
      const started = performance.now();
      for (let i = 0; i < 10_000; i++) {
        // A server gets its requests through I/O, so timers (the version poll) run between them;
        // a tight loop of cache hits would otherwise starve the poll and look out of sync.
        if (i % 500 === 0) await new Promise((r) => setImmediate(r));
        const result = await v.verifyKey(key.key);
        if (!result.ok) throw new Error(`request ${i} refused: ${result.reason}`);
        v.recordUse(result.key, { rateLimited: false });
      }
      const elapsed = performance.now() - started;
      expect(counted.queries()).toBe(0);
      expect(v.stats().cacheHits).toBe(10_000);
      console.info(`${mode}: 10,000 warm verifications in ${elapsed.toFixed(0)} ms, 0 queries`);

      // The usage of all those requests is two statements at flush time.
      await v.flush();
      expect(counted.queries()).toBe(2);
      // Summed: a run that crosses the hour writes two hourly rows.
      const [usage] = await t.query<{ requests: string }>(`SELECT sum(requests)::text AS requests FROM api_key_usage WHERE "apiKeyId" = $1`, [key.id]);
      expect(usage!.requests).toBe("10000");
    });
  }

  it("coalesces concurrent first lookups of one key into one query", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "burst", scope: "read_only" }, opts);
    const v = verifier();
    counted.reset();
    const results = await Promise.all(Array.from({ length: 200 }, () => v.verifyKey(key.key)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(counted.queries()).toBe(1);
  });

  it("re-reads a known key after its TTL", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "ttl", scope: "read_only" }, opts);
    const v = verifier({ positiveTtlMs: 50 });
    await v.verifyKey(key.key);
    await new Promise((r) => setTimeout(r, 80));
    counted.reset();
    await v.verifyKey(key.key);
    expect(counted.queries()).toBe(1);
  });

  it("keeps the cache bounded", async () => {
    const owner = await createUser(t.db);
    const v = verifier({ cacheSize: 5 });
    for (let i = 0; i < 8; i++) {
      const key = await createKey(t.db, owner, { name: `k${i}`, scope: "read_only" }, opts);
      await v.verifyKey(key.key);
    }
    expect(v.stats().cacheSize).toBe(5);
  });
});

describe("revocation, roll and expiry on this process", () => {
  it("a revocation is effective at once, without waiting for anything", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "k", scope: "read_only" }, opts);
    const v = verifier();
    const w = verifier({ redis, namespace: uniqueNamespace("local") });
    await w.ready();
    expect((await v.verifyKey(key.key)).ok).toBe(true);
    expect((await w.verifyKey(key.key)).ok).toBe(true);
    await revokeKey(t.db, owner, { id: key.id }, opts);
    expect(await v.verifyKey(key.key)).toEqual({ ok: false, reason: "revoked" });
    expect(await w.verifyKey(key.key)).toEqual({ ok: false, reason: "revoked" });
  });

  it("roll with grace: the old key works until the grace period ends, then is refused as expired", async () => {
    const owner = await createUser(t.db);
    let now = Date.now();
    const v = verifier({ clock: () => now });
    const old = await createKey(t.db, owner, { name: "svc", scope: "full_access" }, opts);
    expect((await v.verifyKey(old.key)).ok).toBe(true);

    const { key: next, previous } = await rollKey(t.db, owner, { id: old.id, gracePeriodSeconds: 600 }, { ...opts, now: new Date(now) });
    const graceEnd = previous.expiresAt!.getTime();
    expect(graceEnd).toBe(now + 600_000);

    const during = await v.verifyKey(old.key);
    expect(during).toMatchObject({ ok: true, key: { id: old.id, expiresAt: new Date(graceEnd) } });
    expect((await v.verifyKey(next.key)).ok).toBe(true);

    now = graceEnd - 1;
    expect((await v.verifyKey(old.key)).ok).toBe(true);
    counted.reset();
    now = graceEnd;
    // Expiry needs no notice: the cached entry carries it and is checked against the clock.
    expect(await v.verifyKey(old.key)).toEqual({ ok: false, reason: "expired" });
    expect(counted.queries()).toBe(0);
    expect((await v.verifyKey(next.key)).ok).toBe(true);
  });

  it("roll with grace 0: the old key is revoked now", async () => {
    const owner = await createUser(t.db);
    const v = verifier();
    const old = await createKey(t.db, owner, { name: "svc", scope: "read_only" }, opts);
    expect((await v.verifyKey(old.key)).ok).toBe(true);
    const { key: next } = await rollKey(t.db, owner, { id: old.id, gracePeriodSeconds: 0 }, opts);
    expect(await v.verifyKey(old.key)).toEqual({ ok: false, reason: "revoked" });
    expect(await v.verifyKey(next.key)).toMatchObject({ ok: true, key: { id: next.id, scope: "read_only" } });
  });

  it("a lookup that raced with a revocation does not put the old row in the cache", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "race", scope: "read_only" }, opts);
    const v = verifier();
    // Start the lookup, revoke while it is in flight, then look again.
    const inFlight = v.verifyKey(key.key);
    await revokeKey(t.db, owner, { id: key.id }, opts);
    await inFlight; // may be either answer: the request raced the revocation
    expect(await v.verifyKey(key.key)).toEqual({ ok: false, reason: "revoked" });
  });
});

describe("the unknown-key cache", () => {
  it("answers a flood of one bad key from memory", async () => {
    const v = verifier();
    const bad = strangerKey();
    counted.reset();
    for (let i = 0; i < 1_000; i++) expect(await v.verifyKey(bad)).toEqual({ ok: false, reason: "invalid" });
    expect(counted.queries()).toBe(1);
    expect(v.stats().negativeHits).toBe(999);
  });

  it("cannot shadow a real key: creation evicts the hash, and entries expire within a second anyway", async () => {
    const owner = await createUser(t.db);
    const v = verifier();
    // Someone asks about a key before it exists (they would need its secret: this is the worst case).
    const future = strangerKey();
    const futureHash = hashKey(future, null);
    expect(await v.verifyKey(future)).toEqual({ ok: false, reason: "invalid" });
    // The key comes into existence the way createKey makes it: row committed, then announced.
    const row = await t.db.apiKey.create({
      data: { userId: owner, name: "late", scope: "read_only", hash: futureHash, start: future.slice(0, 9) },
    });
    await announceKeyChange({ kind: "created", keyId: row.id, hash: futureHash }, null);
    expect(await v.verifyKey(future)).toMatchObject({ ok: true, key: { id: row.id } });

    // Even with the notice lost, the unknown answer lasts at most negativeTtlMs (1 s by default).
    const unannounced = strangerKey();
    expect(await v.verifyKey(unannounced)).toEqual({ ok: false, reason: "invalid" });
    const answeredAt = performance.now();
    const silent = await t.db.apiKey.create({
      data: { userId: owner, name: "silent", scope: "read_only", hash: hashKey(unannounced, null), start: unannounced.slice(0, 9) },
    });
    // Still within the second: the cached answer stands (that is the point of the cache)...
    if (performance.now() - answeredAt < 500) {
      expect(await v.verifyKey(unannounced)).toEqual({ ok: false, reason: "invalid" });
    }
    // ...and one second after it was given, it is gone.
    // (+5 ms: timers round to whole milliseconds and may fire a little early.)
    await new Promise((r) => setTimeout(r, Math.max(0, 1_005 - (performance.now() - answeredAt))));
    expect(await v.verifyKey(unannounced)).toMatchObject({ ok: true, key: { id: silent.id } });
  });

  it("a flood of distinct junk keys cannot evict real keys", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "real", scope: "read_only" }, opts);
    const v = verifier({ cacheSize: 10, negativeCacheSize: 20 });
    await v.verifyKey(key.key);
    for (let i = 0; i < 200; i++) await v.verifyKey(strangerKey());
    expect(v.stats().negativeCacheSize).toBe(20);
    counted.reset();
    expect((await v.verifyKey(key.key)).ok).toBe(true);
    expect(counted.queries()).toBe(0);
  });

  it("does not hold a garbage-checksum key at all (rejected before the cache)", async () => {
    const v = verifier();
    const random = "A".repeat(32);
    const key = formatKey(random);
    const broken = key.slice(0, -1) + (key.endsWith("0") ? "1" : "0");
    expect(await v.verifyKey(broken)).toEqual({ ok: false, reason: "invalid" });
    expect(v.stats().negativeCacheSize).toBe(0);
  });
});

describe("out of sync with Redis", () => {
  it("never serves a known key from memory when it cannot hear notices, and resyncs after", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "k", scope: "read_only" }, opts);
    // Nothing listens on port 1: every poll fails, so the verifier stays out of sync.
    const dead = new Redis("redis://127.0.0.1:1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 50, enableOfflineQueue: false });
    dead.on("error", () => undefined);
    const v = verifier({ redis: dead, namespace: uniqueNamespace("dead"), onError: () => undefined });
    counted.reset();
    for (let i = 0; i < 3; i++) expect((await v.verifyKey(key.key)).ok).toBe(true);
    expect(counted.queries()).toBe(3);
    expect(v.stats().inSync).toBe(false);
    // A revocation nobody announced is still seen at once: every answer comes from the database.
    await t.query(`UPDATE api_keys SET "revokedAt" = now() WHERE id = $1`, [key.id]);
    expect(await v.verifyKey(key.key)).toEqual({ ok: false, reason: "revoked" });
    await v.close();
    dead.disconnect();
  });

  it("drops the cache when a version bump arrives without its notice", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "k", scope: "read_only" }, opts);
    const namespace = uniqueNamespace("poll");
    const v = verifier({ redis, namespace, pollIntervalMs: 50 });
    await v.ready();
    await v.verifyKey(key.key);
    await t.query(`UPDATE api_keys SET "revokedAt" = now() WHERE id = $1`, [key.id]);
    await redis.incr(`${namespace}:version`);
    await waitFor(() => v.verifyKey(key.key), (r) => !r.ok, { timeoutMs: 3_000 });
    expect(v.stats().clears).toBeGreaterThanOrEqual(1);
    await redis.del(`${namespace}:version`);
  });
});

describe("createKeyVerifierFromEnv", () => {
  it("connects to REDIS_URL itself, installs the process publisher, and releases both on close", async () => {
    expect(process.env.REDIS_URL).toBeTruthy();
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "env", scope: "read_only" }, opts);
    const namespace = uniqueNamespace("env");
    const v = createKeyVerifierFromEnv({ db: counted.db, pepper: null, namespace });
    await v.ready();
    expect(v.stats().inSync).toBe(true);
    expect(getKeyChangePublisher()?.namespace).toBe(namespace);
    expect((await v.verifyKey(key.key)).ok).toBe(true);
    await v.close();
    expect(getKeyChangePublisher()).toBeUndefined();
  });
});

describe("the Redis publisher", () => {
  it("retries a failed notice in the background until Redis answers", async () => {
    const namespace = uniqueNamespace("retry");
    let failures = 2;
    const flaky = {
      eval: (...args: Parameters<Redis["eval"]>) => {
        if (failures > 0) {
          failures--;
          return Promise.reject(new Error("connection lost"));
        }
        return redis.eval(...args);
      },
    } as unknown as Redis;
    const errors: unknown[] = [];
    const publisher = createRedisKeyChangePublisher(flaky, {
      namespace,
      retryDelayMs: 20,
      onError: (e) => errors.push(e),
    });
    await publisher.publish({ kind: "revoked", keyId: "k", hash: hashKey(generateKey(), null) });
    expect(errors).toHaveLength(1);
    await waitFor(() => redis.get(`${namespace}:version`), (v) => v === "1", { timeoutMs: 2_000 });
    expect(failures).toBe(0);
    await redis.del(`${namespace}:version`);
  });
});
