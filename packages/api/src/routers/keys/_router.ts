/**
 * The signed-in user's API keys. Every procedure is a thin call into `@twx/keys`, which owns the
 * rules (ownership, cap, audit events, revocation notices); mutations count against the
 * per-user `user-management` limit.
 */
import { protectedProcedure, router } from "../../trpc";
import { createKeyHandler } from "./create.handler";
import { listKeysHandler } from "./list.handler";
import { managementProcedure } from "./management";
import { renameKeyHandler } from "./rename.handler";
import { revokeKeyHandler } from "./revoke.handler";
import { rollKeyHandler } from "./roll.handler";
import {
  ZCreateKeyInputSchema,
  ZListKeysInputSchema,
  ZRenameKeyInputSchema,
  ZRevokeKeyInputSchema,
  ZRollKeyInputSchema,
} from "./schemas";

export const keysRouter = router({
  list: protectedProcedure.input(ZListKeysInputSchema).query(({ ctx, input }) => listKeysHandler({ ctx, input })),
  create: managementProcedure.input(ZCreateKeyInputSchema).mutation(({ ctx, input }) => createKeyHandler({ ctx, input })),
  rename: managementProcedure.input(ZRenameKeyInputSchema).mutation(({ ctx, input }) => renameKeyHandler({ ctx, input })),
  revoke: managementProcedure.input(ZRevokeKeyInputSchema).mutation(({ ctx, input }) => revokeKeyHandler({ ctx, input })),
  roll: managementProcedure.input(ZRollKeyInputSchema).mutation(({ ctx, input }) => rollKeyHandler({ ctx, input })),
});
