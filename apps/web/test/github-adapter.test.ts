/**
 * GitHub sign-in stores users and linked accounts through @auth/prisma-adapter. This checks
 * that the adapter works with our generated Prisma 7 client and schema, the way Auth.js calls
 * it for a first GitHub sign-in and for the next one.
 */
import { PrismaAdapter } from "@auth/prisma-adapter";
import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import type { AdapterAccount } from "next-auth/adapters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe("PrismaAdapter over the generated client", () => {
  it("creates a GitHub user, links the account and finds the user by it", async () => {
    const adapter = PrismaAdapter(t.db as never);
    const user = await adapter.createUser!({
      id: "ignored-auth-js-id",
      name: "Mai Tran",
      email: "mai@example.com",
      image: "https://avatars.githubusercontent.com/u/1",
      emailVerified: null,
    });
    // Our schema generates the id (UUID v7); the one Auth.js proposes is not used.
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);

    const account: AdapterAccount = {
      userId: user.id,
      type: "oauth",
      provider: "github",
      providerAccountId: "1234567",
      access_token: "gho_example",
      token_type: "bearer",
      scope: "read:user,user:email",
    };
    await adapter.linkAccount!(account);

    const found = await adapter.getUserByAccount!({ provider: "github", providerAccountId: "1234567" });
    expect(found).toMatchObject({ id: user.id, email: "mai@example.com" });
    expect(await adapter.getUserByEmail!("mai@example.com")).toMatchObject({ id: user.id });

    // A GitHub-only user has no password: email/password sign-in can never match it.
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id }, include: { accounts: true } });
    expect(row.passwordHash).toBeNull();
    expect(row.accounts).toHaveLength(1);
  });
});
