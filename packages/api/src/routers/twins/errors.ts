import { InvalidCursorError, NotFoundError } from "@twx/conversations";
import { TRPCError } from "@trpc/server";

/** Domain errors of `@twx/conversations` as tRPC errors with readable messages. */
export function rethrowTwinsError(error: unknown): never {
  if (error instanceof NotFoundError) throw new TRPCError({ code: "NOT_FOUND", message: "No such twin.", cause: error });
  if (error instanceof InvalidCursorError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
  throw error;
}
