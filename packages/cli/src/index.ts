/**
 * Entry point of `pnpm -s twx <command>` (root package.json). See ./cli.ts for the commands.
 */
import { EnvError, parseEnv } from "@twx/config";
import { createRedisKeyChangePublisher } from "@twx/keys";
import { resolveJwtSecret } from "@twx/tokens";
import { Redis } from "ioredis";
import {
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  resolveCommand,
  runCommand,
  UsageError,
  wantsHelpOnly,
  type CliIo,
} from "./cli";
import { openDatabase } from "./database";

const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

/** A short, secret-free reason for an unexpected failure (no stack, no connection string). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^P\d{4}$/.test(code)) {
    if (code === "P2021") return "the database has no TwinExpert tables yet: run `pnpm db:migrate` first.";
    if (["P1001", "P1002", "P1017"].includes(code)) return "the database cannot be reached. Check DATABASE_URL.";
    return `database error ${code}.`;
  }
  return error.message.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, "$1***@");
}

async function main(argv: string[]): Promise<number> {
  let resolved;
  try {
    resolved = resolveCommand(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`Error: ${error.message}\n\n${error.help}`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (!resolved.command) {
    io.out(resolved.help);
    return EXIT_OK;
  }
  if (wantsHelpOnly(resolved.args)) {
    io.out(resolved.help);
    return EXIT_OK;
  }

  let env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      io.err(error.message);
      return EXIT_FAILED;
    }
    throw error;
  }

  const database = await openDatabase(env, io.err);
  const redis = env.REDIS_URL ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true }) : undefined;
  try {
    return await runCommand(
      resolved.command,
      resolved.args,
      {
        db: database.db,
        tokenKey: resolveJwtSecret(env).key,
        ...(redis ? { keyChangePublisher: createRedisKeyChangePublisher(redis, { onError: () => io.err("Warning: could not notify running servers through Redis; they refuse the key within a minute.") }) } : {}),
      },
      io,
    );
  } finally {
    redis?.disconnect();
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    io.err(`Error: ${describe(error)}`);
    process.exit(EXIT_FAILED);
  },
);
