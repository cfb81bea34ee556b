// Hosts one wasm schema engine for the lifetime of the process and runs JSON-RPC methods on it.

import { readFileSync } from "node:fs";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { parsePostgresUrl, UserFacingError } from "./connection.mjs";
import { canConnect, createDatabase } from "./db-admin.mjs";
import { forwardEngineLog, log } from "./log.mjs";
import { createOfflineAdapterFactory, isOfflineDiff } from "./offline-adapter.mjs";
import { createAdapterFactory, takeLastDatabaseError, withClient } from "./pg-adapter.mjs";
import { lastPanicMessage, loadWasmEngine } from "./wasm-engine.mjs";

/**
 * @typedef {object} RpcErrorData
 * @property {boolean} is_panic
 * @property {string} message
 * @property {Record<string, unknown>} [meta]
 * @property {string} [error_code]
 * @property {string | null} [backtrace]
 */

/** An error already in the JSON-RPC `error.data` shape the Prisma CLI reads. */
export class RpcError extends Error {
  /** @param {RpcErrorData} data */
  constructor(data) {
    super(data.message);
    this.data = data;
  }
}

export class EngineHost {
  /**
   * @param {import("./args.mjs").EngineArgs} args
   * @param {(content: string) => Promise<void>} print  asks the client to print (see `diff`)
   */
  constructor(args, print) {
    this.args = args;
    this.print = print;
    /** @type {Promise<any> | undefined} */
    this.enginePromise = undefined;
    /** @type {any} */
    this.factory = undefined;
    /** @type {Promise<any> | undefined} */
    this.offlineEnginePromise = undefined;
  }

  /** The constructor's `datamodels`: `undefined` or a non-empty list of [path, content] pairs. */
  datamodels() {
    return this.args.datamodels.length
      ? this.args.datamodels.map((file) => /** @type {[string, string]} */ ([file, readFileSync(file, "utf8")]))
      : undefined;
  }

  /** A second engine that never connects, for diffs between schema files (offline-adapter.mjs). */
  offlineEngine() {
    this.offlineEnginePromise ??= (async () => {
      const wasm = await loadWasmEngine();
      const factory = bindMigrationAwareSqlAdapterFactory(createOfflineAdapterFactory());
      return wasm.SchemaEngine.new({ datamodels: this.datamodels() }, forwardEngineLog, factory);
    })();
    return this.offlineEnginePromise;
  }

  /** The main database, from `--datasource`. */
  mainTarget() {
    const url = this.args.datasource?.url;
    if (!url) {
      throw new UserFacingError(
        "P1012",
        "No database URL was given to the schema engine. Set `datasource.url` in prisma.config.ts (this project reads DATABASE_URL).",
      );
    }
    return parsePostgresUrl(url);
  }

  /** Creates the wasm engine on first use: commands that need no database never connect. */
  engine() {
    this.enginePromise ??= (async () => {
      const wasm = await loadWasmEngine();
      const main = this.mainTarget();
      const shadowUrl = this.args.datasource?.shadowDatabaseUrl;
      const shadow = shadowUrl ? parsePostgresUrl(shadowUrl) : undefined;
      if (shadow && shadow.location === main.location && shadow.database === main.database) {
        throw new UserFacingError(
          "P3015",
          "The shadow database you configured appears to be the same as the main database. Please specify another shadow database.",
        );
      }
      this.factory = bindMigrationAwareSqlAdapterFactory(createAdapterFactory({ main, shadow }));
      const datamodels = this.datamodels();
      log("INFO", `schema engine (wasm) for ${main.location}/${main.database}`);
      return wasm.SchemaEngine.new({ datamodels }, forwardEngineLog, this.factory);
    })();
    return this.enginePromise;
  }

  /**
   * Runs one JSON-RPC method and returns its result.
   * @param {string} method
   * @param {any} params
   */
  async call(method, params) {
    takeLastDatabaseError();
    try {
      return await this.dispatch(method, params ?? {});
    } catch (error) {
      const rpcError = this.toRpcError(error);
      if (rpcError instanceof RpcError && !rpcError.data.is_panic) {
        rpcError.data = explainConnectorError(rpcError.data, takeLastDatabaseError());
      }
      throw rpcError;
    }
  }

  /**
   * @param {string} method
   * @param {any} params
   */
  async dispatch(method, params) {
    switch (method) {
      case "getDatabaseVersion":
        return (await this.engine()).version(params.datasource ? params : undefined);

      case "createDatabase":
        // Not in the wasm engine: it cannot open connections of its own.
        return { databaseName: await createDatabase(this.targetOf(params.datasource)) };

      case "ensureConnectionValidity": {
        // The main database is checked through the engine's own (single) connection: a second
        // one may be refused by servers that take one connection at a time (PGlite).
        const ds = params.datasource;
        if (ds?.tag === "ConnectionString" && ds.url && ds.url !== this.args.datasource?.url) {
          await canConnect(parsePostgresUrl(ds.url));
        } else {
          await (await this.engine()).ensureConnectionValidity(params);
        }
        return {};
      }

      case "dbExecute": {
        // `db execute` names its target; when that is not the main database, run the script on
        // it directly (the engine's adapter only knows the main database).
        const type = params.datasourceType;
        if (type?.tag === "url" && type.url !== this.args.datasource?.url) {
          const target = parsePostgresUrl(type.url);
          await withClient(target.config, (client) => client.query(params.script));
          return null;
        }
        await (await this.engine()).dbExecute(params);
        return null;
      }

      case "diff": {
        // The native engine prints the diff itself, through a `print` request to the CLI (which
        // writes it to stdout, or to the --output file), and answers with the exit code only. The
        // wasm engine returns the text as `stdout` instead; turn it into that request.
        const engine = isOfflineDiff(params) ? await this.offlineEngine() : await this.engine();
        const { stdout, exitCode } = await engine.diff(params);
        if (typeof stdout === "string") await this.print(stdout);
        return { exitCode };
      }

      case "reset":
        await (await this.engine()).reset(params);
        return {};

      case "debugPanic":
        (await this.engine()).debugPanic();
        return {};

      case "getDatabaseDescription":
        throw new RpcError({
          is_panic: false,
          message: "getDatabaseDescription is not available in this schema engine (wasm build).",
        });

      case "createMigration":
      case "evaluateDataLoss":
        return this.withMigrationsSchema(method, params);

      case "applyMigrations":
      case "devDiagnostic":
      case "diagnoseMigrationHistory":
      case "introspect":
      case "introspectSql":
      case "markMigrationApplied":
      case "markMigrationRolledBack":
      case "schemaPush": {
        const engine = await this.engine();
        const result = await engine[method](params);
        return result ?? {};
      }

      default:
        throw Object.assign(new Error(`Method not found: ${method}`), { rpcCode: -32601 });
    }
  }

  /**
   * Runs `createMigration` or `evaluateDataLoss`, which need the schema that the migration history
   * produces, replayed in a shadow database.
   *
   * In this wasm build both commands compute that schema through a code path that does not use
   * the adapter's connectToShadowDb and fail with "PostgreSQL shadow DB must be provided through
   * an external factory". They only succeed when the engine's in-memory cache of that schema is
   * warm, and the cache is filled by diagnoseMigrationHistory/devDiagnostic (which do use the
   * factory) and emptied by applyMigrations. `migrate dev` calls devDiagnostic, applyMigrations,
   * evaluateDataLoss and createMigration in that order, so its second half would always fail
   * once there is a migration to apply. On that failure, warm the cache with
   * diagnoseMigrationHistory (read-only on the main database) and run the command again; neither
   * command has changed anything when it fails this way.
   * @param {"createMigration" | "evaluateDataLoss"} method
   * @param {any} params
   */
  async withMigrationsSchema(method, params) {
    const engine = await this.engine();
    try {
      return await engine[method](params);
    } catch (error) {
      if (!/shadow DB must be provided through an external factory/.test(String(/** @type {any} */ (error)?.message))) {
        throw error;
      }
      log("DEBUG", `${method}: warming the migrations schema cache through diagnoseMigrationHistory`);
      await engine.diagnoseMigrationHistory({
        migrationsList: params.migrationsList,
        optInToShadowDatabase: true,
        filters: params.filters ?? { externalTables: [], externalEnums: [] },
      });
      return engine[method](params);
    }
  }

  /**
   * The database named by a `DatasourceParam` (`{tag: "ConnectionString", url}`), or the main one.
   * @param {any} datasource
   */
  targetOf(datasource) {
    if (datasource?.tag === "ConnectionString" && datasource.url) return parsePostgresUrl(datasource.url);
    return this.mainTarget();
  }

  /**
   * Maps anything thrown by the engine, the adapter or this host to the error payload of the
   * native engine, so the CLI shows the same messages and reacts to the same error codes.
   * @param {unknown} error
   * @returns {RpcError | Error}
   */
  toRpcError(error) {
    if (error instanceof RpcError) return error;
    const e = /** @type {any} */ (error);
    if (e?.rpcCode) return e;

    // A JS error thrown inside the adapter (not a DriverAdapterError) crosses the wasm boundary
    // as an id into the factory's error registry; report the original error.
    const registered = this.registeredError(e);
    if (registered) return this.toRpcError(registered);

    if (e instanceof UserFacingError || (typeof e?.code === "string" && /^P\d{4}$/.test(e.code))) {
      return new RpcError({ is_panic: false, message: String(e.message), meta: e.meta ?? {}, error_code: e.code });
    }
    // A Rust panic surfaces as a WebAssembly trap; its message was recorded by the panic hook.
    if (e instanceof /** @type {any} */ (globalThis).WebAssembly.RuntimeError || e?.name === "RuntimeError") {
      return new RpcError({ is_panic: true, message: lastPanicMessage() || String(e.message), backtrace: e.stack ?? null });
    }
    return new RpcError({ is_panic: false, message: String(e?.message ?? e), backtrace: null });
  }

  /** @param {any} e */
  registeredError(e) {
    const registry = this.factory?.errorRegistry;
    if (!registry || !e) return undefined;
    // The engine words it "External error id#<n>" (older builds: "GenericJs { id: <n> }").
    const match = /(?:External error id#|GenericJs\D+)(\d+)/.exec(`${e.message ?? ""} ${JSON.stringify(e.cause ?? "")}`);
    const id = typeof e.id === "number" ? e.id : match ? Number(match[1]) : undefined;
    if (id === undefined) return undefined;
    return registry.consumeError(id)?.error;
  }
}

/**
 * Brings wasm engine errors closer to the native engine's:
 * - The wasm build appends a span trace ("   0: sql_schema_connector::...") to messages; the
 *   native engine keeps that out of the message. It is moved to `backtrace`.
 * - "external connector error" plus a summary is replaced by PostgreSQL's own error and SQLSTATE
 *   when the failing statement's error was seen by the adapter.
 * - A migration that fails in `migrate deploy`/`dev` is reported as P3018 with the migration's
 *   name, as the native engine does (the wasm engine reports no error code there).
 * @param {RpcErrorData} data
 * @param {{ code: string, message: string, detail?: string, hint?: string } | undefined} dbError
 * @returns {RpcErrorData}
 */
export function explainConnectorError(data, dbError) {
  let message = data.message;
  let backtrace = data.backtrace ?? null;
  const trace = message.search(/\n\s+0: /);
  if (trace !== -1) {
    backtrace = message.slice(trace + 1);
    message = message.slice(0, trace);
  }
  if (dbError && message.includes("external connector error")) {
    const details = [
      `Database error code: ${dbError.code}`,
      "",
      "Database error:",
      `ERROR: ${dbError.message}`,
      ...(dbError.detail ? ["", `DETAIL: ${dbError.detail}`] : []),
      ...(dbError.hint ? ["", `HINT: ${dbError.hint}`] : []),
    ].join("\n");
    message = message.replace(/external connector error(\n[^\n]*)?/, details);
  }
  const migration = /apply_migration::apply_script\s+with migration_name="([^"]+)"/.exec(backtrace ?? "");
  if (!data.error_code && migration) {
    return {
      is_panic: false,
      message: `A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: ${migration[1]}\n\n${message.trim()}\n`,
      meta: { migration_name: migration[1], database_error_code: dbError?.code ?? "", database_error: dbError?.message ?? message },
      error_code: "P3018",
    };
  }
  return { ...data, message, backtrace };
}
