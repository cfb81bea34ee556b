/**
 * Benchmark-only routes. This folder exists only in builds made for benchmarking:
 * bench/src/lib/app.ts copies it to apps/web/app/api/bench/ inside a private copy of the tree,
 * then runs `next build` there. It is never in the repository's apps/web, so no normal build
 * can contain these routes.
 *
 * Package sources the web app does not depend on directly are imported by relative path; they
 * resolve to the same files (and so the same module instances) as the app's own imports.
 */
import type * as NodeModule from "node:module";
import { getDb } from "@twx/db";
import type { AnyOperation, ApiKeyCheck, RestDependencies } from "@twx/rest";
import { getDefaultDependencies, operationsAt } from "@twx/rest";
import { hashKey, parseKey } from "../../../../../../packages/keys/src/index";
import { createRateLimiter, redisTcpBackend, upstashRestBackend } from "../../../../../../packages/ratelimit/src/index";

// ---- statement counter ----------------------------------------------------------------------

interface Counters {
  statements: number;
  keyLookups: number;
  usageWrites: number;
}

const state = globalThis as unknown as { twxBenchCounters?: Counters };

/**
 * Counts every statement the process sends to Postgres, by patching `pg`'s Client once. The
 * module path comes from the harness (BENCH_PG_MODULE: the real file `@twx/db` loads), so this is
 * the same module instance as the app's. Node's own require is reached through
 * `process.getBuiltinModule`, which the bundler does not rewrite (it refuses a dynamic require).
 */
export function counters(): Counters {
  if (!state.twxBenchCounters) {
    const counts: Counters = { statements: 0, keyLookups: 0, usageWrites: 0 };
    const modulePath = process.env.BENCH_PG_MODULE;
    if (!modulePath) throw new Error("BENCH_PG_MODULE is not set");
    const nodeModule = (process as unknown as { getBuiltinModule(id: string): typeof NodeModule }).getBuiltinModule("node:module");
    const pg = nodeModule.createRequire(modulePath)(modulePath) as { Client: { prototype: { query: (...args: unknown[]) => unknown } } };
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function patched(this: unknown, ...args: unknown[]) {
      const first = args[0];
      const text = typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "");
      counts.statements++;
      if (/^\s*SELECT\b[\s\S]*\bFROM\s+"public"\."api_keys"/i.test(text)) counts.keyLookups++;
      else if (/api_key_usage|UPDATE\s+api_keys/i.test(text)) counts.usageWrites++;
      return original.apply(this, args);
    };
    state.twxBenchCounters = counts;
  }
  return state.twxBenchCounters;
}

// ---- the naive peer path ---------------------------------------------------------------------

const naiveState = globalThis as unknown as { twxBenchNaive?: RestDependencies };

/**
 * The path most projects ship: the key looked up in the database on every request (hash, then
 * one query by hash), and every limit decision through @upstash/redis over HTTP (the local
 * Upstash-compatible bridge). Everything else (wrapper, handler, usage counting, logging) is the
 * production wiring, so the difference to /api/v1/twins is the key path alone.
 */
export function naiveDependencies(): RestDependencies {
  if (!naiveState.twxBenchNaive) {
    const base = getDefaultDependencies();
    const url = process.env.BENCH_UPSTASH_URL;
    const token = process.env.BENCH_UPSTASH_TOKEN;
    if (!url || !token) throw new Error("BENCH_UPSTASH_URL / BENCH_UPSTASH_TOKEN are not set");
    const limiter = createRateLimiter(upstashRestBackend({ url, token }));
    const db = getDb();
    naiveState.twxBenchNaive = {
      ...base,
      async authenticateApiKey(raw: string): Promise<ApiKeyCheck> {
        const parsed = parseKey(raw);
        if (!parsed.ok) return { ok: false, reason: "invalid" };
        const row = await db.apiKey.findUnique({
          where: { hash: hashKey(parsed.value.key, null) },
          select: { id: true, userId: true, scope: true, start: true, expiresAt: true, revokedAt: true },
        });
        if (!row) return { ok: false, reason: "invalid" };
        if (row.revokedAt) return { ok: false, reason: "revoked" };
        if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return { ok: false, reason: "expired" };
        return { ok: true, key: { id: row.id, userId: row.userId, scope: row.scope, expiresAt: row.expiresAt, start: row.start } };
      },
      rateLimit: (kind, identifier) => limiter.limit(kind, identifier),
    };
  }
  return naiveState.twxBenchNaive;
}

// ---- GET /twins without authentication, and with the floor added ------------------------------

const listTwins = operationsAt("/twins").find((operation) => operation.method === "GET")!;
// Any id: an account without twins of its own sees the shared twins, as the bench keys' owners do.
const ANONYMOUS_ACCOUNT = "00000000-0000-7000-8000-000000000000";

/** listTwins' wrapper and handler with the API-key requirement replaced by none, the account fixed. */
export function unauthenticatedListTwins(before?: () => Promise<void>): AnyOperation {
  return {
    ...listTwins,
    auth: { kind: "none" },
    async handle(context) {
      if (before) await before();
      return listTwins.handle({
        ...context,
        caller: {
          kind: "api_key",
          userId: ANONYMOUS_ACCOUNT,
          key: { id: "bench", userId: ANONYMOUS_ACCOUNT, scope: "read_only", expiresAt: null, start: "twx_bench" },
        },
      });
    },
  };
}

const floorState = globalThis as unknown as { twxBenchFloor?: ReturnType<typeof redisTcpBackend> };
const FLOOR_KEY = "twx_0000000000000000000000000000000000bench";

/**
 * The floor of any key check with a shared limit: one SHA-256 of a key-sized string and one
 * Redis round trip (PING, on a connection set up like the rate limiter's), nothing else.
 */
export async function floorWork(): Promise<void> {
  floorState.twxBenchFloor ??= redisTcpBackend({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
  hashKey(FLOOR_KEY, null);
  await floorState.twxBenchFloor.client.ping();
}
