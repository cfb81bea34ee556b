import { createKey, type ApiKeyWithSecret } from "@twx/keys";
import type { z } from "zod";
import type { TRPCContext } from "../../context";
import { rethrowKeysError } from "./management";
import type { ZCreateKeyInputSchema } from "./schemas";

interface CreateOptions {
  ctx: TRPCContext & { userId: string };
  input: z.output<typeof ZCreateKeyInputSchema>;
}

/** Creates a key; the answer carries the full secret, this once. */
export async function createKeyHandler({ ctx, input }: CreateOptions): Promise<ApiKeyWithSecret> {
  try {
    return await createKey(ctx.db, ctx.userId, input);
  } catch (error) {
    rethrowKeysError(error);
  }
}
