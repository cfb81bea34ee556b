import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  KeyLimitExceededError,
  KeyNotFoundError,
  KeyStateError,
  MAX_ACTIVE_KEYS,
  ValidationError,
  createKey,
  generateKey,
  getKey,
  hashKey,
  listKeys,
  parseKey,
  renameKey,
  revokeKey,
  rollKey,
  type LifecycleOptions,
} from "../src/index";
import { createUser } from "./helpers";

let t: TestDatabase;
// No Redis here: in-process notices only. Cross-process delivery is tested in verifier tests.
const opts: LifecycleOptions = { publisher: null, pepper: null };

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

async function auditFor(targetId: string) {
  return t.db.auditEvent.findMany({ where: { targetId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

const future = (ms: number) => new Date(Date.now() + ms);

describe("createKey", () => {
  it("returns the full key once, stores only its hash and start, and audits", async () => {
    const owner = await createUser(t.db);
    const created = await createKey(t.db, owner, { name: "  CI deploy  ", scope: "read_only" }, opts);

    expect(parseKey(created.key).ok).toBe(true);
    expect(created).toMatchObject({ name: "CI deploy", scope: "read_only", start: created.key.slice(0, 9) });
    expect(created.lastUsedAt).toBeNull();
    expect(created.revokedAt).toBeNull();
    expect(created.expiresAt).toBeNull();
    expect(Object.keys(created).sort()).toEqual(
      ["createdAt", "expiresAt", "id", "key", "lastUsedAt", "name", "revokedAt", "scope", "start"].sort(),
    );

    const [row] = await t.query("SELECT * FROM api_keys WHERE id = $1", [created.id]);
    expect(row!.hash).toBe(hashKey(created.key, null));
    expect(JSON.stringify(row)).not.toContain(created.key);

    const events = await auditFor(created.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: owner,
      action: "api_key.created",
      targetType: "api_key",
      targetId: created.id,
      metadata: { name: "CI deploy", scope: "read_only", start: created.start, expiresAt: null },
    });
    const metadata = JSON.stringify(events[0]!.metadata);
    expect(metadata).not.toContain(created.key);
    expect(metadata).not.toContain(row!.hash);
  });

  it("uses the pepper as HMAC key when given", async () => {
    const owner = await createUser(t.db);
    const pepper = "pepper-".repeat(6);
    const created = await createKey(t.db, owner, { name: "peppered", scope: "full_access" }, { ...opts, pepper });
    const [row] = await t.query<{ hash: string }>("SELECT hash FROM api_keys WHERE id = $1", [created.id]);
    expect(row!.hash).toBe(hashKey(created.key, pepper));
    expect(row!.hash).not.toBe(hashKey(created.key, null));
  });

  it("accepts an expiry in the future, as a Date or an ISO string", async () => {
    const owner = await createUser(t.db);
    const at = future(86_400_000);
    const a = await createKey(t.db, owner, { name: "a", scope: "read_only", expiresAt: at }, opts);
    const b = await createKey(t.db, owner, { name: "b", scope: "read_only", expiresAt: at.toISOString() }, opts);
    expect(a.expiresAt?.getTime()).toBe(at.getTime());
    expect(b.expiresAt?.getTime()).toBe(at.getTime());
  });

  it("validates its input", async () => {
    const owner = await createUser(t.db);
    const bad: Array<[unknown, string]> = [
      [{ name: "   ", scope: "read_only" }, "name"],
      [{ name: "x".repeat(65), scope: "read_only" }, "name"],
      [{ name: "tab\there", scope: "read_only" }, "name"],
      [{ name: 42, scope: "read_only" }, "name"],
      [{ name: "ok", scope: "admin" }, "scope"],
      [{ name: "ok" }, "scope"],
      [{ name: "ok", scope: "read_only", expiresAt: new Date(Date.now() - 1000) }, "expiresAt"],
      [{ name: "ok", scope: "read_only", expiresAt: "tomorrow" }, "expiresAt"],
      [{ name: "ok", scope: "read_only", expiresAt: "2099-01-01T00:00:00" }, "expiresAt"],
    ];
    for (const [input, path] of bad) {
      const error = await createKey(t.db, owner, input as never, opts).catch((e: unknown) => e);
      expect(error, JSON.stringify(input)).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe("validation_error");
      expect((error as ValidationError).details.map((d) => d.path)).toContain(path);
    }
    // 64 characters after trimming is fine.
    await expect(
      createKey(t.db, owner, { name: ` ${"x".repeat(64)} `, scope: "read_only" }, opts),
    ).resolves.toMatchObject({ name: "x".repeat(64) });
    expect(await t.db.apiKey.count({ where: { userId: owner } })).toBe(1);
  });
});

describe("the 50-active-key cap", () => {
  it("refuses the 51st active key with a clear error; revoked and expired keys do not count", async () => {
    const owner = await createUser(t.db);
    const keys = [];
    for (let i = 0; i < MAX_ACTIVE_KEYS; i++) {
      keys.push(await createKey(t.db, owner, { name: `k${i}`, scope: "read_only" }, opts));
    }
    const refused = await createKey(t.db, owner, { name: "k50", scope: "read_only" }, opts).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(KeyLimitExceededError);
    expect((refused as KeyLimitExceededError).code).toBe("key_limit_exceeded");
    expect((refused as Error).message).toMatch(/50 active API keys/);
    expect(await t.db.apiKey.count({ where: { userId: owner } })).toBe(50);
    // The refusal leaves no audit trace of a key that does not exist.
    expect(await t.db.auditEvent.count({ where: { actorId: owner } })).toBe(50);

    await revokeKey(t.db, owner, { id: keys[0]!.id }, opts);
    await createKey(t.db, owner, { name: "after revoke", scope: "read_only" }, opts);
    await expect(createKey(t.db, owner, { name: "again", scope: "read_only" }, opts)).rejects.toBeInstanceOf(
      KeyLimitExceededError,
    );

    // A key that expires does not count once it has expired.
    await t.query(`UPDATE api_keys SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [keys[1]!.id]);
    await createKey(t.db, owner, { name: "after expiry", scope: "read_only" }, opts);
  });

  it("holds under concurrent creates (the owner row is locked)", async () => {
    const owner = await createUser(t.db);
    // 44 existing active keys, then 12 creates at once: exactly 6 may succeed.
    await t.db.apiKey.createMany({
      data: Array.from({ length: MAX_ACTIVE_KEYS - 6 }, (_, i) => {
        const key = generateKey();
        return { userId: owner, name: `pre${i}`, scope: "read_only" as const, hash: hashKey(key, null), start: key.slice(0, 9) };
      }),
    });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => createKey(t.db, owner, { name: `c${i}`, scope: "full_access" }, opts)),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected" && r.reason instanceof KeyLimitExceededError);
    expect(ok).toHaveLength(6);
    expect(refused).toHaveLength(6);
    expect(await t.db.apiKey.count({ where: { userId: owner } })).toBe(MAX_ACTIVE_KEYS);
  });
});

describe("listKeys and getKey", () => {
  it("lists the owner's keys newest first, without secrets, and nobody else's", async () => {
    const owner = await createUser(t.db);
    const other = await createUser(t.db);
    const t0 = Date.now();
    const a = await createKey(t.db, owner, { name: "a", scope: "read_only" }, { ...opts, now: new Date(t0) });
    const b = await createKey(t.db, owner, { name: "b", scope: "full_access" }, { ...opts, now: new Date(t0 + 1) });
    const c = await createKey(t.db, owner, { name: "c", scope: "read_only" }, { ...opts, now: new Date(t0 + 2) });
    await createKey(t.db, other, { name: "theirs", scope: "read_only" }, opts);
    await revokeKey(t.db, owner, { id: b.id }, opts);

    const list = await listKeys(t.db, owner);
    expect(list.map((k) => k.name)).toEqual(["c", "b", "a"]);
    for (const item of list) {
      expect(Object.keys(item).sort()).toEqual(
        ["createdAt", "expiresAt", "id", "lastUsedAt", "name", "revokedAt", "scope", "start"].sort(),
      );
    }
    expect(JSON.stringify(list)).not.toContain(a.key);
    expect(list[1]!.revokedAt).toBeInstanceOf(Date);
    expect((await listKeys(t.db, owner, { includeRevoked: false })).map((k) => k.id)).toEqual([c.id, a.id]);

    expect(await getKey(t.db, owner, { id: a.id })).toMatchObject({ id: a.id, name: "a" });
    await expect(getKey(t.db, other, { id: a.id })).rejects.toBeInstanceOf(KeyNotFoundError);
  });
});

describe("renameKey", () => {
  it("renames and audits from/to", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "old", scope: "read_only" }, opts);
    const renamed = await renameKey(t.db, owner, { id: key.id, name: " new name " });
    expect(renamed).toMatchObject({ id: key.id, name: "new name", start: key.start });
    expect(renamed).not.toHaveProperty("key");
    const events = await auditFor(key.id);
    expect(events.map((e) => e.action)).toEqual(["api_key.created", "api_key.renamed"]);
    expect(events[1]).toMatchObject({ actorId: owner, metadata: { from: "old", to: "new name" } });

    // Same name: nothing to record.
    await renameKey(t.db, owner, { id: key.id, name: "new name" });
    expect(await auditFor(key.id)).toHaveLength(2);

    await expect(renameKey(t.db, owner, { id: key.id, name: "" })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("revokeKey", () => {
  it("revokes once, audits once, and is idempotent", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "k", scope: "read_only" }, opts);
    const first = await revokeKey(t.db, owner, { id: key.id }, opts);
    expect(first.id).toBe(key.id);
    expect(first.revokedAt).toBeInstanceOf(Date);
    const second = await revokeKey(t.db, owner, { id: key.id }, opts);
    expect(second.revokedAt.getTime()).toBe(first.revokedAt.getTime());
    const events = await auditFor(key.id);
    expect(events.map((e) => e.action)).toEqual(["api_key.created", "api_key.revoked"]);
    expect(events[1]).toMatchObject({ actorId: owner, targetType: "api_key", metadata: { name: "k", start: key.start } });
  });
});

describe("rollKey", () => {
  it("grace 0: the old key is revoked now, the new one has the same name and scope", async () => {
    const owner = await createUser(t.db);
    const old = await createKey(t.db, owner, { name: "prod", scope: "full_access" }, opts);
    const { key, previous } = await rollKey(t.db, owner, { id: old.id }, opts);
    expect(parseKey(key.key).ok).toBe(true);
    expect(key.key).not.toBe(old.key);
    expect(key).toMatchObject({ name: "prod", scope: "full_access", revokedAt: null, expiresAt: null });
    expect(previous.id).toBe(old.id);
    expect(previous.revokedAt).toBeInstanceOf(Date);
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.rolledFromId).toBe(old.id);
    expect(row.hash).toBe(hashKey(key.key, null));

    const events = await auditFor(old.id);
    expect(events.map((e) => e.action)).toEqual(["api_key.created", "api_key.rolled"]);
    expect(events[1]).toMatchObject({
      actorId: owner,
      metadata: { newKeyId: key.id, oldStart: old.start, newStart: key.start, gracePeriodSeconds: 0 },
    });
    expect(JSON.stringify(events[1]!.metadata)).not.toContain(key.key);
  });

  it("with a grace period the old key expires at its end (or keeps an earlier expiry)", async () => {
    const owner = await createUser(t.db);
    const now = new Date();
    const old = await createKey(t.db, owner, { name: "svc", scope: "read_only" }, { ...opts, now });
    const { key, previous } = await rollKey(t.db, owner, { id: old.id, gracePeriodSeconds: 3600 }, { ...opts, now });
    expect(previous.revokedAt).toBeNull();
    expect(previous.expiresAt?.getTime()).toBe(now.getTime() + 3_600_000);
    expect(key.expiresAt).toBeNull();

    const soon = new Date(now.getTime() + 60_000);
    const early = await createKey(t.db, owner, { name: "early", scope: "read_only", expiresAt: soon }, { ...opts, now });
    const rolled = await rollKey(t.db, owner, { id: early.id, gracePeriodSeconds: 86_400 }, { ...opts, now });
    expect(rolled.previous.expiresAt?.getTime()).toBe(soon.getTime());
    // The new key inherits the old key's expiry unless told otherwise.
    expect(rolled.key.expiresAt?.getTime()).toBe(soon.getTime());
    const later = new Date(now.getTime() + 30 * 86_400_000);
    const explicit = await rollKey(t.db, owner, { id: rolled.key.id, expiresAt: later }, { ...opts, now });
    expect(explicit.key.expiresAt?.getTime()).toBe(later.getTime());
  });

  it("validates the grace period (0..7 days) and refuses revoked, expired or already rolled keys", async () => {
    const owner = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "k", scope: "read_only" }, opts);
    for (const gracePeriodSeconds of [-1, 7 * 86_400 + 1, 1.5]) {
      await expect(rollKey(t.db, owner, { id: key.id, gracePeriodSeconds }, opts)).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
    const { key: next } = await rollKey(t.db, owner, { id: key.id, gracePeriodSeconds: 7 * 86_400 }, opts);
    const again = await rollKey(t.db, owner, { id: key.id }, opts).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(KeyStateError);
    expect((again as KeyStateError).code).toBe("conflict");

    await revokeKey(t.db, owner, { id: next.id }, opts);
    await expect(rollKey(t.db, owner, { id: next.id }, opts)).rejects.toBeInstanceOf(KeyStateError);

    const expiring = await createKey(t.db, owner, { name: "e", scope: "read_only", expiresAt: future(1000) }, opts);
    await expect(
      rollKey(t.db, owner, { id: expiring.id }, { ...opts, now: future(2000) }),
    ).rejects.toBeInstanceOf(KeyStateError);
  });

  it("at the cap, a grace period needs room but an immediate roll is allowed", async () => {
    const owner = await createUser(t.db);
    const keys = [];
    for (let i = 0; i < MAX_ACTIVE_KEYS; i++) {
      keys.push(await createKey(t.db, owner, { name: `k${i}`, scope: "read_only" }, opts));
    }
    const refused = await rollKey(t.db, owner, { id: keys[0]!.id, gracePeriodSeconds: 60 }, opts).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(KeyLimitExceededError);
    expect((refused as Error).message).toMatch(/grace period/);
    await rollKey(t.db, owner, { id: keys[0]!.id, gracePeriodSeconds: 0 }, opts);
    const active = await t.db.apiKey.count({ where: { userId: owner, revokedAt: null } });
    expect(active).toBe(MAX_ACTIVE_KEYS);
  });
});

describe("ownership", () => {
  it("another user's key id is not found, for every operation, and nothing changes", async () => {
    const owner = await createUser(t.db);
    const intruder = await createUser(t.db);
    const key = await createKey(t.db, owner, { name: "mine", scope: "full_access" }, opts);
    const attempts = [
      () => getKey(t.db, intruder, { id: key.id }),
      () => renameKey(t.db, intruder, { id: key.id, name: "pwned" }),
      () => revokeKey(t.db, intruder, { id: key.id }, opts),
      () => rollKey(t.db, intruder, { id: key.id }, opts),
      () => rollKey(t.db, intruder, { id: key.id, gracePeriodSeconds: 60 }, opts),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyNotFoundError);
      expect((error as KeyNotFoundError).code).toBe("not_found");
      expect((error as Error).message).toBe("API key not found.");
    }
    // Unknown and malformed ids answer exactly the same.
    for (const id of ["00000000-0000-7000-8000-000000000000", "not-a-uuid", "' OR 1=1 --"]) {
      await expect(revokeKey(t.db, owner, { id }, opts)).rejects.toBeInstanceOf(KeyNotFoundError);
    }
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ name: "mine", revokedAt: null, expiresAt: null });
    expect(await t.db.apiKey.count({ where: { rolledFromId: key.id } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { actorId: intruder } })).toBe(0);
  });
});
