import { TRPCError } from "@trpc/server";
import { recordAuditEvent } from "@twx/audit";
import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { createKey, renameKey, revokeKey } from "@twx/keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTRPCContext, type ApiSession } from "../src";
import { remainingFor } from "../src/routers/usage/limiter";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

function callerFor(userId: string | null) {
  const session: ApiSession | null = userId
    ? { user: { id: userId }, expires: new Date(Date.now() + 3_600_000).toISOString() }
    : null;
  return createCaller(createTRPCContext({ headers: new Headers(), session, db: t.db }));
}

async function newUser(label: string): Promise<string> {
  const user = await t.db.user.create({ data: { email: `${label}-${Math.random().toString(36).slice(2)}@example.com` } });
  return user.id;
}

const keyOptions = { publisher: null, pepper: null } as const;

describe("signed-out callers", () => {
  it("are refused by every procedure", async () => {
    const caller = callerFor(null);
    for (const call of [() => caller.usage.report(), () => caller.audit.list(), () => caller.twins.list()]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("UNAUTHORIZED");
    }
  });
});

describe("usage.report", () => {
  it("reports the caller's keys only, with totals and the remaining requests", async () => {
    const owner = await newUser("owner");
    const other = await newUser("other");
    const key = await createKey(t.db, owner, { name: "Mine", scope: "read_only" }, keyOptions);
    const foreign = await createKey(t.db, other, { name: "Theirs", scope: "full_access" }, keyOptions);
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    await t.db.apiKeyUsage.create({ data: { apiKeyId: key.id, hour, requests: 4, rateLimited: 1 } });
    await t.db.apiKeyUsage.create({ data: { apiKeyId: foreign.id, hour, requests: 40 } });

    const report = await callerFor(owner).usage.report();
    expect(report.keys.map((k) => k.name)).toEqual(["Mine"]);
    expect(report.total.last24h).toEqual({ requests: 4, rateLimited: 1 });
    expect(report.remaining).toHaveLength(1);
    expect(report.remaining[0]).toMatchObject({ keyId: key.id, limit: 200 });
  });

  it("a new account gets an empty report", async () => {
    const report = await callerFor(await newUser("new")).usage.report();
    expect(report.keys).toEqual([]);
    expect(report.remaining).toEqual([]);
    expect(report.total.hourly).toHaveLength(24);
    expect(report.total.daily).toHaveLength(30);
  });
});

describe("remainingFor", () => {
  const now = new Date("2026-03-15T10:30:00.000Z");
  const bucket = (requests: number) => ({ start: now, requests, rateLimited: 0 });
  const base = {
    keyId: "k1",
    name: "k",
    start: "twx_abcde",
    scope: "full_access" as const,
    createdAt: now,
    revokedAt: null,
    expiresAt: null,
    hourly: [bucket(100), bucket(10)],
    daily: [],
    last24h: { requests: 110, rateLimited: 0 },
    last30d: { requests: 110, rateLimited: 0 },
  };

  it("reads the limiter when it answers, else estimates from the usage rows", async () => {
    const peeked = await remainingFor([base], now, async () => ({ limit: 500, remaining: 321, reset: now.getTime() + 1000 }));
    expect(peeked).toEqual([{ keyId: "k1", limit: 500, remaining: 321, reset: new Date(now.getTime() + 1000), source: "limiter" }]);
    const estimated = await remainingFor([base], now, async () => null);
    expect(estimated).toEqual([{ keyId: "k1", limit: 500, remaining: 440, reset: new Date("2026-03-15T11:00:00.000Z"), source: "estimate" }]);
    expect(await remainingFor([base], now, null)).toEqual(estimated);
  });

  it("skips revoked and expired keys", async () => {
    const revoked = { ...base, keyId: "k2", revokedAt: now };
    const expired = { ...base, keyId: "k3", expiresAt: new Date(now.getTime() - 1) };
    expect(await remainingFor([revoked, expired], now, null)).toEqual([]);
  });
});

describe("audit.list", () => {
  it("lists the caller's events newest first, by pages, with shown details only", async () => {
    const owner = await newUser("audited");
    const other = await newUser("bystander");
    const key = await createKey(t.db, owner, { name: "First", scope: "read_only" }, keyOptions);
    await renameKey(t.db, owner, { id: key.id, name: "Second" });
    await revokeKey(t.db, owner, { id: key.id }, keyOptions);
    await recordAuditEvent(t.db, { actorId: owner, action: "token.issued", metadata: { jti: "internal-id", via: "portal", ttlSeconds: 3600 } });
    await createKey(t.db, other, { name: "Not mine", scope: "read_only" }, keyOptions);

    const caller = callerFor(owner);
    const first = await caller.audit.list({ limit: 3 });
    expect(first.items.map((e) => e.action)).toEqual(["token.issued", "api_key.revoked", "api_key.renamed"]);
    expect(first.items[0]!.details).toEqual({ via: "portal", ttlSeconds: 3600 });
    expect(first.items[2]!.details).toMatchObject({ from: "First", to: "Second", start: key.start });
    expect(first.hasMore).toBe(true);

    const second = await caller.audit.list({ limit: 3, cursor: first.nextCursor });
    expect(second.items.map((e) => e.action)).toEqual(["api_key.created"]);
    expect(second.hasMore).toBe(false);
    expect(second.nextCursor).toBeNull();

    const bad = await caller.audit.list({ cursor: "not-a-cursor" }).catch((e: unknown) => e);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
  });
});

describe("twins", () => {
  it("lists shared twins and gets one; another account's twin is not found", async () => {
    const owner = await newUser("twins");
    const other = await newUser("twins-other");
    const shared = await t.db.twin.create({ data: { slug: `shared-${owner}`, name: "Shared", expertise: "x", description: "y" } });
    const privateTwin = await t.db.twin.create({ data: { slug: `private-${other}`, name: "Private", expertise: "x", description: "y", ownerId: other } });

    const caller = callerFor(owner);
    const page = await caller.twins.list({ limit: 100 });
    expect(page.items.map((twin) => twin.id)).toContain(shared.id);
    expect(page.items.map((twin) => twin.id)).not.toContain(privateTwin.id);
    expect((await caller.twins.get({ id: shared.id })).name).toBe("Shared");
    const missing = await caller.twins.get({ id: privateTwin.id }).catch((e: unknown) => e);
    expect((missing as TRPCError).code).toBe("NOT_FOUND");
  });
});
