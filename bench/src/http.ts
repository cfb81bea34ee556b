/**
 * Part 2, HTTP: `next start` (production build with the benchmark-only routes) against real
 * Postgres and Redis, loaded with autocannon at several concurrencies. The routes:
 *
 *   bare     GET /api/bench/bare          Next.js alone (no wrapper, no database)
 *   unauth   GET /api/bench/twins         the wrapper and listTwins, no authentication
 *   floor    GET /api/bench/floor/twins   unauth + one SHA-256 + one Redis round trip (PING)
 *   keyed    GET /api/v1/twins            the production route: key, scope, rate limit, usage
 *   naive    GET /api/bench/naive/twins   the same with the peer key path (DB lookup every request,
 *                                         limits through @upstash/redis over the HTTP bridge)
 *
 * In each round and at each concurrency: bare, unauth, keyed and naive alone, back to back
 * (throughput: a route's own req/s, and its latency under its own load), then all five
 * interleaved in one run, every connection cycling through them (latency differences: each
 * route sees the same moments of the machine, which on a shared machine matters more than
 * anything we measure). Then a mix of 100 distinct keys (round-robin) and a write
 * (POST /conversations/{id}/messages).
 * Keys come fresh for every run, warmed by one request each just before it (their first lookup),
 * and are retired before their hourly limit, so measured requests succeed; 429s are reported apart.
 */
import { prepareBuild, startApp, type App } from "./lib/app";
import { startBridge } from "./lib/bridge";
import { createBenchDatabase, createConversations, createKeys, type BenchKey } from "./lib/database";
import { DATABASE_URL, intEnv } from "./lib/env";
import { KeyPool, load, loadInterleaved, rotation } from "./lib/load";
import { fmtInt, fmtMs, fmtNum, median, type Report, Table } from "./lib/report";
import { counted, warmKeys, type CountedRun } from "./lib/scenario";
import type { LoadResult } from "./lib/load";

const READ_USES = 190; // of 200 per hour: one warm-up request and a margin
const WRITE_USES = 480; // of 500
const VARIANTS = ["bare", "unauth", "keyed", "naive"] as const;
type Variant = (typeof VARIANTS)[number] | "mix100" | "write";
const MIXED = ["bare", "unauth", "floor", "keyed", "naive"] as const;
type Mixed = (typeof MIXED)[number];

const LABELS: Record<Variant | Mixed, string> = {
  bare: "bare Next.js route",
  floor: "GET twins, no auth + SHA-256 + Redis PING",
  unauth: "GET twins, no authentication",
  keyed: "GET /api/v1/twins, API key",
  naive: "GET twins, naive peer key path",
  mix100: "GET /api/v1/twins, 100 keys round-robin",
  write: "POST /api/v1/conversations/{id}/messages",
};

function concurrencies(name: string, fallback: string): number[] {
  return (process.env[name] ?? fallback).split(",").map((c) => Number(c.trim())).filter((c) => c > 0);
}

export async function runHttp(report: Report, logDir: string): Promise<void> {
  const rounds = intEnv("BENCH_HTTP_ROUNDS", 3);
  const duration = intEnv("BENCH_HTTP_DURATION", 4);
  const levels = concurrencies("BENCH_HTTP_CONCURRENCY", "1,16,64");
  const extraLevels = concurrencies("BENCH_HTTP_EXTRA_CONCURRENCY", "16");
  console.log(`\n== http: ${rounds} rounds, ${duration} s per run, concurrency ${levels.join("/")} (mix and write at ${extraLevels.join("/")})`);

  const build = prepareBuild((line) => console.log(`  ${line}`));
  const database = await createBenchDatabase(DATABASE_URL, "bench_http");
  let bridge: Awaited<ReturnType<typeof startBridge>> | undefined;
  let app: App | undefined;
  try {
    bridge = await startBridge(logDir);
    console.log("  creating keys");
    const readPool = new KeyPool(await createKeys(database.pool, intEnv("BENCH_HTTP_READ_KEYS", 6000), "read_only"), READ_USES);
    const writeKeys = await createKeys(database.pool, intEnv("BENCH_HTTP_WRITE_KEYS", 600), "full_access");
    const conversations = await createConversations(database.pool, [...new Set(writeKeys.map((k) => k.userId))]);
    const writePool = new KeyPool(writeKeys, WRITE_USES);

    app = await startApp(build, { databaseUrl: database.url, upstashUrl: bridge.url, upstashToken: bridge.token }, logDir, "http");
    const server = app;
    const bearer = (key: BenchKey) => ({ authorization: `Bearer ${key.key}` });

    // JIT and connection pools warm before anything is measured.
    console.log("  warming the server");
    const jitKeys = readPool.take(4);
    await warmKeys(server, jitKeys);
    for (const path of ["/api/bench/bare", "/api/bench/twins"]) await load({ url: server.url, connections: 16, duration: 2, path });
    const jitRotation = rotation(jitKeys, 150);
    await load({ url: server.url, connections: 16, amount: 500, path: "/api/v1/twins", next: () => ({ headers: bearer(jitRotation.next()) }) });
    const naiveJit = readPool.take(4);
    const naiveRotation = rotation(naiveJit, 150);
    await load({ url: server.url, connections: 16, amount: 500, path: "/api/bench/naive/twins", next: () => ({ headers: bearer(naiveRotation.next()) }) });

    const runs = new Map<string, CountedRun[]>();
    const mixed = new Map<string, Record<Mixed, LoadResult>>();
    const push = (variant: Variant, c: number, run: CountedRun) => {
      const id = `${variant}@${c}`;
      runs.set(id, [...(runs.get(id) ?? []), run]);
    };
    const keysFor = (pool: KeyPool, expectedRps: number, uses: number) =>
      pool.take(Math.ceil((Math.max(expectedRps, 50) * duration * 1.6) / uses) + 1);

    const keyedRun = async (path: string, pool: KeyPool, c: number, expectedRps: number) => {
      const keys = keysFor(pool, expectedRps, READ_USES);
      await warmKeys(server, keys, path);
      const source = rotation(keys, READ_USES);
      return counted(server, () => load({ url: server.url, connections: c, duration, path, next: () => ({ headers: bearer(source.next()) }) }));
    };

    for (let round = 1; round <= rounds; round++) {
      for (const c of levels) {
        const bare = await counted(server, () => load({ url: server.url, connections: c, duration, path: "/api/bench/bare" }));
        push("bare", c, bare);
        const unauth = await counted(server, () => load({ url: server.url, connections: c, duration, path: "/api/bench/twins" }));
        push("unauth", c, unauth);
        push("keyed", c, await keyedRun("/api/v1/twins", readPool, c, unauth.rps));
        push("naive", c, await keyedRun("/api/bench/naive/twins", readPool, c, unauth.rps));

        // Interleaved: each kind gets a fifth of the requests.
        const ours = keysFor(readPool, unauth.rps / 4, READ_USES);
        const theirs = keysFor(readPool, unauth.rps / 4, READ_USES);
        await warmKeys(server, ours);
        const ourRotation = rotation(ours, READ_USES);
        const theirRotation = rotation(theirs, READ_USES);
        const results = await loadInterleaved({ url: server.url, connections: c, duration }, [
          { path: "/api/bench/bare" },
          { path: "/api/bench/twins" },
          { path: "/api/bench/floor/twins" },
          { path: "/api/v1/twins", next: () => ({ headers: bearer(ourRotation.next()) }) },
          { path: "/api/bench/naive/twins", next: () => ({ headers: bearer(theirRotation.next()) }) },
        ]);
        mixed.set(`${round}@${c}`, Object.fromEntries(MIXED.map((kind, i) => [kind, results[i]!])) as Record<Mixed, LoadResult>);
        console.log(`  round ${round}/${rounds}, concurrency ${c}: done`);
      }
      for (const c of extraLevels) {
        const expected = runs.get(`unauth@${c}`)?.at(-1)?.rps ?? 1000;
        const mixKeys = readPool.take(Math.max(100, Math.ceil((expected * duration * 1.6) / READ_USES / 100) * 100));
        await warmKeys(server, mixKeys);
        const mix = rotation(mixKeys, READ_USES, 100);
        push("mix100", c, await counted(server, () => load({ url: server.url, connections: c, duration, path: "/api/v1/twins", next: () => ({ headers: bearer(mix.next()) }) })));

        const writers = writePool.take(Math.ceil((Math.max(expected / 3, 50) * duration * 1.6) / WRITE_USES) + 1);
        await warmKeys(server, writers);
        const write = rotation(writers, WRITE_USES);
        const body = JSON.stringify({ content: "How often should I check my blood pressure at home?" });
        push(
          "write",
          c,
          await counted(server, () =>
            load({
              url: server.url,
              connections: c,
              duration,
              method: "POST",
              path: "/api/v1/conversations/x/messages",
              body,
              next: () => {
                const key = write.next();
                return { headers: bearer(key), path: `/api/v1/conversations/${conversations.get(key.userId)}/messages` };
              },
            }),
          ),
        );
        console.log(`  round ${round}/${rounds}, mix and write at concurrency ${c}: done`);
      }
    }
    if (readPool.exhausted || writePool.exhausted) {
      report.note("Note: the key pool ran out and keys were reused; raise BENCH_HTTP_READ_KEYS / BENCH_HTTP_WRITE_KEYS.");
    }

    // ---- tables ----------------------------------------------------------------------------
    const med = (list: CountedRun[], pick: (r: CountedRun) => number) => median(list.map(pick));
    const table = new Table(`HTTP, each route alone (next start; median of ${rounds} rounds of ${duration} s)`, [
      "route",
      "concurrency",
      "req/s (2xx)",
      "p50",
      "p90",
      "p99",
      "2xx",
      "429",
      "errors",
      "DB statements/req",
      "key lookups/req",
    ]);
    const order: Variant[] = [...VARIANTS, "mix100", "write"];
    for (const variant of order) {
      for (const c of variant === "mix100" || variant === "write" ? extraLevels : levels) {
        const list = runs.get(`${variant}@${c}`) ?? [];
        if (!list.length) continue;
        table.add(
          LABELS[variant],
          c,
          fmtInt(med(list, (r) => r.rps)),
          fmtMs(med(list, (r) => r.p50)),
          fmtMs(med(list, (r) => r.p90)),
          fmtMs(med(list, (r) => r.p99)),
          fmtInt(list.reduce((s, r) => s + r.ok, 0)),
          fmtInt(list.reduce((s, r) => s + r.limited, 0)),
          fmtInt(list.reduce((s, r) => s + r.errors, 0)),
          fmtNum(med(list, (r) => r.statementsPerRequest), 3),
          fmtNum(med(list, (r) => r.keyLookupsPerRequest), 3),
        );
      }
    }
    report.table(table);

    const latency = new Table(`HTTP, routes interleaved in one run (p50 / p99; median of ${rounds} rounds)`, [
      "concurrency",
      ...MIXED.map((kind) => LABELS[kind]),
    ]);
    for (const c of levels) {
      const list = Array.from({ length: rounds }, (_, i) => mixed.get(`${i + 1}@${c}`)).filter((x) => x !== undefined);
      latency.add(
        c,
        ...MIXED.map((kind) => `${fmtMs(median(list.map((r) => r[kind].p50)))} / ${fmtMs(median(list.map((r) => r[kind].p99)))}`),
      );
    }
    report.table(latency);

    const ratios = new Table("HTTP ratios and differences (inside each round, median of rounds)", [
      "concurrency",
      "keyed ÷ unauth (req/s, alone)",
      "keyed − unauth, p50 (interleaved)",
      "floor − unauth, p50",
      "naive − unauth, p50",
      "ours ÷ naive added p50",
      "keyed ÷ naive (req/s, alone)",
      "unauth ÷ bare (req/s, alone)",
    ]);
    const perRound = (c: number, f: (r: Record<string, CountedRun>) => number) => {
      const values: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const r = Object.fromEntries(VARIANTS.map((v) => [v, runs.get(`${v}@${c}`)?.[i]])) as Record<string, CountedRun>;
        if (VARIANTS.every((v) => r[v])) values.push(f(r));
      }
      return median(values);
    };
    const perMixed = (c: number, f: (r: Record<Mixed, LoadResult>) => number) =>
      median(Array.from({ length: rounds }, (_, i) => mixed.get(`${i + 1}@${c}`)).filter((x) => x !== undefined).map(f));
    const summary = new Map<number, { throughput: number; added: number; floor: number; naiveAdded: number; share: number; vsNaive: number }>();
    for (const c of levels) {
      const s = {
        throughput: perRound(c, (r) => r.keyed!.rps / r.unauth!.rps),
        added: perMixed(c, (r) => r.keyed.p50 - r.unauth.p50),
        floor: perMixed(c, (r) => r.floor.p50 - r.unauth.p50),
        naiveAdded: perMixed(c, (r) => r.naive.p50 - r.unauth.p50),
        share: perMixed(c, (r) => (r.keyed.p50 - r.unauth.p50) / (r.naive.p50 - r.unauth.p50)),
        vsNaive: perRound(c, (r) => r.keyed!.rps / r.naive!.rps),
      };
      summary.set(c, s);
      ratios.add(
        c,
        fmtNum(s.throughput, 3),
        fmtMs(s.added),
        fmtMs(s.floor),
        fmtMs(s.naiveAdded),
        fmtNum(s.share, 2),
        `${fmtNum(s.vsNaive, 2)}×`,
        fmtNum(perRound(c, (r) => r.unauth!.rps / r.bare!.rps), 3),
      );
    }
    report.table(ratios);

    // ---- targets ---------------------------------------------------------------------------
    const at16 = summary.get(16);
    if (at16) {
      report.target("keyed ÷ unauthenticated ≥ 0.85 at concurrency 16", fmtNum(at16.throughput, 3), at16.throughput >= 0.85, `${fmtNum(at16.throughput, 3)} < 0.85`);
    }
    for (const c of [1, 16]) {
      const s = summary.get(c);
      if (s) {
        report.target(
          `added latency (keyed − unauth) at p50 ≤ 0.5 ms, concurrency ${c}`,
          `${fmtMs(s.added)} (the floor alone: ${fmtMs(s.floor)})`,
          s.added <= 0.5,
          `${fmtMs(s.added)} > 0.5 ms`,
        );
      }
    }
    const shares = levels.map((c) => summary.get(c)!.share);
    report.target(
      "our added p50 ≤ ⅓ of the naive path's added p50, every concurrency",
      levels.map((c, i) => `c${c}: ${fmtNum(shares[i]!, 2)}`).join(", "),
      shares.every((s) => s <= 1 / 3),
      `over ⅓ at ${levels.filter((_, i) => shares[i]! > 1 / 3).join(", ")}`,
    );
    const faster = levels.map((c) => summary.get(c)!.vsNaive);
    report.target(
      "our throughput above the naive path's at every concurrency",
      levels.map((c, i) => `c${c}: ${fmtNum(faster[i]!, 2)}×`).join(", "),
      faster.every((f) => f > 1),
      `not above at ${levels.filter((_, i) => faster[i]! <= 1).join(", ")}`,
    );
    const keyed16 = runs.get("keyed@16");
    if (keyed16) {
      const p99 = med(keyed16, (r) => r.p99);
      report.target("keyed GET /api/v1/twins p99 ≤ 10 ms at concurrency 16", fmtMs(p99), p99 <= 10, `${fmtMs(p99)} > 10 ms`);
    }
    const keyedRuns = [...levels.flatMap((c) => runs.get(`keyed@${c}`) ?? []), ...extraLevels.flatMap((c) => runs.get(`mix100@${c}`) ?? [])];
    const errors = keyedRuns.reduce((s, r) => s + r.errors, 0);
    const limited = keyedRuns.reduce((s, r) => s + r.limited, 0);
    report.target("keyed requests: zero errors", `${errors} errors, ${limited} 429s`, errors === 0, `${errors} errors`);
    const lookups = keyedRuns.reduce((s, r) => s + r.keyLookups, 0);
    const requests = keyedRuns.reduce((s, r) => s + r.ok + r.limited, 0);
    report.target(
      "zero database queries per request on the key path after warm-up (counted)",
      `${lookups} key lookups in ${fmtInt(requests)} keyed requests`,
      lookups === 0,
      `${lookups} lookups`,
    );
  } finally {
    await app?.stop();
    await bridge?.stop();
    await database.drop();
  }
}
