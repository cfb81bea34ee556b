import { listTwins, type Page, type TwinDto } from "@twx/conversations";
import type { z } from "zod";
import type { TRPCContext } from "../../context";
import { rethrowTwinsError } from "./errors";
import type { ZListTwinsInputSchema } from "./schemas";

interface ListOptions {
  ctx: TRPCContext & { userId: string };
  input: z.output<typeof ZListTwinsInputSchema>;
}

/** The twins this account may talk to (shared ones and its own), oldest first, by cursor. */
export async function listTwinsHandler({ ctx, input }: ListOptions): Promise<Page<TwinDto>> {
  try {
    return await listTwins(ctx.db, ctx.userId, { limit: input.limit, cursor: input.cursor ?? undefined });
  } catch (error) {
    rethrowTwinsError(error);
  }
}
