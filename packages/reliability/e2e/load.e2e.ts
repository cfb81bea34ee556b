/**
 * Item 9 — load and soak against `next start`: two app instances sharing one Redis (a server of
 * this test's own). SOAK_SECONDS (default 60) at concurrency 64 across 100 keys, alternating
 * instances: zero 5xx; after both stop (SIGTERM flushes usage), the usage rows equal the requests
 * served and refused; resident memory flat. Then: a limit exact across both instances, and a
 * revocation refused on both within 1 s.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, createKey, createUser, launch, OwnRedis, pool_run, request, rssMiB, sleep, tokenFor, usageOf, type App } from "./lib";

let redis: OwnRedis;
let one: App;
let two: App;

beforeAll(async () => {
  redis = await OwnRedis.start();
  [one, two] = await Promise.all([launch("load-1", { REDIS_URL: redis.url }), launch("load-2", { REDIS_URL: redis.url })]);
});
afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  await redis?.kill();
  await closeAll();
});

describe("two instances sharing Redis", () => {
  it("keeps a limit exact across both: 210 read_only requests, 10 at a time, alternating → exactly 200 served", async () => {
    const user = await createUser("exact");
    const key = await createKey(one.baseUrl, await tokenFor(user.id), "read_only");
    const statuses: number[] = [];
    await pool_run(210, 10, async (i) => {
      statuses.push((await request(i % 2 ? one.baseUrl : two.baseUrl, "GET", "/api/v1/twins", { key: key.key })).status);
    });
    expect(statuses.filter((s) => s === 200).length).toBe(200);
    expect(statuses.filter((s) => s === 429).length).toBe(10);
  });

  it("refuses a revoked key on both instances within 1 s", async () => {
    const user = await createUser("revoke");
    const token = await tokenFor(user.id);
    const key = await createKey(one.baseUrl, token, "full_access");
    for (const app of [one, two]) expect((await request(app.baseUrl, "GET", "/api/v1/twins", { key: key.key })).status).toBe(200); // cached
    const revoked = await request(two.baseUrl, "DELETE", `/api/v1/auth/api-keys/${key.id}`, { token });
    expect(revoked.status).toBe(200);
    const started = Date.now();
    const refusedAfter: number[] = [];
    for (const app of [one, two]) {
      while (Date.now() - started < 3_000) {
        const r = await request(app.baseUrl, "GET", "/api/v1/twins", { key: key.key });
        if (r.status === 401 && r.body.error.code === "api_key_revoked") break;
        await sleep(20);
      }
      refusedAfter.push(Date.now() - started);
    }
    console.log(`[load] revocation refused after ${refusedAfter.join(" ms / ")} ms`);
    expect(Math.max(...refusedAfter)).toBeLessThan(1_000);
  });
});

describe("soak", () => {
  it(`${process.env.SOAK_SECONDS ?? 60} s at concurrency 64 across 100 keys: zero 5xx, usage equal to requests, memory flat`, async () => {
    const seconds = Number(process.env.SOAK_SECONDS ?? 60);
    // Two accounts: an account holds at most 50 active keys and manages 60 per minute.
    const tokens = await Promise.all([createUser("soak-a"), createUser("soak-b")].map(async (user) => tokenFor((await user).id)));
    const keys = await Promise.all(Array.from({ length: 100 }, (_, i) => createKey(i % 2 ? one.baseUrl : two.baseUrl, tokens[i % 2]!, "full_access", `soak ${i}`)));
    const counts = new Map<number, number>();
    let n = 0;
    const memory: Array<[number, number]> = [];
    const started = Date.now();
    const until = started + seconds * 1000;
    const sampler = setInterval(() => memory.push([rssMiB(one.pid) , rssMiB(two.pid)]), 2_000);
    try {
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (Date.now() < until) {
            const i = n++;
            const r = await request(i % 2 ? one.baseUrl : two.baseUrl, "GET", "/api/v1/twins", { key: keys[i % 100]!.key, timeoutMs: 30_000 }).catch(() => ({ status: 599 }));
            counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
          }
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(`[load] ${total} requests in ${seconds} s (${Math.round(total / seconds)}/s): ${JSON.stringify(Object.fromEntries(counts))}; RSS MiB samples ${JSON.stringify(memory.map(([a, b]) => [Math.round(a), Math.round(b)]))}`);
    expect([...counts.keys()].filter((status) => status >= 500)).toEqual([]);

    // Memory flat: the last quarter's RSS is within 25 % of the second quarter's (after warm-up).
    const quarter = Math.max(1, Math.floor(memory.length / 4));
    for (const side of [0, 1]) {
      const warm = Math.max(...memory.slice(quarter, 2 * quarter).map((m) => m[side]!));
      const late = Math.max(...memory.slice(-quarter).map((m) => m[side]!));
      expect(late, `instance ${side + 1} RSS grew from ${warm} MiB to ${late} MiB`).toBeLessThan(warm * 1.25);
    }

    // SIGTERM both: their buffers flush; the database then holds every request of the soak.
    await Promise.all([one.stop(), two.stop()]);
    const usage = await usageOf(keys.map((k) => k.id));
    expect(usage).toEqual({ requests: counts.get(200) ?? 0, rateLimited: counts.get(429) ?? 0 });
  });
});
