/**
 * A database of its own for each benchmark run (`twx_bench_<time>_<random>` on the server of
 * DATABASE_URL), migrated from the committed migrations and seeded with the demo twins, dropped
 * at the end. The app reads `public`, so a schema per run would not do: a database per run does.
 *
 * Keys are bulk-inserted as rows (hash, start, owner, scope) of keys generated here with
 * `generateKey` and hashed with `hashKey`, exactly what `createKey` stores; at most 50 active
 * keys per owner, the platform's cap.
 */
import { randomBytes } from "node:crypto";
import { createDatabase, type Database } from "@twx/db";
import { migrateDatabase } from "@twx/db/testing";
import { generateKey, hashKey, keyStart, MAX_ACTIVE_KEYS } from "@twx/keys";
import { seedDatabase } from "@twx/seed";
import pg from "pg";

export interface BenchDatabase {
  name: string;
  url: string;
  db: Database;
  pool: pg.Pool;
  drop(): Promise<void>;
}

export type Scope = "read_only" | "full_access";

export interface BenchKey {
  id: string;
  key: string;
  hash: string;
  userId: string;
  scope: Scope;
}

const cleanups = new Set<() => Promise<void>>();
let exitHooked = false;

/** Drop what was created even on Ctrl-C. */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const onSignal = (signal: NodeJS.Signals) => {
    void Promise.allSettled([...cleanups].map((c) => c())).finally(() => process.kill(process.pid, signal));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}

export function onCleanup(cleanup: () => Promise<void>): () => void {
  hookExit();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export async function createBenchDatabase(serverUrl: string, label = "bench"): Promise<BenchDatabase> {
  const name = `twx_${label}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const dropDatabase = async () => {
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    try {
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await cleanup.end();
    }
  };
  const unhook = onCleanup(dropDatabase);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();

  await migrateDatabase(url);
  const { db, pool } = createDatabase({ url, maxConnections: 4 });
  await seedDatabase(db, { demoAccount: false });
  return {
    name,
    url,
    db,
    pool,
    async drop() {
      unhook();
      await db.$disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await dropDatabase();
    },
  };
}

/** `count` users (rows only: the benchmarks never sign in). */
export async function createUsers(pool: pg.Pool, count: number, label = "bench"): Promise<string[]> {
  const tag = randomBytes(4).toString("hex");
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (id, email, name, "updatedAt")
     SELECT gen_random_uuid()::text, $1 || '-' || i || '@bench.test', 'Bench ' || i, now()
     FROM generate_series(1, $2::int) AS i
     RETURNING id`,
    [`${label}-${tag}`, count],
  );
  return rows.map((r) => r.id);
}

/**
 * `count` keys of `scope`, spread over fresh users (`perUser` each, at most the cap), inserted in
 * batches. Keys are hashed without a pepper: the app under test runs without API_KEY_PEPPER.
 */
export async function createKeys(
  pool: pg.Pool,
  count: number,
  scope: Scope,
  options: { perUser?: number; userIds?: string[] } = {},
): Promise<BenchKey[]> {
  const perUser = Math.min(options.perUser ?? MAX_ACTIVE_KEYS, MAX_ACTIVE_KEYS);
  const users = options.userIds ?? (await createUsers(pool, Math.ceil(count / perUser)));
  if (users.length * perUser < count) throw new Error(`${users.length} users cannot hold ${count} keys at ${perUser} each`);
  const keys: BenchKey[] = [];
  for (let i = 0; i < count; i++) {
    const key = generateKey();
    keys.push({ id: "", key, hash: hashKey(key, null), userId: users[Math.floor(i / perUser)]!, scope });
  }
  const batch = 10_000;
  for (let offset = 0; offset < keys.length; offset += batch) {
    const slice = keys.slice(offset, offset + batch);
    const { rows } = await pool.query<{ id: string; hash: string }>(
      `INSERT INTO api_keys (id, "userId", name, scope, hash, start)
       SELECT gen_random_uuid()::text, u, 'bench', $3::"ApiKeyScope", h, s
       FROM unnest($1::text[], $2::text[], $4::text[]) AS t(u, h, s)
       RETURNING id, hash`,
      [slice.map((k) => k.userId), slice.map((k) => k.hash), scope, slice.map((k) => keyStart(k.key))],
    );
    const ids = new Map(rows.map((r) => [r.hash, r.id]));
    for (const k of slice) k.id = ids.get(k.hash)!;
  }
  return keys;
}

/** One conversation per user with the first seeded twin, for the write benchmark. */
export async function createConversations(pool: pg.Pool, userIds: string[]): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ id: string; userId: string }>(
    `INSERT INTO conversations (id, "userId", "twinId", title, "updatedAt")
     SELECT gen_random_uuid()::text, u, (SELECT id FROM twins ORDER BY "createdAt", id LIMIT 1), 'Bench', now()
     FROM unnest($1::text[]) AS u
     RETURNING id, "userId"`,
    [userIds],
  );
  return new Map(rows.map((r) => [r.userId, r.id]));
}
