import { revokeKey } from "@twx/keys";
import type { z } from "zod";
import type { TRPCContext } from "../../context";
import { rethrowKeysError } from "./management";
import type { ZRevokeKeyInputSchema } from "./schemas";

interface RevokeOptions {
  ctx: TRPCContext & { userId: string };
  input: z.output<typeof ZRevokeKeyInputSchema>;
}

/** Revokes a key at once (idempotent). */
export async function revokeKeyHandler({ ctx, input }: RevokeOptions): Promise<{ id: string; revokedAt: Date }> {
  try {
    return await revokeKey(ctx.db, ctx.userId, input);
  } catch (error) {
    rethrowKeysError(error);
  }
}
