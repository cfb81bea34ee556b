import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import type { Database } from "@twx/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createKey, createKeyVerifier, type KeyVerifier, type KeyVerifierOptions, type LifecycleOptions } from "../src/index";
import { UsageBatcher } from "../src/usage";
import { countedDatabase, createUser, waitFor, type CountedDatabase } from "./helpers";

let t: TestDatabase;
let counted: CountedDatabase;
const opts: LifecycleOptions = { publisher: null, pepper: null };
const open: KeyVerifier[] = [];
const HOUR = 3_600_000;

function verifier(options: Partial<KeyVerifierOptions> = {}): KeyVerifier {
  const v = createKeyVerifier({ db: counted.db, pepper: null, usageFlushIntervalMs: 0, ...options });
  open.push(v);
  return v;
}

beforeAll(async () => {
  t = await createTestDatabase();
  counted = countedDatabase(t);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
});
afterAll(async () => {
  await counted?.close();
  await t?.drop();
});

async function usageRows(keyId: string) {
  return t.query<{ hour: Date; requests: number; rateLimited: number }>(
    `SELECT hour, requests, "rateLimited" FROM api_key_usage WHERE "apiKeyId" = $1 ORDER BY hour`,
    [keyId],
  );
}

/** A key's counts over all its hourly rows: a test that runs across the hour writes two. */
async function usageTotals(keyId: string) {
  const [row] = await t.query<{ requests: number; rateLimited: number }>(
    `SELECT coalesce(sum(requests), 0)::int AS requests, coalesce(sum("rateLimited"), 0)::int AS "rateLimited" FROM api_key_usage WHERE "apiKeyId" = $1`,
    [keyId],
  );
  return row!;
}

async function lastUsedAt(keyId: string): Promise<Date | null> {
  return (await t.db.apiKey.findUniqueOrThrow({ where: { id: keyId } })).lastUsedAt;
}

describe("usage counters", () => {
  it("are exact after a burst: 1,000 uses → one flush → rows sum to 1,000, split by rate limiting", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "burst", scope: "read_only" }, opts);
    // A fixed time mid-hour: both bursts belong to one hour whenever the test runs.
    const v = verifier({ clock: () => Date.UTC(2030, 0, 1, 10, 30) });
    const verified = await v.verifyKey(key.key);
    if (!verified.ok) throw new Error("key refused");

    counted.reset();
    for (let i = 0; i < 1_000; i++) v.recordUse(verified.key, { rateLimited: i % 4 === 0 });
    expect(counted.queries()).toBe(0);
    await v.flush();

    const rows = await usageRows(key.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ requests: 750, rateLimited: 250 });
    expect(rows[0]!.requests + rows[0]!.rateLimited).toBe(1_000);

    // A second burst adds to the same hour's row.
    for (let i = 0; i < 1_000; i++) v.recordUse(verified.key);
    await v.flush();
    expect((await usageRows(key.id))[0]).toMatchObject({ requests: 1_750, rateLimited: 250 });
    // Nothing pending: a flush with no uses writes nothing.
    counted.reset();
    await v.flush();
    expect(counted.queries()).toBe(0);
  });

  it("buckets by UTC hour", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "hours", scope: "read_only" }, opts);
    const hourStart = Date.UTC(2030, 0, 1, 10);
    let now = hourStart + HOUR - 1; // 10:59:59.999
    const v = verifier({ clock: () => now });
    for (let i = 0; i < 3; i++) v.recordUse({ id: key.id });
    now = hourStart + HOUR; // 11:00:00.000
    for (let i = 0; i < 5; i++) v.recordUse({ id: key.id }, { rateLimited: true });
    await v.flush();
    const rows = await usageRows(key.id);
    expect(rows.map((r) => ({ hour: r.hour.toISOString(), requests: r.requests, rateLimited: r.rateLimited }))).toEqual([
      { hour: "2030-01-01T10:00:00.000Z", requests: 3, rateLimited: 0 },
      { hour: "2030-01-01T11:00:00.000Z", requests: 0, rateLimited: 5 },
    ]);
  });

  it("add up across processes flushing the same row at the same time", async () => {
    const owner = await createUser(t.db);
    const keys = await Promise.all(
      [0, 1, 2].map((i) => createKey(t.db, owner, { name: `p${i}`, scope: "full_access" }, opts)),
    );
    // Each verifier stands for one app process: separate batchers, same rows.
    const fleet = [verifier(), verifier(), verifier(), verifier()];
    let total = 0;
    for (let round = 0; round < 5; round++) {
      fleet.forEach((v, p) => {
        for (const [k, key] of keys.entries()) {
          const n = 37 * (p + 1) + k;
          for (let i = 0; i < n; i++) v.recordUse({ id: key.id }, { rateLimited: i % 10 === 0 });
          total += n;
        }
      });
      await Promise.all(fleet.map((v) => v.flush()));
    }
    const [sum] = await t.query<{ requests: string; limited: string }>(
      `SELECT sum(requests) AS requests, sum("rateLimited") AS limited FROM api_key_usage WHERE "apiKeyId" = ANY($1)`,
      [keys.map((k) => k.id)],
    );
    expect(Number(sum!.requests) + Number(sum!.limited)).toBe(total);
  });

  it("skip keys deleted meanwhile instead of failing the batch", async () => {
    const owner = await createUser(t.db);
    const doomedOwner = await createUser(t.db);
    const kept = await createKey(t.db, owner, { name: "kept", scope: "read_only" }, opts);
    const doomed = await createKey(t.db, doomedOwner, { name: "doomed", scope: "read_only" }, opts);
    const v = verifier();
    v.recordUse({ id: kept.id });
    v.recordUse({ id: doomed.id });
    await t.db.user.delete({ where: { id: doomedOwner } });
    await v.flush();
    expect(await usageTotals(kept.id)).toMatchObject({ requests: 1 });
  });

  it("flush on close(), so a graceful shutdown loses nothing", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "close", scope: "read_only" }, opts);
    const errors: string[] = [];
    const v = createKeyVerifier({ db: counted.db, pepper: null, onError: (e) => errors.push(String(e)) }); // default 5 s timer
    for (let i = 0; i < 42; i++) v.recordUse({ id: key.id });
    await v.close();
    expect(await usageTotals(key.id)).toMatchObject({ requests: 42 });
    // A request finishing after shutdown began is still counted, and reported once.
    v.recordUse({ id: key.id });
    v.recordUse({ id: key.id });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/after close/);
    await v.flush();
    expect(await usageTotals(key.id)).toMatchObject({ requests: 44 });
  });

  it("are flushed by the timer every few seconds", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "timer", scope: "read_only" }, opts);
    const v = verifier({ usageFlushIntervalMs: 100 });
    v.recordUse({ id: key.id });
    const rows = await waitFor(() => usageRows(key.id), (r) => r.length === 1, { timeoutMs: 3_000, intervalMs: 50 });
    expect(rows[0]).toMatchObject({ requests: 1 });
  });
});

describe("a failed flush", () => {
  it("keeps its counts for the next flush", async () => {
    const calls: unknown[][] = [];
    let failNext = true;
    const fakeDb = {
      async $executeRaw(_sql: TemplateStringsArray, ...values: unknown[]) {
        if (failNext) {
          failNext = false;
          throw new Error("database unavailable");
        }
        calls.push(values);
        return 1;
      },
    } as unknown as Database;
    const batcher = new UsageBatcher({
      db: fakeDb,
      clock: () => Date.UTC(2030, 0, 1, 10, 30),
      flushIntervalMs: 0,
      lastUsedIntervalMs: 60_000,
      onError: () => undefined,
    });
    for (let i = 0; i < 10; i++) batcher.record("key-a", false);
    await expect(batcher.flush()).rejects.toThrow("database unavailable");
    for (let i = 0; i < 5; i++) batcher.record("key-a", true);
    await batcher.flush();
    // The usage statements that got through: one, carrying 10 + 5.
    const usage = calls.filter((values) => values.length === 4);
    expect(usage).toHaveLength(1);
    const [ids, hours, requests, limited] = usage[0]!;
    expect(ids).toEqual(["key-a"]);
    expect(hours).toEqual(["2030-01-01T10:00:00.000Z"]);
    expect(requests).toEqual([10]);
    expect(limited).toEqual([5]);
    expect(batcher.pendingRows).toBe(0);
  });
});

describe("lastUsedAt", () => {
  it("is written at most once a minute per key", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "seen", scope: "read_only" }, opts);
    const t0 = Date.UTC(2030, 5, 1, 12, 0, 0);
    let now = t0;
    const v = verifier({ clock: () => now });

    v.recordUse({ id: key.id });
    counted.reset();
    await v.flush();
    expect(counted.queries()).toBe(2); // usage + lastUsedAt
    expect((await lastUsedAt(key.id))?.getTime()).toBe(t0);

    // Within the minute: many uses, no lastUsedAt statement at all.
    now = t0 + 30_000;
    for (let i = 0; i < 500; i++) v.recordUse({ id: key.id });
    counted.reset();
    await v.flush();
    expect(counted.queries()).toBe(1); // usage only
    expect(counted.log().some((sql) => sql.includes("lastUsedAt"))).toBe(false);
    expect((await lastUsedAt(key.id))?.getTime()).toBe(t0);

    // Another process, fresh throttle: its write is skipped by the row condition.
    const other = verifier({ clock: () => now });
    other.recordUse({ id: key.id });
    await other.flush();
    expect((await lastUsedAt(key.id))?.getTime()).toBe(t0);

    // A minute later: written again, with the time of the use.
    now = t0 + 61_000;
    v.recordUse({ id: key.id });
    await v.flush();
    expect((await lastUsedAt(key.id))?.getTime()).toBe(t0 + 61_000);
  });

  it("shows in listKeys as the key's lastUsedAt", async () => {
    const { listKeys } = await import("../src/index");
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "listed", scope: "read_only" }, opts);
    const at = Date.UTC(2030, 5, 1, 13, 0, 0);
    const v = verifier({ clock: () => at });
    const verified = await v.verifyKey(key.key);
    if (!verified.ok) throw new Error("key refused");
    v.recordUse(verified.key);
    await v.flush();
    const [listed] = await listKeys(t.db, owner);
    expect(listed!.lastUsedAt?.toISOString()).toBe("2030-06-01T13:00:00.000Z");
  });
});
