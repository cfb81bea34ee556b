import { readFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { createDatabase, type Database } from "@twx/db";
import { createTokenService } from "@twx/tokens";
import { expect } from "vitest";

export const baseUrl = process.env.TWX_E2E_BASE_URL!;
export const api = `${baseUrl}/api/v1`;

let database: { db: Database; close(): Promise<void> } | undefined;

/** The app's database, for preparing data the API cannot create (users, expired keys). */
export function db(): Database {
  if (!database) {
    const url = process.env.DATABASE_URL!;
    const embedded = new URL(url).searchParams.get("embedded") === "1";
    const { db: client, pool } = createDatabase({ url, maxConnections: embedded ? 1 : 3 });
    database = {
      db: client,
      close: async () => {
        await client.$disconnect();
        await pool.end();
      },
    };
  }
  return database.db;
}

export async function closeDb(): Promise<void> {
  await database?.close();
  database = undefined;
}

export async function createUser(label: string): Promise<{ id: string; email: string }> {
  return db().user.create({
    data: { email: `${label}-${randomBytes(4).toString("hex")}@e2e.test` },
    select: { id: true, email: true },
  });
}

/** A user access token signed with the server's JWT_SECRET (set by the global set-up). */
export async function tokenFor(userId: string, ttlSeconds?: number): Promise<string> {
  const tokens = createTokenService({ db: db(), key: new TextEncoder().encode(process.env.JWT_SECRET!) });
  return (await tokens.issue({ userId, via: "test", ...(ttlSeconds ? { ttlSeconds } : {}) })).token;
}

export interface Call {
  status: number;
  headers: Headers;
  body: any;
}

export async function call(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; json?: unknown; body?: RequestInit["body"]; key?: string; token?: string } = {},
): Promise<Call> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers["X-API-Key"] = options.key;
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(`${api}${path}`, { method, headers, body, ...(body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Creates a key through the API, as an external developer would, and returns the secret. */
export async function createKey(token: string, scope: "read_only" | "full_access", name = `e2e ${scope}`) {
  const created = await call("POST", "/auth/api-keys", { token, json: { name, scope } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.data as { id: string; key: string; start: string; scope: string };
}

export function expectError(response: Call, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toMatchObject({ success: false, error: { code, message: expect.any(String) } });
  expect(response.headers.get("x-request-id")).toMatch(/^req_/);
}

/** The server log must never contain any of these secrets. */
export async function expectLogsFreeOf(secrets: string[]): Promise<void> {
  const log = await readFile(process.env.TWX_E2E_LOG!, "utf8");
  expect(log.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(log.includes(secret), "a secret reached the server log").toBe(false);
}
