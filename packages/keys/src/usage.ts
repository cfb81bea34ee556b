/**
 * Usage accounting off the request path.
 *
 * - Hourly counters: `recordUse` adds to an in-memory map keyed by (key id, UTC hour). A flush
 *   (every few seconds, and on `flush()`/`close()`) swaps the map out and writes it with one
 *   multi-row `INSERT ... ON CONFLICT DO UPDATE SET requests = requests + EXCLUDED.requests`, so
 *   any number of processes add into the same row without losing counts. A failed flush puts its
 *   counts back for the next one.
 * - lastUsedAt: written at most once per `lastUsedIntervalMs` (a minute) per key by this process,
 *   in the same flush, and the UPDATE itself skips rows another process touched within that
 *   interval, so the whole fleet writes each key's row about once a minute.
 */
import type { Database } from "@twx/db";

const HOUR_MS = 3_600_000;
/** Rows per statement: keeps parameter arrays and lock sets modest. */
const CHUNK = 1_000;

export interface UsageBatcherOptions {
  db: Database;
  clock: () => number;
  flushIntervalMs: number;
  lastUsedIntervalMs: number;
  onError: (error: unknown, context: string) => void;
}

interface Counts {
  keyId: string;
  hour: number;
  requests: number;
  rateLimited: number;
}

export class UsageBatcher {
  #pending = new Map<string, Counts>();
  /** key id → use time to write as lastUsedAt. */
  #pendingLastUsed = new Map<string, number>();
  /** key id → use time last queued for writing (the per-key throttle). */
  readonly #lastQueued = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #closed = false;
  #warnedLate = false;

  constructor(private readonly options: UsageBatcherOptions) {
    if (options.flushIntervalMs > 0) {
      this.#timer = setInterval(() => {
        this.flush().catch((error) => options.onError(error, "usage flush"));
      }, options.flushIntervalMs);
      // Never keep a process alive just to flush; shutdown calls close().
      this.#timer.unref();
    }
  }

  /** Count one request of a verified key. Memory only. */
  record(keyId: string, rateLimited: boolean): void {
    if (this.#closed && !this.#warnedLate) {
      // A request that finished after shutdown began: keep its count (a later flush() writes it)
      // rather than fail the request, and say so once.
      this.#warnedLate = true;
      this.options.onError(new Error("recordUse after close(): call flush() again to write late uses"), "usage");
    }
    const at = this.options.clock();
    const hour = Math.floor(at / HOUR_MS) * HOUR_MS;
    const id = `${keyId}\u0000${hour}`;
    let counts = this.#pending.get(id);
    if (!counts) {
      counts = { keyId, hour, requests: 0, rateLimited: 0 };
      this.#pending.set(id, counts);
    }
    if (rateLimited) counts.rateLimited++;
    else counts.requests++;

    const queued = this.#lastQueued.get(keyId);
    if (queued === undefined || at - queued >= this.options.lastUsedIntervalMs) {
      this.#lastQueued.set(keyId, at);
      this.#pendingLastUsed.set(keyId, at);
    }
  }

  /** Counts not yet written (tests, metrics). */
  get pendingRows(): number {
    return this.#pending.size;
  }

  /** Write everything recorded so far. Flushes run one at a time, in order. */
  flush(): Promise<void> {
    const run = this.#flushing.then(() => this.#flushOnce());
    // The chain must survive a failed flush; the caller still sees the failure.
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    this.#closed = true;
  }

  async #flushOnce(): Promise<void> {
    const usage = [...this.#pending.values()];
    const lastUsed = [...this.#pendingLastUsed.entries()];
    this.#pending = new Map();
    this.#pendingLastUsed = new Map();
    this.#pruneThrottle();

    let failure: unknown;
    // Same order in every process, so concurrent upserts lock rows in one order (no deadlock).
    usage.sort((a, b) => (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : a.hour - b.hour));
    for (let i = 0; i < usage.length; i += CHUNK) {
      const chunk = usage.slice(i, i + CHUNK);
      try {
        await this.#writeUsage(chunk);
      } catch (error) {
        failure ??= error;
        for (const c of chunk) this.#restore(c);
      }
    }
    lastUsed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (let i = 0; i < lastUsed.length; i += CHUNK) {
      const chunk = lastUsed.slice(i, i + CHUNK);
      try {
        await this.#writeLastUsed(chunk);
      } catch (error) {
        failure ??= error;
        for (const [keyId, at] of chunk) {
          const newer = this.#pendingLastUsed.get(keyId);
          if (newer === undefined || newer < at) this.#pendingLastUsed.set(keyId, at);
        }
      }
    }
    if (failure !== undefined) throw failure;
  }

  #restore(counts: Counts): void {
    const id = `${counts.keyId}\u0000${counts.hour}`;
    const current = this.#pending.get(id);
    if (current) {
      current.requests += counts.requests;
      current.rateLimited += counts.rateLimited;
    } else {
      this.#pending.set(id, counts);
    }
  }

  /** Forget throttle entries older than the interval: they no longer hold anything back. */
  #pruneThrottle(): void {
    const cutoff = this.options.clock() - this.options.lastUsedIntervalMs;
    for (const [keyId, at] of this.#lastQueued) if (at <= cutoff) this.#lastQueued.delete(keyId);
  }

  async #writeUsage(rows: Counts[]): Promise<void> {
    const ids = rows.map((r) => r.keyId);
    const hours = rows.map((r) => new Date(r.hour).toISOString());
    const requests = rows.map((r) => r.requests);
    const limited = rows.map((r) => r.rateLimited);
    // Unqualified table names: the schema comes from the connection's search_path (tests use
    // their own schema). The join skips keys deleted meanwhile (their user was deleted), which
    // would otherwise fail the whole batch on the foreign key, forever.
    // Hours travel as timestamptz text and are turned into UTC wall time for the `timestamp(3)`
    // column, whatever the session time zone.
    await this.options.db.$executeRaw`
      INSERT INTO api_key_usage ("apiKeyId", "hour", "requests", "rateLimited")
      SELECT t.key_id, t.hour AT TIME ZONE 'UTC', t.requests, t.limited
      FROM unnest(${ids}::text[], ${hours}::timestamptz[], ${requests}::int[], ${limited}::int[])
        AS t(key_id, hour, requests, limited)
      JOIN api_keys k ON k.id = t.key_id
      ON CONFLICT ("apiKeyId", "hour") DO UPDATE
        SET "requests" = api_key_usage."requests" + EXCLUDED."requests",
            "rateLimited" = api_key_usage."rateLimited" + EXCLUDED."rateLimited"`;
  }

  async #writeLastUsed(rows: Array<[string, number]>): Promise<void> {
    const ids = rows.map(([id]) => id);
    const times = rows.map(([, at]) => new Date(at).toISOString());
    const intervalMs = this.options.lastUsedIntervalMs;
    await this.options.db.$executeRaw`
      UPDATE api_keys AS k
      SET "lastUsedAt" = v.used_at
      FROM (
        SELECT t.id, t.used_at AT TIME ZONE 'UTC' AS used_at
        FROM unnest(${ids}::text[], ${times}::timestamptz[]) AS t(id, used_at)
      ) AS v
      WHERE k.id = v.id
        AND (k."lastUsedAt" IS NULL
             OR k."lastUsedAt" <= v.used_at - make_interval(secs => ${intervalMs}::float8 / 1000))`;
  }
}
