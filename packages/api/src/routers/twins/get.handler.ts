import { getTwin, type TwinDto } from "@twx/conversations";
import type { z } from "zod";
import type { TRPCContext } from "../../context";
import { rethrowTwinsError } from "./errors";
import type { ZGetTwinInputSchema } from "./schemas";

interface GetOptions {
  ctx: TRPCContext & { userId: string };
  input: z.output<typeof ZGetTwinInputSchema>;
}

/** One twin visible to this account; another account's twin is NOT_FOUND like an unknown id. */
export async function getTwinHandler({ ctx, input }: GetOptions): Promise<TwinDto> {
  try {
    return await getTwin(ctx.db, ctx.userId, input.id);
  } catch (error) {
    rethrowTwinsError(error);
  }
}
