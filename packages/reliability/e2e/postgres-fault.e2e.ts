/**
 * Item 2 — Postgres stops. The app runs on an embedded Postgres (PGlite) server of this test's
 * own, which is stopped and started again on the same port and data folder. While it is down,
 * a request whose key is cached still verifies (rate-limit headers, scope and validation
 * answers), endpoints that need the database answer 503 service_unavailable with Retry-After
 * promptly, and the process stays up; once it is back, everything recovers without a restart.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@twx/db/embedded";
import { generateKey } from "@twx/keys";
import { createTokenService } from "@twx/tokens";
import { createDatabase } from "@twx/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "../../rest/e2e/global-setup";
import { createKey, launch, request, sleep, type App } from "./lib";

let server: EmbeddedPostgres;
let dataDir: string;
let app: App;

beforeAll(async () => {
  dataDir = path.join(await mkdtemp(path.join(tmpdir(), "twx-rel-pglite-")), "data");
  server = await startEmbeddedPostgres({ dataDir, port: 0 });
  await prepareDatabase(server.url);
  app = await launch("postgres-fault", { DATABASE_URL: server.url });
});
afterAll(async () => {
  await app?.stop();
  await server?.stop();
});

describe("Postgres stopped and restarted", () => {
  it("answers cached keys, 503 with Retry-After where the database is needed, and recovers without a restart", async () => {
    const { db, pool } = createDatabase({ url: server.url, maxConnections: 1 });
    const user = await db.user.create({ data: { email: "pg-fault@rel.test" }, select: { id: true } });
    const token = (await createTokenService({ db, key: new TextEncoder().encode(process.env.JWT_SECRET!) }).issue({ userId: user.id, via: "test" })).token;
    await db.$disconnect();
    await pool.end();
    const full = await createKey(app.baseUrl, token, "full_access");
    const readOnly = await createKey(app.baseUrl, token, "read_only");
    expect((await request(app.baseUrl, "GET", "/api/v1/twins", { key: full.key })).status).toBe(200);
    expect((await request(app.baseUrl, "GET", "/api/v1/twins", { key: readOnly.key })).status).toBe(200);

    const port = server.port;
    await server.stop();

    // Cached keys still verify: limited (headers), scoped (403) and validated (400) without the database.
    const down = await request(app.baseUrl, "GET", "/api/v1/twins", { key: full.key });
    expect(down.status, down.text).toBe(503);
    expect(down.body.error.code).toBe("service_unavailable");
    expect(down.headers.get("retry-after")).toBe("5");
    expect(down.headers.get("x-ratelimit-limit")).toBe("500");
    expect(down.ms).toBeLessThan(10_000);
    const scope = await request(app.baseUrl, "POST", "/api/v1/conversations", { key: readOnly.key, json: { twinId: "x" } });
    expect(scope.status).toBe(403);
    expect(scope.body.error.code).toBe("insufficient_scope");
    const invalid = await request(app.baseUrl, "GET", "/api/v1/conversations?limit=-1", { key: full.key });
    expect(invalid.status).toBe(400);
    // A key that is not cached needs the database: 503, not 401 and not a hang.
    const unknown = await request(app.baseUrl, "GET", "/api/v1/twins", { key: generateKey() });
    expect(unknown.status).toBe(503);
    const keys = await request(app.baseUrl, "GET", "/api/v1/auth/api-keys", { token });
    expect(keys.status).toBe(503);
    expect(keys.headers.get("retry-after")).toBe("5");
    const health = await request(app.baseUrl, "GET", "/api/health");
    expect(health.status).toBe(503);
    for (const reply of [down, unknown, keys]) expect(reply.text).not.toMatch(/prisma|ECONNREFUSED|127\.0\.0\.1|\.ts:\d+/i);

    server = await startEmbeddedPostgres({ dataDir, port });
    let recovered = false;
    const deadline = Date.now() + 20_000;
    while (!recovered && Date.now() < deadline) {
      const r = await request(app.baseUrl, "GET", "/api/v1/twins", { key: full.key });
      const k = await request(app.baseUrl, "GET", "/api/v1/auth/api-keys", { token });
      recovered = r.status === 200 && k.status === 200;
      if (!recovered) await sleep(250);
    }
    expect(recovered, "recovered without a restart").toBe(true);
    expect(app.log()).not.toMatch(/uncaught|unhandled/i);
  });
});
