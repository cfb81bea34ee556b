import { AccountError, createUserWithPassword } from "@twx/accounts";
import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import type { TRPCContext } from "../../context";
import type { ZSignUpInputSchema } from "./signUp.schema";

interface SignUpOptions {
  ctx: TRPCContext;
  input: z.output<typeof ZSignUpInputSchema>;
}

/**
 * Creates the account; the browser then signs in with the same credentials through Auth.js.
 * Returns only the new id, so the response carries nothing the caller did not send.
 */
export async function signUpHandler({ ctx, input }: SignUpOptions): Promise<{ userId: string }> {
  try {
    const user = await createUserWithPassword(ctx.db, input);
    return { userId: user.id };
  } catch (error) {
    if (error instanceof AccountError) {
      throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
    }
    throw error;
  }
}
