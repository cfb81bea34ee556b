/**
 * Usage report of one account for the portal: requests per UTC hour over the last 24 hours and
 * per UTC day over the last 30 days, per key and in total, with rate-limited requests apart.
 * Read from the hourly `api_key_usage` rows that the verifiers' batches write (so the current
 * hour lags by up to one flush interval, 5 s by default).
 */
import type { Database } from "@twx/db";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export const USAGE_HOURS = 24;
export const USAGE_DAYS = 30;

export interface UsageBucket {
  /** Start of the UTC hour or UTC day. */
  start: Date;
  /** Requests served. */
  requests: number;
  /** Requests refused with 429. */
  rateLimited: number;
}

export interface UsageTotals {
  requests: number;
  rateLimited: number;
}

export interface KeyUsageReport {
  keyId: string;
  name: string;
  start: string;
  scope: "read_only" | "full_access";
  createdAt: Date;
  revokedAt: Date | null;
  expiresAt: Date | null;
  /** Oldest first, `USAGE_HOURS` buckets ending with the current hour. */
  hourly: UsageBucket[];
  /** Oldest first, `USAGE_DAYS` buckets ending with the current UTC day. */
  daily: UsageBucket[];
  last24h: UsageTotals;
  last30d: UsageTotals;
}

export interface UsageReport {
  generatedAt: Date;
  /** Every key that is active now or was used in the last 30 days, newest first. */
  keys: KeyUsageReport[];
  total: {
    hourly: UsageBucket[];
    daily: UsageBucket[];
    last24h: UsageTotals;
    last30d: UsageTotals;
  };
}

export interface UsageReportOptions {
  /** Tests. */
  now?: Date;
}

function emptyBuckets(first: number, count: number, step: number): UsageBucket[] {
  return Array.from({ length: count }, (_, i) => ({ start: new Date(first + i * step), requests: 0, rateLimited: 0 }));
}

function sum(buckets: UsageBucket[]): UsageTotals {
  let requests = 0;
  let rateLimited = 0;
  for (const b of buckets) {
    requests += b.requests;
    rateLimited += b.rateLimited;
  }
  return { requests, rateLimited };
}

/** The account's usage over the last 24 hours (hourly) and 30 days (daily). Two queries. */
export async function getUsageReport(db: Database, userId: string, options: UsageReportOptions = {}): Promise<UsageReport> {
  const now = (options.now ?? new Date()).getTime();
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const firstHour = currentHour - (USAGE_HOURS - 1) * HOUR_MS;
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const firstDay = today - (USAGE_DAYS - 1) * DAY_MS;
  const since = new Date(Math.min(firstDay, firstHour));

  const rows = await db.apiKeyUsage.findMany({
    where: { hour: { gte: since }, apiKey: { userId } },
    select: { apiKeyId: true, hour: true, requests: true, rateLimited: true },
  });
  const used = [...new Set(rows.map((r) => r.apiKeyId))];
  const keys = await db.apiKey.findMany({
    where: {
      userId,
      OR: [
        { id: { in: used } },
        { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date(now) } }] },
      ],
    },
    select: { id: true, name: true, start: true, scope: true, createdAt: true, revokedAt: true, expiresAt: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });

  const totalHourly = emptyBuckets(firstHour, USAGE_HOURS, HOUR_MS);
  const totalDaily = emptyBuckets(firstDay, USAGE_DAYS, DAY_MS);
  const perKey = new Map<string, { hourly: UsageBucket[]; daily: UsageBucket[] }>();
  for (const key of keys) {
    perKey.set(key.id, { hourly: emptyBuckets(firstHour, USAGE_HOURS, HOUR_MS), daily: emptyBuckets(firstDay, USAGE_DAYS, DAY_MS) });
  }

  for (const row of rows) {
    const series = perKey.get(row.apiKeyId);
    const at = row.hour.getTime();
    const h = Math.floor((at - firstHour) / HOUR_MS);
    if (h >= 0 && h < USAGE_HOURS) {
      for (const bucket of [totalHourly[h]!, series?.hourly[h]]) {
        if (!bucket) continue;
        bucket.requests += row.requests;
        bucket.rateLimited += row.rateLimited;
      }
    }
    const d = Math.floor((at - firstDay) / DAY_MS);
    if (d >= 0 && d < USAGE_DAYS) {
      for (const bucket of [totalDaily[d]!, series?.daily[d]]) {
        if (!bucket) continue;
        bucket.requests += row.requests;
        bucket.rateLimited += row.rateLimited;
      }
    }
  }

  return {
    generatedAt: new Date(now),
    keys: keys.map((key) => {
      const series = perKey.get(key.id)!;
      return {
        keyId: key.id,
        name: key.name,
        start: key.start,
        scope: key.scope,
        createdAt: key.createdAt,
        revokedAt: key.revokedAt,
        expiresAt: key.expiresAt,
        hourly: series.hourly,
        daily: series.daily,
        last24h: sum(series.hourly),
        last30d: sum(series.daily),
      };
    }),
    total: { hourly: totalHourly, daily: totalDaily, last24h: sum(totalHourly), last30d: sum(totalDaily) },
  };
}

/**
 * Requests left in a sliding window of one hour aligned on UTC hours (the REST limits), estimated
 * from the hourly usage rows with the limiter's own arithmetic: the previous hour's requests count
 * by the share of it still inside the window. For when the limiter's counters cannot be read
 * (the in-process backend of another process). Rate-limited requests are not counted by the
 * limiter, so only served requests count here too.
 */
export function estimateRemainingInHour(input: {
  limit: number;
  currentHourRequests: number;
  previousHourRequests: number;
  now: Date;
}): { limit: number; remaining: number; reset: Date } {
  const at = input.now.getTime();
  const share = 1 - (at % HOUR_MS) / HOUR_MS;
  const used = Math.floor(share * input.previousHourRequests) + input.currentHourRequests;
  return {
    limit: input.limit,
    remaining: Math.max(0, input.limit - used),
    reset: new Date(Math.floor(at / HOUR_MS) * HOUR_MS + HOUR_MS),
  };
}
