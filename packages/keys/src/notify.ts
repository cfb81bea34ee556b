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
const localListeners = new Set<LocalListener>();

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
  /** Give up on Redis after this long; the change is committed already and must not hang. */
  timeoutMs?: number;
  onError?: (error: unknown) => void;
}

export function createRedisKeyChangePublisher(
  redis: Redis,
  options: RedisPublisherOptions = {},
): KeyChangePublisher {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const timeoutMs = options.timeoutMs ?? 1_000;
  const onError =
    options.onError ??
    ((error: unknown) => console.error("[keys] could not publish a key change notice:", error));
  return {
    namespace,
    async publish(change) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          redis.eval(PUBLISH_SCRIPT, 1, versionKeyFor(namespace), channelFor(namespace), change.hash),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } catch (error) {
        onError(error);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

let processPublisher: KeyChangePublisher | undefined;

/**
 * The publisher lifecycle functions use by default. A verifier created with Redis installs itself
 * when none is set; a process without a verifier (an operator CLI) sets one explicitly.
 */
export function setKeyChangePublisher(publisher: KeyChangePublisher | undefined): void {
  processPublisher = publisher;
}

export function getKeyChangePublisher(): KeyChangePublisher | undefined {
  return processPublisher;
}

/**
 * Tell every verifier, here and in other processes, that a key changed. Call after the change is
 * committed (a verifier told earlier could re-read the old row). Never throws.
 */
export async function announceKeyChange(
  change: KeyChange,
  publisher: KeyChangePublisher | null | undefined = processPublisher,
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
