/**
 * Helpers of the reliability suite: apps under `next start`, Redis servers of the tests' own,
 * direct database access for checks, credentials (users, access tokens, portal sessions) and
 * HTTP calls that keep every response for the secret scan.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { Socket } from "node:net";
import path from "node:path";
import { encode } from "@auth/core/jwt";
import { createTokenService } from "@twx/tokens";
import { createDatabase, type Database } from "@twx/db";
import pg from "pg";
import { startApp } from "../../rest/e2e/global-setup";

import { freePort } from "@twx/db/testing";

export { freePort };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface App {
  baseUrl: string;
  pid: number;
  logFile: string;
  log(): string;
  stop(): Promise<void>;
}

/** `next start` with this run's database and secrets, plus `env`; its output in its own file. */
export async function launch(name: string, env: Record<string, string> = {}): Promise<App> {
  const logFile = path.join(process.env.TWX_REL_DIR!, `${name}-${randomBytes(3).toString("hex")}.log`);
  // Another `next build` of the same checkout replaces .next for a while: wait and retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(logFile, env);
    } catch (error) {
      const missingBuild = readFileSync(logFile, "utf8").includes("Could not find a production build");
      if (!missingBuild || attempt >= 4) throw error;
      const deadline = Date.now() + 240_000;
      while (Date.now() < deadline && !existsSync(path.join(webDir, ".next/BUILD_ID"))) await sleep(2_000);
      await sleep(5_000);
    }
  }
}

const webDir = path.resolve(import.meta.dirname, "../../../apps/web");

async function startOnce(logFile: string, env: Record<string, string>): Promise<App> {
  const app = await startApp(
    {
      AUTH_SECRET: process.env.AUTH_SECRET!,
      JWT_SECRET: process.env.JWT_SECRET!,
      API_KEY_PEPPER: process.env.API_KEY_PEPPER!,
      DATABASE_URL: process.env.DATABASE_URL!,
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      REDIS_URL: "",
      ...env,
    },
    logFile,
  );
  return { ...app, logFile, log: () => readFileSync(logFile, "utf8") };
}

/** A Redis server of the test's own on a spare port: killed for real, restarted on the same port. */
export class OwnRedis {
  child?: ChildProcess;
  constructor(readonly port: number) {}
  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.restart();
    return redis;
  }
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async restart(): Promise<void> {
    const child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const up = await new Promise<boolean>((resolve) => {
        const socket = new Socket();
        socket.once("connect", () => (socket.destroy(), resolve(true)));
        socket.once("error", () => resolve(false));
        socket.connect(this.port, "127.0.0.1");
      });
      if (up) return;
      await sleep(50);
    }
    throw new Error("redis-server did not start");
  }
  /** SIGKILL: no goodbye to clients, connections reset. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
}

let pool: pg.Pool | undefined;
/** Plain SQL on the run's database, for checks. */
export function sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: 2 });
  return pool.query(text, values).then((result) => result.rows as T[]);
}
export async function closeSql(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

let database: { db: Database; close(): Promise<void> } | undefined;
function prisma(): Database {
  if (!database) {
    const { db, pool: p } = createDatabase({ url: process.env.DATABASE_URL!, maxConnections: 2 });
    database = { db, close: async () => (await db.$disconnect(), await p.end()) };
  }
  return database.db;
}
export async function closeAll(): Promise<void> {
  await closeSql();
  await database?.close();
  database = undefined;
}

export async function createUser(label: string): Promise<{ id: string; email: string }> {
  return prisma().user.create({ data: { email: `${label}-${randomBytes(4).toString("hex")}@rel.test` }, select: { id: true, email: true } });
}

export async function tokenFor(userId: string): Promise<string> {
  const tokens = createTokenService({ db: prisma(), key: new TextEncoder().encode(process.env.JWT_SECRET!) });
  return (await tokens.issue({ userId, via: "test" })).token;
}

/** The portal's session cookie for `userId`, as Auth.js writes it over plain HTTP. */
export async function sessionCookie(userId: string): Promise<string> {
  const name = "authjs.session-token";
  const value = await encode({ token: { sub: userId }, secret: process.env.AUTH_SECRET!, salt: name });
  return `${name}=${value}`;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
  ms: number;
}

/** Every response body of the run, for the secret scan. */
export const transcript: string[] = [];

export async function request(
  baseUrl: string,
  method: string,
  url: string,
  options: { key?: string; token?: string; headers?: Record<string, string>; json?: unknown; body?: BodyInit; timeoutMs?: number } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers["X-API-Key"] = options.key;
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["Content-Type"] ??= "application/json";
  }
  const started = performance.now();
  const response = await fetch(`${baseUrl}${url}`, { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  const text = await response.text();
  const ms = performance.now() - started;
  transcript.push(`${Array.from(response.headers as unknown as Iterable<[string, string]>).map(([k, v]) => `${k}: ${v}`).join("\n")}\n${text}`);
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, text, body: parsed, ms };
}

export async function createKey(baseUrl: string, token: string, scope: "read_only" | "full_access", name = `rel ${scope}`) {
  const created = await request(baseUrl, "POST", "/api/v1/auth/api-keys", { token, json: { name, scope }, headers: { "X-Forwarded-For": "10.9.9.9" } });
  if (created.status !== 201) throw new Error(`key creation answered ${created.status}: ${created.text}`);
  return created.body.data as { id: string; key: string; start: string; scope: string };
}

/** Requests served per key as flushed to the database. */
export async function usageOf(keyIds: string[]): Promise<{ requests: number; rateLimited: number }> {
  const [row] = await sql<{ requests: string | null; rate_limited: string | null }>(
    `SELECT sum(requests)::text AS requests, sum("rateLimited")::text AS rate_limited FROM api_key_usage WHERE "apiKeyId" = ANY($1)`,
    [keyIds],
  );
  return { requests: Number(row?.requests ?? 0), rateLimited: Number(row?.rate_limited ?? 0) };
}

/** Runs `task` `total` times with `concurrency` workers. */
export async function pool_run(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

/** Resident memory of a process, in MiB. */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}
