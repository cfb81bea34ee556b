/**
 * What the `keys` and `tokens` routers share: the per-user limit on their mutations and the
 * translation of `@twx/keys` errors into readable tRPC errors.
 */
import { TRPCError } from "@trpc/server";
import { KeysError } from "@twx/keys";
import { createRateLimiterFromEnv, type RateLimiter } from "@twx/ratelimit";
import { z, ZodError } from "zod";
import { protectedProcedure, RetryLaterError } from "../../trpc";

type ManagementLimiter = Pick<RateLimiter, "limit">;

let limiter: ManagementLimiter | null = null;

/** The process's limiter, created on first use (Redis or Upstash when configured). */
function managementLimiter(): ManagementLimiter {
  limiter ??= createRateLimiterFromEnv();
  return limiter;
}

/** Tests install their own limiter (or `null` to go back to the environment's). */
export function setManagementRateLimiter(next: ManagementLimiter | null): void {
  limiter = next;
}

/**
 * A signed-in user's change to their keys or tokens. Counted against the `user-management`
 * limit (60 a minute per user), the same budget as the REST key-management endpoints.
 */
export const managementProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  const decision = await managementLimiter().limit("user-management", ctx.userId);
  if (!decision.success) {
    const cause = new RetryLaterError(Math.max(1, decision.retryAfterSeconds));
    throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: cause.message, cause });
  }
  return next();
});

/**
 * Rethrows a domain error as the tRPC error a browser can read; anything else is rethrown as is
 * (and becomes a generic 500 in the error formatter).
 */
export function rethrowKeysError(error: unknown): never {
  if (!(error instanceof KeysError)) throw error;
  switch (error.code) {
    case "not_found":
      throw new TRPCError({ code: "NOT_FOUND", message: "This API key does not exist, or it is not yours.", cause: error });
    case "validation_error": {
      // Carried as a ZodError so the formatter turns it into per-field errors like any input error.
      const details = "details" in error ? (error.details as Array<{ path: string; message: string }>) : [];
      const cause = new ZodError(
        details.map((d) => ({ code: "custom" as const, path: d.path ? d.path.split(".") : [], message: d.message, input: undefined })),
      );
      throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause });
    }
    case "key_limit_exceeded":
      throw new TRPCError({ code: "CONFLICT", message: error.message, cause: error });
    case "conflict":
      throw new TRPCError({ code: "CONFLICT", message: error.message, cause: error });
    case "unknown_actor":
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue.", cause: error });
  }
}

/** Ids are opaque strings; bounded so a huge one is refused before any query. */
export const keyId = z.string().trim().min(1, "Choose a key.").max(64, "Unknown key.");
