/** Twins the signed-in user may talk to: thin calls into `@twx/conversations`. */
import { protectedProcedure, router } from "../../trpc";
import { getTwinHandler } from "./get.handler";
import { listTwinsHandler } from "./list.handler";
import { ZGetTwinInputSchema, ZListTwinsInputSchema } from "./schemas";

export const twinsRouter = router({
  list: protectedProcedure.input(ZListTwinsInputSchema).query(({ ctx, input }) => listTwinsHandler({ ctx, input })),
  get: protectedProcedure.input(ZGetTwinInputSchema).query(({ ctx, input }) => getTwinHandler({ ctx, input })),
});
