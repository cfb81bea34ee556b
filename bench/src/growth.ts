/**
 * Part 4, growth: throughput and memory of the keyed route with 10, 1,000 and 100,000 keys in the
 * database and up to 10,000 of them in use (round-robin, so every key is as cold as it gets), on
 * a fresh `next start` process per step. Memory is read inside the server after a full GC
 * (heap) and as RSS: once after the warm-up pass (one request per key in use: the cache is
 * filled) and again after the measured requests. A last step uses half again as many keys as
 * the verifier's cache holds (10,000) to show that the cache, and so memory, stays bounded.
 */
import { prepareBuild, startApp, type App } from "./lib/app";
import { createBenchDatabase, createKeys, type BenchKey } from "./lib/database";
import { DATABASE_URL, intEnv } from "./lib/env";
import { load, rotation } from "./lib/load";
import { fmtInt, fmtMb, fmtMs, fmtNum, type Report, Table } from "./lib/report";
import { counted, warmKeys } from "./lib/scenario";

interface Step {
  label: string;
  /** Keys in the database during the step. */
  inDb: number;
  inUse: number;
  /** Measured requests per key in use. */
  perKey: number;
}

export async function runGrowth(report: Report, logDir: string): Promise<void> {
  const big = intEnv("BENCH_GROWTH_KEYS", 100_000);
  const inUseBig = intEnv("BENCH_GROWTH_IN_USE", 10_000);
  const steps: Step[] = [
    { label: "10 keys", inDb: 10, inUse: 10, perKey: 150 },
    { label: "1,000 keys", inDb: 1_000, inUse: 1_000, perKey: 10 },
    { label: `${fmtInt(big)} keys`, inDb: big, inUse: inUseBig, perKey: 10 },
  ];
  if (process.env.BENCH_GROWTH_BOUND !== "0") {
    // 1.5 × the verifier's cache (10,000) in use, round-robin: every request misses the cache.
    steps.push({ label: "cache bound: 1.5 × the cache in use", inDb: big, inUse: Math.round(1.5 * inUseBig), perKey: 1 });
  }
  console.log(`\n== growth: ${steps.map((s) => `${fmtInt(s.inDb)} in the database / ${fmtInt(s.inUse)} in use`).join("; ")}`);
  const build = prepareBuild((line) => console.log(`  ${line}`));
  const database = await createBenchDatabase(DATABASE_URL, "bench_growth");
  let app: App | undefined;
  try {
    const table = new Table("Growth (concurrency 16, keys round-robin, fresh server per step)", [
      "step",
      "keys in DB",
      "keys in use",
      "requests",
      "req/s (2xx)",
      "p50",
      "p99",
      "429",
      "errors",
      "key lookups/req",
      "heap after warm-up → after",
      "RSS after warm-up → after",
    ]);
    const all: BenchKey[] = [];
    let memoryTarget: { heap: number; rss: number } | undefined;
    for (const step of steps) {
      // Keys in use: fresh ones, unless the database already holds enough unused keys.
      let inUse: BenchKey[];
      const unused = all.filter((k) => !(k as BenchKey & { used?: boolean }).used);
      if (all.length >= step.inDb && unused.length >= step.inUse) {
        inUse = unused.slice(0, step.inUse);
      } else {
        inUse = await createKeys(database.pool, step.inUse, "read_only");
        all.push(...inUse);
        const filler = step.inDb - all.length;
        if (filler > 0) all.push(...(await createKeys(database.pool, filler, "read_only")));
      }
      for (const k of inUse) (k as BenchKey & { used?: boolean }).used = true;
      const { rows } = await database.pool.query<{ n: string }>("SELECT count(*) AS n FROM api_keys");
      const inDb = Number(rows[0]!.n);

      app = await startApp(build, { databaseUrl: database.url, upstashUrl: "http://127.0.0.1:9", upstashToken: "unused" }, logDir, `growth-${step.inDb}-${step.inUse}`);
      const server = app;
      await load({ url: server.url, connections: 16, duration: 2, path: "/api/bench/twins" });
      console.log(`  ${step.label}: warm-up pass over ${fmtInt(inUse.length)} keys`);
      await warmKeys(server, inUse);
      const warm = await server.stats(true);
      const source = rotation(inUse, step.perKey, inUse.length);
      const amount = inUse.length * step.perKey;
      console.log(`  ${step.label}: ${fmtInt(amount)} measured requests`);
      const run = await counted(server, () =>
        load({ url: server.url, connections: 16, amount, path: "/api/v1/twins", next: () => ({ headers: { authorization: `Bearer ${source.next().key}` } }) }),
      );
      const after = await server.stats(true);
      await server.stop();
      app = undefined;
      table.add(
        step.label,
        fmtInt(inDb),
        fmtInt(inUse.length),
        fmtInt(amount),
        fmtInt(run.rps),
        fmtMs(run.p50),
        fmtMs(run.p99),
        fmtInt(run.limited),
        fmtInt(run.errors),
        fmtNum(run.keyLookupsPerRequest, 3),
        `${fmtMb(warm.memory.heapUsed)} → ${fmtMb(after.memory.heapUsed)}`,
        `${fmtMb(warm.memory.rss)} → ${fmtMb(after.memory.rss)}`,
      );
      if (step.inDb === big && step.inUse === inUseBig) {
        memoryTarget = { heap: after.memory.heapUsed - warm.memory.heapUsed, rss: after.memory.rss - warm.memory.rss };
      }
    }
    report.table(table);
    if (memoryTarget) {
      const worst = Math.max(memoryTarget.heap, memoryTarget.rss);
      report.target(
        `memory after ${fmtInt(inUseBig * 10)} requests over ${fmtInt(inUseBig)} keys within 50 MB of the warm-up figure`,
        `heap ${memoryTarget.heap >= 0 ? "+" : ""}${fmtMb(memoryTarget.heap)}, RSS ${memoryTarget.rss >= 0 ? "+" : ""}${fmtMb(memoryTarget.rss)}`,
        worst <= 50 * 1024 * 1024,
        `grew by ${fmtMb(worst)}`,
      );
    }
  } finally {
    await app?.stop();
    await database.drop();
  }
}
