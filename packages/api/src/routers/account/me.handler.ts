import { getPublicUser, type PublicUser } from "@twx/accounts";
import { TRPCError } from "@trpc/server";
import type { TRPCContext } from "../../context";

interface MeOptions {
  ctx: TRPCContext & { userId: string };
}

/** The signed-in user's profile. A session whose account was deleted is treated as signed out. */
export async function meHandler({ ctx }: MeOptions): Promise<PublicUser> {
  const user = await getPublicUser(ctx.db, ctx.userId);
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return user;
}
