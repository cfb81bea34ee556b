/**
 * End-to-end set-up: a database of its own, the built app (`next build`, skipped when the build
 * is newer than every source file), and `next start` on a free port. Tests reach it over real
 * HTTP and prepare data (users, tokens, expired keys) directly in the same database.
 *
 * - Postgres: DATABASE_URL's server, in a new database `twx_e2e_<random>` (migrated, seeded,
 *   dropped at the end). Without DATABASE_URL, @twx/db's global setup (listed first in the
 *   vitest config) has started an embedded server in a temporary folder, used as it is.
 * - Redis: REDIS_URL when set (CI and the machine's Redis); otherwise the app counts rate
 *   limits in process, which is right for its single process.
 * - The server's stdout/stderr go to a file whose path is in TWX_E2E_LOG, so tests can check
 *   that no credential was ever logged.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readdirSync, statSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase } from "@twx/db";
import { freePort, migrateDatabase } from "@twx/db/testing";
import { seedDatabase } from "@twx/seed";
import pg from "pg";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const webDir = path.join(repoRoot, "apps/web");

/** Newest modification time under `dir`, skipping build output and dependencies. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === ".next" || entry.name === ".turbo" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsCurrent(): boolean {
  try {
    const built = statSync(path.join(webDir, ".next/BUILD_ID")).mtimeMs;
    const sources = Math.max(newestMtime(webDir), newestMtime(path.join(repoRoot, "packages")));
    return built > sources;
  } catch {
    return false;
  }
}

export function build(): void {
  if (buildIsCurrent()) return;
  const started = Date.now();
  const result = spawnSync("pnpm", ["exec", "next", "build"], {
    cwd: webDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`next build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  console.log(`[e2e] next build took ${Math.round((Date.now() - started) / 1000)} s`);
}

export async function prepareDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const embedded = new URL(serverUrl).searchParams.get("embedded") === "1";
  let url = serverUrl;
  let drop = async () => undefined;
  if (!embedded) {
    const name = `twx_e2e_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    drop = async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    };
  }
  await migrateDatabase(url);
  const { db, pool } = createDatabase({ url, maxConnections: 1 });
  await seedDatabase(db, { demoAccount: false });
  await db.$disconnect();
  await pool.end();
  return { url, drop };
}

async function waitUntilReady(baseUrl: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}; see ${logFile}`);
    try {
      const response = await fetch(`${baseUrl}/api/v1/openapi.json`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`next start did not answer within 60 s; see ${logFile}`);
}

/** Starts the built app; used by the set-up and by tests that need a second server. */
export async function startApp(env: Record<string, string>, logFile: string): Promise<{ baseUrl: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const nextBin = createRequire(path.join(webDir, "package.json")).resolve("next/dist/bin/next");
  const log = openSync(logFile, "a");
  // The same preload as the `start` script of apps/web: Node's own refusals in the envelope.
  const preload = path.join(webDir, "server/client-errors.cjs");
  const child = spawn(process.execPath, ["--require", preload, nextBin, "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: webDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", log, log],
    // Own process group, so stopping it also stops anything it started.
    detached: true,
  });
  closeSync(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilReady(baseUrl, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, pid: child.pid!, stop };
}

export default async function setup(): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("DATABASE_URL is not set (the @twx/db global setup runs first)");
  build();
  const database = await prepareDatabase(serverUrl);
  const dir = await mkdtemp(path.join(tmpdir(), "twx-e2e-"));
  const logFile = path.join(dir, "server.log");

  // Secrets of this run only; the tests sign tokens and hash keys with the same ones.
  const secrets = {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    JWT_SECRET: randomBytes(32).toString("base64url"),
    API_KEY_PEPPER: randomBytes(32).toString("base64url"),
  };
  const app = await startApp(
    {
      ...secrets,
      DATABASE_URL: database.url,
      LOG_LEVEL: "info",
      NODE_ENV: "production",
      // This suite counts limits exactly on a shared, busy machine: a reply that a stalled
      // event loop reads late must still be counted, not decided by the failure policy. The
      // default timeout, with Redis really down, is the reliability suite's (redis-fault).
      RATE_LIMIT_TIMEOUT_MS: "2000",
    },
    logFile,
  );

  // Workers start after the global set-up and inherit this environment.
  Object.assign(process.env, secrets, {
    DATABASE_URL: database.url,
    TWX_E2E_BASE_URL: app.baseUrl,
    TWX_E2E_LOG: logFile,
  });

  return async () => {
    await app.stop();
    await database.drop();
    // The server log stays for reading after a failure; it holds no secret (tests check that).
    console.log(`[e2e] server log: ${logFile}`);
  };
}
