/**
 * Item 1 — Redis stops under load. A Redis server of this test's own is killed (SIGKILL) while
 * clients keep calling; every request is answered within the limiter's 200 ms bound, following
 * RATE_LIMIT_ON_ERROR (allow on one app, deny on the other), with one warning; when Redis is
 * started again on the same port, limiting resumes without restarting the apps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, createKey, createUser, launch, OwnRedis, request, sleep, tokenFor, type App } from "./lib";

let redis: OwnRedis;
let allowApp: App;
let denyApp: App;

beforeAll(async () => {
  redis = await OwnRedis.start();
  [allowApp, denyApp] = await Promise.all([
    launch("redis-allow", { REDIS_URL: redis.url }),
    launch("redis-deny", { REDIS_URL: redis.url, RATE_LIMIT_ON_ERROR: "deny" }),
  ]);
});
afterAll(async () => {
  await Promise.all([allowApp?.stop(), denyApp?.stop()]);
  await redis?.kill();
  await closeAll();
});

/** `workers` clients calling in a loop for `ms`; every reply's status, remaining and time. */
async function load(app: App, key: string, ms: number, workers = 4) {
  const replies: Array<{ status: number; remaining: number; ms: number }> = [];
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) {
        const r = await request(app.baseUrl, "GET", "/api/v1/twins", { key, timeoutMs: 5_000 });
        replies.push({ status: r.status, remaining: Number(r.headers.get("x-ratelimit-remaining")), ms: r.ms });
      }
    }),
  );
  return replies;
}

describe("Redis killed under load", () => {
  it("keeps answering within 200 ms by the policy, warns once, and resumes limiting when Redis returns", async () => {
    const user = await createUser("redis");
    const token = await tokenFor(user.id);
    const allowKey = await createKey(allowApp.baseUrl, token, "full_access");
    const denyKey = await createKey(denyApp.baseUrl, token, "full_access");

    const before = await load(allowApp, allowKey.key, 1_000);
    expect(before.every((r) => r.status === 200)).toBe(true);
    expect(Math.min(...before.map((r) => r.remaining))).toBeLessThan(500); // counted in Redis

    await redis.kill();
    const [allowDown, denyDown] = await Promise.all([load(allowApp, allowKey.key, 3_000, 2), load(denyApp, denyKey.key, 3_000, 1)]);
    expect(allowDown.length).toBeGreaterThan(20);
    expect(allowDown.every((r) => r.status === 200), JSON.stringify(allowDown.filter((r) => r.status !== 200).slice(0, 3))).toBe(true);
    expect(denyDown.every((r) => r.status === 429)).toBe(true);
    // The limiter gives up after 200 ms: requests answer in about the time they take with Redis
    // up. Bounds: the median under 200 ms, none near a client-side retry (Upstash's 5 s default).
    const times = [...allowDown, ...denyDown].map((r) => r.ms).sort((a, b) => a - b);
    const healthy = before.map((r) => r.ms).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(
      `[redis-fault] Redis up: ${healthy.length} requests, median ${healthy[Math.floor(healthy.length / 2)]!.toFixed(0)} ms, slowest ${healthy.at(-1)!.toFixed(0)} ms; ` +
        `Redis down: ${times.length} requests, median ${median.toFixed(0)} ms, slowest ${times.at(-1)!.toFixed(0)} ms`,
    );
    expect(median).toBeLessThan(200);
    expect(times.at(-1)!).toBeLessThan(1_000);

    // At most one warning per minute per app, naming the policy and nothing secret.
    const warnings = allowApp.log().split("\n").filter((line) => line.includes("rate limit backend unavailable"));
    expect(warnings.length).toBe(1); // the run is shorter than the one-minute warning interval
    expect(warnings[0]).toContain("RATE_LIMIT_ON_ERROR=allow");
    expect(warnings[0]).not.toContain(allowKey.key);
    expect(warnings[0]).not.toContain(allowKey.id);

    await redis.restart();
    // ioredis reconnects with a backoff capped at 2 s; the scripts are reloaded on NOSCRIPT.
    let resumed = false;
    const deadline = Date.now() + 10_000;
    while (!resumed && Date.now() < deadline) {
      const r = await request(allowApp.baseUrl, "GET", "/api/v1/twins", { key: allowKey.key });
      const d = await request(denyApp.baseUrl, "GET", "/api/v1/twins", { key: denyKey.key });
      resumed = r.status === 200 && Number(r.headers.get("x-ratelimit-remaining")) < 500 && d.status === 200;
      if (!resumed) await sleep(200);
    }
    expect(resumed, "limiting resumed on both apps without a restart").toBe(true);
  });
});
