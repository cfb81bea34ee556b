// Entry point of bin/schema-engine: a drop-in for Prisma's native schema engine binary, selected
// by PRISMA_SCHEMA_ENGINE_BINARY (prisma.config.ts sets it). See ../README.md.

import { HELP, parseArgs } from "./args.mjs";
import { runCliCommand } from "./cli.mjs";
import { serveJsonRpc } from "./json-rpc.mjs";
import { log } from "./log.mjs";
import { EXPECTED_ENGINE_COMMIT } from "./wasm-engine.mjs";

/**
 * @param {string[]} argv arguments after the executable
 * @returns {Promise<number>} exit code
 */
export async function main(argv) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`schema-engine: ${/** @type {Error} */ (error).message}\n${HELP}`);
    return 2;
  }
  if (args.version) {
    // Same shape as the native binary's answer; the CLI shows it in `prisma version`.
    process.stdout.write(`schema-engine-cli ${EXPECTED_ENGINE_COMMIT}\n`);
    return 0;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.ignored.length) log("DEBUG", `ignored arguments: ${args.ignored.join(" ")}`);
  if (args.cli) return runCliCommand(args);
  return serveJsonRpc(args);
}
