/**
 * The wrapper with injected dependencies: every rule of authentication, scopes, limits, bodies
 * and errors, without a database or a server.
 */
import { NotFoundError } from "@twx/conversations";
import type { Database } from "@twx/db";
import { createKeyVerifier, generateKey, KeyLimitExceededError } from "@twx/keys";
import vm from "node:vm";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createLogger,
  createRestHandler,
  defineOperation,
  methodNotAllowed,
  type AnyOperation,
  type ApiKeyCheck,
  type RateLimitDecision,
  type RestDependencies,
  type VerifiedApiKey,
} from "../src";

const READ_KEY = generateKey();
const FULL_KEY = generateKey();
const REVOKED_KEY = generateKey();
const EXPIRED_KEY = generateKey();
const UNKNOWN_KEY = generateKey();
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl";

function verified(id: string, raw: string, scope: VerifiedApiKey["scope"]): VerifiedApiKey {
  return { id, userId: `user-of-${id}`, scope, expiresAt: null, start: raw.slice(0, 9) };
}

interface Harness {
  deps: RestDependencies;
  logs: Array<Record<string, unknown>>;
  uses: Array<{ id: string; rateLimited: boolean }>;
  limitCalls: Array<{ kind: string; id: string }>;
  verifyCalls: string[];
  decision: RateLimitDecision;
}

function harness(): Harness {
  const logs: Array<Record<string, unknown>> = [];
  const uses: Harness["uses"] = [];
  const limitCalls: Harness["limitCalls"] = [];
  const verifyCalls: string[] = [];
  const h: Harness = {
    logs,
    uses,
    limitCalls,
    verifyCalls,
    decision: { success: true, limit: 200, remaining: 199, reset: 1_900_000_000_500, retryAfterSeconds: 0 },
    deps: undefined as unknown as RestDependencies,
  };
  const keys: Record<string, ApiKeyCheck> = {
    [READ_KEY]: { ok: true, key: verified("k-read", READ_KEY, "read_only") },
    [FULL_KEY]: { ok: true, key: verified("k-full", FULL_KEY, "full_access") },
    [REVOKED_KEY]: { ok: false, reason: "revoked" },
    [EXPIRED_KEY]: { ok: false, reason: "expired" },
  };
  const log = (level: string) => (object: Record<string, unknown>, msg: string) => logs.push({ level, msg, ...object });
  h.deps = {
    db: {} as Database,
    logger: { info: log("info"), warn: log("warn"), error: log("error") },
    responder: { name: "none", reply: async () => "" },
    async authenticateApiKey(raw) {
      verifyCalls.push(raw);
      return keys[raw] ?? { ok: false, reason: "invalid" };
    },
    recordUse: (key, options) => uses.push({ id: key.id, rateLimited: options.rateLimited }),
    verifyUserToken: async (token) => (token === JWT ? { ok: true, userId: "user-1" } : { ok: false }),
    async rateLimit(kind, id) {
      limitCalls.push({ kind, id });
      return h.decision;
    },
    keys: {
      create: async () => {
        throw new KeyLimitExceededError(50);
      },
      list: async () => [],
      rename: async () => {
        throw new Error("unused");
      },
      revoke: async () => {
        throw new Error("unused");
      },
    },
  };
  return h;
}

const readOp = defineOperation({
  operationId: "readThing",
  method: "GET",
  path: "/things/{id}",
  tag: "Twins",
  summary: "read",
  auth: { kind: "api_key", scope: "read_only" },
  params: z.object({ id: z.string() }),
  query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
  success: { status: 200, description: "ok", schema: z.object({}) },
  examples: { response: {} },
  async handle({ params, query, caller }) {
    if (params.id === "missing") throw new NotFoundError("conversation");
    if (params.id === "db-down") {
      throw Object.assign(new Error("Invalid `db.x()` invocation in /src/secret.ts Can't reach database server"), {
        name: "PrismaClientKnownRequestError",
        code: "P1001",
      });
    }
    if (params.id === "crash") throw new Error(`boom with ${FULL_KEY} inside`);
    return { data: { id: params.id, limit: query.limit, user: caller.kind === "api_key" ? caller.userId : null } };
  },
});

const writeOp = defineOperation({
  operationId: "writeThing",
  method: "POST",
  path: "/things",
  tag: "Twins",
  summary: "write",
  auth: { kind: "api_key", scope: "full_access" },
  body: z.strictObject({ content: z.string().trim().min(1).max(8000) }),
  success: { status: 201, description: "created", schema: z.object({}) },
  examples: { response: {} },
  async handle({ body }) {
    return { data: { echoed: body.content } };
  },
});

const userOp = defineOperation({
  operationId: "manageKeys",
  method: "POST",
  path: "/auth/api-keys",
  tag: "API keys",
  summary: "keys",
  auth: { kind: "user_token" },
  body: z.strictObject({ name: z.string() }),
  success: { status: 201, description: "created", schema: z.object({}) },
  examples: { response: {} },
  async handle({ body, caller, deps }) {
    if (body.name === "full") await deps.keys.create("user-1", { name: "x", scope: "read_only", expiresAt: null });
    return { data: { user: caller.kind === "user_token" ? caller.userId : null } };
  },
});

let h: Harness;
beforeEach(() => {
  h = harness();
});

async function call(
  operation: AnyOperation,
  init: RequestInit & { path?: string; params?: Record<string, string> } = {},
) {
  const handler = createRestHandler(operation, () => h.deps);
  const request = new Request(`http://localhost/api/v1${init.path ?? "/things/abc"}`, init);
  const response = await handler(request, { params: Promise.resolve(init.params ?? { id: "abc" }) });
  const text = await response.text();
  return { response, status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

describe("credentials", () => {
  it("accepts a key as Bearer, any case, padded with white space, or as X-API-Key", async () => {
    for (const headers of <Array<Record<string, string>>>[
      { Authorization: `Bearer ${READ_KEY}` },
      { Authorization: `bearer ${READ_KEY}` },
      { Authorization: `  BEARER \t ${READ_KEY}   ` },
      { "X-API-Key": `  ${READ_KEY} ` },
      { Authorization: `Bearer ${READ_KEY}`, "X-API-Key": READ_KEY },
    ]) {
      const { status, body, response } = await call(readOp, { headers });
      expect(status).toBe(200);
      expect(body).toEqual({ success: true, data: { id: "abc", limit: 20, user: "user-of-k-read" } });
      expect(response.headers.get("X-Request-Id")).toMatch(/^req_[0-9a-f]{32}$/);
    }
  });

  it("refuses two different credentials with 400 ambiguous_credentials before any verification", async () => {
    const { status, body } = await call(readOp, { headers: { Authorization: `Bearer ${READ_KEY}`, "X-API-Key": FULL_KEY } });
    expect(status).toBe(400);
    expect(body.error.code).toBe("ambiguous_credentials");
    expect(h.verifyCalls).toEqual([]);
  });

  it("answers 401 missing_credentials with a Bearer challenge", async () => {
    for (const headers of <Array<Record<string, string>>>[{}, { Authorization: "Basic dXNlcjpwYXNz" }, { Authorization: "Bearer   " }, { "X-API-Key": " " }]) {
      const { status, body, response } = await call(readOp, { headers });
      expect(status).toBe(401);
      expect(body.error.code).toBe("missing_credentials");
      expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer /);
      expect(response.headers.get("X-Request-Id")).toBeTruthy();
      expect(response.headers.get("X-RateLimit-Limit")).toBeNull();
    }
  });

  it("maps each key failure to its code", async () => {
    for (const [key, code] of [
      [UNKNOWN_KEY, "invalid_api_key"],
      [REVOKED_KEY, "api_key_revoked"],
      [EXPIRED_KEY, "api_key_expired"],
      [JWT, "invalid_api_key"],
    ] as const) {
      const { status, body, response } = await call(readOp, { headers: { Authorization: `Bearer ${key}` } });
      expect(status).toBe(401);
      expect(body.error.code).toBe(code);
      expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    }
    expect(h.limitCalls).toEqual([]);
  });

  it("refuses a malformed key without touching the database (real verifier)", async () => {
    const untouchable = new Proxy({}, {
      get() {
        throw new Error("the database was touched");
      },
    }) as Database;
    const verifier = createKeyVerifier({ db: untouchable, pepper: null, usageFlushIntervalMs: 0 });
    h.deps.authenticateApiKey = (raw) => verifier.verifyKey(raw);
    try {
      for (const bad of [`${READ_KEY.slice(0, -1)}x`, "twx_short", READ_KEY.replace("twx_", "sk_"), JWT]) {
        const { status, body } = await call(readOp, { headers: { "X-API-Key": bad } });
        expect(status).toBe(401);
        expect(body.error.code).toBe("invalid_api_key");
      }
      expect(verifier.stats()).toMatchObject({ lookups: 0, malformed: 4 });
    } finally {
      await verifier.close();
    }
  });
});

describe("scopes, limits and usage", () => {
  it("counts every valid-key request, sets the limit headers, and names the missing scope", async () => {
    const { status, body, response } = await call(writeOp, {
      method: "POST",
      path: "/things",
      headers: { Authorization: `Bearer ${READ_KEY}` },
      body: JSON.stringify({ content: "hi" }),
    });
    expect(status).toBe(403);
    expect(body.error).toMatchObject({ code: "insufficient_scope", requiredScope: "full_access" });
    expect(body.error.message).toContain("full_access");
    expect(response.headers.get("X-RateLimit-Limit")).toBe("200");
    expect(response.headers.get("X-RateLimit-Remaining")).toBe("199");
    expect(response.headers.get("X-RateLimit-Reset")).toBe("1900000001");
    expect(h.limitCalls).toEqual([{ kind: "read_only", id: "k-read" }]);
    expect(h.uses).toEqual([{ id: "k-read", rateLimited: false }]);
  });

  it("uses the full_access limiter for full_access keys", async () => {
    const { status, body } = await call(writeOp, {
      method: "POST",
      path: "/things",
      headers: { "x-api-key": FULL_KEY },
      body: JSON.stringify({ content: "  hello  " }),
    });
    expect(status).toBe(201);
    expect(body.data).toEqual({ echoed: "hello" });
    expect(h.limitCalls).toEqual([{ kind: "full_access", id: "k-full" }]);
  });

  it("answers 429 rate_limited with Retry-After in seconds and counts the refusal in usage", async () => {
    h.decision = { success: false, limit: 200, remaining: 0, reset: Date.now() + 42_000, retryAfterSeconds: 42 };
    const { status, body, response } = await call(readOp, { headers: { Authorization: `Bearer ${READ_KEY}` } });
    expect(status).toBe(429);
    expect(body.error).toMatchObject({ code: "rate_limited", retryAfter: 42 });
    expect(response.headers.get("Retry-After")).toBe("42");
    expect(response.headers.get("X-RateLimit-Remaining")).toBe("0");
    expect(h.uses).toEqual([{ id: "k-read", rateLimited: true }]);
  });
});

describe("user access tokens", () => {
  const post = (headers: Record<string, string>, body = { name: "x" }) =>
    call(userOp, { method: "POST", path: "/auth/api-keys", headers, body: JSON.stringify(body) });

  it("accepts a token and limits per user", async () => {
    h.decision = { success: true, limit: 60, remaining: 59, reset: Date.now() + 60_000, retryAfterSeconds: 0 };
    const { status, body, response } = await post({ Authorization: `bearer ${JWT}` });
    expect(status).toBe(201);
    expect(body.data).toEqual({ user: "user-1" });
    expect(h.limitCalls).toEqual([{ kind: "user-management", id: "user-1" }]);
    expect(response.headers.get("X-RateLimit-Limit")).toBe("60");
  });

  it("refuses API keys with 403 api_key_not_allowed, whatever the header and even valid ones", async () => {
    for (const headers of <Array<Record<string, string>>>[{ Authorization: `Bearer ${FULL_KEY}` }, { "X-API-Key": FULL_KEY }, { "X-API-Key": "junk" }]) {
      const { status, body } = await post(headers);
      expect(status).toBe(403);
      expect(body.error.code).toBe("api_key_not_allowed");
    }
    expect(h.verifyCalls).toEqual([]);
  });

  it("answers 401 invalid_token for a bad token and 401 missing_credentials for none", async () => {
    const bad = await post({ Authorization: "Bearer eyJ.bad.token" });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe("invalid_token");
    expect(bad.response.headers.get("WWW-Authenticate")).toMatch(/^Bearer /);
    const none = await post({});
    expect(none.body.error.code).toBe("missing_credentials");
  });

  it("maps key-domain errors by code", async () => {
    const { status, body } = await post({ Authorization: `Bearer ${JWT}` }, { name: "full" });
    expect(status).toBe(409);
    expect(body.error.code).toBe("key_limit_exceeded");
  });
});

describe("bodies and validation", () => {
  const write = (body: RequestInit["body"], headers: Record<string, string> = {}, extra: RequestInit = {}) =>
    call(writeOp, { method: "POST", path: "/things", headers: { "X-API-Key": FULL_KEY, ...headers }, body, ...extra });

  it("answers 400 invalid_json for broken, empty or non-UTF-8 bodies", async () => {
    for (const body of ["{", "", new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d])]) {
      const { status, body: answer } = await write(body);
      expect(status).toBe(400);
      expect(answer.error.code).toBe("invalid_json");
    }
  });

  it("answers 400 validation_error with a detail per field", async () => {
    const { status, body } = await write(JSON.stringify({ content: "   ", extra: 1 }));
    expect(status).toBe(400);
    expect(body.error.code).toBe("validation_error");
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { path: "content", message: expect.any(String) },
        { path: "extra", message: "unknown field" },
      ]),
    );
    const array = await write(JSON.stringify([1]));
    expect(array.body.error.code).toBe("validation_error");
  });

  it("validates query parameters", async () => {
    const { status, body } = await call(readOp, { path: "/things/abc?limit=0", headers: { "X-API-Key": READ_KEY } });
    expect(status).toBe(400);
    expect(body.error.details).toEqual([{ path: "limit", message: expect.any(String) }]);
  });

  it("answers 413 on a declared Content-Length over 64 KiB without reading the body", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const { status, body } = await write(stream, { "Content-Length": String(64 * 1024 + 1) }, { duplex: "half" } as RequestInit);
    expect(status).toBe(413);
    expect(body.error.code).toBe("payload_too_large");
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it("answers 413 on a streamed body that grows past 64 KiB without a Content-Length", async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
        if (sent > 10 * 1024 * 1024) controller.close();
      },
    });
    const { status, body } = await write(stream, {}, { duplex: "half" } as RequestInit);
    expect(status).toBe(413);
    expect(body.error.code).toBe("payload_too_large");
    expect(sent).toBeLessThan(200 * 1024);
  });

  it("accepts a body of exactly 64 KiB", async () => {
    const content = "a".repeat(8000);
    const json = JSON.stringify({ content });
    const padded = json.slice(0, -1) + " ".repeat(64 * 1024 - json.length) + "}";
    expect(Buffer.byteLength(padded)).toBe(64 * 1024);
    expect((await write(padded)).status).toBe(201);
  });
});

describe("failures", () => {
  it("answers 404 not_found for domain misses", async () => {
    const { status, body } = await call(readOp, { headers: { "X-API-Key": READ_KEY }, params: { id: "missing" } });
    expect(status).toBe(404);
    expect(body.error.code).toBe("not_found");
  });

  it("answers 503 service_unavailable with Retry-After when the database is unreachable", async () => {
    const { status, body, response, text } = await call(readOp, { headers: { "X-API-Key": READ_KEY }, params: { id: "db-down" } });
    expect(status).toBe(503);
    expect(body.error.code).toBe("service_unavailable");
    expect(response.headers.get("Retry-After")).toBe("5");
    expect(text).not.toContain("secret.ts");
    const line = h.logs.find((l) => l.status === 503)!;
    expect(line.error).toEqual({ name: "PrismaClientKnownRequestError", code: "P1001" });
  });

  it("answers 500 internal_error with the request id only, and logs no key and no stack", async () => {
    const { status, body, response, text } = await call(readOp, { headers: { Authorization: `Bearer ${READ_KEY}` }, params: { id: "crash" } });
    expect(status).toBe(500);
    expect(body.error.code).toBe("internal_error");
    expect(body.error.message).toContain(response.headers.get("X-Request-Id")!);
    expect(text).not.toContain("boom");
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
    const logged = JSON.stringify(h.logs);
    expect(logged).not.toContain(FULL_KEY);
    expect(logged).not.toContain(READ_KEY);
    expect(logged).not.toMatch(/\bat .*:\d+:\d+/);
    expect(h.logs.at(-1)).toMatchObject({ level: "error", keyStart: READ_KEY.slice(0, 9), requestId: response.headers.get("X-Request-Id") });
  });

  it("logs every request with its id and key start, never the key", async () => {
    await call(readOp, { headers: { Authorization: `Bearer ${READ_KEY}` } });
    await call(readOp, { headers: { Authorization: `Bearer ${UNKNOWN_KEY}` } });
    expect(h.logs).toHaveLength(2);
    expect(h.logs[0]).toMatchObject({ level: "info", status: 200, keyStart: READ_KEY.slice(0, 9), operationId: "readThing" });
    expect(h.logs[1]).toMatchObject({ status: 401, errorCode: "invalid_api_key" });
    expect(JSON.stringify(h.logs)).not.toContain(READ_KEY);
    expect(JSON.stringify(h.logs)).not.toContain(UNKNOWN_KEY);
  });

  it("writes pino lines without stack traces or keys, even for errors from another realm", async () => {
    const lines: string[] = [];
    h.deps.logger = createLogger("info", { write: (line: string) => void lines.push(line) });
    const foreign = vm.runInNewContext("(() => { const e = new Error('chunk failed'); e.name = 'ChunkLoadError'; return e; })()");
    const crashing = defineOperation({ ...readOp, handle: async () => Promise.reject(foreign) } as never);
    const { status } = await call(crashing, { headers: { Authorization: `Bearer ${READ_KEY}` } });
    expect(status).toBe(500);
    const line = JSON.parse(lines.at(-1)!);
    expect(line).toMatchObject({ level: 50, keyStart: READ_KEY.slice(0, 9), error: { name: "ChunkLoadError", message: "chunk failed" } });
    expect(lines.join("")).not.toContain(READ_KEY);
    expect(lines.join("")).not.toMatch(/stack|\bat .*:\d+:\d+/);
  });

  it("answers 405 with Allow for other methods", async () => {
    const response = await methodNotAllowed(["GET", "POST"])(new Request("http://localhost/api/v1/things", { method: "PUT" }), {});
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, POST");
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });
});
