/**
 * Rate limits over real HTTP, counted by the app's real backend (Redis when REDIS_URL is set):
 * 200/hour for read_only keys and 500/hour for full_access keys, per key, with usage recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, closeDb, createKey, createUser, db, expectError, expectLogsFreeOf, tokenFor } from "./helpers";

const secrets: string[] = [];
let token: string;

beforeAll(async () => {
  const user = await createUser("limits");
  token = await tokenFor(user.id);
  secrets.push(token);
});
afterAll(async () => {
  await expectLogsFreeOf(secrets);
  await closeDb();
});

async function burst(key: string, count: number) {
  const results: Array<{ status: number; remaining: number; limit: number; reset: number; retryAfter: string | null; code?: string }> = [];
  for (let i = 0; i < count; i++) {
    const response = await call("GET", "/twins?limit=1", { key });
    results.push({
      status: response.status,
      remaining: Number(response.headers.get("x-ratelimit-remaining")),
      limit: Number(response.headers.get("x-ratelimit-limit")),
      reset: Number(response.headers.get("x-ratelimit-reset")),
      retryAfter: response.headers.get("retry-after"),
      ...(response.status !== 200 ? { code: response.body.error.code } : {}),
    });
  }
  return results;
}

describe("per-key sliding windows", () => {
  it("lets exactly 200 of 205 quick read_only requests through; the rest get 429 with Retry-After", async () => {
    const key = await createKey(token, "read_only");
    secrets.push(key.key);
    const started = Date.now();
    const results = await burst(key.key, 205);
    const elapsed = Date.now() - started;

    expect(results.filter((r) => r.status === 200)).toHaveLength(200);
    expect(results.slice(0, 200).every((r) => r.status === 200)).toBe(true);
    const refused = results.slice(200);
    expect(refused.map((r) => r.status)).toEqual([429, 429, 429, 429, 429]);
    for (const r of refused) {
      expect(r.code).toBe("rate_limited");
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(Number(r.retryAfter)).toBeLessThanOrEqual(3600);
      expect(r.remaining).toBe(0);
    }
    // X-RateLimit-Remaining counts down by one per request.
    expect(results.slice(0, 200).map((r) => r.remaining)).toEqual(Array.from({ length: 200 }, (_, i) => 199 - i));
    expect(new Set(results.map((r) => r.limit))).toEqual(new Set([200]));
    // Reset is a Unix time in seconds, within the hour.
    const nowSeconds = Date.now() / 1000;
    expect(results[0]!.reset).toBeGreaterThan(nowSeconds - elapsed / 1000);
    expect(results[0]!.reset).toBeLessThanOrEqual(nowSeconds + 3600);

    // Usage: 200 served and 5 refused, flushed in batches by the app (every few seconds).
    let usage: { requests: number; rateLimited: number } | null = null;
    for (let i = 0; i < 40; i++) {
      // Summed over hourly rows: a burst that crosses the hour is counted in two.
      const { _sum } = await db().apiKeyUsage.aggregate({ where: { apiKeyId: key.id }, _sum: { requests: true, rateLimited: true } });
      usage = { requests: _sum.requests ?? 0, rateLimited: _sum.rateLimited ?? 0 };
      if (usage.requests + usage.rateLimited >= 205) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(usage).toEqual({ requests: 200, rateLimited: 5 });
    const stored = await db().apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { lastUsedAt: true } });
    expect(stored.lastUsedAt).not.toBeNull();
  });

  it("lets 500 full_access requests through, then refuses", async () => {
    const key = await createKey(token, "full_access");
    secrets.push(key.key);
    const results = await burst(key.key, 502);
    expect(results.filter((r) => r.status === 200)).toHaveLength(500);
    expect(results[0]!.limit).toBe(500);
    expect(results[0]!.remaining).toBe(499);
    expect(results[499]!.remaining).toBe(0);
    expect(results.slice(500).every((r) => r.status === 429 && Number(r.retryAfter) > 0)).toBe(true);
  });

  it("stays exact under concurrency: 210 requests, 10 at a time, exactly 200 served", async () => {
    const key = await createKey(token, "read_only");
    secrets.push(key.key);
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < 210) {
          next++;
          statuses.push((await call("GET", "/twins?limit=1", { key: key.key })).status);
        }
      }),
    );
    expect(statuses).toHaveLength(210);
    expect(statuses.filter((s) => s === 200)).toHaveLength(200);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it("counts keys separately, and failed requests of a valid key too", async () => {
    const a = await createKey(token, "read_only");
    const b = await createKey(token, "read_only");
    secrets.push(a.key, b.key);
    // A 404 and a 400 still count.
    expectError(await call("GET", "/conversations/missing", { key: a.key }), 404, "not_found");
    expectError(await call("GET", "/twins?limit=0", { key: a.key }), 400, "validation_error");
    const third = await call("GET", "/twins", { key: a.key });
    expect(third.headers.get("x-ratelimit-remaining")).toBe("197");
    const other = await call("GET", "/twins", { key: b.key });
    expect(other.headers.get("x-ratelimit-remaining")).toBe("199");
  });
});
