import { listKeys, summarizeKeyUsage, type ApiKeyDto } from "@twx/keys";
import type { z } from "zod";
import type { TRPCContext } from "../../context";
import { rethrowKeysError } from "./management";
import type { ZListKeysInputSchema } from "./schemas";

/** A key expiring within this window is shown as "expiring". */
export const EXPIRING_SOON_MS = 7 * 24 * 60 * 60 * 1000;

export type KeyStatus = "active" | "expiring" | "expired" | "revoked";

export interface KeyListItem extends ApiKeyDto {
  status: KeyStatus;
  /** Requests served in the last 24 hours (the current hour included). */
  requests24h: number;
  /** Requests refused by the rate limit in the same window. */
  rateLimited24h: number;
}

export function statusOf(key: Pick<ApiKeyDto, "revokedAt" | "expiresAt">, now: number): KeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt) {
    const left = key.expiresAt.getTime() - now;
    if (left <= 0) return "expired";
    if (left <= EXPIRING_SOON_MS) return "expiring";
  }
  return "active";
}

interface ListOptions {
  ctx: TRPCContext & { userId: string };
  input: z.output<typeof ZListKeysInputSchema>;
}

/** The user's keys, newest first, each with its status and its last 24 hours of requests. */
export async function listKeysHandler({ ctx, input }: ListOptions): Promise<KeyListItem[]> {
  try {
    const now = new Date();
    const [keys, usage] = await Promise.all([
      listKeys(ctx.db, ctx.userId, input),
      summarizeKeyUsage(ctx.db, ctx.userId, { now }),
    ]);
    return keys.map((key) => ({
      ...key,
      status: statusOf(key, now.getTime()),
      requests24h: usage[key.id]?.requests ?? 0,
      rateLimited24h: usage[key.id]?.rateLimited ?? 0,
    }));
  } catch (error) {
    rethrowKeysError(error);
  }
}
