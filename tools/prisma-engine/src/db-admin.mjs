// Database-level operations that the wasm engine does not offer (it only ever sees connections
// handed to it by the adapter): checking that a database exists, creating one.

import { quoteIdent, UserFacingError } from "./connection.mjs";
import { withClient } from "./pg-adapter.mjs";

/**
 * Converts a connection-level failure from node-postgres into the Prisma error the native
 * engine reports for it; the CLI acts on these codes (P1003 makes `migrate dev`/`deploy` create
 * the database).
 * @param {any} error
 * @param {import("./connection.mjs").PgTarget} target
 * @returns {Error}
 */
export function connectionError(error, target) {
  const host = String(target.config.host);
  const port = String(target.config.port);
  switch (error?.code) {
    case "3D000":
      return new UserFacingError(
        "P1003",
        `Database \`${target.database}\` does not exist on the database server at \`${target.location}\`.`,
        { database_name: target.database, database_host: host, database_port: port },
      );
    case "28P01":
    case "28000":
      return new UserFacingError(
        "P1000",
        `Authentication failed against database server, the provided database credentials for \`${target.config.user ?? "(default user)"}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at the configured address.`,
        { database_host: host, database_port: port },
      );
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EHOSTUNREACH":
    case "ENOENT":
      return new UserFacingError(
        "P1001",
        `Can't reach database server at \`${target.location}\`\n\nPlease make sure your database server is running at \`${target.location}\`.`,
        { database_host: host, database_port: port },
      );
    case "ETIMEDOUT":
      return new UserFacingError(
        "P1002",
        `The database server at \`${target.location}\` was reached but timed out.\n\nPlease try again.\n\nPlease make sure your database server is running at \`${target.location}\`.`,
        { database_host: host, database_port: port },
      );
    default:
      if (/timeout/i.test(String(error?.message))) {
        return new UserFacingError("P1001", `Can't reach database server at \`${target.location}\` (connection timed out).`, {
          database_host: host,
          database_port: port,
        });
      }
      return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Succeeds when a connection to the target database can be opened and used.
 * @param {import("./connection.mjs").PgTarget} target
 */
export async function canConnect(target) {
  try {
    await withClient(target.config, (client) => client.query("SELECT 1"));
  } catch (error) {
    throw connectionError(error, target);
  }
}

/**
 * Creates the target database through a maintenance database on the same server (`postgres`,
 * else `template1`), as the native engine does. Returns the database name.
 * @param {import("./connection.mjs").PgTarget} target
 */
export async function createDatabase(target) {
  let lastError;
  for (const maintenance of ["postgres", "template1"]) {
    if (maintenance === target.database) continue;
    try {
      await withClient({ ...target.config, database: maintenance }, (client) =>
        client.query(`CREATE DATABASE ${quoteIdent(target.database)}`),
      );
      return target.database;
    } catch (error) {
      const e = /** @type {any} */ (error);
      if (e?.code === "42P04") {
        throw new UserFacingError("P1009", `Database \`${target.database}\` already exists on the database server at \`${target.location}\``, {
          database_name: target.database,
          database_host: String(target.config.host),
          database_port: String(target.config.port),
        });
      }
      lastError = e?.code === "3D000" ? e : connectionError(e, { ...target, database: maintenance });
      if (e?.code !== "3D000") break;
    }
  }
  throw lastError ?? new Error(`could not create database ${target.database}`);
}
