import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { type TRPCError } from "@trpc/server";
import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller, createTRPCContext, type ApiSession } from "../src";
import { setManagementRateLimiter } from "../src/routers/keys/management";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  // Every mutation allowed unless a test installs a stricter limiter.
  setManagementRateLimiter({ limit: async () => allowed });
});
afterEach(() => setManagementRateLimiter({ limit: async () => allowed }));
afterAll(async () => {
  setManagementRateLimiter(null);
  await t?.drop();
});

const allowed = { success: true, limit: 60, remaining: 59, reset: Date.now() + 60_000, retryAfterSeconds: 0 };

async function userCaller() {
  const user = await t.db.user.create({ data: { email: `keys-${Math.random().toString(36).slice(2)}@example.test` } });
  const session: ApiSession = { user: { id: user.id }, expires: new Date(Date.now() + 3_600_000).toISOString() };
  return { userId: user.id, caller: createCaller(createTRPCContext({ headers: new Headers(), session, db: t.db })) };
}

function shapeOf(error: TRPCError, path: string) {
  return appRouter._def._config.errorFormatter({
    error,
    type: "mutation",
    path,
    input: undefined,
    ctx: undefined,
    shape: { message: error.message, code: -32600, data: { code: error.code, httpStatus: getHTTPStatusCodeFromError(error), path } },
  });
}

describe("keys router", () => {
  it("creates, lists with status and usage, renames, rolls and revokes", async () => {
    const { caller } = await userCaller();
    const created = await caller.keys.create({ name: "  CI  ", scope: "read_only" });
    expect(created.key).toMatch(/^twx_/);
    expect(created.name).toBe("CI");
    await t.db.apiKeyUsage.create({ data: { apiKeyId: created.id, hour: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000), requests: 3 } });

    let list = await caller.keys.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: created.id, status: "active", requests24h: 3, lastUsedAt: null });
    expect(JSON.stringify(list)).not.toContain(created.key);

    await caller.keys.rename({ id: created.id, name: "CI runner" });
    const rolled = await caller.keys.roll({ id: created.id, gracePeriodSeconds: 3600 });
    expect(rolled.key.key).not.toBe(created.key);
    list = await caller.keys.list();
    expect(list.map((k) => [k.name, k.status])).toEqual([
      ["CI runner", "active"],
      ["CI runner", "expiring"],
    ]);
    const revoked = await caller.keys.revoke({ id: rolled.key.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect((await caller.keys.list()).find((k) => k.id === rolled.key.id)?.status).toBe("revoked");
  });

  it("answers NOT_FOUND for another user's key", async () => {
    const a = await userCaller();
    const b = await userCaller();
    const key = await a.caller.keys.create({ name: "mine", scope: "full_access" });
    for (const attempt of [
      () => b.caller.keys.rename({ id: key.id, name: "stolen" }),
      () => b.caller.keys.revoke({ id: key.id }),
      () => b.caller.keys.roll({ id: key.id, gracePeriodSeconds: 0 }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await b.caller.keys.list()).toEqual([]);
  });

  it("reports bad input per field", async () => {
    const { caller } = await userCaller();
    const error = (await caller.keys.create({ name: " ", scope: "read_only", expiresAt: new Date(0) }).catch((e: unknown) => e)) as TRPCError;
    expect(error.code).toBe("BAD_REQUEST");
    const shape = shapeOf(error, "keys.create");
    expect(Object.keys(shape.data.fieldErrors ?? {}).sort()).toEqual(["expiresAt", "name"]);
  });

  it("refuses a revoked key's roll as CONFLICT with a readable message", async () => {
    const { caller } = await userCaller();
    const key = await caller.keys.create({ name: "old", scope: "read_only" });
    await caller.keys.revoke({ id: key.id });
    const error = (await caller.keys.roll({ id: key.id, gracePeriodSeconds: 0 }).catch((e: unknown) => e)) as TRPCError;
    expect(error.code).toBe("CONFLICT");
    expect(shapeOf(error, "keys.roll").data).toMatchObject({ reason: "conflict", limit: null });
  });

  it("says clearly when the key limit is reached", async () => {
    const { caller, userId } = await userCaller();
    await t.db.apiKey.createMany({
      data: Array.from({ length: 50 }, (_, i) => ({ userId, name: `k${i}`, scope: "read_only" as const, hash: `h-${userId}-${i}`, start: "twx_abcde" })),
    });
    const error = (await caller.keys.create({ name: "one too many", scope: "read_only" }).catch((e: unknown) => e)) as TRPCError;
    expect(error.code).toBe("CONFLICT");
    const shape = shapeOf(error, "keys.create");
    expect(shape.message).toMatch(/50 active API keys, the maximum/);
    // What the browser words in its own language, without reading the English message.
    expect(shape.data).toMatchObject({ reason: "key_limit_exceeded", limit: 50, retryAfterSeconds: null });
  });

  it("limits mutations per user with TOO_MANY_REQUESTS and the wait", async () => {
    const { caller, userId } = await userCaller();
    const seen: string[] = [];
    setManagementRateLimiter({
      limit: async (kind, id) => {
        seen.push(`${kind}:${id}`);
        return { success: false, limit: 60, remaining: 0, reset: Date.now() + 42_000, retryAfterSeconds: 42 };
      },
    });
    const error = (await caller.keys.create({ name: "x", scope: "read_only" }).catch((e: unknown) => e)) as TRPCError;
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.message).toContain("42 seconds");
    expect(shapeOf(error, "keys.create").data).toMatchObject({ reason: "rate_limited", retryAfterSeconds: 42, limit: null });
    expect(seen).toEqual([`user-management:${userId}`]);
    // Reading is not limited.
    await expect(caller.keys.list()).resolves.toEqual([]);
  });

  it("requires a session", async () => {
    const caller = createCaller(createTRPCContext({ headers: new Headers(), session: null, db: t.db }));
    await expect(caller.keys.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("tokens router", () => {
  it("issues a JWT with the chosen lifetime and records token.issued", async () => {
    const { caller, userId } = await userCaller();
    const issued = await caller.tokens.issue({ ttlSeconds: 900 });
    expect(issued.token.split(".")).toHaveLength(3);
    expect(issued.expiresAt.getTime() - issued.issuedAt.getTime()).toBe(900_000);
    const events = await t.db.auditEvent.findMany({ where: { actorId: userId, action: "token.issued" } });
    expect(events).toHaveLength(1);
  });

  it("refuses a lifetime over 24 hours", async () => {
    const { caller } = await userCaller();
    await expect(caller.tokens.issue({ ttlSeconds: 24 * 3600 + 1 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
