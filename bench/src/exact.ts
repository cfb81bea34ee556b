/**
 * Part 3, exactness: `requests` (1,000) concurrent requests with one fresh key, split evenly over
 * two `next start` instances that share Redis (and the database). The sliding window must let
 * exactly the key's limit through: 200 for `read_only`, 500 for `full_access`, every run.
 *
 * A success whose X-RateLimit-Remaining equals the limit did not come from the counters but from
 * the failure policy (RATE_LIMIT_ON_ERROR=allow after an error or a timeout); those are counted
 * apart as "degraded".
 */
import http from "node:http";
import { prepareBuild, startApp, type App } from "./lib/app";
import { createBenchDatabase, createKeys, type Scope } from "./lib/database";
import { DATABASE_URL, intEnv } from "./lib/env";
import { load } from "./lib/load";
import { fmtInt, type Report, Table } from "./lib/report";
import { warmKeys } from "./lib/scenario";

const LIMITS: Record<Scope, number> = { read_only: 200, full_access: 500 };

interface Outcome {
  ok: number;
  limited: number;
  /** Answers other than 200 and 429 (they passed the limiter: counted, then failed). */
  failed: number;
  /** No HTTP answer at all. */
  other: number;
  degraded: number;
  perInstance: number[];
  seconds: number;
}

function get(url: string, key: string, agent: http.Agent): Promise<{ status: number; remaining: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${key}` }, timeout: 60_000 }, (res) => {
      res.resume();
      res.on("end", () => {
        const remaining = res.headers["x-ratelimit-remaining"];
        resolve({ status: res.statusCode ?? 0, remaining: Array.isArray(remaining) ? remaining[0] : remaining });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

async function burst(apps: App[], key: string, limit: number, total: number): Promise<Outcome> {
  // No socket limit: every request is in flight at once, each on its own connection.
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const outcome: Outcome = { ok: 0, limited: 0, failed: 0, other: 0, degraded: 0, perInstance: apps.map(() => 0), seconds: 0 };
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: total }, async (_, i) => {
        const instance = i % apps.length;
        try {
          const response = await get(`${apps[instance]!.url}/api/v1/twins`, key, agent);
          if (response.status === 200) {
            outcome.ok++;
            outcome.perInstance[instance]!++;
            if (response.remaining === String(limit)) outcome.degraded++;
          } else if (response.status === 429) {
            outcome.limited++;
          } else {
            outcome.failed++;
          }
        } catch {
          outcome.other++;
        }
      }),
    );
  } finally {
    outcome.seconds = (performance.now() - started) / 1000;
    agent.destroy();
  }
  return outcome;
}

export async function runExact(report: Report, logDir: string): Promise<void> {
  const runs = intEnv("BENCH_EXACT_RUNS", 3);
  const total = intEnv("BENCH_EXACT_REQUESTS", 1000);
  console.log(`\n== exact: ${total} concurrent requests per key over two instances, ${runs} runs per scope`);
  const build = prepareBuild((line) => console.log(`  ${line}`));
  const database = await createBenchDatabase(DATABASE_URL, "bench_exact");
  const apps: App[] = [];
  try {
    // The naive route is not used here; the instances still need a value for it.
    const env = { databaseUrl: database.url, upstashUrl: "http://127.0.0.1:9", upstashToken: "unused" };
    apps.push(await startApp(build, env, logDir, "exact-a"));
    apps.push(await startApp(build, env, logDir, "exact-b"));
    // Route code loaded and compiled on both instances before the first burst.
    const warmers = await createKeys(database.pool, 2, "read_only");
    for (const app of apps) {
      await warmKeys(app, warmers);
      await load({ url: app.url, connections: 8, amount: 200, path: "/api/bench/twins" });
    }

    const table = new Table(`Exactness (${total} concurrent requests, one fresh key, two instances sharing Redis)`, [
      "scope",
      "run",
      "limit",
      "200",
      "429",
      "admitted (not 429)",
      "failed after admission",
      "no answer",
      "degraded (policy)",
      "200 per instance",
      "wall time",
    ]);
    const results: Array<{ scope: Scope; outcome: Outcome }> = [];
    for (const scope of ["read_only", "full_access"] as const) {
      for (let run = 1; run <= runs; run++) {
        const [key] = await createKeys(database.pool, 1, scope);
        const outcome = await burst(apps, key!.key, LIMITS[scope], total);
        results.push({ scope, outcome });
        table.add(
          scope,
          run,
          LIMITS[scope],
          fmtInt(outcome.ok),
          fmtInt(outcome.limited),
          fmtInt(outcome.ok + outcome.failed),
          fmtInt(outcome.failed),
          fmtInt(outcome.other),
          fmtInt(outcome.degraded),
          outcome.perInstance.join(" + "),
          `${outcome.seconds.toFixed(2)} s`,
        );
        console.log(`  ${scope} run ${run}: ${outcome.ok} × 200, ${outcome.limited} × 429, ${outcome.failed} failed, ${outcome.other} unanswered`);
      }
    }
    report.table(table);
    for (const scope of ["read_only", "full_access"] as const) {
      const mine = results.filter((r) => r.scope === scope);
      const exact = mine.every((r) => r.outcome.ok === LIMITS[scope] && r.outcome.limited === total - LIMITS[scope]);
      report.target(
        `exactly ${LIMITS[scope]} of ${total} succeed (${scope}), every run`,
        mine.map((r) => `${r.outcome.ok}/${total}`).join(", "),
        exact,
        mine
          .map((r) => `${r.outcome.ok} × 200, ${r.outcome.limited} × 429, ${r.outcome.failed} failed after admission, ${r.outcome.other} unanswered, ${r.outcome.degraded} by the failure policy`)
          .join("; "),
      );
    }
  } finally {
    for (const app of apps) await app.stop();
    await database.drop();
  }
}
