/**
 * The verification hot path. See README "Verification" and "Cache and revocation bound".
 *
 * verifyKey(raw):
 *   1. parseKey: shape and checksum, no I/O; malformed → invalid.
 *   2. hash (SHA-256 / HMAC with the pepper).
 *   3. known-key cache (LRU, keyed by hash; the stored hash is compared again in constant time):
 *      a hit answers from memory — exists → not revoked → not expired against the clock.
 *   4. unknown-key cache (a separate small LRU, ≤ 1 s TTL): a hit answers invalid.
 *   5. otherwise one database lookup by hash (concurrent lookups of one hash share it); the row,
 *      valid or not, goes to the known-key cache, a miss to the unknown-key cache.
 *
 * The known-key cache is only trusted while this process is in sync with the change notices
 * (always, without Redis; with Redis, while the last successful version poll is at most
 * `maxStalenessMs` old). Out of sync, every verification reads the database: slower, never stale.
 */
import { timingSafeEqual } from "node:crypto";
import { performance } from "node:perf_hooks";
import { getDb, type ApiKeyScope, type Database } from "@twx/db";
import { getEnv } from "@twx/config";
import { Redis } from "ioredis";
import { parseKey } from "./format";
import { hashKey, pepperFromEnv } from "./hash";
import { Lru } from "./lru";
import {
  channelFor,
  createRedisKeyChangePublisher,
  DEFAULT_NAMESPACE,
  getKeyChangePublisher,
  onLocalKeyChange,
  parseNotice,
  setKeyChangePublisher,
  versionKeyFor,
  type KeyChangePublisher,
} from "./notify";
import { UsageBatcher } from "./usage";

export interface VerifiedKey {
  id: string;
  /** The owner: the account whose data the key sees. */
  userId: string;
  scope: ApiKeyScope;
  expiresAt: Date | null;
  start: string;
}

export type VerifyFailure = "invalid" | "revoked" | "expired";

export type VerifyResult = { ok: true; key: VerifiedKey } | { ok: false; reason: VerifyFailure };

export interface KeyVerifierOptions {
  db: Database;
  /**
   * Redis for cross-process change notices (a subscriber connection is duplicated from it).
   * Absent: in-process notices only, right for a single process (the embedded setup).
   * Not closed by the verifier.
   */
  redis?: Redis;
  /** Prefix of the Redis version key and channel; processes that share keys share it. */
  namespace?: string;
  /** Wall clock in ms for expiry, usage hours and lastUsedAt (tests move it). Cache TTLs use a monotonic clock. */
  clock?: () => number;
  /** HMAC pepper; defaults to API_KEY_PEPPER, null for none. Must match the lifecycle functions'. */
  pepper?: string | null;
  /** Known keys kept in memory (default 10,000). */
  cacheSize?: number;
  /** Unknown hashes kept in memory (default 10,000); separate, so junk cannot evict real keys. */
  negativeCacheSize?: number;
  /** Re-read a known key after this long even without a notice (default 60 s); bounds the damage of a lost publish. */
  positiveTtlMs?: number;
  /** How long an unknown hash is answered from memory (default 1 s). */
  negativeTtlMs?: number;
  /** Version poll period (default 250 ms). */
  pollIntervalMs?: number;
  /** Serve known keys from memory only if the last good poll is at most this old (default 1 s). */
  maxStalenessMs?: number;
  /** Usage flush period (default 5 s; 0 disables the timer, flush() still works). */
  usageFlushIntervalMs?: number;
  /** Minimum time between lastUsedAt writes per key (default 60 s). */
  lastUsedIntervalMs?: number;
  onError?: (error: unknown, context: string) => void;
}

export interface KeyVerifierStats {
  /** Answers served from the known-key cache. */
  cacheHits: number;
  /** Answers served from the unknown-key cache. */
  negativeHits: number;
  /** Database lookups made. */
  lookups: number;
  /** Rejected by parseKey (no I/O). */
  malformed: number;
  /** Whole-cache drops (lost notice detected, resync after a Redis outage). */
  clears: number;
  cacheSize: number;
  negativeCacheSize: number;
  /** Last change version seen (Redis mode). */
  version: number;
  /** Whether known keys are currently served from memory. */
  inSync: boolean;
}

export interface KeyVerifier {
  verifyKey(raw: unknown): Promise<VerifyResult>;
  /** Count one request of a verified key (memory only; see UsageBatcher). */
  recordUse(key: Pick<VerifiedKey, "id">, options?: { rateLimited?: boolean }): void;
  /** Write pending usage counters and lastUsedAt now. */
  flush(): Promise<void>;
  /** Resolves once notices are subscribed and the first version poll succeeded (at once without Redis). */
  ready(): Promise<void>;
  /** Drop one hash, or everything, from the caches. */
  evict(hash?: string): void;
  stats(): KeyVerifierStats;
  /** Flush usage, stop timers, unsubscribe. Call on shutdown. */
  close(): Promise<void>;
}

interface KnownEntry {
  hash: Buffer;
  key: VerifiedKey;
  revoked: boolean;
  expiresAtMs: number | null;
  /** Monotonic time of the lookup. */
  loadedAt: number;
}

interface LookupRow {
  id: string;
  userId: string;
  scope: ApiKeyScope;
  start: string;
  hash: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export function createKeyVerifier(options: KeyVerifierOptions): KeyVerifier {
  const db = options.db;
  const clock = options.clock ?? Date.now;
  const pepper = options.pepper === undefined ? (pepperFromEnv() ?? null) : options.pepper;
  const positiveTtl = options.positiveTtlMs ?? 60_000;
  const negativeTtl = options.negativeTtlMs ?? 1_000;
  const pollInterval = options.pollIntervalMs ?? 250;
  const maxStaleness = options.maxStalenessMs ?? 1_000;
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const onError =
    options.onError ?? ((error: unknown, context: string) => console.error(`[keys] ${context}:`, error));

  const known = new Lru<string, KnownEntry>(options.cacheSize ?? 10_000);
  const unknown = new Lru<string, number>(options.negativeCacheSize ?? 10_000);
  const inflight = new Map<string, Promise<LookupRow | null>>();
  /** Bumped by every eviction: a lookup that raced with one must not fill the cache. */
  let generation = 0;
  const stats = { cacheHits: 0, negativeHits: 0, lookups: 0, malformed: 0, clears: 0 };

  const usage = new UsageBatcher({
    db,
    clock,
    flushIntervalMs: options.usageFlushIntervalMs ?? 5_000,
    lastUsedIntervalMs: options.lastUsedIntervalMs ?? 60_000,
    onError,
  });

  function evictHash(hash: string): void {
    generation++;
    known.delete(hash);
    unknown.delete(hash);
    inflight.delete(hash);
  }

  function clearAll(): void {
    generation++;
    known.clear();
    unknown.clear();
    inflight.clear();
    stats.clears++;
  }

  const stopLocal = onLocalKeyChange((change) => evictHash(change.hash));

  // ---- Redis: notices and the version poll ------------------------------------------------
  const redis = options.redis;
  let subscriber: Redis | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let ownPublisher: KeyChangePublisher | undefined;
  let version = -1;
  /** Monotonic time at which the last successful poll was sent. */
  let syncedAt = Number.NEGATIVE_INFINITY;
  let polling = false;
  let closed = false;
  let subscribed = false;
  let pollFailing = false;
  let subscribing: Promise<void> | undefined;
  let readyPromise: Promise<void> = Promise.resolve();

  const inSync = (): boolean => !redis || performance.now() - syncedAt <= maxStaleness;

  async function poll(): Promise<void> {
    if (!redis || polling || closed) return;
    polling = true;
    const sentAt = performance.now();
    const wasInSync = inSync();
    let timer: NodeJS.Timeout | undefined;
    try {
      const raw = await Promise.race([
        redis.get(versionKeyFor(namespace)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("version poll timed out")), Math.max(pollInterval * 2, 500));
        }),
      ]);
      const current = raw === null ? 0 : Number(raw);
      if (version === -1) {
        // First sync. Nothing was cached before it (out of sync, lookups are not kept).
        version = current;
      } else if (!wasInSync || current !== version) {
        // A version without its notice (lost message), or a spell out of sync during which
        // notices may have been missed unnoticed: start over from the database.
        clearAll();
        version = current;
      }
      syncedAt = Math.max(syncedAt, sentAt);
    } finally {
      clearTimeout(timer);
      polling = false;
    }
  }

  if (redis) {
    subscriber = redis.duplicate();
    const channel = channelFor(namespace);
    subscriber.on("message", (from: string, message: string) => {
      if (from !== channel) return;
      const notice = parseNotice(message);
      if (!notice) return;
      evictHash(notice.hash);
      if (notice.version === version + 1) {
        version = notice.version;
      } else if (notice.version > version) {
        // A gap: some notice between was lost.
        clearAll();
        version = notice.version;
      }
    });
    subscriber.on("error", (error) => onError(error, "key notice subscriber"));
    const sub = subscriber;
    // ioredis re-subscribes by itself after a reconnect; this covers a first attempt that failed
    // (no offline queue). Until subscribed, the poll alone keeps the bound.
    const subscribe = (): Promise<void> => {
      subscribing ??= sub
        .subscribe(channel)
        .then(() => {
          subscribed = true;
        })
        .finally(() => {
          subscribing = undefined;
        });
      return subscribing;
    };
    readyPromise = subscribe().then(() => poll());
    readyPromise.catch((error) => onError(error, "key notice subscription"));
    pollTimer = setInterval(() => {
      if (!subscribed && !subscribing && !closed) subscribe().catch(() => undefined);
      poll().then(
        () => {
          pollFailing = false;
        },
        (error: unknown) => {
          // Report the start of an outage, not every poll of it.
          if (!pollFailing) onError(error, "key version poll (serving from the database until Redis answers)");
          pollFailing = true;
        },
      );
    }, pollInterval);
    pollTimer.unref();
    if (!getKeyChangePublisher()) {
      ownPublisher = createRedisKeyChangePublisher(redis, {
        namespace,
        onError: (error) => onError(error, "key change publish"),
      });
      setKeyChangePublisher(ownPublisher);
    }
  }

  // ---- Lookup ------------------------------------------------------------------------------
  function lookup(hash: string): Promise<LookupRow | null> {
    let pending = inflight.get(hash);
    if (!pending) {
      stats.lookups++;
      pending = db.apiKey
        .findUnique({
          where: { hash },
          select: { id: true, userId: true, scope: true, start: true, hash: true, expiresAt: true, revokedAt: true },
        })
        .finally(() => {
          if (inflight.get(hash) === pending) inflight.delete(hash);
        });
      inflight.set(hash, pending);
    }
    return pending;
  }

  function evaluate(entry: KnownEntry): VerifyResult {
    // Unkey's order: exists → not revoked → not expired.
    if (entry.revoked) return { ok: false, reason: "revoked" };
    if (entry.expiresAtMs !== null && entry.expiresAtMs <= clock()) return { ok: false, reason: "expired" };
    // A copy: the caller may keep or change it; the cached entry must not change with it.
    const key = entry.key;
    return { ok: true, key: { ...key, expiresAt: key.expiresAt && new Date(key.expiresAt.getTime()) } };
  }

  async function verifyKey(raw: unknown): Promise<VerifyResult> {
    const parsed = parseKey(raw);
    if (!parsed.ok) {
      stats.malformed++;
      return { ok: false, reason: "invalid" };
    }
    const hash = hashKey(parsed.value.key, pepper);
    const hashBytes = Buffer.from(hash, "hex");
    const now = performance.now();
    const trusted = inSync();

    if (trusted) {
      const entry = known.get(hash);
      if (entry && now - entry.loadedAt < positiveTtl && timingSafeEqual(entry.hash, hashBytes)) {
        stats.cacheHits++;
        return evaluate(entry);
      }
    }
    const unknownUntil = unknown.get(hash);
    if (unknownUntil !== undefined) {
      if (now < unknownUntil) {
        stats.negativeHits++;
        return { ok: false, reason: "invalid" };
      }
      unknown.delete(hash);
    }

    const startedGeneration = generation;
    const row = await lookup(hash);
    // Fill the cache only if no eviction happened meanwhile (the row may predate a revocation)
    // and we are in sync (else a notice might already have been missed).
    const mayCache = startedGeneration === generation && inSync() && !closed;
    if (!row) {
      if (mayCache) unknown.set(hash, performance.now() + negativeTtl);
      return { ok: false, reason: "invalid" };
    }
    const rowHash = Buffer.from(row.hash, "hex");
    if (rowHash.length !== hashBytes.length || !timingSafeEqual(rowHash, hashBytes)) {
      return { ok: false, reason: "invalid" };
    }
    const entry: KnownEntry = {
      hash: rowHash,
      key: { id: row.id, userId: row.userId, scope: row.scope, expiresAt: row.expiresAt, start: row.start },
      revoked: row.revokedAt !== null,
      expiresAtMs: row.expiresAt?.getTime() ?? null,
      loadedAt: now,
    };
    if (mayCache) known.set(hash, entry);
    return evaluate(entry);
  }

  return {
    verifyKey,
    recordUse(key, useOptions) {
      usage.record(key.id, useOptions?.rateLimited === true);
    },
    flush: () => usage.flush(),
    ready: () => readyPromise,
    evict(hash) {
      if (hash === undefined) clearAll();
      else evictHash(hash);
    },
    stats: () => ({
      ...stats,
      cacheSize: known.size,
      negativeCacheSize: unknown.size,
      version,
      inSync: inSync(),
    }),
    async close() {
      if (closed) return;
      closed = true;
      stopLocal();
      if (pollTimer) clearInterval(pollTimer);
      if (ownPublisher && getKeyChangePublisher() === ownPublisher) setKeyChangePublisher(undefined);
      try {
        await usage.close();
      } finally {
        if (subscriber) {
          await subscriber.quit().catch(() => subscriber?.disconnect());
        }
      }
    },
  };
}

/**
 * A verifier for the app: the process database (`getDb()`) and, when `REDIS_URL` is set, its own
 * Redis connection, closed by `close()`.
 */
export function createKeyVerifierFromEnv(
  options: Partial<Omit<KeyVerifierOptions, "redis">> = {},
): KeyVerifier {
  const url = getEnv().REDIS_URL;
  const redis = url ? new Redis(url, { maxRetriesPerRequest: 2 }) : undefined;
  const verifier = createKeyVerifier({ ...options, db: options.db ?? getDb(), redis });
  if (!redis) return verifier;
  // Without a listener ioredis prints a stack trace for every failed reconnect while Redis is
  // down. The verifier already falls back to the database then; one line a minute is enough.
  let lastWarning = 0;
  redis.on("error", (error: Error) => {
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    (options.onError ?? ((e: unknown, context: string) => console.error(`[keys] ${context}:`, e instanceof Error ? e.message : e)))(
      error,
      "Redis connection for key notices",
    );
  });
  return {
    ...verifier,
    async close() {
      try {
        await verifier.close();
      } finally {
        await redis.quit().catch(() => redis.disconnect());
      }
    },
  };
}
