/**
 * Credentials over real HTTP: header forms, ambiguity, every 401 code, scopes, and the
 * separation of API keys and user tokens.
 */
import { createKey as createKeyDirectly, generateKey } from "@twx/keys";
import { TOKEN_AUDIENCE, TOKEN_ISSUER, TOKEN_TYPE } from "@twx/tokens";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, closeDb, createKey, createUser, db, expectError, expectLogsFreeOf, tokenFor } from "./helpers";

let token: string;
let userId: string;
let readKey: { id: string; key: string; start: string };
let fullKey: { id: string; key: string; start: string };
const secrets: string[] = [];

beforeAll(async () => {
  const user = await createUser("auth");
  userId = user.id;
  token = await tokenFor(user.id);
  readKey = await createKey(token, "read_only");
  fullKey = await createKey(token, "full_access");
  secrets.push(token, readKey.key, fullKey.key);
});
afterAll(async () => {
  await expectLogsFreeOf(secrets);
  await closeDb();
});

describe("API key header forms", () => {
  it("accepts Authorization: Bearer in any case and with white space, and X-API-Key", async () => {
    for (const headers of <Array<Record<string, string>>>[
      { Authorization: `Bearer ${readKey.key}` },
      { Authorization: `bearer ${readKey.key}` },
      { Authorization: `BEARER    ${readKey.key}  ` },
      { "X-API-Key": readKey.key },
      { "x-api-key": `  ${readKey.key}` },
      { Authorization: `Bearer ${readKey.key}`, "X-API-Key": readKey.key },
    ]) {
      const response = await call("GET", "/twins", { headers });
      expect(response.status, JSON.stringify(headers)).toBe(200);
      expect(response.body.success).toBe(true);
      expect(response.headers.get("x-ratelimit-limit")).toBe("200");
    }
  });

  it("answers 400 ambiguous_credentials when the two headers differ", async () => {
    const response = await call("GET", "/twins", { headers: { Authorization: `Bearer ${readKey.key}`, "X-API-Key": fullKey.key } });
    expectError(response, 400, "ambiguous_credentials");
  });

  it("answers 401 missing_credentials with WWW-Authenticate: Bearer", async () => {
    const response = await call("GET", "/conversations");
    expectError(response, 401, "missing_credentials");
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
  });
});

describe("key failures", () => {
  it("answers 401 invalid_api_key for a malformed key, an unknown key and a JWT", async () => {
    const malformed = `${readKey.key.slice(0, -1)}${readKey.key.endsWith("A") ? "B" : "A"}`;
    for (const key of [malformed, "twx_123", generateKey(), token]) {
      const response = await call("GET", "/twins", { headers: { Authorization: `Bearer ${key}` } });
      expectError(response, 401, "invalid_api_key");
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
      expect(response.headers.get("x-ratelimit-limit")).toBeNull();
    }
  });

  it("answers 401 api_key_revoked once the key is revoked through the API", async () => {
    const key = await createKey(token, "read_only", "to revoke");
    secrets.push(key.key);
    expect((await call("GET", "/twins", { key: key.key })).status).toBe(200);
    const revoked = await call("DELETE", `/auth/api-keys/${key.id}`, { token });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toEqual({ id: key.id, revokedAt: expect.any(String) });
    expectError(await call("GET", "/twins", { key: key.key }), 401, "api_key_revoked");
    // Idempotent: the same revocation time again.
    const again = await call("DELETE", `/auth/api-keys/${key.id}`, { token });
    expect(again.body.data.revokedAt).toBe(revoked.body.data.revokedAt);
  });

  it("answers 401 api_key_expired for a key past its expiry", async () => {
    const user = await db().apiKey.findUniqueOrThrow({ where: { id: readKey.id }, select: { userId: true } });
    const created = await createKeyDirectly(db(), user.userId, { name: "short-lived", scope: "read_only", expiresAt: new Date(Date.now() + 60_000) });
    secrets.push(created.key);
    // Moved into the past before its first use, so no server cache has seen it valid.
    await db().apiKey.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expectError(await call("GET", "/twins", { key: created.key }), 401, "api_key_expired");
  });
});

describe("scopes", () => {
  it("answers 403 insufficient_scope naming full_access on both writes of a read_only key", async () => {
    const twins = await call("GET", "/twins?limit=1", { key: fullKey.key });
    const twinId = twins.body.data[0].id;
    const conversation = await call("POST", "/conversations", { key: fullKey.key, json: { twinId } });
    expect(conversation.status).toBe(201);

    for (const [path, json] of [
      ["/conversations", { twinId }],
      [`/conversations/${conversation.body.data.id}/messages`, { content: "hello" }],
    ] as const) {
      const response = await call("POST", path, { key: readKey.key, json });
      expectError(response, 403, "insufficient_scope");
      expect(response.body.error.requiredScope).toBe("full_access");
      expect(response.body.error.message).toContain("full_access");
      // The refused request still counted against the key's limit.
      expect(response.headers.get("x-ratelimit-remaining")).toMatch(/^\d+$/);
    }
  });
});

describe("key management credentials", () => {
  it("answers 403 api_key_not_allowed to an API key on /auth/api-keys, in either header", async () => {
    expectError(await call("GET", "/auth/api-keys", { headers: { Authorization: `Bearer ${fullKey.key}` } }), 403, "api_key_not_allowed");
    expectError(await call("POST", "/auth/api-keys", { key: fullKey.key, json: { name: "escalate", scope: "full_access" } }), 403, "api_key_not_allowed");
    expectError(await call("DELETE", `/auth/api-keys/${fullKey.id}`, { key: fullKey.key }), 403, "api_key_not_allowed");
  });

  it("answers 401 invalid_token to a tampered, expired or foreign token", async () => {
    const [h, p, s] = token.split(".");
    const tampered = `${h}.${p}.${s!.slice(0, -2)}${s!.endsWith("AA") ? "BB" : "AA"}`;
    const response = await call("GET", "/auth/api-keys", { token: tampered });
    expectError(response, 401, "invalid_token");
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer\b/);

    const key = new TextEncoder().encode(process.env.JWT_SECRET!);
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>, signingKey = key) =>
      new SignJWT({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: userId, jti: "e2e", iat: now - 7200, exp: now - 3600, ...claims })
        .setProtectedHeader({ alg: "HS256", typ: TOKEN_TYPE })
        .sign(signingKey);
    expectError(await call("GET", "/auth/api-keys", { token: await sign({}) }), 401, "invalid_token");
    const foreign = await sign({ iat: now, exp: now + 600 }, new TextEncoder().encode("another-server-secret-0123456789abcdef"));
    expectError(await call("GET", "/auth/api-keys", { token: foreign }), 401, "invalid_token");

    // A valid token of a user deleted since.
    const goneUser = await createUser("gone");
    const gone = await tokenFor(goneUser.id);
    await db().user.delete({ where: { id: goneUser.id } });
    expectError(await call("GET", "/auth/api-keys", { token: gone }), 401, "invalid_token");
  });

  it("lists, renames and never shows a secret", async () => {
    const list = await call("GET", "/auth/api-keys", { token });
    expect(list.status).toBe(200);
    expect(list.headers.get("x-ratelimit-limit")).toBe("60");
    const ids = list.body.data.map((k: { id: string }) => k.id);
    expect(ids).toEqual(expect.arrayContaining([readKey.id, fullKey.id]));
    expect(JSON.stringify(list.body)).not.toContain(readKey.key);
    expect(Object.keys(list.body.data[0]).sort()).toEqual(["createdAt", "expiresAt", "id", "lastUsedAt", "name", "revokedAt", "scope", "start"]);

    const renamed = await call("PATCH", `/auth/api-keys/${readKey.id}`, { token, json: { name: "  Renamed  " } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ id: readKey.id, name: "Renamed" });
  });

  it("validates key creation", async () => {
    const bad = await call("POST", "/auth/api-keys", { token, json: { name: "", scope: "admin" } });
    expectError(bad, 400, "validation_error");
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["name", "scope"]);
    const past = await call("POST", "/auth/api-keys", { token, json: { name: "x", scope: "read_only", expiresAt: "2001-01-01T00:00:00Z" } });
    expectError(past, 400, "validation_error");
    expect(past.body.error.details).toEqual([{ path: "expiresAt", message: "must be in the future" }]);
  });
});
