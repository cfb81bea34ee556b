import { rollKey, type RollResult } from "@twx/keys";
import type { z } from "zod";
import type { TRPCContext } from "../../context";
import { rethrowKeysError } from "./management";
import type { ZRollKeyInputSchema } from "./schemas";

interface RollOptions {
  ctx: TRPCContext & { userId: string };
  input: z.output<typeof ZRollKeyInputSchema>;
}

/**
 * Replaces a key with a new one of the same name and scope; the old one stops working now or at
 * the end of the grace period. The answer carries the new secret, this once.
 */
export async function rollKeyHandler({ ctx, input }: RollOptions): Promise<RollResult> {
  try {
    return await rollKey(ctx.db, ctx.userId, input);
  } catch (error) {
    rethrowKeysError(error);
  }
}
