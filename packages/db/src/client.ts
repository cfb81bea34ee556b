import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";

export interface DatabaseOptions {
  /** Postgres connection string. */
  url: string;
  /**
   * Postgres schema holding the tables (default `public`). Tests give each file its own;
   * queries are qualified with it and raw SQL sees it first on the search path.
   */
  schema?: string;
  /** Pool size. The embedded database serves one connection at a time, so it is given 1. */
  maxConnections?: number;
}

export type Database = PrismaClient;

/** The launcher marks the embedded PGlite database's URL with `embedded=1`. */
export function isEmbeddedUrl(url: string): boolean {
  return new URL(url).searchParams.get("embedded") === "1";
}

/** Quote an identifier for Postgres (schema names come from our own code, but stay safe). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A Prisma client over the `pg` driver adapter: the same code path for a managed Postgres in
 * production, the machine's Postgres in CI and the embedded PGlite database on a laptop.
 */
export function createDatabase(options: DatabaseOptions): { db: Database; pool: pg.Pool } {
  const schema = options.schema;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    // Fail fast when the database is down instead of queueing requests forever.
    connectionTimeoutMillis: 5_000,
    // Raw SQL (usage upserts, full-text search) names tables without a schema: put the
    // client's schema first on the search path from the connection's start-up on.
    ...(schema && schema !== "public" ? { options: `-c search_path=${quoteIdent(schema)}` } : {}),
  });
  const adapter = new PrismaPg(pool, schema ? { schema } : undefined);
  const embedded = isEmbeddedUrl(options.url);
  return {
    db: new PrismaClient({
      adapter,
      // The embedded database runs one transaction at a time for every process, so a
      // transaction may queue behind others for longer than Prisma's 2 s default.
      ...(embedded ? { transactionOptions: { maxWait: 15_000, timeout: 20_000 } } : {}),
    }),
    pool,
  };
}
