/**
 * Read side of usage counting: how many requests each of an owner's keys served recently, for
 * the portal's key table. Reads the hourly `api_key_usage` rows written by the verifiers'
 * flushes (see usage.ts), so counts lag live traffic by at most one flush interval (5 s).
 */
import type { Database } from "@twx/db";

const HOUR_MS = 3_600_000;

export interface KeyUsageSummary {
  /** Requests served (not refused) within the window. */
  requests: number;
  /** Requests refused with 429 within the window. */
  rateLimited: number;
}

export interface KeyUsageSummaryOptions {
  /** Window length in whole hours, counting the current, partial hour as one: default 24. */
  hours?: number;
  /** The current time (tests); defaults to now. */
  now?: Date;
}

/**
 * Requests per key of the owner over the last `hours` UTC hours (the current hour included).
 * Keys without usage are absent from the result; another user's keys are never counted.
 */
export async function summarizeKeyUsage(
  db: Database,
  ownerUserId: string,
  options: KeyUsageSummaryOptions = {},
): Promise<Record<string, KeyUsageSummary>> {
  const hours = Math.max(1, Math.floor(options.hours ?? 24));
  const now = (options.now ?? new Date()).getTime();
  const since = new Date(Math.floor(now / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS);
  const rows = await db.apiKeyUsage.groupBy({
    by: ["apiKeyId"],
    where: { hour: { gte: since }, apiKey: { userId: ownerUserId } },
    _sum: { requests: true, rateLimited: true },
  });
  const summary: Record<string, KeyUsageSummary> = {};
  for (const row of rows) {
    summary[row.apiKeyId] = { requests: row._sum.requests ?? 0, rateLimited: row._sum.rateLimited ?? 0 };
  }
  return summary;
}
