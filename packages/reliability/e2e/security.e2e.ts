/**
 * Items 6, 7 and 8 over HTTP against `next start`:
 * 6. tokens: `alg: none`, a wrong key, expired, not yet valid, a deleted `sub` → 401; an API key
 *    is never taken as a JWT, nor a JWT as an API key;
 * 7. secrets: one real key sent through every path, errors included; all responses and the
 *    server log are scanned, and the key appears only in its creation response; the log is
 *    pino JSON with the key's `start` and the request id;
 * 8. abuse: failed key attempts limited per client address (X-Forwarded-For behind a trusted
 *    proxy, the socket address otherwise, whatever the client claims); sign-in attempts limited
 *    per account and per address.
 */
import { randomBytes } from "node:crypto";
import { generateKey } from "@twx/keys";
import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, createKey, createUser, launch, request, sessionCookie, sql, tokenFor, transcript, type App } from "./lib";

let app: App; // TRUST_PROXY=true
let direct: App; // TRUST_PROXY unset: the socket address counts

beforeAll(async () => {
  [app, direct] = await Promise.all([launch("security", { TRUST_PROXY: "true" }), launch("security-direct")]);
});
afterAll(async () => {
  await Promise.all([app?.stop(), direct?.stop()]);
  await closeAll();
});

/** A distinct client address per test, so the per-address failure budget is the test's own. */
const address = () => `198.51.100.${1 + Math.floor(Math.random() * 250)}`;

describe("6. tokens", () => {
  const secret = () => new TextEncoder().encode(process.env.JWT_SECRET!);
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (sub: string) => new SignJWT({}).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).setSubject(sub).setIssuer("twinexpert").setAudience("twinexpert-api").setJti(randomBytes(8).toString("hex"));

  it("answers 401 invalid_token to alg none, a wrong key, expired, not yet valid and a deleted user", async () => {
    const user = await createUser("tokens");
    const gone = await createUser("tokens-gone");
    const goneToken = await tokenFor(gone.id);
    await sql(`DELETE FROM users WHERE id = $1`, [gone.id]);
    const xff = { "X-Forwarded-For": address() };
    const bad = {
      none: new UnsecuredJWT({}).setSubject(user.id).setIssuer("twinexpert").setAudience("twinexpert-api").setIssuedAt().setExpirationTime("1h").encode(),
      wrongKey: await claims(user.id).setIssuedAt().setExpirationTime("1h").sign(randomBytes(32)),
      expired: await claims(user.id).setIssuedAt(now() - 7200).setNotBefore(now() - 7200).setExpirationTime(now() - 3600).sign(secret()),
      notYetValid: await claims(user.id).setIssuedAt(now()).setNotBefore(now() + 3600).setExpirationTime(now() + 7200).sign(secret()),
      deletedUser: goneToken,
    };
    for (const [name, token] of Object.entries(bad)) {
      const r = await request(app.baseUrl, "GET", "/api/v1/auth/api-keys", { token, headers: xff });
      expect([name, r.status, r.body?.error?.code]).toEqual([name, 401, "invalid_token"]);
      expect(r.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
    // The same claims, signed right, are accepted: the refusals above are about the faults.
    const good = await claims(user.id).setIssuedAt().setNotBefore(now()).setExpirationTime("1h").sign(secret());
    expect((await request(app.baseUrl, "GET", "/api/v1/auth/api-keys", { token: good, headers: xff })).status).toBe(200);
  });

  it("never takes an API key as a JWT, nor a JWT as an API key", async () => {
    const user = await createUser("cross");
    const token = await tokenFor(user.id);
    const key = (await createKey(app.baseUrl, token, "full_access")).key;
    const xff = { "X-Forwarded-For": address() };
    for (const headers of [{ Authorization: `Bearer ${key}` }, { "X-API-Key": key }] as Array<Record<string, string>>) {
      const r = await request(app.baseUrl, "GET", "/api/v1/auth/api-keys", { headers: { ...headers, ...xff } });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe("api_key_not_allowed");
    }
    for (const headers of [{ Authorization: `Bearer ${token}` }, { "X-API-Key": token }] as Array<Record<string, string>>) {
      const r = await request(app.baseUrl, "GET", "/api/v1/twins", { headers: { ...headers, ...xff } });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe("invalid_api_key");
    }
  });
});

describe("7. secrets", () => {
  it("shows a key only in its creation response: every other response and the whole log are free of it", async () => {
    const user = await createUser("secrets");
    const token = await tokenFor(user.id);
    const cookie = await sessionCookie(user.id);
    const from = transcript.length;
    const created = await createKey(app.baseUrl, token, "read_only", "secret scan");
    const key = created.key;
    const xff = { "X-Forwarded-For": address() };
    const twinId = (await request(app.baseUrl, "GET", "/api/v1/twins", { key, headers: xff })).body.data[0].id as string;
    const paths: Array<[string, string, Parameters<typeof request>[3]]> = [
      ["GET", "/api/v1/twins", { headers: { Authorization: `Bearer ${key}`, ...xff } }],
      ["GET", "/api/v1/twins", { headers: { Authorization: `bearer   ${key}  `, ...xff } }],
      ["GET", `/api/v1/twins/${twinId}`, { key, headers: xff }],
      ["GET", `/api/v1/twins/${key}`, { key, headers: xff }],
      ["GET", `/api/v1/conversations?cursor=${key}&limit=${key}`, { key, headers: xff }],
      ["POST", "/api/v1/conversations", { key, json: { twinId: key, [key]: key }, headers: xff }],
      ["POST", "/api/v1/conversations", { key, body: `{"twinId":"${key}"`, headers: { "Content-Type": "application/json", ...xff } }],
      ["GET", `/api/v1/conversations/${key}/messages`, { key, headers: xff }],
      ["POST", `/api/v1/conversations/${key}/messages`, { key, json: { content: key }, headers: xff }],
      ["DELETE", "/api/v1/twins", { key, headers: xff }],
      ["GET", `/api/v1/${key}`, { key, headers: xff }],
      ["GET", "/api/v1/twins", { headers: { "X-API-Key": key, Authorization: `Bearer ${generateKey()}`, ...xff } }],
      ["GET", "/api/v1/twins", { headers: { Authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}`, ...xff } }],
      ["GET", "/api/v1/auth/api-keys", { key, headers: xff }],
      ["POST", "/api/v1/auth/api-keys", { headers: { Authorization: `Bearer ${key}`, ...xff }, json: { name: "x", scope: "read_only" } }],
      ["GET", "/api/v1/auth/api-keys", { token, headers: xff }],
      ["PATCH", `/api/v1/auth/api-keys/${created.id}`, { token, json: { name: "renamed", [key]: 1 }, headers: xff }],
      ["GET", `/api/trpc/keys.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, { headers: { cookie, "X-API-Key": key } }],
      ["GET", `/api/trpc/twins.get?input=${encodeURIComponent(JSON.stringify({ json: { id: key } }))}`, { headers: { cookie } }],
      ["GET", `/api/trpc/keys.list`, { headers: { Authorization: `Bearer ${key}` } }],
      ["GET", `/api/health`, { headers: { "X-API-Key": key } }],
      ["DELETE", `/api/v1/auth/api-keys/${created.id}`, { token, headers: xff }],
      ["GET", "/api/v1/twins", { key, headers: xff }], // revoked now
    ];
    const statuses: number[] = [];
    for (const [method, path, options] of paths) statuses.push((await request(app.baseUrl, method, path, options)).status);
    expect(statuses.at(-1)).toBe(401);
    expect(statuses.every((status) => status < 500), JSON.stringify(statuses)).toBe(true);

    const responses = transcript.slice(from);
    const holding = responses.filter((text) => text.includes(key));
    expect(holding.length, "responses holding the key").toBe(1);
    expect(holding[0]).toContain('"key"');
    const log = app.log();
    expect(log.includes(key), "the key reached the server log").toBe(false);
    expect(log.includes(key.slice(4)), "the key's secret part reached the server log").toBe(false);
    expect(log.includes(token), "the access token reached the server log").toBe(false);

    // Structured: JSON lines naming the key by `start`, with the request id.
    const lines = log.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
    const mine = lines.filter((line) => line.keyStart === created.start);
    expect(mine.length).toBeGreaterThan(5);
    for (const line of mine) expect(line.requestId).toMatch(/^req_[0-9a-f]{32}$/);
  });
});

describe("8. abuse", () => {
  it("limits failed key attempts per client address (trusted proxy): 30 × 401, then 429; other addresses unaffected", async () => {
    const attacker = { "X-Forwarded-For": `${address()}, 10.0.0.1` };
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await request(app.baseUrl, "GET", "/api/v1/twins", { key: generateKey(), headers: attacker })).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.slice(30)).toEqual([429, 429]);
    const refused = await request(app.baseUrl, "GET", "/api/v1/twins", { key: generateKey(), headers: attacker });
    expect(refused.body.error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another client address, same proxy: its own budget.
    expect((await request(app.baseUrl, "GET", "/api/v1/twins", { key: generateKey(), headers: { "X-Forwarded-For": "192.0.2.77, 10.0.0.1" } })).status).toBe(401);
  });

  it("without a trusted proxy counts the socket address, whatever X-Forwarded-For claims", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const spoofed = { "X-Forwarded-For": `203.0.113.${i}`, "X-Twx-Peer-Address": `192.0.2.${i}` };
      statuses.push((await request(direct.baseUrl, "GET", "/api/v1/twins", { key: generateKey(), headers: spoofed })).status);
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses[30]).toBe(429);
  });

  /** One Auth.js credentials sign-in through its CSRF and callback endpoints. */
  async function signIn(email: string, password: string, ip: string): Promise<string> {
    const csrf = await fetch(`${app.baseUrl}/api/auth/csrf`, { headers: { "X-Forwarded-For": ip } });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const response = await fetch(`${app.baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", cookie: cookies, "X-Forwarded-For": ip },
      body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/dashboard" }),
    });
    expect(response.status).toBeLessThan(500);
    return `${response.status} ${response.headers.get("location") ?? ""}`;
  }

  it("limits sign-in attempts per account (20 / 15 min, from any address) and per address (across accounts)", async () => {
    const account = `victim-${randomBytes(3).toString("hex")}@rel.test`;
    const perAccount: string[] = [];
    for (let i = 0; i < 21; i++) perAccount.push(await signIn(account, "wrong password", `100.64.${i}.1`));
    expect(perAccount.slice(0, 20).every((r) => !r.startsWith("429")), perAccount[0]).toBe(true);
    expect(perAccount[20]).toMatch(/^429 /);

    const ip = address();
    const perAddress: string[] = [];
    for (let i = 0; i < 21; i++) perAddress.push(await signIn(`spray-${i}-${randomBytes(2).toString("hex")}@rel.test`, "wrong password", ip));
    expect(perAddress.slice(0, 20).every((r) => !r.startsWith("429"))).toBe(true);
    expect(perAddress[20]).toMatch(/^429 /);
  });
});
