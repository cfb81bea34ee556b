/**
 * Upstash-compatible REST bridge to a Redis over TCP, for local runs and tests: the production
 * code path (`@upstash/redis` → HTTP) without an Upstash account, and without Docker (Upstash's
 * own SRH proxy ships as a container).
 *
 * Protocol, as `@upstash/redis` 1.39 speaks it (pkg/http.ts and pkg/pipeline.ts in its dist):
 *   POST /            body ["CMD", "arg", ...]        → {"result": ...}       or 400 {"error": "..."}
 *   POST /pipeline    body [["CMD", ...], ...]        → [{"result"}|{"error"}, ...]
 *   POST /multi-exec  same, inside MULTI/EXEC         → same; queue-time errors abort all (400)
 *   Authorization: Bearer <token> on every request (401 {"error": "Unauthorized"} otherwise).
 *   With "Upstash-Encoding: base64" (the client's default) every string in the result, at any
 *   depth, is base64 of its bytes, except the status "OK" which the client expects verbatim;
 *   numbers and nulls are left as they are.
 * Redis being unreachable gives 503 {"error": "..."}.
 *
 * Scripts go through the same shebang-flag workaround as the TCP backend (../scripts.ts), since
 * `@upstash/ratelimit` sends Upstash-only flags that self-hosted Redis refuses.
 *
 * One shared connection serves every request, so commands that would take it over (SUBSCRIBE,
 * MONITOR, SELECT, blocking pops, client-side MULTI...) are refused. Not for production use.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { ScriptShaMap } from "../scripts";
import { describeRedisUrl } from "../backends/tcp";
import { ThrottledWarning, consoleLogger, describeError, type RateLimitLogger } from "../backends/types";

export interface UpstashBridgeOptions {
  /** redis:// URL of the Redis to forward to. */
  redisUrl: string;
  /** Bearer token clients must present. */
  token: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the bridge has no TLS and is meant for this machine. */
  host?: string;
  /** Largest request body, bytes. Default 10 MiB. */
  maxBodyBytes?: number;
  /** Upper bound of one Redis command, ms. Default 5 000. */
  commandTimeoutMs?: number;
  logger?: RateLimitLogger;
}

export interface UpstashBridge {
  /** Base URL to give @upstash/redis (UPSTASH_REDIS_REST_URL). */
  readonly url: string;
  readonly port: number;
  /** "redis tcp host:port" it forwards to. */
  readonly target: string;
  close(): Promise<void>;
}

type CommandArg = string | number | boolean;
type Command = CommandArg[];

class BridgeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const OK = Buffer.from("OK");

const REFUSED = new Set([
  "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe",
  "monitor", "multi", "exec", "discard", "watch", "unwatch", "select", "swapdb", "quit",
  "reset", "hello", "auth", "client", "blpop", "brpop", "brpoplpush", "blmove", "blmpop",
  "bzpopmin", "bzpopmax", "bzmpop", "wait", "waitaof", "shutdown", "debug",
]);

function isCommand(value: unknown): value is Command {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    typeof value[0] === "string" &&
    value.every((a) => typeof a === "string" || typeof a === "number" || typeof a === "boolean")
  );
}

function validate(value: unknown): Command {
  if (!isCommand(value)) {
    throw new BridgeError(400, "ERR command must be a non-empty array of strings and numbers, command name first");
  }
  const name = String(value[0]).toLowerCase();
  const blockingRead =
    (name === "xread" || name === "xreadgroup") && value.some((a) => String(a).toLowerCase() === "block");
  if (REFUSED.has(name) || blockingRead) {
    throw new BridgeError(400, `ERR command not supported by the bridge: ${name}`);
  }
  return value;
}

interface Prepared {
  name: string;
  args: string[];
  mapReply?: (reply: unknown) => unknown;
}

/** Applies the shebang-flag workaround to script commands; others pass as they are. */
function prepare(command: Command, shas: ScriptShaMap): Prepared {
  const lower = String(command[0]).toLowerCase();
  // Upper case on the wire: ioredis rewrites some replies by lower-case command name (HGETALL
  // becomes an object, losing binary field names); the bridge must pass Redis' reply through.
  const name = lower.toUpperCase();
  const args = command.slice(1).map(String);
  if ((lower === "eval" || lower === "eval_ro") && args[0] !== undefined) {
    args[0] = shas.prepare(args[0]).runnable;
  } else if ((lower === "evalsha" || lower === "evalsha_ro") && args[0] !== undefined) {
    args[0] = shas.resolve(args[0]);
  } else if (lower === "script" && args[0]?.toLowerCase() === "load" && args[1] !== undefined) {
    const { runnable, originalSha } = shas.prepare(args[1]);
    args[1] = runnable;
    // The caller computed the SHA-1 of what it sent; answer with that one.
    return { name, args, mapReply: () => originalSha };
  } else if (lower === "script" && args[0]?.toLowerCase() === "exists") {
    for (let i = 1; i < args.length; i++) args[i] = shas.resolve(args[i]!);
  }
  return { name, args };
}

export function encodeReply(value: unknown, base64: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) {
    if (!base64) return value.toString("utf8");
    return value.equals(OK) ? "OK" : value.toString("base64");
  }
  if (typeof value === "string") {
    if (!base64 || value === "OK") return value;
    return Buffer.from(value, "utf8").toString("base64");
  }
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map((item) => encodeReply(item, base64));
  if (value instanceof Error) return encodeReply(value.message, base64);
  return value;
}

function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === "ReplyError";
}

function unavailable(error: unknown): BridgeError {
  return new BridgeError(503, `ERR redis unavailable: ${describeError(error)}`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is drained, not kept: answering while the client is still
      // sending would reset the connection before it reads the 413.
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () =>
      size > limit ? reject(new BridgeError(413, "ERR request body too large")) : resolve(Buffer.concat(chunks)),
    );
    req.on("error", reject);
  });
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

export async function startUpstashBridge(options: UpstashBridgeOptions): Promise<UpstashBridge> {
  if (!options.token) throw new Error("startUpstashBridge: a token is required");
  const tokenDigest = digest(options.token);
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const target = describeRedisUrl(options.redisUrl);
  const logger = options.logger ?? consoleLogger;
  const warning = new ThrottledWarning(logger, 60_000, Date.now);
  const shas = new ScriptShaMap();

  const redis = new Redis(options.redisUrl, {
    // Fail requests while Redis is away instead of holding them: the client has its own timeouts.
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 5_000,
    connectTimeout: 2_000,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), 1_000),
  });
  redis.on("error", (error: unknown) => {
    warning.warn({ target, error: describeError(error) }, "upstash bridge: redis connection error");
  });

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    return match !== null && timingSafeEqual(digest(match[1]!.trim()), tokenDigest);
  }

  /** Between reconnect attempts commands would wait for the next one: answer 503 at once. */
  function assertConnected(): void {
    const { status } = redis;
    if (status === "reconnecting" || status === "close" || status === "end") {
      throw unavailable(new Error(`connection ${status}`));
    }
  }

  async function single(body: unknown, base64: boolean): Promise<unknown> {
    const prepared = prepare(validate(body), shas);
    assertConnected();
    try {
      const reply: unknown = await redis.callBuffer(prepared.name, ...prepared.args);
      return { result: encodeReply(prepared.mapReply ? prepared.mapReply(reply) : reply, base64) };
    } catch (error) {
      if (isReplyError(error)) throw new BridgeError(400, error.message);
      throw unavailable(error);
    }
  }

  async function batch(body: unknown, base64: boolean, transaction: boolean): Promise<unknown> {
    if (!Array.isArray(body) || body.length === 0) {
      throw new BridgeError(400, "ERR body must be a non-empty array of commands");
    }
    const prepared = body.map((command) => prepare(validate(command), shas));
    assertConnected();
    const chain = transaction ? redis.multi() : redis.pipeline();
    for (const p of prepared) chain.callBuffer(p.name, ...p.args);
    let results: Array<[Error | null, unknown]> | null;
    try {
      results = await chain.exec();
    } catch (error) {
      // EXECABORT: a command was refused when queued, nothing ran.
      if (isReplyError(error)) {
        const previous = (error as Error & { previousErrors?: Error[] }).previousErrors ?? [];
        const detail = previous.map((e) => e.message).join("; ");
        throw new BridgeError(400, detail ? `${error.message} ${detail}` : error.message);
      }
      throw unavailable(error);
    }
    if (results === null) throw new BridgeError(400, "ERR transaction aborted");
    const connectionError = results.find(([error]) => error && !isReplyError(error));
    if (connectionError) throw unavailable(connectionError[0]);
    return results.map(([error, reply], i) =>
      error
        ? { error: error.message }
        : { result: encodeReply(prepared[i]!.mapReply ? prepared[i]!.mapReply!(reply) : reply, base64) },
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req)) {
      req.resume();
      return send(res, 401, { error: "Unauthorized" });
    }
    if (req.method !== "POST") {
      req.resume();
      return send(res, 405, { error: "ERR only POST is supported" });
    }
    const path = new URL(req.url ?? "/", "http://bridge").pathname.replace(/\/+$/, "") || "/";
    if (path !== "/" && path !== "/pipeline" && path !== "/multi-exec") {
      req.resume();
      return send(res, 404, { error: `ERR unknown endpoint ${path}` });
    }
    const raw = await readBody(req, maxBody);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      return send(res, 400, { error: "ERR failed to parse JSON body" });
    }
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    const reply =
      path === "/" ? await single(body, base64) : await batch(body, base64, path === "/multi-exec");
    send(res, 200, reply);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      if (error instanceof BridgeError) return send(res, error.status, { error: error.message });
      warning.warn({ target, error: describeError(error) }, "upstash bridge: internal error");
      send(res, 500, { error: "ERR internal bridge error" });
    });
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    target,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      redis.disconnect();
    },
  };
}
