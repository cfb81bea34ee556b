// The one-shot `cli` subcommands. The Prisma CLI runs them as
//   schema-engine --datasource '{"url": ...}' cli can-connect-to-database
//   schema-engine --datasource '{"url": ...}' cli create-database
// and reads only the exit status and stderr: on failure, it skips stderr's first line and
// parses every other line as JSON, looking for the one with level ERROR and target
// schema_engine::logger whose `fields` carry `error_code` and `message`. The error code matters:
// P1003 ("database does not exist") makes `migrate dev`/`deploy`/`reset` create the database.

import { parsePostgresUrl } from "./connection.mjs";
import { canConnect, createDatabase } from "./db-admin.mjs";
import { writeLine } from "./log.mjs";

/**
 * @param {import("./args.mjs").EngineArgs} args
 * @returns {Promise<number>} exit code
 */
export async function runCliCommand(args) {
  const command = args.cli?.[0];
  // The first stderr line is skipped by the CLI's parser: make it an informational one.
  writeLine({
    timestamp: new Date().toISOString(),
    level: "INFO",
    fields: { message: `Starting schema engine CLI command ${command ?? "(none)"}` },
    target: "schema_engine_cli",
  });
  try {
    const url = args.datasource?.url;
    if (!url) throw Object.assign(new Error("No database URL given (--datasource)."), { code: "P1012" });
    const target = parsePostgresUrl(url);
    switch (command) {
      case "can-connect-to-database":
        await canConnect(target);
        process.stdout.write("Connection successful\n");
        return 0;
      case "create-database": {
        const name = await createDatabase(target);
        process.stdout.write(`Database '${name}' was successfully created.\n`);
        return 0;
      }
      default:
        throw new Error(`Unknown cli command: ${command ?? "(none)"}. Known: can-connect-to-database, create-database.`);
    }
  } catch (error) {
    const e = /** @type {any} */ (error);
    writeLine({
      timestamp: new Date().toISOString(),
      level: "ERROR",
      fields: {
        is_panic: false,
        message: String(e?.message ?? e),
        ...(typeof e?.code === "string" && /^P\d{4}$/.test(e.code) ? { error_code: e.code, meta: e.meta ?? {} } : {}),
      },
      target: "schema_engine::logger",
    });
    return 1;
  }
}
