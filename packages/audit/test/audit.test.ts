import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuditSecretError,
  InvalidCursorError,
  assertNoSecrets,
  listAuditEvents,
  recordAuditEvent,
} from "../src/index";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

async function createUser(): Promise<string> {
  const user = await t.db.user.create({ data: { email: `u-${randomBytes(6).toString("hex")}@example.test` } });
  return user.id;
}

describe("recordAuditEvent", () => {
  it("records an event with its actor, target and metadata", async () => {
    const actor = await createUser();
    const event = await recordAuditEvent(t.db, {
      actorId: actor,
      action: "api_key.created",
      targetType: "api_key",
      targetId: "k1",
      metadata: { name: "CI", when: new Date("2030-01-01T00:00:00Z"), skipped: undefined },
    });
    expect(event).toMatchObject({
      actorId: actor,
      action: "api_key.created",
      targetType: "api_key",
      targetId: "k1",
      metadata: { name: "CI", when: "2030-01-01T00:00:00.000Z" },
    });
    expect(event.createdAt).toBeInstanceOf(Date);
  });

  it("belongs to the transaction it is written in: a rollback leaves no event", async () => {
    const actor = await createUser();
    await expect(
      t.db.$transaction(async (tx) => {
        await recordAuditEvent(tx, { actorId: actor, action: "api_key.revoked", targetType: "api_key", targetId: "k" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await t.db.auditEvent.count({ where: { actorId: actor } })).toBe(0);
  });

  it("accepts operator events (no actor)", async () => {
    const event = await recordAuditEvent(t.db, { actorId: null, action: "api_key.revoked" });
    expect(event.actorId).toBeNull();
    expect(event.metadata).toEqual({});
  });

  it("refuses secrets in metadata and malformed actions", async () => {
    const fullKey = `twx_${"a1B2c3D4".repeat(4)}000000`;
    expect(() => assertNoSecrets({ start: "twx_8fK2a", name: "ok", n: 1, nested: [{ a: null }] })).not.toThrow();
    expect(() => assertNoSecrets({ key: "anything" })).toThrow(AuditSecretError);
    expect(() => assertNoSecrets({ nested: { passwordHash: "x" } })).toThrow(/metadata\.nested\.passwordHash/);
    expect(() => assertNoSecrets({ note: `leaked ${fullKey}` })).toThrow(AuditSecretError);
    expect(() => assertNoSecrets({ list: ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"] })).toThrow(
      /metadata\.list\[0\]/,
    );
    const actor = await createUser();
    await expect(
      recordAuditEvent(t.db, { actorId: actor, action: "api_key.created", metadata: { secret: "s" } }),
    ).rejects.toBeInstanceOf(AuditSecretError);
    await expect(recordAuditEvent(t.db, { actorId: actor, action: "Created Key" })).rejects.toThrow(/dotted/);
    expect(await t.db.auditEvent.count({ where: { actorId: actor } })).toBe(0);
  });
});

describe("listAuditEvents", () => {
  it("pages an actor's events newest first with a stable keyset cursor", async () => {
    const actor = await createUser();
    const other = await createUser();
    const base = Date.UTC(2030, 0, 1);
    // 25 events; several share a timestamp so the id breaks ties.
    for (let i = 0; i < 25; i++) {
      await t.db.auditEvent.create({
        data: { actorId: actor, action: "api_key.renamed", targetId: `k${i}`, createdAt: new Date(base + Math.floor(i / 3) * 1000) },
      });
    }
    await recordAuditEvent(t.db, { actorId: other, action: "api_key.created" });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listAuditEvents(t.db, { actorId: actor, cursor, limit: 10 });
      seen.push(...page.items.map((e) => e.id));
      expect(page.hasMore).toBe(page.nextCursor !== null);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);

    const all = await t.db.auditEvent.findMany({
      where: { actorId: actor },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    expect(seen).toEqual(all.map((e) => e.id));

    // An event arriving between pages does not shift the pages after it.
    const first = await listAuditEvents(t.db, { actorId: actor, limit: 5 });
    await recordAuditEvent(t.db, { actorId: actor, action: "api_key.created" });
    const second = await listAuditEvents(t.db, { actorId: actor, cursor: first.nextCursor, limit: 5 });
    expect(second.items[0]!.id).toBe(all[5]!.id);
  });

  it("defaults to 20 per page, caps the limit, and rejects a garbled cursor", async () => {
    const actor = await createUser();
    const page = await listAuditEvents(t.db, { actorId: actor });
    expect(page).toEqual({ items: [], hasMore: false, nextCursor: null });
    await expect(listAuditEvents(t.db, { actorId: actor, limit: 101 })).rejects.toThrow();
    await expect(listAuditEvents(t.db, { actorId: actor, cursor: "not a cursor" })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });
});
