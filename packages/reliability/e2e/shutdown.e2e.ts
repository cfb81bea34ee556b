/**
 * Item 3 — graceful shutdown. 1,000 requests on five keys, the last ten still in flight when
 * SIGTERM arrives: every one of them is answered, the server stops, and the database holds
 * exactly 1,000 requests (the usage buffer is flushed every 5 s, so most of them were only in
 * memory at the signal).
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeAll, createKey, createUser, launch, pool_run, request, sleep, sql, tokenFor, usageOf } from "./lib";

afterAll(closeAll);

describe("SIGTERM", () => {
  it("finishes in-flight requests and flushes usage counters and lastUsed: 1,000 requests → 1,000 in the database", async () => {
    const app = await launch("shutdown");
    const user = await createUser("shutdown");
    const token = await tokenFor(user.id);
    const keys = await Promise.all(Array.from({ length: 5 }, (_, i) => createKey(app.baseUrl, token, "full_access", `shutdown ${i}`)));

    let ok = 0;
    await pool_run(990, 16, async (i) => {
      const r = await request(app.baseUrl, "GET", "/api/v1/twins", { key: keys[i % 5]!.key });
      if (r.status === 200) ok++;
    });
    expect(ok).toBe(990);

    // Ten more, and SIGTERM while they are in flight.
    const last = Array.from({ length: 10 }, (_, i) => request(app.baseUrl, "GET", "/api/v1/twins", { key: keys[i % 5]!.key }));
    await sleep(15);
    const stopped = app.stop();
    const answers = await Promise.all(last);
    await stopped;
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));

    // The server is gone: new connections are refused.
    await expect(fetch(`${app.baseUrl}/api/v1/openapi.json`)).rejects.toThrow();
    expect(app.log()).toContain("REST API v1 stopped: usage flushed");

    const usage = await usageOf(keys.map((k) => k.id));
    expect(usage).toEqual({ requests: 1_000, rateLimited: 0 });
    const rows = await sql<{ lastUsedAt: Date | null }>(`SELECT "lastUsedAt" FROM api_keys WHERE id = ANY($1)`, [keys.map((k) => k.id)]);
    expect(rows.every((row) => row.lastUsedAt !== null)).toBe(true);
  });
});
