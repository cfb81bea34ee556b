import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller, createTRPCContext, type ApiSession } from "../src";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

function callerFor(session: ApiSession | null) {
  return createCaller(createTRPCContext({ headers: new Headers(), session, db: t.db }));
}

function sessionOf(userId: string): ApiSession {
  return { user: { id: userId }, expires: new Date(Date.now() + 3_600_000).toISOString() };
}

/** Runs the error formatter the way the HTTP handler does, to see what a browser receives. */
function shapeOf(error: TRPCError) {
  return appRouter._def._config.errorFormatter({
    error,
    type: "mutation",
    path: "account.signUp",
    input: undefined,
    ctx: undefined,
    shape: {
      message: error.message,
      code: -32600,
      data: { code: error.code, httpStatus: getHTTPStatusCodeFromError(error), path: "account.signUp" },
    },
  });
}

describe("account.signUp", () => {
  it("creates an account and returns only its id", async () => {
    const result = await callerFor(null).account.signUp({ email: "New.User@Example.com", password: "long enough!" });
    expect(Object.keys(result)).toEqual(["userId"]);
    const user = await t.db.user.findUniqueOrThrow({ where: { id: result.userId } });
    expect(user.email).toBe("new.user@example.com");
  });

  it("flattens invalid input into field errors", async () => {
    const error = await callerFor(null)
      .account.signUp({ email: "nope", password: "short" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    const shape = shapeOf(error as TRPCError);
    expect(shape.message).toBe("Check the highlighted fields.");
    expect(shape.data.httpStatus).toBe(400);
    expect(Object.keys(shape.data.fieldErrors ?? {}).sort()).toEqual(["email", "password"]);
  });

  it("refuses a taken email with a message that does not say it is taken", async () => {
    await callerFor(null).account.signUp({ email: "twice@example.com", password: "long enough!" });
    const error = (await callerFor(null)
      .account.signUp({ email: "twice@example.com", password: "another one!" })
      .catch((e: unknown) => e)) as TRPCError;
    expect(error.code).toBe("BAD_REQUEST");
    const shape = shapeOf(error);
    expect(shape.message).toMatch(/could not create an account/);
    expect(shape.message).not.toMatch(/taken|exists|registered/i);
    expect(shape.data.fieldErrors).toBeNull();
  });
});

describe("account.me", () => {
  it("is UNAUTHORIZED without a session", async () => {
    await expect(callerFor(null).account.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("returns the signed-in user's profile without the password hash", async () => {
    const { userId } = await callerFor(null).account.signUp({ email: "me@example.com", password: "long enough!", name: "Mai" });
    const me = await callerFor(sessionOf(userId)).account.me();
    expect(me).toMatchObject({ id: userId, email: "me@example.com", name: "Mai" });
    expect(me).not.toHaveProperty("passwordHash");
  });

  it("treats a session whose account is gone as signed out", async () => {
    await expect(callerFor(sessionOf("0190b5f0-0000-7000-8000-000000000000")).account.me()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});

describe("internal errors", () => {
  it("never send the internal message to the browser", () => {
    const shape = shapeOf(new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: 'relation "users" does not exist' }));
    expect(shape.message).not.toMatch(/relation/);
  });
});
