import { TRPCError } from "@trpc/server";
import { getEnv } from "@twx/config";
import { createTokenService, resolveJwtSecret, TokenTtlError, UnknownUserError } from "@twx/tokens";
import type { z } from "zod";
import type { TRPCContext } from "../../context";
import type { ZIssueTokenInputSchema } from "./issue.schema";

interface IssueOptions {
  ctx: TRPCContext & { userId: string };
  input: z.output<typeof ZIssueTokenInputSchema>;
}

export interface IssuedTokenView {
  token: string;
  issuedAt: Date;
  expiresAt: Date;
}

let key: Uint8Array | undefined;

/**
 * Issues a short-lived access token (JWT) for the signed-in user, for the REST key-management
 * endpoints. `@twx/tokens` records `token.issued`; the token itself is returned this once and
 * stored nowhere.
 */
export async function issueTokenHandler({ ctx, input }: IssueOptions): Promise<IssuedTokenView> {
  key ??= resolveJwtSecret(getEnv()).key;
  try {
    const issued = await createTokenService({ db: ctx.db, key }).issue({
      userId: ctx.userId,
      ttlSeconds: input.ttlSeconds,
      via: "portal",
    });
    return { token: issued.token, issuedAt: issued.issuedAt, expiresAt: issued.expiresAt };
  } catch (error) {
    if (error instanceof TokenTtlError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
    if (error instanceof UnknownUserError) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
    throw error;
  }
}
