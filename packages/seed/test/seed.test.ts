import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAccount, demoTwins, seedDatabase } from "../src";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe("seedDatabase", () => {
  it("creates the demo twins and account once, and nothing twice", async () => {
    const first = await seedDatabase(t.db);
    expect(first).toEqual({ twinsCreated: demoTwins.length, twinsUpdated: 0, demoAccountCreated: true });

    const second = await seedDatabase(t.db);
    expect(second).toEqual({ twinsCreated: 0, twinsUpdated: demoTwins.length, demoAccountCreated: false });

    expect(await t.db.twin.count()).toBe(demoTwins.length);
    expect(await t.db.user.count({ where: { email: demoAccount.email } })).toBe(1);
  });

  it("seeds at least six shared twins in Vietnamese and English", async () => {
    const twins = await t.db.twin.findMany({ where: { ownerId: null } });
    expect(twins.length).toBeGreaterThanOrEqual(6);
    expect(new Set(twins.map((tw) => tw.language))).toEqual(new Set(["vi", "en"]));
    for (const twin of twins) {
      expect(twin.description.length).toBeGreaterThan(10);
      expect(twin.knowledge.length).toBeGreaterThan(50);
    }
  });

  it("stores the demo password only as a hash", async () => {
    const user = await t.db.user.findUniqueOrThrow({ where: { email: demoAccount.email } });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.passwordHash).not.toContain(demoAccount.password);
  });

  it("skips the demo account when asked (production)", async () => {
    await t.db.user.deleteMany();
    const result = await seedDatabase(t.db, { demoAccount: false });
    expect(result.demoAccountCreated).toBe(false);
    expect(await t.db.user.count()).toBe(0);
  });
});
