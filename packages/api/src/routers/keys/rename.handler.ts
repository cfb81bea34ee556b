import { renameKey, type ApiKeyDto } from "@twx/keys";
import type { z } from "zod";
import type { TRPCContext } from "../../context";
import { rethrowKeysError } from "./management";
import type { ZRenameKeyInputSchema } from "./schemas";

interface RenameOptions {
  ctx: TRPCContext & { userId: string };
  input: z.output<typeof ZRenameKeyInputSchema>;
}

export async function renameKeyHandler({ ctx, input }: RenameOptions): Promise<ApiKeyDto> {
  try {
    return await renameKey(ctx.db, ctx.userId, input);
  } catch (error) {
    rethrowKeysError(error);
  }
}
