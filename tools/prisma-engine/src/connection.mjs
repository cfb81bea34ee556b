// Turns a Prisma-style PostgreSQL URL into a node-postgres configuration made of discrete fields.
//
// Why discrete fields instead of `connectionString`: node-postgres lets `connectionString` win
// over a `database` field given next to it, and @prisma/adapter-pg derives other connections
// from this configuration by overriding `database`. With a connection string the override is
// silently ignored, so a "shadow" database connection would land in the main database and the
// engine would run the whole migration history (and its cleanup) there.

import { parse } from "pg-connection-string";

/**
 * URL query parameters that belong to Prisma (its native engine reads them), not to libpq or
 * node-postgres. Only `schema` and `connect_timeout` mean something here; the configuration below
 * is built from known fields only, so none of them reaches the driver as a stray option.
 */
export const PRISMA_PARAMS = new Set([
  "schema",
  "connection_limit",
  "pool_timeout",
  "pgbouncer",
  "statement_cache_size",
  "socket_timeout",
  "connect_timeout",
  "sslaccept",
  "sslidentity",
  "sslpassword",
  "single_use_connections",
]);

/**
 * @typedef {object} PgTarget
 * @property {import("pg").PoolConfig} config   node-postgres settings, without a connection string.
 * @property {string} database                   database name the connection opens.
 * @property {string} schema                     Prisma's `?schema=` parameter, default "public".
 * @property {boolean} explicitSchema            whether `?schema=` was given.
 * @property {string} location                   host:port (or socket) for messages; no credentials.
 */

/**
 * @param {string} url a postgres:// or postgresql:// URL
 * @returns {PgTarget}
 */
export function parsePostgresUrl(url) {
  if (typeof url !== "string" || !/^postgres(ql)?:\/\//i.test(url)) {
    throw new UserFacingError(
      "P1013",
      "The provided database string is invalid. The URL must start with `postgresql://` or `postgres://`; this engine serves PostgreSQL only.",
    );
  }
  let parsed;
  let search;
  try {
    parsed = parse(url);
    search = new URL(url).searchParams;
  } catch {
    throw new UserFacingError("P1013", "The provided database string is invalid. It could not be parsed as a URL.");
  }
  const host = parsed.host || "localhost";
  const port = parsed.port ? Number(parsed.port) : 5432;
  const database = parsed.database || "postgres";
  const schema = search.get("schema") || "public";
  const connectTimeout = Number(search.get("connect_timeout") ?? "5");

  /** @type {import("pg").PoolConfig} */
  const config = {
    host,
    port,
    database,
    // node-postgres falls back to the OS user (as libpq does) when the URL names none.
    // (pg-connection-string has already percent-decoded these.) An empty password is left out so
    // that node-postgres can fall back to PGPASSWORD / ~/.pgpass like libpq.
    ...(parsed.user ? { user: parsed.user } : {}),
    ...(parsed.password ? { password: parsed.password } : {}),
    ...(parsed.ssl !== undefined ? { ssl: /** @type {any} */ (parsed.ssl) } : {}),
    ...(parsed.application_name ? { application_name: parsed.application_name } : {}),
    // connect_timeout is in seconds in Prisma URLs; 0 means "no timeout".
    connectionTimeoutMillis: Number.isFinite(connectTimeout) && connectTimeout > 0 ? connectTimeout * 1000 : 0,
  };
  // Prisma's native engine sets search_path to the `schema` parameter on every connection, and
  // the SQL it generates for the default schema is unqualified. Do the same.
  const options = [parsed.options, search.has("schema") ? `-c search_path=${quoteIdent(schema)}` : undefined]
    .filter(Boolean)
    .join(" ");
  if (options) config.options = options;

  const location = host.startsWith("/") ? `unix:${host}` : `${host}:${port}`;
  return { config, database, schema, explicitSchema: search.has("schema"), location };
}

/**
 * Quotes an SQL identifier.
 * @param {string} name
 */
export function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A URL with its password replaced, safe for logs and error messages.
 * @param {string} url
 */
export function redactUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "****";
    return u.toString();
  } catch {
    return "<unparseable database URL>";
  }
}

/**
 * An error the Prisma CLI shows to the user as-is, with a Prisma error code (P1001, P3005, ...).
 */
export class UserFacingError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} [meta]
   */
  constructor(code, message, meta) {
    super(message);
    this.name = "UserFacingError";
    this.code = code;
    this.meta = meta ?? {};
  }
}
