/**
 * Test databases: every test file gets its own Postgres schema, migrated from the committed
 * migrations, so files run in parallel against one server and leave nothing behind.
 *
 * The server is `DATABASE_URL` when set (CI: the machine's Postgres). On the embedded database
 * (no `DATABASE_URL`; the vitest global setup starts one for code that needs a URL) each file
 * gets a private PGlite server instead: PGlite is a single session, so a `SET search_path` made
 * by one file would leak into every other file's raw SQL.
 */
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createDatabase, isEmbeddedUrl, quoteIdent, type Database } from "../client";
import { startEmbeddedPostgres } from "../embedded";
import { migrationsDir } from "../paths";

export interface TestDatabase {
  db: Database;
  /** The pool under `db` (for counting queries, or raw access). */
  pool: pg.Pool;
  /** Connection string of the server (the schema is selected per client, not in the URL). */
  url: string;
  schema: string;
  /** Run raw SQL in the test schema (for assertions that Prisma cannot express). */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Drop the schema and close every connection. */
  drop(): Promise<void>;
}

/** Set by the global setup: an initialised, stopped PGlite data folder to copy. */
export const PGLITE_TEMPLATE_ENV = "TWX_TEST_PGLITE_TEMPLATE";

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

/** Apply the committed migrations, in order, to the database at `url` (its default schema). */
export async function migrateDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const migration of await readMigrations()) await client.query(migration.sql);
  } finally {
    await client.end();
  }
}

/** A loopback port nothing listens on right now (bound, then released), for servers under test. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
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
  const serverUrl = testServerUrl();
  const embedded = isEmbeddedUrl(serverUrl);
  const privateServer = embedded ? await startPrivateEmbeddedServer() : undefined;
  const url = privateServer?.url ?? serverUrl;
  const schema = `test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await migrateSchema(admin, schema);
  } finally {
    await admin.end();
  }
  const { db, pool } = createDatabase({ url, schema, maxConnections: embedded ? 1 : 5 });
  return {
    db,
    pool,
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
      await privateServer?.stop();
    },
  };
}

async function startPrivateEmbeddedServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "twx-test-db-"));
  // A copy of the global setup's initialised folder skips PGlite's initdb (seconds per file).
  const template = process.env[PGLITE_TEMPLATE_ENV];
  if (template) await cp(template, dataDir, { recursive: true });
  const server = await startEmbeddedPostgres({ dataDir, port: 0 });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
