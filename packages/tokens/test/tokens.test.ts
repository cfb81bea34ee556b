import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTokenService,
  deriveKey,
  MAX_TTL_SECONDS,
  parseTtl,
  resolveJwtSecret,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TOKEN_TYPE,
  TokenTtlError,
  UnknownUserError,
  type TokenService,
} from "../src";

let t: TestDatabase;
let tokens: TokenService;
let userId: string;
const key = new TextEncoder().encode("k".repeat(40));

beforeAll(async () => {
  t = await createTestDatabase();
  tokens = createTokenService({ db: t.db, key });
  userId = (await t.db.user.create({ data: { email: "token-user@example.com" } })).id;
});
afterAll(async () => {
  await t?.drop();
});

function sign(claims: Record<string, unknown>, opts: { key?: Uint8Array; typ?: string; alg?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: userId, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: now, exp: now + 600, jti: "j1", ...claims })
    .setProtectedHeader({ alg: opts.alg ?? "HS256", typ: opts.typ ?? TOKEN_TYPE })
    .sign(opts.key ?? key);
}

describe("issue", () => {
  it("signs a one-hour HS256 token for the user and records token.issued without the token", async () => {
    const before = Date.now();
    const issued = await tokens.issue({ userId, via: "test" });
    const [header, payload] = issued.token.split(".").slice(0, 2).map((p) => JSON.parse(Buffer.from(p!, "base64url").toString()));
    expect(header).toEqual({ alg: "HS256", typ: TOKEN_TYPE });
    expect(payload).toMatchObject({ sub: userId, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, jti: issued.jti });
    expect(payload.exp - payload.iat).toBe(3600);
    expect(issued.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 3600_000 - 1000);

    const events = await t.db.auditEvent.findMany({ where: { action: "token.issued", targetId: userId } });
    expect(events).toHaveLength(1);
    expect(events[0]!.actorId).toBe(userId);
    expect(events[0]!.metadata).toMatchObject({ jti: issued.jti, via: "test", ttlSeconds: 3600 });
    expect(JSON.stringify(events[0])).not.toContain(issued.token.split(".")[2]);
  });

  it("accepts up to 24 hours and refuses longer or shorter lifetimes", async () => {
    const issued = await tokens.issue({ userId, via: "cli", actorId: null, ttlSeconds: MAX_TTL_SECONDS });
    expect(issued.expiresAt.getTime() - issued.issuedAt.getTime()).toBe(MAX_TTL_SECONDS * 1000);
    await expect(tokens.issue({ userId, via: "cli", ttlSeconds: MAX_TTL_SECONDS + 1 })).rejects.toBeInstanceOf(TokenTtlError);
    await expect(tokens.issue({ userId, via: "cli", ttlSeconds: 10 })).rejects.toBeInstanceOf(TokenTtlError);
  });

  it("refuses an unknown user", async () => {
    await expect(tokens.issue({ userId: "nope", via: "test" })).rejects.toBeInstanceOf(UnknownUserError);
  });
});

describe("verify", () => {
  it("accepts its own token", async () => {
    const issued = await tokens.issue({ userId, via: "test" });
    await expect(tokens.verify(issued.token)).resolves.toMatchObject({ ok: true, userId, jti: issued.jti });
  });

  it("refuses alg none", async () => {
    const unsecured = new UnsecuredJWT({ sub: userId, jti: "x" })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("10m")
      .encode();
    // An unsecured JWT ends with an empty signature; give it one so the shape check is not what refuses it.
    const result = await tokens.verify(`${unsecured}AAAA`);
    expect(result).toMatchObject({ ok: false, reason: "invalid_token" });
    expect(await tokens.verify(unsecured)).toMatchObject({ ok: false, reason: "invalid_token", detail: "malformed" });
  });

  it("refuses a token signed with another key, or tampered with", async () => {
    const other = await sign({}, { key: new TextEncoder().encode("z".repeat(40)) });
    expect(await tokens.verify(other)).toMatchObject({ ok: false, detail: "signature" });
    const good = (await tokens.issue({ userId, via: "test" })).token;
    const [h, p, s] = good.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), sub: "someone-else" })).toString("base64url");
    expect(await tokens.verify(`${h}.${forged}.${s}`)).toMatchObject({ ok: false, detail: "signature" });
  });

  it("refuses expired and not-yet-valid tokens", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await tokens.verify(await sign({ iat: now - 7200, exp: now - 3600 }))).toMatchObject({ ok: false, detail: "expired" });
    expect(await tokens.verify(await sign({ nbf: now + 600 }))).toMatchObject({ ok: false, detail: "not_yet_valid" });
    expect(await tokens.verify(await sign({ iat: now + 600, exp: now + 1200 }))).toMatchObject({ ok: false, detail: "not_yet_valid" });
  });

  it("refuses wrong audience, issuer, type, missing claims and over-long lifetimes", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const token of [
      await sign({ aud: "someone-else" }),
      await sign({ iss: "someone-else" }),
      await sign({}, { typ: "JWT" }),
      await sign({ jti: undefined }),
      await sign({ exp: now + MAX_TTL_SECONDS + 60 }),
    ]) {
      expect(await tokens.verify(token)).toMatchObject({ ok: false, reason: "invalid_token" });
    }
  });

  it("refuses a token whose user no longer exists", async () => {
    const gone = await t.db.user.create({ data: { email: "gone@example.com" } });
    const issued = await tokens.issue({ userId: gone.id, via: "test" });
    await t.db.user.delete({ where: { id: gone.id } });
    expect(await tokens.verify(issued.token)).toMatchObject({ ok: false, detail: "unknown_user" });
  });

  it("never accepts an API key or junk as a token", async () => {
    for (const junk of ["", "twx_abcdefghijklmnopqrstuvwxyz0123456789ABCD", "a.b", "a.b.c.d", "x".repeat(5000)]) {
      expect(await tokens.verify(junk)).toMatchObject({ ok: false, reason: "invalid_token", detail: "malformed" });
    }
  });
});

describe("secrets and lifetimes", () => {
  it("uses JWT_SECRET, else a key derived from AUTH_SECRET, else the development default", () => {
    const jwt = resolveJwtSecret({ NODE_ENV: "production", JWT_SECRET: "j".repeat(32), AUTH_SECRET: "a".repeat(32) });
    expect(jwt.source).toBe("JWT_SECRET");
    const auth = resolveJwtSecret({ NODE_ENV: "production", JWT_SECRET: undefined, AUTH_SECRET: "a".repeat(32) });
    expect(auth.source).toBe("AUTH_SECRET");
    expect(Buffer.from(auth.key)).toEqual(Buffer.from(deriveKey("a".repeat(32))));
    expect(Buffer.from(auth.key).toString()).not.toContain("a".repeat(32));
    expect(resolveJwtSecret({ NODE_ENV: "development", JWT_SECRET: undefined, AUTH_SECRET: undefined }).source).toBe(
      "development-default",
    );
    expect(() => resolveJwtSecret({ NODE_ENV: "production", JWT_SECRET: undefined, AUTH_SECRET: undefined })).toThrow();
  });

  it("parses lifetimes", () => {
    expect(parseTtl("1h")).toBe(3600);
    expect(parseTtl("30m")).toBe(1800);
    expect(parseTtl("90")).toBe(90);
    expect(parseTtl("1d")).toBe(86_400);
    expect(() => parseTtl("soon")).toThrow(/Invalid lifetime/);
  });
});
