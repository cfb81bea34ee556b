/**
 * Key change notices: how a revocation, roll or new key reaches every verifier.
 *
 * In this process: lifecycle functions call {@link announceKeyChange} after their transaction
 * commits; it synchronously evicts the key from every live verifier of the process, before the
 * lifecycle call returns ("effective at once locally").
 *
 * Across processes (Redis): the same call runs one Lua script that increments a version counter
 * and publishes `"<version> <hash>"` on a channel, atomically. Every verifier subscribes to the
 * channel (evicts the hash on a message) and polls the counter a few times a second; a counter it
 * has not seen a message for means a notice was lost (pub/sub is at-most-once), and it drops its
 * whole cache. See README "Cache and revocation bound".
 *
 * A notice only ever evicts. A forged, late or duplicated message costs a database lookup, never
 * a wrong answer.
 */
import type { Redis } from "ioredis";

export const DEFAULT_NAMESPACE = "twx:keys";

export type KeyChangeKind = "created" | "revoked" | "expiry_changed";

export interface KeyChange {
  kind: KeyChangeKind;
  keyId: string;
  /** Stored hash of the key (not a secret: it is what the database and cache are keyed by). */
  hash: string;
}

export function versionKeyFor(namespace: string): string {
  return `${namespace}:version`;
}

export function channelFor(namespace: string): string {
  return `${namespace}:changes`;
}

// ---------------------------------------------------------------------------------------------
// In-process delivery
// ---------------------------------------------------------------------------------------------

type LocalListener = (change: KeyChange) => void;

// On globalThis, like the database client: a bundler (Next.js) may load this module more than
// once in one process, and a second copy must still reach the verifiers the first one created.
const shared = globalThis as unknown as {
  twxKeyChangeListeners?: Set<LocalListener>;
  twxKeyChangePublisher?: { current: KeyChangePublisher | undefined };
};
const localListeners = (shared.twxKeyChangeListeners ??= new Set<LocalListener>());
const processPublisher = (shared.twxKeyChangePublisher ??= { current: undefined });

/** Subscribe to this process's key changes; returns the unsubscribe function. */
export function onLocalKeyChange(listener: LocalListener): () => void {
  localListeners.add(listener);
  return () => localListeners.delete(listener);
}

// ---------------------------------------------------------------------------------------------
// Cross-process delivery
// ---------------------------------------------------------------------------------------------

export interface KeyChangePublisher {
  /** Bump the version and publish the change. Resolves even when Redis fails (reports to onError). */
  publish(change: KeyChange): Promise<void>;
  readonly namespace: string;
}

// INCR and PUBLISH in one script: no poller can read the new version before the message is out,
// which would make it drop its cache for nothing.
const PUBLISH_SCRIPT = `
local v = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], v .. ' ' .. ARGV[2])
return v
`;

export interface RedisPublisherOptions {
  namespace?: string;
  /** Give up on one attempt after this long; the change is committed already and must not hang. */
  timeoutMs?: number;
  /**
   * After a failed attempt, keep retrying in the background this long (default 60 s, the known-key
   * TTL: past it every verifier has re-read the key anyway).
   */
  retryForMs?: number;
  retryDelayMs?: number;
  onError?: (error: unknown) => void;
}

export function createRedisKeyChangePublisher(
  redis: Redis,
  options: RedisPublisherOptions = {},
): KeyChangePublisher {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const timeoutMs = options.timeoutMs ?? 1_000;
  const retryForMs = options.retryForMs ?? 60_000;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const onError =
    options.onError ??
    ((error: unknown) => console.error("[keys] could not publish a key change notice:", error));

  async function attempt(change: KeyChange): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        redis.eval(PUBLISH_SCRIPT, 1, versionKeyFor(namespace), channelFor(namespace), change.hash),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Retry off the caller's path. Verifiers that share this Redis outage are out of sync and read
   * the database anyway; this covers the case where only the publishing process lost Redis.
   * A duplicate (the timed-out attempt landed after all) only costs the others a cache drop.
   */
  function retryLater(change: KeyChange, until: number): void {
    const timer = setTimeout(() => {
      attempt(change).catch((error: unknown) => {
        if (Date.now() + retryDelayMs < until) retryLater(change, until);
        else onError(error);
      });
    }, retryDelayMs);
    timer.unref();
  }

  return {
    namespace,
    async publish(change) {
      try {
        await attempt(change);
      } catch (error) {
        onError(error);
        if (retryForMs > 0) retryLater(change, Date.now() + retryForMs);
      }
    },
  };
}

/**
 * The publisher lifecycle functions use by default. A verifier created with Redis installs itself
 * when none is set; a process without a verifier (an operator CLI) sets one explicitly.
 */
export function setKeyChangePublisher(publisher: KeyChangePublisher | undefined): void {
  processPublisher.current = publisher;
}

export function getKeyChangePublisher(): KeyChangePublisher | undefined {
  return processPublisher.current;
}

/**
 * Tell every verifier, here and in other processes, that a key changed. Call after the change is
 * committed (a verifier told earlier could re-read the old row). Never throws.
 */
export async function announceKeyChange(
  change: KeyChange,
  publisher: KeyChangePublisher | null | undefined = processPublisher.current,
): Promise<void> {
  for (const listener of localListeners) {
    try {
      listener(change);
    } catch (error) {
      console.error("[keys] a local key change listener failed:", error);
    }
  }
  if (publisher) await publisher.publish(change);
}

/** Parse a channel message; null when it is not one of ours. */
export function parseNotice(message: string): { version: number; hash: string } | null {
  const space = message.indexOf(" ");
  if (space <= 0) return null;
  const version = Number(message.slice(0, space));
  const hash = message.slice(space + 1);
  if (!Number.isSafeInteger(version) || !/^[0-9a-f]{64}$/.test(hash)) return null;
  return { version, hash };
}
