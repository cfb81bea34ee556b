import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountError, authenticateWithPassword, createUserWithPassword, recordSignIn } from "../src";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe("createUserWithPassword", () => {
  it("stores a normalised email and only a hash of the password", async () => {
    const user = await createUserWithPassword(t.db, {
      email: "  Ana.Nguyen@Example.COM ",
      password: "a long enough password",
      name: " Ana ",
    });
    expect(user).toMatchObject({ email: "ana.nguyen@example.com", name: "Ana" });
    expect(user).not.toHaveProperty("passwordHash");
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain("a long enough password");
  });

  it("names the fields that break a rule", async () => {
    const error = await createUserWithPassword(t.db, { email: "not-an-email", password: "short" }).catch((e) => e);
    expect(error).toBeInstanceOf(AccountError);
    expect(error.code).toBe("invalid_input");
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["email", "password"]);
    expect(error.fieldErrors.password[0]).toMatch(/at least 10 characters/);
  });

  it("refuses a taken email, in any case, without saying it is taken", async () => {
    await createUserWithPassword(t.db, { email: "taken@example.com", password: "first password!" });
    const error = await createUserWithPassword(t.db, { email: "TAKEN@example.com", password: "second password" }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AccountError);
    expect(error.code).toBe("sign_up_unavailable");
    expect(error.message).not.toMatch(/taken|exists|registered/i);
    expect(await t.db.user.count({ where: { email: "taken@example.com" } })).toBe(1);
  });
});

describe("authenticateWithPassword", () => {
  it("returns the user for the right password, in any email case", async () => {
    const created = await createUserWithPassword(t.db, { email: "sign.in@example.com", password: "correct password" });
    const user = await authenticateWithPassword(t.db, { email: "Sign.In@Example.com ", password: "correct password" });
    expect(user?.id).toBe(created.id);
    expect(user).not.toHaveProperty("passwordHash");
  });

  it("answers null alike for a wrong password, an unknown email and an OAuth-only account", async () => {
    await t.db.user.create({ data: { email: "oauth.only@example.com" } });
    await expect(authenticateWithPassword(t.db, { email: "sign.in@example.com", password: "wrong password" })).resolves.toBeNull();
    await expect(authenticateWithPassword(t.db, { email: "nobody@example.com", password: "correct password" })).resolves.toBeNull();
    await expect(authenticateWithPassword(t.db, { email: "oauth.only@example.com", password: "anything at all" })).resolves.toBeNull();
    await expect(authenticateWithPassword(t.db, { email: "", password: "" })).resolves.toBeNull();
  });
});

describe("recordSignIn", () => {
  it("writes a user.signed_in audit event for the user", async () => {
    const user = await createUserWithPassword(t.db, { email: "audited@example.com", password: "audited password" });
    await recordSignIn(t.db, { userId: user.id, method: "credentials", ip: "203.0.113.7", userAgent: "x".repeat(1000) });
    const events = await t.db.auditEvent.findMany({ where: { actorId: user.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "user.signed_in", targetType: "user", targetId: user.id });
    const metadata = events[0]!.metadata as Record<string, string>;
    expect(metadata).toMatchObject({ method: "credentials", ip: "203.0.113.7" });
    expect(metadata.userAgent).toHaveLength(256);
  });
});
