/**
 * Test databases: every test file gets its own Postgres schema, migrated from the committed
 * migrations, so files run in parallel against one server and leave nothing behind.
 *
 * The server is `DATABASE_URL` when set (CI: the machine's Postgres); otherwise the vitest
 * global setup (`./global-setup`) starts an embedded PGlite server and sets `DATABASE_URL`.
 */
import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { createDatabase, quoteIdent, type Database } from "../client";
import { migrationsDir } from "../paths";

export interface TestDatabase {
  db: Database;
  /** Connection string of the server (the schema is selected per client, not in the URL). */
  url: string;
  schema: string;
  /** Run raw SQL in the test schema (for assertions that Prisma cannot express). */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Drop the schema and close every connection. */
  drop(): Promise<void>;
}

export function testServerUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set: add @twx/db/testing/global-setup to the vitest globalSetup, or set DATABASE_URL.",
    );
  }
  return url;
}

/** The committed migrations, oldest first, as SQL text. */
export async function readMigrations(): Promise<Array<{ name: string; sql: string }>> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      sql: await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8"),
    })),
  );
}

/** Apply the migrations into `schema` (Prisma writes `"public".` qualifiers; retarget them). */
export async function migrateSchema(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  await client.query(`SET search_path TO ${quoteIdent(schema)}`);
  for (const migration of await readMigrations()) {
    await client.query(migration.sql.replaceAll('"public".', `${quoteIdent(schema)}.`));
  }
}

/** A fresh, migrated schema of its own for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = testServerUrl();
  const schema = `test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await migrateSchema(admin, schema);
  } finally {
    await admin.end();
  }
  const embedded = new URL(url).searchParams.get("embedded") === "1";
  const { db, pool } = createDatabase({ url, schema, maxConnections: embedded ? 1 : 5 });
  return {
    db,
    url,
    schema,
    async query(sql, params) {
      const client = await pool.connect();
      try {
        await client.query(`SET search_path TO ${quoteIdent(schema)}`);
        return (await client.query(sql, params)).rows;
      } finally {
        client.release();
      }
    },
    async drop() {
      await db.$disconnect();
      await pool.end().catch(() => undefined);
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
