/**
 * The tRPC instance: superjson on the wire, procedures for anyone and for signed-in users, and
 * errors that reach the browser as readable messages with per-field details for bad input.
 */
import { AccountError } from "@twx/accounts";
import { KeyLimitExceededError, KeysError } from "@twx/keys";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { TRPCContext } from "./context";

export type FieldErrors = Record<string, string[] | undefined>;

/** Field errors carried by an error, from zod input validation or a domain rule. */
function fieldErrorsOf(error: TRPCError): FieldErrors | null {
  const cause = error.cause;
  if (cause instanceof ZodError) return z.flattenError(cause).fieldErrors as FieldErrors;
  if (cause instanceof AccountError && Object.keys(cause.fieldErrors).length > 0) return cause.fieldErrors;
  return null;
}

/** A per-user limit refused the call; the browser shows the wait in its reader's language. */
export class RetryLaterError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many changes in a short time. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`);
    this.name = "RetryLaterError";
  }
}

/**
 * Facts the browser words in its reader's language, so it never reads them out of the English
 * message: the domain's error code (`key_limit_exceeded`, `rate_limited`, …), a wait, a limit.
 */
export interface ErrorFacts {
  reason: string | null;
  retryAfterSeconds: number | null;
  limit: number | null;
}

function factsOf(error: TRPCError): ErrorFacts {
  const cause = error.cause;
  if (cause instanceof RetryLaterError) return { reason: "rate_limited", retryAfterSeconds: cause.retryAfterSeconds, limit: null };
  if (cause instanceof KeyLimitExceededError) return { reason: cause.code, retryAfterSeconds: null, limit: cause.limit };
  if (cause instanceof KeysError) return { reason: cause.code, retryAfterSeconds: null, limit: null };
  return { reason: null, retryAfterSeconds: null, limit: null };
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  isDev: process.env.NODE_ENV !== "production",
  errorFormatter({ shape, error }) {
    const fieldErrors = fieldErrorsOf(error);
    let message = shape.message;
    if (fieldErrors) {
      message = "Check the highlighted fields.";
    } else if (error.code === "INTERNAL_SERVER_ERROR") {
      // Never send an internal message (it may quote SQL or a secret); the server log has it.
      message = "Something went wrong on our side. Please try again.";
    }
    return { ...shape, message, data: { ...shape.data, fieldErrors, ...factsOf(error) } };
  },
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

/** Open to anyone, signed in or not. */
export const publicProcedure = t.procedure;

/** Requires a session; the handler sees `ctx.session` and `ctx.userId` as non-null. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  const userId = ctx.session?.user?.id;
  if (!ctx.session || !userId) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  }
  return next({ ctx: { ...ctx, session: ctx.session, userId } });
});
