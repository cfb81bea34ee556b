/**
 * Part 1, micro: the key path and one rate-limit decision, measured in this process with
 * tinybench against the real Postgres and Redis.
 *
 * Each operation runs in `rounds` rounds (all operations back to back in each round); the table
 * gives the median of the rounds, and the ratios are taken inside each round. Fast operations are
 * timed in batches (one sample = `batch` sequential calls) so the timer's own cost does not count.
 */
import { randomBytes } from "node:crypto";
import { createDatabase } from "@twx/db";
import { createKeyVerifier, generateKey, parseKey } from "@twx/keys";
import {
  createRateLimiter,
  inProcessBackend,
  redisTcpBackend,
  upstashRestBackend,
  type LimitDefinition,
} from "@twx/ratelimit";
import { Redis } from "ioredis";
import { Bench } from "tinybench";
import { startBridge } from "./lib/bridge";
import { countStatements, type StatementCounter } from "./lib/counting";
import { createBenchDatabase, createKeys } from "./lib/database";
import { DATABASE_URL, intEnv, REDIS_URL } from "./lib/env";
import { fmtInt, fmtMs, fmtNum, median, type Report, Table } from "./lib/report";

interface Sample {
  opsPerSec: number;
  /** Per call, ms. */
  p50: number;
  p99: number;
  statementsPerOp: number;
}

interface Operation {
  name: string;
  batch: number;
  fn: () => unknown;
}

async function measure(op: Operation, timeMs: number, counter: StatementCounter): Promise<Sample> {
  let calls = 0;
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(100, timeMs / 3), warmupIterations: 5, iterations: 10 });
  bench.add(op.name, () => {
    calls += op.batch;
    return op.fn();
  });
  const before = counter.total();
  await bench.run();
  const statements = counter.total() - before;
  const result = bench.tasks[0]!.result;
  if (result.state !== "completed") {
    throw new Error(`${op.name}: ${result.state === "errored" ? result.error.message : result.state}`);
  }
  return {
    // From the median sample, not the mean: on a shared machine a few samples that were
    // preempted for milliseconds would otherwise dominate the figure.
    opsPerSec: (op.batch * 1000) / result.latency.p50,
    p50: result.latency.p50 / op.batch,
    p99: result.latency.p99 / op.batch,
    statementsPerOp: statements / calls,
  };
}

export async function runMicro(report: Report, logDir: string): Promise<void> {
  const rounds = intEnv("BENCH_MICRO_ROUNDS", 5);
  const timeMs = intEnv("BENCH_MICRO_TIME_MS", 400);
  console.log(`\n== micro: ${rounds} rounds, ${timeMs} ms per operation and round`);

  const database = await createBenchDatabase(DATABASE_URL, "bench_micro");
  const { db, pool } = createDatabase({ url: database.url, maxConnections: 4 });
  const counter = countStatements(pool);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const namespace = `twx:bench:${randomBytes(4).toString("hex")}`;
  // Verifier trouble (a version poll timing out on a loaded machine) is counted and reported
  // with the figures, not printed in the middle of them.
  const verifierErrors: string[] = [];
  const verifier = createKeyVerifier({
    db,
    redis,
    namespace,
    pepper: null,
    usageFlushIntervalMs: 0,
    onError: (error, context) => verifierErrors.push(`${context}: ${error instanceof Error ? error.message : String(error)}`),
  });
  // Started last among the fallible steps, and stopped by the finally below if it fails.
  const bridge = await startBridge(logDir).catch(async (error: unknown) => {
    await verifier.close().catch(() => undefined);
    redis.disconnect();
    await pool.end().catch(() => undefined);
    await database.drop();
    throw error;
  });
  const keyPrefix = `twx:bench:rl:${randomBytes(4).toString("hex")}`;
  // A limit that never refuses, so every sample is a full, counted decision (refusals return early).
  const limits: Partial<Record<"read_only", LimitDefinition>> = { read_only: { tokens: 1_000_000_000, window: "1 h", per: "bench" } };
  const tcpBackend = redisTcpBackend({ url: REDIS_URL });
  const restBackend = upstashRestBackend({ url: bridge.url, token: bridge.token });
  const memoryBackend = inProcessBackend();
  const tcp = createRateLimiter(tcpBackend, { keyPrefix, limits });
  const rest = createRateLimiter(restBackend, { keyPrefix, limits });
  const memory = createRateLimiter(memoryBackend, { keyPrefix, limits });

  try {
    await verifier.ready();
    const [known] = await createKeys(database.pool, 1, "read_only");
    const key = known!.key;
    // Right length, prefix and alphabet, wrong checksum: the most work a malformed key can cost.
    const good = generateKey();
    const malformed = good.slice(0, -1) + (good.endsWith("A") ? "B" : "A");
    if (parseKey(malformed).ok) throw new Error("malformed key parsed");
    const unknownKey = generateKey();
    const first = await verifier.verifyKey(key);
    if (!first.ok) throw new Error(`bench key does not verify: ${first.reason}`);
    for (const limiter of [tcp, rest, memory]) {
      const decision = await limiter.limit("read_only", "warm");
      if (!decision.success || decision.degraded) throw new Error(`rate limiter not answering: ${JSON.stringify(decision)}`);
    }

    let id = 0;
    const operations: Operation[] = [
      { name: "parseKey (valid key)", batch: 1000, fn: () => { for (let i = 0; i < 1000; i++) parseKey(key); } },
      {
        name: "verifyKey, cache hit",
        batch: 100,
        fn: async () => { for (let i = 0; i < 100; i++) await verifier.verifyKey(key); },
      },
      {
        name: "verifyKey, malformed (bad checksum)",
        batch: 1000,
        fn: async () => { for (let i = 0; i < 1000; i++) await verifier.verifyKey(malformed); },
      },
      {
        name: "verifyKey, unknown key (negative cache)",
        batch: 100,
        fn: async () => { for (let i = 0; i < 100; i++) await verifier.verifyKey(unknownKey); },
      },
      {
        name: "verifyKey, cache miss (database)",
        batch: 1,
        fn: async () => {
          verifier.evict();
          await verifier.verifyKey(key);
        },
      },
      { name: "rate limit: TCP adapter (ioredis)", batch: 1, fn: () => tcp.limit("read_only", `k${id++ % 64}`) },
      { name: "rate limit: @upstash/redis → bridge", batch: 1, fn: () => rest.limit("read_only", `k${id++ % 64}`) },
      {
        name: "rate limit: in-process",
        batch: 100,
        fn: async () => { for (let i = 0; i < 100; i++) await memory.limit("read_only", `k${id++ % 64}`); },
      },
    ];

    const samples = new Map<string, Sample[]>(operations.map((op) => [op.name, []]));
    const ratios = { hitVsMiss: [] as number[], tcpVsRest: [] as number[], memoryVsTcp: [] as number[] };
    let malformedLookups = 0;
    for (let round = 0; round < rounds; round++) {
      const byName = new Map<string, Sample>();
      for (const op of operations) {
        const lookupsBefore = verifier.stats().lookups;
        const sample = await measure(op, timeMs, counter);
        if (op.name.includes("malformed")) malformedLookups += verifier.stats().lookups - lookupsBefore;
        samples.get(op.name)!.push(sample);
        byName.set(op.name, sample);
      }
      const s = (name: string) => byName.get(name)!.opsPerSec;
      ratios.hitVsMiss.push(s("verifyKey, cache hit") / s("verifyKey, cache miss (database)"));
      ratios.tcpVsRest.push(s("rate limit: TCP adapter (ioredis)") / s("rate limit: @upstash/redis → bridge"));
      ratios.memoryVsTcp.push(s("rate limit: in-process") / s("rate limit: TCP adapter (ioredis)"));
      process.stdout.write(`  round ${round + 1}/${rounds} done\n`);
    }

    const table = new Table(`Micro (median of ${rounds} rounds, one call at a time, one thread)`, [
      "operation",
      "ops/s (median sample)",
      "p50 per call",
      "p99 per call",
      "DB statements per call",
    ]);
    for (const op of operations) {
      const list = samples.get(op.name)!;
      const batched = op.batch > 1;
      table.add(
        op.name,
        fmtInt(median(list.map((x) => x.opsPerSec))),
        batched ? `${fmtMs(median(list.map((x) => x.p50)))} (batch of ${op.batch})` : fmtMs(median(list.map((x) => x.p50))),
        batched ? `${fmtMs(median(list.map((x) => x.p99)))} (batch of ${op.batch})` : fmtMs(median(list.map((x) => x.p99))),
        fmtNum(median(list.map((x) => x.statementsPerOp)), 3),
      );
    }
    report.table(table);
    const ratioTable = new Table("Micro ratios (inside each round, median)", ["ratio", "value"]);
    ratioTable.add("verifyKey cache hit ÷ cache miss (ops/s)", `${fmtNum(median(ratios.hitVsMiss), 1)}×`);
    ratioTable.add("rate limit TCP adapter ÷ @upstash/redis over the bridge (ops/s)", `${fmtNum(median(ratios.tcpVsRest), 2)}×`);
    ratioTable.add("rate limit in-process ÷ TCP adapter (ops/s)", `${fmtNum(median(ratios.memoryVsTcp), 1)}×`);
    report.table(ratioTable);
    if (verifierErrors.length) {
      report.note(`Verifier errors during the micro run (${verifierErrors.length}; the first: ${verifierErrors[0]}). While out of sync it answers from the database, which shows as statements on the cache-hit rows.`);
    }

    const hit = median(samples.get("verifyKey, cache hit")!.map((x) => x.opsPerSec));
    report.target(
      "verifyKey cache hit ≥ 200,000/s on one core",
      `${fmtInt(hit)}/s`,
      hit >= 200_000,
      `${fmtInt(hit)}/s is ${fmtNum((hit / 200_000) * 100, 0)}% of 200,000/s`,
    );
    const malformedStatements = samples.get("verifyKey, malformed (bad checksum)")!.reduce((sum, x) => sum + x.statementsPerOp, 0);
    report.target(
      "malformed key rejected without I/O",
      `${malformedStatements === 0 && malformedLookups === 0 ? "0" : "some"} database statements and lookups over every malformed call`,
      malformedStatements === 0 && malformedLookups === 0,
      `${malformedLookups} lookups`,
    );
  } finally {
    await verifier.close().catch(() => undefined);
    await Promise.all([tcp.close(), rest.close(), memory.close()]).catch(() => undefined);
    const leftovers = await redis.keys(`${keyPrefix}:*`).catch(() => [] as string[]);
    if (leftovers.length) await redis.del(...leftovers).catch(() => undefined);
    redis.disconnect();
    await bridge.stop();
    await db.$disconnect().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await database.drop();
  }
}
