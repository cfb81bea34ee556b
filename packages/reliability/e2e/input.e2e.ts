/**
 * Items 4 and 5 over HTTP against `next start`.
 * 5. Isolation: for every REST endpoint and tRPC procedure that takes an id, account A tries
 *    account B's ids and gets "not found"; B's rows are byte-for-byte the same afterwards.
 * 4. Fuzz (fast-check): random and hostile headers, paths, query strings and bodies on every REST
 *    endpoint and every tRPC procedure (listed from the router itself, so new procedures are
 *    fuzzed too). Never a 5xx, never a hang, always the error envelope; nothing is written by a
 *    rejected request.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, createKey, createUser, launch, request, sessionCookie, sql, tokenFor, type App } from "./lib";

let app: App;
beforeAll(async () => {
  app = await launch("input", { TRUST_PROXY: "true" });
});
afterAll(async () => {
  await app?.stop();
  await closeAll();
});

interface Account {
  id: string;
  token: string;
  cookie: string;
  key: { id: string; key: string };
}
async function account(label: string): Promise<Account> {
  const user = await createUser(label);
  const token = await tokenFor(user.id);
  return { id: user.id, token, cookie: await sessionCookie(user.id), key: await createKey(app.baseUrl, token, "full_access") };
}

/** Everything an account owns, for before/after comparison. */
async function snapshot(userId: string): Promise<string> {
  const parts = await Promise.all([
    sql(`SELECT id, name, scope, hash, "revokedAt", "expiresAt" FROM api_keys WHERE "userId" = $1 ORDER BY id`, [userId]),
    sql(`SELECT * FROM conversations WHERE "userId" = $1 ORDER BY id`, [userId]),
    sql(`SELECT m.* FROM messages m JOIN conversations c ON c.id = m."conversationId" WHERE c."userId" = $1 ORDER BY m.id`, [userId]),
    sql(`SELECT * FROM twins WHERE "ownerId" = $1 ORDER BY id`, [userId]),
    sql(`SELECT id, action, "targetId" FROM audit_events WHERE "actorId" = $1 ORDER BY id`, [userId]),
    sql(`SELECT email, name FROM users WHERE id = $1`, [userId]),
  ]);
  return JSON.stringify(parts);
}

const trpcGet = (path: string, input: unknown, headers: Record<string, string>) =>
  request(app.baseUrl, "GET", `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers });
const trpcPost = (path: string, input: unknown, headers: Record<string, string>) =>
  request(app.baseUrl, "POST", `/api/trpc/${path}`, { json: { json: input }, headers });

describe("5. isolation", () => {
  it("answers not found to another account's ids on every REST endpoint and tRPC procedure, and changes nothing of it", async () => {
    const [a, b] = await Promise.all([account("iso-a"), account("iso-b")]);
    const twinId = (await request(app.baseUrl, "GET", "/api/v1/twins", { key: b.key.key })).body.data[0].id;
    const conversation = await request(app.baseUrl, "POST", "/api/v1/conversations", { key: b.key.key, json: { twinId } });
    expect(conversation.status).toBe(201);
    const conversationId = conversation.body.data.id as string;
    expect((await request(app.baseUrl, "POST", `/api/v1/conversations/${conversationId}/messages`, { key: b.key.key, json: { content: "Hello" } })).status).toBe(201);
    const privateTwin = randomUUID();
    await sql(`INSERT INTO twins (id, slug, name, expertise, description, "ownerId") VALUES ($1, $2, 'Private', 'x', 'x', $3)`, [privateTwin, `rel-${privateTwin}`, b.id]);
    const before = await snapshot(b.id);

    const xff = { "X-Forwarded-For": "192.0.2.10" };
    const rest: Array<[string, string, unknown?]> = [
      ["GET", `/api/v1/conversations/${conversationId}`],
      ["GET", `/api/v1/conversations/${conversationId}/messages`],
      ["POST", `/api/v1/conversations/${conversationId}/messages`, { content: "injected" }],
      ["GET", `/api/v1/twins/${privateTwin}`],
      ["POST", "/api/v1/conversations", { twinId: privateTwin }],
    ];
    for (const [method, path, json] of rest) {
      const r = await request(app.baseUrl, method, path, { key: a.key.key, headers: xff, ...(json ? { json } : {}) });
      expect([method, path, r.status, r.body.error?.code]).toEqual([method, path, 404, "not_found"]);
    }
    for (const [method, json] of [["PATCH", { name: "taken over" }], ["DELETE", undefined]] as const) {
      const r = await request(app.baseUrl, method, `/api/v1/auth/api-keys/${b.key.id}`, { token: a.token, headers: xff, ...(json ? { json } : {}) });
      expect([method, r.status, r.body.error?.code]).toEqual([method, 404, "not_found"]);
    }
    const session = { cookie: a.cookie };
    const procedures: Array<[string, "query" | "mutation", unknown]> = [
      ["keys.rename", "mutation", { id: b.key.id, name: "taken over" }],
      ["keys.revoke", "mutation", { id: b.key.id }],
      ["keys.roll", "mutation", { id: b.key.id, gracePeriodSeconds: 0 }],
      ["twins.get", "query", { id: privateTwin }],
    ];
    for (const [path, type, input] of procedures) {
      const r = type === "query" ? await trpcGet(path, input, session) : await trpcPost(path, input, session);
      expect([path, r.status, r.body?.error?.json?.data?.code]).toEqual([path, 404, "NOT_FOUND"]);
    }
    // Listings of A hold nothing of B.
    const listings = [
      await request(app.baseUrl, "GET", "/api/v1/conversations", { key: a.key.key, headers: xff }),
      await request(app.baseUrl, "GET", "/api/v1/auth/api-keys", { token: a.token, headers: xff }),
      await trpcGet("keys.list", {}, session),
      await trpcGet("audit.list", {}, session),
      await trpcGet("twins.list", {}, session),
    ];
    for (const listing of listings) {
      for (const id of [conversationId, b.key.id, privateTwin]) expect(listing.text.includes(id)).toBe(false);
    }
    expect(await snapshot(b.id)).toBe(before);
  });
});

describe("4. fuzz", () => {
  const hostileText = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.constantFrom(
      "' OR 1=1; --",
      "'; DROP TABLE api_keys; --",
      "\u0000\u0001\u001b[31m",
      "__proto__",
      "constructor",
      "../../etc/passwd",
      "%00",
      "x".repeat(5_000),
      "😀\ud800",
      "read_only",
      "full_access",
      "twx_" + "A".repeat(38),
      "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
    ),
  );
  const jsonValue = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      hostileText,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(hostileText, tie("value"), { maxKeys: 4 }),
    ),
  })).value;
  /** Raw body text: JSON with hostile keys, deep or huge JSON, broken JSON, invalid UTF-8. */
  const body = fc.oneof(
    jsonValue.map((value) => JSON.stringify(value) ?? "null"),
    fc.tuple(jsonValue, hostileText).map(([value, key]) => `{"__proto__":{"admin":true},${JSON.stringify(key)}:${JSON.stringify(value) ?? 0},"constructor":{"prototype":{}}}`),
    fc.integer({ min: 100, max: 5_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)),
    fc.integer({ min: 100, max: 5_000 }).map((depth) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth)),
    fc.constant(JSON.stringify({ name: "n".repeat(70_000) })),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(bytes), Buffer.from('"}')])),
    fc.string({ maxLength: 30 }).map((text) => `{${text}`),
  );
  const headerValue = fc.oneof(
    fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
    fc.constantFrom("Bearer", "Bearer ", "Basic x", "bearer twx_zzz", "application/json; charset=latin1", "text/plain", "x".repeat(8_000)),
  );
  const headers = fc.record(
    {
      authorization: headerValue,
      "x-api-key": headerValue,
      "content-type": fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""),
      "x-forwarded-for": fc.constantFrom("1.2.3.4", "not an address", "::1, 10.0.0.1", "x".repeat(300)),
    },
    { requiredKeys: [] },
  );
  const segment = fc.oneof(hostileText.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "\ufffd")).slice(0, 300)), fc.constant("%ED%A0%80"), fc.uuid(), fc.constantFrom("..", "%2e%2e", "%00", "%ff%fe", "twins", "a%2Fb"));
  const query = fc.array(fc.tuple(hostileText, hostileText), { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs.map(([k, v]) => [k.slice(0, 200), v.slice(0, 500)])).toString());

  function expectEnvelope(reply: { status: number; body: any; text: string }, where: string) {
    expect(reply.status, `${where}: ${reply.text.slice(0, 300)}`).toBeLessThan(500);
    // 308: Next.js' own redirect of a trailing slash, before any route runs.
    if (reply.status >= 400) {
      expect(reply.body?.success, `${where}: ${reply.text.slice(0, 300)}`).toBe(false);
      expect(typeof reply.body?.error?.code).toBe("string");
      expect(typeof reply.body?.error?.message).toBe("string");
    }
  }

  it("REST: hostile headers, paths, queries and bodies on every endpoint → never 5xx, never a hang, always the envelope, nothing written", async () => {
    const me = await account("fuzz-rest");
    const before = await snapshot(me.id);
    const routes = ["/twins", "/twins/{id}", "/conversations", "/conversations/{id}", "/conversations/{id}/messages", "/auth/api-keys", "/auth/api-keys/{id}", "/openapi.json", "/{id}"];
    const credential = fc.constantFrom<Record<string, string>>({}, { "x-api-key": me.key.key }, { authorization: `Bearer ${me.token}` });
    let writesAccepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT"),
        segment,
        query,
        headers,
        credential,
        body,
        async (route, method, id, qs, hs, cred, raw) => {
          const path = `/api/v1${route.replace("{id}", id)}${qs ? `?${qs}` : ""}`;
          const withBody = method !== "GET";
          const reply = await request(app.baseUrl, method, path, {
            headers: { ...hs, ...cred, "x-forwarded-for": `192.0.2.${Math.floor(Math.random() * 250)}` },
            ...(withBody ? { body: raw } : {}),
            timeoutMs: 5_000,
          }).catch((error: Error) => ({ status: 599, body: undefined, text: `${error.name}: ${error.message}` }));
          expectEnvelope(reply, `${method} ${path.slice(0, 120)}`);
          if (reply.status < 300 && method !== "GET") writesAccepted++;
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 250) },
    );
    // Hostile input never got through (a write answered 2xx would have to explain a change).
    expect(writesAccepted).toBe(0);
    expect(await snapshot(me.id)).toBe(before);
  });

  it("tRPC: every procedure with hostile input, headers and bodies → never 5xx, never a hang, always the error shape, nothing written", async () => {
    const { appRouter } = await import("@twx/api");
    const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def.procedures).map(([path, p]) => [path, p._def.type] as const);
    expect(procedures.length).toBeGreaterThan(8);
    const me = await account("fuzz-trpc");
    const users = Number((await sql<{ n: string }>(`SELECT count(*)::text AS n FROM users`))[0]!.n);
    const before = await snapshot(me.id);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...procedures), fc.oneof(jsonValue, fc.dictionary(hostileText, jsonValue, { maxKeys: 4 })), body, fc.boolean(), headers, async ([path, type], input, raw, useRaw, hs) => {
        const h = { ...hs, cookie: me.cookie };
        delete (h as Record<string, string>).authorization;
        const reply = await (type === "query"
          ? request(app.baseUrl, "GET", `/api/trpc/${path}?input=${useRaw ? encodeURIComponent(String(raw).slice(0, 4000)) : encodeURIComponent(JSON.stringify({ json: input }))}`, { headers: h, timeoutMs: 5_000 })
          : request(app.baseUrl, "POST", `/api/trpc/${path}`, { headers: { ...h, "content-type": "application/json" }, body: useRaw ? raw : JSON.stringify({ json: input }), timeoutMs: 5_000 })
        ).catch((error: Error) => ({ status: 599, body: undefined, text: `${error.name}: ${error.message}` }));
        expect(reply.status, `${path}: ${reply.text.slice(0, 300)}`).toBeLessThan(500);
        // 414/431: Node's HTTP parser refuses an oversized URL before any route runs (empty body).
        if (reply.status >= 400 && reply.status !== 414 && reply.status !== 431) {
          expect(typeof reply.body?.error?.json?.message, `${path}: ${reply.text.slice(0, 300)}`).toBe("string");
          expect(typeof reply.body?.error?.json?.data?.code).toBe("string");
        } else if (type === "mutation") accepted++;
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 250) },
    );
    expect(accepted).toBe(0);
    expect(await snapshot(me.id)).toBe(before);
    expect(Number((await sql<{ n: string }>(`SELECT count(*)::text AS n FROM users`))[0]!.n)).toBe(users);
  });
});
