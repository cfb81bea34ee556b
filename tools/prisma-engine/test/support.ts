// Shared helpers for the tests: where the project is, how to run the real Prisma CLI with this
// engine, and a fresh database per test file.
//
// Database: when DATABASE_URL is set, it is used as an admin connection to create (and finally
// drop) a uniquely named database on that server. When it is unset, an in-memory PGlite
// (PostgreSQL 18) is served over the wire by pglite-socket, taking one connection at a time.

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** tools/prisma-engine */
export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The monorepo root (where prisma.config.ts is). */
export const repoRoot = path.resolve(packageDir, "../..");
export const engineBin = path.join(packageDir, "bin/schema-engine");
export const prismaBin = path.join(repoRoot, "node_modules/.bin/prisma");
export const schemaPath = path.join(repoRoot, "prisma/schema.prisma");
export const migrationsDir = path.join(repoRoot, "prisma/migrations");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop (an in-process PGlite must keep serving). */
export function run(file: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd: opts.cwd ?? repoRoot, env: opts.env ?? process.env, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** The Prisma CLI of the project, with this engine, against `databaseUrl`. */
export function prisma(args: string[], databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<RunResult> {
  return run(prismaBin, args, {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PRISMA_SCHEMA_ENGINE_BINARY: engineBin,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
      ...extraEnv,
    },
  });
}

export interface TestDatabase {
  url: string;
  kind: "postgres" | "pglite";
  /** Runs one query on a connection of its own, closed right after (PGlite takes one at a time). */
  query<T extends pg.QueryResultRow = any>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

async function queryOnce(url: string, sql: string, params?: unknown[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params as any[])).rows;
  } finally {
    await client.end();
  }
}

/** A fresh, empty database: on DATABASE_URL's server if set, else an in-process PGlite. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) return createPostgresDatabase(adminUrl, label);
  return startPglite();
}

export async function createPostgresDatabase(adminUrl: string, label: string): Promise<TestDatabase> {
  const name = `twx_engine_${label}_${process.pid}_${randomBytes(4).toString("hex")}`;
  await queryOnce(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: "postgres",
    query: (sql, params) => queryOnce(url.toString(), sql, params),
    async close() {
      await queryOnce(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

export async function startPglite(): Promise<TestDatabase> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const db = await PGlite.create();
  // maxConnections 1 is pglite-socket's default: the engine must make do with one connection.
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 1 });
  await server.start();
  const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
  return {
    url,
    kind: "pglite",
    query: (sql, params) => queryOnce(url, sql, params),
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

/** Tables and enums the schema declares (`@@map`/`@map` names where given). */
export function schemaObjects(schemaText = readFileSync(schemaPath, "utf8")) {
  const tables: string[] = [];
  const enums: string[] = [];
  for (const m of schemaText.matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const [, kind, name, body] = m as unknown as [string, string, string, string];
    const mapped = /@@map\(\s*"([^"]+)"\s*\)/.exec(body)?.[1] ?? name;
    (kind === "model" ? tables : enums).push(mapped);
  }
  return { tables, enums };
}

/**
 * A scratch copy of the project's Prisma setup (schema, migrations, a config without imports)
 * in a temporary folder, for tests that change the schema or write migrations.
 */
export function scratchProject(opts: { shadowDatabaseUrl?: string } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "twx-prisma-engine-"));
  cpSync(schemaPath, path.join(dir, "schema.prisma"));
  cpSync(migrationsDir, path.join(dir, "migrations"), { recursive: true });
  writeFileSync(
    path.join(dir, "prisma.config.ts"),
    `export default {
  schema: ${JSON.stringify(path.join(dir, "schema.prisma"))},
  migrations: { path: ${JSON.stringify(path.join(dir, "migrations"))} },
  datasource: {
    url: process.env.DATABASE_URL,
    ${opts.shadowDatabaseUrl ? `shadowDatabaseUrl: ${JSON.stringify(opts.shadowDatabaseUrl)},` : ""}
  },
};
`,
  );
  return {
    dir,
    config: path.join(dir, "prisma.config.ts"),
    schema: path.join(dir, "schema.prisma"),
    migrations: path.join(dir, "migrations"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
