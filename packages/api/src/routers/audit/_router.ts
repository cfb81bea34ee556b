/** The signed-in user's activity (audit events): a thin call into `@twx/audit`. */
import { protectedProcedure, router } from "../../trpc";
import { listAuditHandler } from "./list.handler";
import { ZListAuditInputSchema } from "./schemas";

export const auditRouter = router({
  list: protectedProcedure.input(ZListAuditInputSchema).query(({ ctx, input }) => listAuditHandler({ ctx, input })),
});
