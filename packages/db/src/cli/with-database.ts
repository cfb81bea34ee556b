/**
 * with-database [--migrate] [--seed] [-- <command...>]
 *
 * Runs a command against the project's database. With `DATABASE_URL` set, that database is used
 * as is. Without it (a fresh laptop), the embedded PGlite database is started from
 * EMBEDDED_DB_DIR (default `.data/pglite` under the repository root) on EMBEDDED_DB_PORT
 * (default 5488), and `DATABASE_URL` is set for the command. Then, in order:
 *   --migrate  `prisma migrate deploy` (the repository's Prisma CLI, from the repository root)
 *   --seed     the seed (packages/seed/src/cli.ts: demo twins and the local demo account)
 *   --shadow   also a throw-away embedded database as SHADOW_DATABASE_URL, for `prisma migrate dev`
 *              (PGlite holds one database, so the shadow cannot be created inside the main one)
 *   command    spawned with inherited stdio; SIGINT/SIGTERM are passed on to it, and when it exits
 *              the embedded database is stopped and its exit code becomes ours.
 * Without a command the embedded database keeps serving until SIGINT/SIGTERM (handy for psql).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { constants as osConstants, tmpdir } from "node:os";
import path from "node:path";
import { loadEnvOrExit } from "@twx/config";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../embedded";
import { repoRoot } from "../paths";

const TAG = "[with-database]";
/** After passing on a signal, how long the command gets before it is killed. */
const CHILD_GRACE_MS = 15_000;

interface Args {
  migrate: boolean;
  seed: boolean;
  shadow: boolean;
  command: string[];
}

const USAGE = `usage: with-database [--migrate] [--seed] [--shadow] [-- <command...>]`;

function parseArgs(argv: string[]): Args {
  const args: Args = { migrate: false, seed: false, shadow: false, command: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      args.command = argv.slice(i + 1);
      break;
    }
    if (arg === "--migrate") args.migrate = true;
    else if (arg === "--seed") args.seed = true;
    else if (arg === "--shadow") args.shadow = true;
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith("-")) {
      console.error(`${TAG} unknown option ${arg}\n${USAGE}`);
      process.exit(2);
    } else {
      // The command may also follow the options without "--".
      args.command = argv.slice(i);
      break;
    }
  }
  return args;
}

/** Where a URL points, without user, password or query parameters (which may hold secrets). */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(unparseable URL)";
  }
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal ? osConstants.signals[signal] : undefined;
  return number ? 128 + number : 1;
}

let current: ChildProcess | undefined;
let database: EmbeddedPostgres | undefined;
let shadow: { server: EmbeddedPostgres; dataDir: string } | undefined;
let signalled: NodeJS.Signals | undefined;
/** While PGlite opens (creating the folder on first run), a signal waits: see onSignal. */
let starting = false;

/** Runs a step (migrate, seed, command) to completion; resolves with its exit code. */
function run(command: string, args: string[], cwd: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      stdio: "inherit",
      env: process.env,
      // .cmd shims (pnpm, npx, node_modules/.bin) only start through a shell on Windows.
      shell: process.platform === "win32",
    });
    current = child;
    child.once("error", (error) => {
      console.error(`${TAG} could not start ${command}: ${error.message}`);
      current = undefined;
      resolve(127);
    });
    child.once("exit", (code, signal) => {
      current = undefined;
      resolve(exitCodeOf(code, signal));
    });
  });
}

async function stopDatabase(): Promise<void> {
  if (shadow) {
    const { server, dataDir } = shadow;
    shadow = undefined;
    await server.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
  const db = database;
  database = undefined;
  if (!db) return;
  try {
    await db.stop();
  } catch (error) {
    console.error(`${TAG} stopping the embedded database failed: ${(error as Error).message}`);
  }
}

async function finish(code: number): Promise<never> {
  await stopDatabase();
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  const child = current;
  if (child) {
    // A terminal's Ctrl-C reaches the child as well (same process group); passing the signal on
    // covers `kill <our pid>` from a process manager. The child's exit then ends us (see main).
    signalled ??= signal;
    child.kill(signal);
    // SIGINT only asks: interactive programs (psql) use it to cancel a query and go on.
    if (signal === "SIGTERM") setTimeout(() => child.kill("SIGKILL"), CHILD_GRACE_MS).unref();
    return;
  }
  if (signalled) return;
  signalled = signal;
  // Exiting while PGlite creates its folder could leave a half-made database; main() stops
  // the database as soon as the start is over.
  if (starting) return;
  void finish(exitCodeOf(null, signal));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const env = loadEnvOrExit();

  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  if (env.DATABASE_URL) {
    console.log(`${TAG} Database: ${describeUrl(env.DATABASE_URL)} (from DATABASE_URL)`);
  } else {
    const dataDir = path.resolve(repoRoot, env.EMBEDDED_DB_DIR);
    starting = true;
    try {
      database = await startEmbeddedPostgres({ dataDir, port: env.EMBEDDED_DB_PORT });
    } catch (error) {
      console.error(`${TAG} ${(error as Error).message}`);
      process.exit(1);
    } finally {
      starting = false;
    }
    process.env.DATABASE_URL = database.url;
    const shownDir = dataDir.startsWith(repoRoot + path.sep) ? path.relative(repoRoot, dataDir) : dataDir;
    // The URL printed for psql leaves out `?embedded=1`, which libpq rejects as unknown.
    console.log(
      `${TAG} Database: embedded PGlite on ${database.host}:${database.port}, data in ${shownDir} ` +
        `(psql postgresql://postgres@${database.host}:${database.port}/postgres; ` +
        `set DATABASE_URL to use another Postgres)`,
    );
  }
  if (args.shadow && !process.env.SHADOW_DATABASE_URL) {
    const dataDir = await mkdtemp(path.join(tmpdir(), "twx-shadow-"));
    shadow = { server: await startEmbeddedPostgres({ dataDir, port: 0 }), dataDir };
    process.env.SHADOW_DATABASE_URL = shadow.server.url;
  }
  if (signalled) return finish(exitCodeOf(null, signalled));

  const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);

  if (args.migrate) {
    console.log(`${TAG} prisma migrate deploy`);
    const code = await run(bin("prisma"), ["migrate", "deploy"], repoRoot);
    if (code !== 0 || signalled) {
      if (code !== 0) console.error(`${TAG} prisma migrate deploy failed (exit code ${code})`);
      return finish(code || 1);
    }
  }

  if (args.seed) {
    // Run by path: @twx/seed depends on this package, not the other way round.
    const seedScript = path.join(repoRoot, "packages/seed/src/cli.ts");
    const code = await run(bin("tsx"), [seedScript], repoRoot);
    if (code !== 0 || signalled) {
      if (code !== 0) console.error(`${TAG} seed failed (exit code ${code})`);
      return finish(code || 1);
    }
  }

  const [command, ...commandArgs] = args.command;
  if (command) {
    // The command runs in the caller's directory (pnpm scripts run in their package).
    return finish(await run(command, commandArgs, process.cwd()));
  }
  // `with-database --migrate` alone migrates and exits; with nothing to do, it serves.
  if (!database || args.migrate || args.seed) return finish(0);
  console.log(`${TAG} serving until Ctrl-C`);
  // Stays alive through the servers' sockets; onSignal stops the database and exits.
}

main().catch(async (error: unknown) => {
  console.error(`${TAG} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await finish(1);
});
