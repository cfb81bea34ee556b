import { randomBytes } from "node:crypto";
import { createDatabase, type Database } from "@twx/db";
import type { TestDatabase } from "@twx/db/testing";

type Pool = ReturnType<typeof createDatabase>["pool"];

export interface CountedDatabase {
  db: Database;
  pool: Pool;
  /** Statements sent to Postgres through this client since creation (or the last reset). */
  queries(): number;
  /** The SQL text of those statements. */
  log(): string[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * A second client on a test schema whose every statement is counted at the driver: each pooled
 * connection's `query` is wrapped when it connects, which covers Prisma's reads, writes,
 * transactions and raw SQL alike.
 */
export function countedDatabase(test: Pick<TestDatabase, "url" | "schema">): CountedDatabase {
  const { db, pool } = createDatabase({ url: test.url, schema: test.schema, maxConnections: 4 });
  let statements: string[] = [];
  // Registered after createDatabase's own listener, so its `SET search_path` is not counted.
  pool.on("connect", (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      const text = typeof first === "string" ? first : (first as { text?: string } | undefined)?.text ?? "?";
      statements.push(text);
      return original(...args);
    };
  });
  return {
    db,
    pool,
    queries: () => statements.length,
    log: () => [...statements],
    reset: () => {
      statements = [];
    },
    async close() {
      await db.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

export async function createUser(db: Database, label = "user"): Promise<string> {
  const user = await db.user.create({
    data: { email: `${label}-${randomBytes(6).toString("hex")}@example.test` },
  });
  return user.id;
}

/** A Redis namespace of its own per test, so parallel test files never see each other's notices. */
export function uniqueNamespace(label: string): string {
  return `twx:test:${label}:${Date.now().toString(36)}:${randomBytes(4).toString("hex")}`;
}

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export async function waitFor<T>(
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean,
  { timeoutMs = 5_000, intervalMs = 10 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
