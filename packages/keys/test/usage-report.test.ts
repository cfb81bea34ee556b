import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, revokeKey, type LifecycleOptions } from "../src/index";
import { estimateRemainingInHour, getUsageReport, USAGE_DAYS, USAGE_HOURS } from "../src/usage-report";
import { createUser } from "./helpers";

let t: TestDatabase;
const opts: LifecycleOptions = { publisher: null, pepper: null };
const HOUR = 3_600_000;
// 10:30 UTC.
const NOW = new Date("2026-03-15T10:30:00.000Z");

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

async function addUsage(keyId: string, hour: Date, requests: number, rateLimited = 0) {
  await t.db.apiKeyUsage.create({ data: { apiKeyId: keyId, hour, requests, rateLimited } });
}

describe("getUsageReport", () => {
  it("buckets hours and days per key and in total, only the owner's keys", async () => {
    const owner = await createUser(t.db);
    const other = await createUser(t.db, "other");
    const a = await createKey(t.db, owner, { name: "A", scope: "read_only" }, opts);
    const b = await createKey(t.db, owner, { name: "B", scope: "full_access" }, opts);
    await createKey(t.db, owner, { name: "idle", scope: "read_only" }, opts);
    const gone = await createKey(t.db, owner, { name: "gone", scope: "read_only" }, opts);
    const unusedRevoked = await createKey(t.db, owner, { name: "unused revoked", scope: "read_only" }, opts);
    const foreign = await createKey(t.db, other, { name: "foreign", scope: "read_only" }, opts);
    await revokeKey(t.db, owner, { id: gone.id }, opts);
    await revokeKey(t.db, owner, { id: unusedRevoked.id }, opts);

    const thisHour = new Date("2026-03-15T10:00:00.000Z");
    await addUsage(a.id, thisHour, 5, 2);
    await addUsage(a.id, new Date(thisHour.getTime() - HOUR), 3);
    await addUsage(a.id, new Date(thisHour.getTime() - 23 * HOUR), 1);
    await addUsage(a.id, new Date(thisHour.getTime() - 24 * HOUR), 100); // outside 24 h, inside 30 d
    await addUsage(b.id, thisHour, 7);
    await addUsage(b.id, new Date("2026-02-14T12:00:00.000Z"), 9); // first day of the 30
    await addUsage(b.id, new Date("2026-02-13T23:00:00.000Z"), 1000); // outside 30 d
    await addUsage(gone.id, new Date("2026-03-01T00:00:00.000Z"), 4, 1);
    await addUsage(foreign.id, thisHour, 50);

    const report = await getUsageReport(t.db, owner, { now: NOW });
    expect(report.keys.map((k) => k.name).sort()).toEqual(["A", "B", "gone", "idle"]);
    const byName = Object.fromEntries(report.keys.map((k) => [k.name, k]));

    expect(report.total.hourly).toHaveLength(USAGE_HOURS);
    expect(report.total.daily).toHaveLength(USAGE_DAYS);
    expect(report.total.hourly.at(-1)).toEqual({ start: thisHour, requests: 12, rateLimited: 2 });
    expect(report.total.hourly[0]).toEqual({ start: new Date(thisHour.getTime() - 23 * HOUR), requests: 1, rateLimited: 0 });
    expect(report.total.daily.at(-1)!.start).toEqual(new Date("2026-03-15T00:00:00.000Z"));
    expect(report.total.daily[0]).toEqual({ start: new Date("2026-02-14T00:00:00.000Z"), requests: 9, rateLimited: 0 });

    expect(byName.A!.last24h).toEqual({ requests: 9, rateLimited: 2 });
    expect(byName.A!.last30d).toEqual({ requests: 109, rateLimited: 2 });
    expect(byName.B!.last30d).toEqual({ requests: 16, rateLimited: 0 });
    expect(byName.gone!.last30d).toEqual({ requests: 4, rateLimited: 1 });
    expect(byName.idle!.last30d).toEqual({ requests: 0, rateLimited: 0 });
    expect(report.total.last24h).toEqual({ requests: 16, rateLimited: 2 });
    expect(report.total.last30d).toEqual({ requests: 129, rateLimited: 3 });
    expect(report.total.daily.reduce((s, d) => s + d.requests, 0)).toBe(129);
  });

  it("a new account has no keys and zero totals", async () => {
    const owner = await createUser(t.db, "new");
    const report = await getUsageReport(t.db, owner, { now: NOW });
    expect(report.keys).toEqual([]);
    expect(report.total.last30d).toEqual({ requests: 0, rateLimited: 0 });
    expect(report.total.hourly.every((b) => b.requests === 0)).toBe(true);
  });
});

describe("estimateRemainingInHour", () => {
  it("counts the previous hour by its share still in the window", () => {
    expect(estimateRemainingInHour({ limit: 200, currentHourRequests: 10, previousHourRequests: 100, now: NOW })).toEqual({
      limit: 200,
      remaining: 140,
      reset: new Date("2026-03-15T11:00:00.000Z"),
    });
    expect(estimateRemainingInHour({ limit: 200, currentHourRequests: 250, previousHourRequests: 0, now: NOW }).remaining).toBe(0);
  });
});
