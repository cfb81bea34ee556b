/**
 * Upstash Redis over REST (`@upstash/redis`): the production backend. Also what runs against the
 * local bridge (../bridge), which speaks the same protocol to a self-hosted Redis.
 */
import { Redis } from "@upstash/redis";
import type { RateLimitBackend, ScriptRedis } from "./types";

export interface UpstashRestBackendOptions {
  url: string;
  token: string;
  /**
   * Abort an HTTP exchange (retries included) after this many ms. The limiter's decision does
   * not wait for it (its own timeout answers first); this bounds the request left behind.
   */
  requestTimeoutMs?: number;
  /** Retries after a network error (not after an HTTP error reply). @upstash/redis defaults to 5. */
  retries?: number;
}

/** "upstash rest https://host[:port]": origin only, never a token or query string. */
export function describeRestUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `upstash rest ${parsed.protocol}//${parsed.host}`;
  } catch {
    return "upstash rest (invalid url)";
  }
}

export function upstashRestBackend(options: UpstashRestBackendOptions): RateLimitBackend & {
  readonly client: Redis;
} {
  // Generous on purpose, as the TCP backend's command timeout: under a burst the event loop may
  // read a reply that has already arrived only after a short timer fired, and an abort then would
  // turn a real decision into an error. The limiter's own timeout bounds how long a request waits.
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const client = new Redis({
    url: options.url,
    token: options.token,
    // Metadata headers about our runtime have no use to us.
    enableTelemetry: false,
    retry: { retries: options.retries ?? 1, backoff: () => 25 },
    // A function, not an AbortSignal: @upstash/redis turns an aborted *static* signal into a
    // successful reply whose result is "Aborted", which the library would read as a script reply.
    signal: () => AbortSignal.timeout(requestTimeoutMs),
  });
  return {
    kind: "upstash-rest",
    name: describeRestUrl(options.url),
    client,
    // @upstash/redis is what @upstash/ratelimit is written against; its evalsha/eval fit ScriptRedis.
    redis: client as unknown as ScriptRedis,
    async close() {
      // Stateless HTTP client; keep-alive sockets close with the process' global dispatcher.
    },
  };
}
