// The database side of the engine: a driver adapter factory built on @prisma/adapter-pg, with the
// fixes the wasm schema engine needs to work against PostgreSQL 15 and PGlite (PostgreSQL 18).

import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { quoteIdent, UserFacingError } from "./connection.mjs";
import { log } from "./log.mjs";

// --- Catalog type workaround ------------------------------------------------------------------
//
// The schema describer selects catalog columns of type "char" (OID 18: pg_constraint.contype,
// pg_class.relkind, pg_attribute.attidentity, ...) and arrays of it (`_char`, OID 1002).
// @prisma/adapter-pg 7.10 has no column type for OID 18 and fails the whole query with
// "Unsupported column type char"; for OID 1002 node-postgres has no parser and returns the raw
// "{a,b}" literal. Both hold plain text, so each query is run with the parsers of `text` (25)
// and `text[]` (1009) for them, and the result's field descriptions are rewritten to those OIDs
// before the adapter maps them to column types.
const TYPE_ALIASES = new Map([
  [18, 25], // "char"  -> text
  [1002, 1009], // _char -> text[]
]);

// --- PostgreSQL 18 NOT NULL constraints -------------------------------------------------------
//
// From PostgreSQL 18 on (PGlite 0.5 embeds 18), NOT NULL constraints are rows of pg_constraint
// with contype = 'n'. The describer's check-constraint query keeps every contype except
// p/u/f and then fails on the unknown 'n' rows. Nullability is read from pg_attribute anyway, so
// the query is rewritten to leave them out. On older servers no row has contype 'n' and the
// rewrite changes nothing.
const SQL_REWRITES = [
  {
    from: "AND contype NOT IN ('p', 'u', 'f')",
    to: "AND contype NOT IN ('p', 'u', 'f', 'n')",
  },
];

/** @param {string} sql */
function rewriteSql(sql) {
  let out = sql;
  for (const { from, to } of SQL_REWRITES) {
    if (out.includes(from)) out = out.replaceAll(from, to);
  }
  return out;
}

/** @param {any} types */
function aliasTypes(types) {
  const base = types ?? pg.types;
  return {
    /** @param {number} oid @param {any} format */
    getTypeParser(oid, format) {
      return base.getTypeParser(TYPE_ALIASES.get(oid) ?? oid, format);
    },
  };
}

/** @param {any} result */
function aliasFields(result) {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of r?.fields ?? []) {
      const alias = TYPE_ALIASES.get(field.dataTypeID);
      if (alias !== undefined) field.dataTypeID = alias;
    }
  }
  return result;
}

// --- Database error details ----------------------------------------------------------------
//
// The wasm engine reduces most database errors to "external connector error" plus a short
// summary ("No such table: x"), where the native engine shows PostgreSQL's own message and
// SQLSTATE. The last error PostgreSQL returned is kept here so that the JSON-RPC layer can put
// it back into the message (engine-host.mjs).

/** @type {{ code: string, message: string, detail?: string, hint?: string } | undefined} */
let lastDatabaseError;

/** Returns and forgets the last error PostgreSQL returned to this process. */
export function takeLastDatabaseError() {
  const value = lastDatabaseError;
  lastDatabaseError = undefined;
  return value;
}

/** @param {any} err */
function recordDatabaseError(err) {
  if (err && typeof err.code === "string" && typeof err.severity === "string") {
    lastDatabaseError = { code: err.code, message: err.message, detail: err.detail, hint: err.hint };
  }
}

/**
 * node-postgres client applying the two fixes above to every query. Pools are given it through
 * their `Client` option, so it covers pool queries, transactions and the shadow database alike.
 */
class CompatClient extends pg.Client {
  /**
   * @override
   * @param {any} config
   * @param {any} [values]
   * @param {any} [callback]
   * @returns {any}
   */
  query(config, values, callback) {
    if (typeof values === "function") {
      callback = values;
      values = undefined;
    }
    // Submittables (cursors, streams) are passed through untouched; the adapter does not use them.
    if (config && typeof config === "object" && typeof config.submit === "function") {
      return super.query(config, values, callback);
    }
    const patched =
      typeof config === "string"
        ? { text: rewriteSql(config), types: aliasTypes(undefined) }
        : { ...config, text: rewriteSql(config.text), types: aliasTypes(config.types) };
    if (callback) {
      return super.query(patched, values, (/** @type {any} */ err, /** @type {any} */ res) => {
        if (err) recordDatabaseError(err);
        callback(err, err ? res : aliasFields(res));
      });
    }
    return /** @type {Promise<any>} */ (super.query(patched, values)).then(aliasFields, (err) => {
      recordDatabaseError(err);
      throw err;
    });
  }
}

/**
 * Wraps an adapter-pg adapter: whole-script execution and a disposal hook.
 * @param {any} adapter
 * @param {(() => Promise<void>) | undefined} afterDispose
 */
function patchAdapter(adapter, afterDispose) {
  // adapter-pg's executeScript splits the script on every ";" and sends the pieces one by one:
  // a ";" inside a string literal, a comment or a function body breaks the script, and a failure
  // half-way leaves the earlier statements committed. The native engine sends a migration script
  // as one simple-query message, which PostgreSQL runs as one implicit transaction. Do the same.
  adapter.executeScript = async (/** @type {string} */ script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  if (afterDispose) {
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      try {
        await dispose();
      } finally {
        await afterDispose();
      }
    };
  }
  return adapter;
}

/**
 * Runs `fn` with a single short-lived connection.
 * @template T
 * @param {import("pg").ClientConfig} config
 * @param {(client: import("pg").Client) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withClient(config, fn) {
  const client = new CompatClient(config);
  // A connection error after connect() (server gone) must not crash the process.
  client.on("error", (err) => log("WARN", `connection error: ${err.message}`));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The migration-aware driver adapter factory handed to the wasm engine.
 *
 * @param {object} opts
 * @param {import("./connection.mjs").PgTarget} opts.main
 * @param {import("./connection.mjs").PgTarget | undefined} opts.shadow  from `shadowDatabaseUrl`
 */
export function createAdapterFactory({ main, shadow }) {
  const adapterOptions = main.explicitSchema ? { schema: main.schema } : undefined;

  // One connection per pool, as the native engine uses one connection per database:
  // - session state is then stable (the migrate advisory lock, taken with pg_advisory_lock and
  //   held by the session, and search_path);
  // - PGlite served over a socket handles a single connection at a time.
  /** @param {import("pg").PoolConfig} config */
  const poolConfig = (config) => ({ ...config, max: 1, Client: CompatClient });

  const mainFactory = new PrismaPg(poolConfig(main.config), adapterOptions);

  return {
    provider: /** @type {const} */ ("postgres"),
    adapterName: mainFactory.adapterName,

    async connect() {
      return patchAdapter(await mainFactory.connect(), undefined);
    },

    async connectToShadowDb() {
      if (shadow) return connectToConfiguredShadow(shadow);
      return connectToTemporaryShadow(main, adapterOptions, poolConfig);
    },
  };
}

/**
 * Shadow database named by `shadowDatabaseUrl`: used in place, emptied first (the native engine
 * resets a configured shadow database before replaying the migrations into it). The emptying
 * goes through the adapter's own connection, so a server taking one connection at a time
 * (PGlite) works as a shadow database too.
 * @param {import("./connection.mjs").PgTarget} shadow
 */
async function connectToConfiguredShadow(shadow) {
  const adapterOptions = shadow.explicitSchema ? { schema: shadow.schema } : undefined;
  const factory = new PrismaPg({ ...shadow.config, max: 1, Client: CompatClient }, adapterOptions);
  const adapter = await factory.connect();
  try {
    const pool = adapter.underlyingDriver();
    const { rows } = await pool.query(
      `SELECT nspname FROM pg_namespace
       WHERE nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast')
         AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`,
    );
    for (const { nspname } of rows) await pool.query(`DROP SCHEMA ${quoteIdent(nspname)} CASCADE`);
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(shadow.schema)}`);
  } catch (error) {
    await adapter.dispose().catch(() => {});
    throw error;
  }
  return patchAdapter(adapter, undefined);
}

/**
 * A throw-away shadow database next to the main one, as the native engine does.
 *
 * adapter-pg has its own connectToShadowDb, but (1) it derives the shadow connection by
 * overriding `database` in its configuration, which does nothing when that configuration is a
 * connection string, and (2) it drops the shadow database while its own pool still holds a
 * connection to it, which fails ("database is being accessed by other users") and leaks it.
 * Here the configuration has discrete fields, the pool is closed first, and the drop uses
 * WITH (FORCE) so that a stray session cannot keep the database alive.
 *
 * @param {import("./connection.mjs").PgTarget} main
 * @param {any} adapterOptions
 * @param {(config: import("pg").PoolConfig) => import("pg").PoolConfig} poolConfig
 */
async function connectToTemporaryShadow(main, adapterOptions, poolConfig) {
  const name = `prisma_migrate_shadow_db_${randomUUID()}`;
  try {
    await withClient(main.config, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  } catch (error) {
    const e = /** @type {any} */ (error);
    throw new UserFacingError(
      "P3014",
      `Prisma Migrate could not create the shadow database. Please make sure the database user has permission to create databases. Read more about the shadow database (and workarounds) at https://pris.ly/d/migrate-shadow\n\nOriginal error: ${e?.message ?? e}` +
        (typeof e?.code === "string" && e.code.startsWith("E")
          ? "\n\nThe server did not accept a second connection. Servers that take one connection at a time (PGlite) cannot host a shadow database: configure `shadowDatabaseUrl` in prisma.config.ts to point at another server."
          : ""),
    );
  }
  log("INFO", `created shadow database ${name}`);

  const drop = async () => {
    await withClient(main.config, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
    ).then(
      () => log("INFO", `dropped shadow database ${name}`),
      (err) => log("WARN", `could not drop shadow database ${name}: ${err.message}`),
    );
  };

  let adapter;
  try {
    const factory = new PrismaPg(poolConfig({ ...main.config, database: name }), adapterOptions);
    adapter = await factory.connect();
    // Some servers accept CREATE DATABASE but route every connection to one database whatever
    // its name (PGlite behind pglite-socket does). Replaying the migration history there would
    // run it, and the engine's cleanup, against the main database: refuse instead.
    const result = await adapter.underlyingDriver().query("SELECT current_database() AS db");
    const landed = result.rows[0]?.db;
    if (landed !== name) {
      throw new UserFacingError(
        "P3014",
        `Prisma Migrate could not use a shadow database: a connection to the new database "${name}" was served by database "${landed}" instead (this server does not support several databases). Configure a separate server as \`shadowDatabaseUrl\` in prisma.config.ts.`,
      );
    }
  } catch (error) {
    await adapter?.dispose().catch(() => {});
    await drop();
    throw error;
  }
  return patchAdapter(adapter, drop);
}
