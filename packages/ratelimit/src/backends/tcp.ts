/**
 * Redis over TCP (ioredis) behind the two calls `@upstash/ratelimit` makes on its redis object.
 *
 * Arguments and replies follow `@upstash/redis`: arguments serialised the same way, replies
 * through the same JSON-ish deserialisation, errors carrying Redis' text (so "NOSCRIPT" reaches
 * the library's fallback). Scripts lose their Upstash-only shebang flag on the way (see
 * ../scripts.ts).
 *
 * Connection settings aim at failing fast instead of queueing: a rate limit decision that waits
 * for a reconnect is worse than a decision by the failure policy. Between reconnect attempts
 * commands fail at once; during an attempt they wait for it and are rejected if it fails
 * (`maxRetriesPerRequest: 0`); commands on a silent connection time out (`commandTimeout`); and
 * a command whose connection dropped is not replayed after reconnecting (its request was
 * already decided). ioredis keeps reconnecting in the background, so limiting resumes by itself.
 */
import { Redis, type RedisOptions } from "ioredis";
import { ScriptShaMap, deserializeLikeUpstash, serializeArg } from "../scripts";
import { describeError, type RateLimitBackend, type ScriptRedis } from "./types";

export class TcpScriptRedis implements ScriptRedis {
  readonly #shas = new ScriptShaMap();

  constructor(private readonly client: Redis) {}

  /** Known down (waiting to reconnect, or closed): answer now rather than queue. */
  #assertUsable(): void {
    const { status } = this.client;
    if (status === "reconnecting" || status === "end" || status === "close") {
      throw new Error(`redis unavailable (connection ${status})`);
    }
  }

  async evalsha(sha: string, keys: string[], args: unknown[]): Promise<unknown> {
    this.#assertUsable();
    const reply = await this.client.evalsha(
      this.#shas.resolve(sha),
      keys.length,
      ...keys,
      ...args.map(serializeArg),
    );
    return deserializeLikeUpstash(reply);
  }

  async eval(script: string, keys: string[], args: unknown[]): Promise<unknown> {
    this.#assertUsable();
    const { runnable } = this.#shas.prepare(script);
    const reply = await this.client.eval(runnable, keys.length, ...keys, ...args.map(serializeArg));
    return deserializeLikeUpstash(reply);
  }
}

/** "redis tcp host:port[/db]" or "redis tls ..."; never the password. */
export function describeRedisUrl(url: string): string {
  const parsed = new URL(url);
  const transport = parsed.protocol === "rediss:" ? "tls" : "tcp";
  const port = parsed.port || "6379";
  const db = parsed.pathname.replace(/^\//, "");
  return `redis ${transport} ${parsed.hostname}:${port}${db && db !== "0" ? `/${db}` : ""}`;
}

export interface RedisTcpBackendOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Upper bound of one command, ms; the limiter's own timeout usually answers first. */
  commandTimeoutMs?: number;
  /** Longest pause between reconnect attempts, ms. */
  maxReconnectDelayMs?: number;
  /** Extra ioredis options (tests). */
  redisOptions?: RedisOptions;
}

export function redisTcpBackend(options: RedisTcpBackendOptions): RateLimitBackend & {
  readonly client: Redis;
} {
  const name = describeRedisUrl(options.url);
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const client = new Redis(options.url, {
    maxRetriesPerRequest: 0,
    // Far above the limiter's own timeout, which decides how long a request waits. This one only
    // bounds a command left behind, and its timer fires before a busy event loop reads the reply:
    // at 1 s, a burst that kept the loop busy for over a second turned replies Redis had already
    // sent into errors, and so into decisions by the failure policy past the limit.
    commandTimeout: options.commandTimeoutMs ?? 10_000,
    connectTimeout: 2_000,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxDelay),
    ...options.redisOptions,
  });
  // Without a listener an unreachable Redis would crash the process ("Unhandled error event").
  // Not logged here: the limiter's throttled warning reports it with the failed decision.
  let connectionError: string | undefined;
  client.on("error", (error: unknown) => {
    connectionError = describeError(error);
  });
  client.on("ready", () => {
    connectionError = undefined;
  });
  return {
    kind: "redis-tcp",
    name,
    client,
    redis: new TcpScriptRedis(client),
    lastError: () => connectionError,
    async close() {
      client.disconnect();
    },
  };
}
