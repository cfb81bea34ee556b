import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, summarizeKeyUsage, type LifecycleOptions } from "../src/index";
import { createUser } from "./helpers";

let t: TestDatabase;
const opts: LifecycleOptions = { publisher: null, pepper: null };
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe("summarizeKeyUsage", () => {
  it("sums the last 24 UTC hours per key of the owner, and nothing of other owners", async () => {
    const owner = await createUser(t.db, "owner");
    const other = await createUser(t.db, "other");
    const a = await createKey(t.db, owner, { name: "a", scope: "read_only" }, opts);
    const b = await createKey(t.db, owner, { name: "b", scope: "full_access" }, opts);
    const theirs = await createKey(t.db, other, { name: "theirs", scope: "read_only" }, opts);
    const now = new Date("2026-03-10T12:30:00Z");
    const hour = (offset: number) => new Date(Date.UTC(2026, 2, 10, 12) + offset * HOUR);
    await t.db.apiKeyUsage.createMany({
      data: [
        { apiKeyId: a.id, hour: hour(0), requests: 5, rateLimited: 1 },
        { apiKeyId: a.id, hour: hour(-23), requests: 7, rateLimited: 0 },
        // 24 hours before the current hour: outside the window.
        { apiKeyId: a.id, hour: hour(-24), requests: 100, rateLimited: 100 },
        { apiKeyId: theirs.id, hour: hour(0), requests: 9, rateLimited: 0 },
      ],
    });

    const summary = await summarizeKeyUsage(t.db, owner, { now });
    expect(summary).toEqual({ [a.id]: { requests: 12, rateLimited: 1 } });
    expect(summary[b.id]).toBeUndefined();
    expect((await summarizeKeyUsage(t.db, other, { now }))[theirs.id]).toEqual({ requests: 9, rateLimited: 0 });
  });
});
